import { aliasCandidates, nullProto } from './fields.js';
import { addCellKbs, kbStatusWords, missingColumnSays, readKbStatus, readUnreadUpdates, unclearStateSays, type KbStatusReading } from './kb-status.js';
import { extractKbs } from './kb.js';
import { truthy } from './yes-no.js';
import { emptyInfo, normaliseOs, type OsInput } from './normalise-os.js';
import type { CanonicalField, Host, InventoryRecord, OsInfo } from './types.js';

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/**
 * The grouping key of a hostname: lower-cased short name, so "PC-01", "pc-01" and
 * "pc-01.trust.nhs.uk" are one machine. IP addresses are kept whole.
 */
export function hostKey(hostname: string): string {
  // The audit asks for a new host's key, then the builder asks again: the last answer is kept.
  if (hostname === lastKeyOf) return lastKey;
  let h = hostname.toLowerCase();
  // Invisible characters a name picks up when copied through a web page, chat or spreadsheet (zero-width
  // space, word joiner, BOM, soft hyphen, direction marks): no machine name has them, so "PC-01\u200b" is PC-01.
  if (INVISIBLE.test(h)) h = h.replace(INVISIBLE_ALL, '');
  h = h.trim();
  // "NWHT\PC-01" (a down-level logon name, as AD and some agents write it) is the machine PC-01.
  const slash = h.lastIndexOf('\\');
  if (slash >= 0 && slash < h.length - 1) h = h.slice(slash + 1);
  // "PC-01$": the computer account's name in AD (sAMAccountName) and in security logs is the machine PC-01.
  if (h.length > 1 && h.charCodeAt(h.length - 1) === 0x24) h = h.slice(0, -1);
  const c0 = h.charCodeAt(0);
  let key = h;
  // An IPv4 address starts with a digit.
  if (!(c0 >= 0x30 && c0 <= 0x39 && IPV4.test(h)) && !h.includes(':')) {
    const dot = h.indexOf('.');
    if (dot > 0) key = h.slice(0, dot);
  }
  lastKeyOf = hostname;
  lastKey = key;
  return key;
}

/** Characters that show nothing (see hostKey). */
const INVISIBLE = /[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/;
const INVISIBLE_ALL = new RegExp(INVISIBLE.source, 'g');

/**
 * A host's name as reported: the name as given (control and invisible characters kept, escaped by the
 * reports), without an AD computer account's `$` (see hostKey), so the report names the machine as its
 * other inputs and the waivers do.
 */
export function machineName(name: string): string {
  return name.charCodeAt(name.length - 1) === 0x24 && /[^\s$\\]\$$/.test(name) ? name.slice(0, -1) : name;
}

/** A name as compared whole: trimmed, lower case, without invisible characters, the root's trailing dot or an account's `$`. */
export function fullName(name: string): string {
  return name.replace(INVISIBLE_ALL, '').trim().toLowerCase().replace(/\.+$/, '').replace(/(?<=.)\$$/, '');
}

/** A name with a domain ("pc-01.trust.nhs.uk"), as against a short name or an IPv4 address. */
export function isFqdn(name: string): boolean {
  const dot = name.indexOf('.');
  return dot > 0 && !IPV4.test(name);
}

/** The fqdn column when it names the machine `key` (SCCM's Full_Domain_Name0 holds the domain alone). */
export function ownFqdn(fqdn: string | undefined, key: string): string | null {
  const f = fqdn?.trim();
  return f && hostKey(f) === key ? f : null;
}

let lastKeyOf = '';
let lastKey = '';

/** Words Intune/osquery put in an OS column that name only the platform, not the product. */
const PLATFORM_ONLY = /^(?:windows|microsoft windows|win32|windows_nt|ios|ipados|android|android enterprise|macos|mac os|darwin|linux|ubuntu|debian|rhel|centos|unix|chromeos)$/i;
/** A feature-update value in a "Version" column (Lansweeper tblAssets.Version). */
const RELEASE_ONLY = /^(?:1[5-9]\d\d|2[0-2]\d\d|\d\d[Hh][12])$/;

const SERVER_ONLY_BUILDS = new Set(['20348', '25398']);

/** Build the OS normaliser's input from a record's canonical fields. */
export function osInputFromFields(f: Partial<Record<CanonicalField, string>>): OsInput {
  let osName = f.os_name ?? '';
  let platform = f.os_platform ?? '';
  let osVersion = f.os_version ?? '';
  let release = f.os_release ?? '';
  if (/^https?:\/\//i.test(osName)) osName = '';
  if (PLATFORM_ONLY.test(osName.trim()) && !platform) {
    platform = osName;
    osName = '';
  }
  // A version cell holding only the feature update: Windows Update for Business reports' OSVersion ("22H2").
  const releaseOnly = RELEASE_ONLY.test(osVersion.trim());
  if (releaseOnly && !release) {
    release = osVersion.trim();
    osVersion = '';
  }
  let productType = f.product_type;
  // An MDM device list (Intune's "OS" = "Windows", no caption, and a "Managed by" or managementAgent
  // column) holds client devices: Intune does not enrol Windows Server. Without this, builds shared by
  // client and server (14393, 26100) stay unknown. Builds that exist only as servers (Server 2022,
  // Server 23H2) keep their server identity. Any other list saying only "Windows" may hold servers.
  const build = /^10\.0\.(\d+)/.exec(osVersion.trim())?.[1] ?? f.os_build ?? '';
  // So does a device list naming no OS but its feature update and build (Windows Update for Business
  // reports, whose devices are Windows clients: its AzureADDeviceId marks it as a device-management list).
  const windowsOnly = /^windows$/i.test(platform.trim()) || (platform === '' && releaseOnly);
  const buildNumber = /^(\d+)(?:\.\d+)?$/.exec(build.trim())?.[1] ?? build.trim();
  if (!productType && f.mdm_managed !== undefined && osName === '' && windowsOnly && !SERVER_ONLY_BUILDS.has(buildNumber)) productType = '1';
  return {
    osName,
    osVersion,
    build: f.os_build,
    revision: f.os_revision,
    release,
    edition: f.os_edition,
    servicePack: f.service_pack,
    arch: f.os_arch,
    productType,
    platform,
  };
}

const OS_FIELDS: CanonicalField[] = ['os_platform', 'os_name', 'os_version', 'os_build', 'os_revision', 'os_release', 'os_edition', 'service_pack', 'os_arch', 'product_type'];

const OS_FIELD_SET = new Set<string>(OS_FIELDS);

function osSignature(f: Partial<Record<CanonicalField, string>>): string {
  let sig = '';
  for (let i = 0; i < OS_FIELDS.length; i++) sig += (i === 0 ? '' : '|') + (f[OS_FIELDS[i]] ?? '').trim().toLowerCase();
  return sig;
}

function hasOsData(f: Partial<Record<CanonicalField, string>>): boolean {
  for (const k of OS_FIELDS) {
    if (k === 'os_platform') continue;
    const v = (f[k] ?? '').trim();
    // A hotfix listing's Caption is a support URL, not an OS.
    if (v !== '' && !(k === 'os_name' && /^https?:\/\//i.test(v))) return true;
  }
  return false;
}

/** Hostname of a record: the hostname column, else the short name of the FQDN column. */
export function recordHostname(record: InventoryRecord): string {
  const h = (record.fields.hostname ?? '').trim();
  if (!noMachine(h)) return h;
  const f = (record.fields.fqdn ?? '').trim();
  return noMachine(f) ? '' : f;
}

/** A name cell that names no machine: empty, a placeholder ("N/A") or a note line (see recordHostname). */
export function namesNoMachine(name: string): boolean {
  return noMachine(name.trim());
}

function noMachine(trimmed: string): boolean {
  if (INVISIBLE.test(trimmed)) trimmed = trimmed.replace(INVISIBLE_ALL, '').trim();
  return trimmed === '' || PLACEHOLDER_NAME.test(trimmed) || LOOPBACK_NAME.test(trimmed) || NOTE_LINE.test(trimmed);
}

/** Why a record has no hostname (see recordHostname), for its rejected row. */
export function noHostnameReason(record: InventoryRecord): string {
  const h = (record.fields.hostname ?? record.fields.fqdn ?? '').trim();
  if (LOOPBACK_NAME.test(h)) return `${JSON.stringify(h)} is every machine's name for itself, not a machine name (an agent reported before the machine was named?)`;
  return NOTE_LINE.test(h) ? `a note, not a machine name (${JSON.stringify(h.length > 60 ? `${h.slice(0, 60)}…` : h)})` : 'no hostname';
}

/**
 * Loopback names ("localhost", "localhost.localdomain", "127.0.0.1"): every machine's name for itself.
 * Rows of several machines reporting one would merge into a single made-up host, one's updates
 * covering another.
 */
const LOOPBACK_NAME = /^(?:localhost[46]?(?:\.localdomain[46]?)?|127\.0\.0\.1|::1|0\.0\.0\.0)$/i;

/** Names that stand for no name ("-", "N/A", "unknown"): rows with them would merge into one made-up machine. */
const PLACEHOLDER_NAME = /^(?:-+|—|–|\?+|n\/?a|#n\/a|none|null|nil|unknown|tbc|tbd)$/i;
/**
 * A sentence in the name column (a spreadsheet's note or key line: "** Ward 7 PCs below moved … **",
 * "Key: GREEN = patched"): words with marks no machine name has. A name with a space alone ("Dr Smith
 * laptop" in an asset list) is kept.
 */
const NOTE_LINE = /^(?=.*\s)(?:.*[*=;]|.*:\s|.{64,})/s;

type DomainKind = 'dns' | 'down-level' | 'domain-column';

const NO_COLUMNS: Record<string, string> = Object.freeze(nullProto());
const COLUMNS_EMPTY = 0;
const COLUMNS_BORROWED = 1;
const COLUMNS_OWN = 2;

/** Accumulates one host's rows across files (long-format inventories have one row per update). */
export class HostBuilder {
  readonly hostname: string;
  readonly key: string;
  readonly sources: Host['sources'] = [];
  readonly kbs = new Set<string>();
  kbEvidence = false;
  /** Updates named but not installed (see Host.kbsNotInstalled); null until the first. */
  kbsNotInstalled: Map<string, string> | null = null;
  /** Why an update cell was not read as a list (see setAside); null when none was set aside. */
  private updatesUnread: string | null = null;
  /** Why a list of the host's was not read in full (cut short, a type name); null when none. */
  private updatesPartial: string | null = null;
  /** Updates an update history says were uninstalled (see addKbs). */
  private kbsUninstalled: Set<string> | null = null;
  fields: Partial<Record<CanonicalField, string>> = nullProto();
  /** Until the first row: an empty object shared by all builders (the first row's object replaces it). */
  columns: Record<string, string> = NO_COLUMNS;
  /** Rows that contradict each other within one wide file (one row per host is expected there). */
  readonly conflicts: string[] = [];
  private rowSignatures: Map<string, { line: number; sig: string; fields: InventoryRecord['fields'] }> | null = null;
  private osSource: InventoryRecord['source'] | null = null;
  /** osSignature of the adopted OS fields; null until a second row asks (most hosts have one row). */
  private osSig: string | null = null;
  private osLastSeen = '';
  /** The distinct OS readings of rows that agree in substance (null until a second one): merged at build(). */
  private osSeen: OsReading[] | null = null;
  /** Some rows disagree about the OS (see otherOs): nothing is merged. */
  private osClashed = false;
  /**
   * COLUMNS_EMPTY: `columns` is still NO_COLUMNS; COLUMNS_BORROWED: it is the first
   * row's object, taken as is (the merge would copy every key of it in order), to be copied before a second
   * row changes it; COLUMNS_OWN: the builder's to change.
   */
  private columnsState = COLUMNS_EMPTY;
  /** False while `fields` can hold no OS field (none adopted, none from fromRecord): nothing to delete. */
  private fieldsMayHaveOs = false;
  /** Notes of the rows on how they were read (InventoryRecord.notes); null until a row has some. */
  private readNotes: string[] | null = null;

  constructor(hostname: string) {
    this.hostname = machineName(hostname);
    this.key = hostKey(hostname);
  }

  /** A host from one row, reusing the row's objects (the streaming path: no copies). */
  static fromRecord(hostname: string, record: InventoryRecord): HostBuilder {
    const b = new HostBuilder(hostname);
    b.sources.push(record.source);
    if (record.notes) b.noteReading(record.notes);
    b.addUpdates(record);
    b.fields = record.fields;
    b.columns = record.columns;
    b.columnsState = COLUMNS_OWN;
    b.fieldsMayHaveOs = true;
    return b;
  }

  /**
   * The first domain of each kind this host's names carried (see noteName), and the name that carried
   * it: a DNS domain (an FQDN's), a down-level domain ("NORTH\\SRV-01"), a domain column's DNS domain.
   */
  private domains: Map<DomainKind, { domain: string; said: string }> | null = null;
  private domainClash = false;
  /** The first serial number the rows gave (see noteSerial). */
  private serial: { key: string; raw: string; source: InventoryRecord['source']; lastSeen: string } | null = null;
  private serialClash = false;
  /** Verdict fields the sources disagree about (VERDICT_FIELDS): emptied, and no later value is taken. */
  private clashed: Set<string> | null = null;

  /**
   * Hosts are grouped by short name, so "srv-03.north.trust.local" and "srv-03.south.trust.local" land
   * together: they may be two machines in two domains, and neither can be judged from the other's rows.
   * Each kind of domain is compared with its own kind only, whatever came first: FQDNs with FQDNs,
   * down-level names with down-level names ("acme.local" and "ACME" may be one domain), and a domain
   * column holding a DNS domain (systeminfo's "Domain") with other such columns (an AD domain and the
   * DNS suffix of its machines may differ). `domainCell` is the row's domain column, if any.
   * Returns a warning the first time two domains meet.
   */
  noteName(name: string, domainCell?: string, source?: InventoryRecord['source']): string | null {
    const n = fullName(name);
    const slash = n.lastIndexOf('\\');
    let msg: string | null = null;
    // "NORTH\SRV-01": the down-level domain ("north.trust.local\SRV-01": a DNS domain).
    if (slash > 0) msg = this.noteDomain(isFqdn(n.slice(0, slash)) ? 'dns' : 'down-level', n.slice(0, slash), name.trim());
    else if (isFqdn(n)) msg = this.noteDomain('dns', n.slice(n.indexOf('.') + 1), name.trim());
    if (domainCell !== undefined && msg === null) {
      // Only a DNS domain: a one-word value may be a workgroup, or the user's domain (USERDOMAIN).
      const d = fullName(domainCell);
      if (isFqdn(d) && !/\s/.test(d)) msg = this.noteDomain('domain-column', d, `${name.trim()} (domain ${domainCell.trim()}${source ? ` at ${where(source)}` : ''})`);
    }
    return msg;
  }

  private noteDomain(kind: DomainKind, domain: string, said: string): string | null {
    const seen = (this.domains ??= new Map()).get(kind);
    if (seen === undefined) {
      this.domains.set(kind, { domain, said });
      return null;
    }
    if (seen.domain === domain || this.domainClash) return null;
    this.domainClash = true;
    const msg = `${this.hostname}: ${seen.said} and ${said} share a short name but not a domain; they may be two machines, so it cannot be reported compliant until the inventory is fixed`;
    this.conflicts.push(msg);
    return msg;
  }

  private noteReading(notes: readonly string[]): void {
    const into = (this.readNotes ??= []);
    for (const n of notes) if (!into.includes(n)) into.push(n);
  }

  /**
   * Is the cell one that says the updates are not known? The first such is kept for the evidence. The
   * whole entries of a list cut short are installed all the same; they go to `partial`.
   */
  private setAside(cell: string, partial: string[]): boolean {
    const unread = readUnreadUpdates(cell);
    if (unread === null) return false;
    const said = `the updates cell ${JSON.stringify(cell.length > 60 ? cell.slice(0, 59) + '…' : cell)} ${unread.why}`;
    this.updatesUnread ??= said;
    if (unread.partial) this.updatesPartial ??= said;
    if (unread.whole !== '') partial.push(unread.whole);
    return true;
  }

  /** The row's update cells: its list or update (addKbs), and a column of missing updates (addMissing). */
  private addUpdates(record: InventoryRecord): void {
    const f = record.fields;
    if (f.kb !== undefined || f.kb_list !== undefined) this.addKbs(record);
    if (f.kb_missing) this.addMissing(f.kb_missing, record.columns);
  }

  /** The row's updates: installed ones to `kbs`, the ones it says are not installed (its status, or words in the cell) aside. */
  private addKbs(record: InventoryRecord): void {
    const f = record.fields;
    // A cell that says the updates are not known is no evidence: the host may stay without a list.
    const partial: string[] = [];
    const kbCell = f.kb !== undefined && !(f.kb !== '' && this.setAside(f.kb, partial));
    const listCell = f.kb_list !== undefined && !(f.kb_list !== '' && this.setAside(f.kb_list, partial));
    // The whole entries of a list cut short: installed, though the list cannot show what is missing.
    // (Not when the row says its updates are not installed, or were uninstalled.)
    if (partial.length > 0 && (f.kb_operation === undefined || !isUninstall(f.kb_operation))) {
      const state = f.kb_status !== undefined ? readKbStatus(f.kb_status, record.columns) : null;
      if (state === null || state === 'installed') for (const cell of partial) this.kbsNotInstalled = addCellKbs(cell, this.kbs, this.kbsNotInstalled);
    }
    if (!kbCell && !listCell) return;
    this.kbEvidence = true;
    let notInstalled = this.kbsNotInstalled;
    // A status speaks for the row's one update, in whichever column it is (a "Patches" column of a
    // one-update-per-row sheet reads as a list); a row listing many updates is the machine's, and so
    // is its status. A one-update column naming one update makes the row the update's (its status too,
    // whatever the column is called).
    // An empty state cell says nothing, except beside a Required column (readKbStatus).
    const status = f.kb_status !== undefined ? readKbStatus(f.kb_status, record.columns, kbCell && !!f.kb && namesOneUpdate(f.kb)) : null;
    // An update history's uninstallation: if it went through (or says nothing of how it went) the update
    // may be gone; one that failed changed nothing. Either way the row installs nothing.
    if (f.kb_operation !== undefined && isUninstall(f.kb_operation)) {
      if (status === 'not-installed') return;
      const gone = new Set<string>();
      if (kbCell && f.kb) extractKbs(f.kb, gone);
      if (listCell && f.kb_list && namesOneUpdate(f.kb_list)) extractKbs(f.kb_list, gone);
      for (const kb of gone) (this.kbsUninstalled ??= new Set()).add(kb);
      return;
    }
    const denied = status !== null && status !== 'installed' ? kbStatusWords(f.kb_status!, record.columns) : null;
    if (kbCell && f.kb) notInstalled = this.addCell(f.kb, denied, status, notInstalled, true);
    if (listCell && f.kb_list) notInstalled = this.addCell(f.kb_list, denied, status, notInstalled, false);
    if (notInstalled !== null) {
      // Installed by another row or entry (a later, successful attempt): installed.
      for (const kb of notInstalled.keys()) if (this.kbs.has(kb)) notInstalled.delete(kb);
      this.kbsNotInstalled = notInstalled;
    }
  }

  /**
   * One update cell; `denied`: the row's state when it says not installed. It holds for a cell naming one
   * update, and, when it plainly says not installed ("Failed", "Missing"), for every update of a
   * one-update column ("KB Number") that names several; an update list's state is the machine's.
   */
  private addCell(cell: string, denied: string | null, status: KbStatusReading | null, notInstalled: Map<string, string> | null, updateColumn: boolean): Map<string, string> | null {
    if (denied === null || !(namesOneUpdate(cell) || (updateColumn && status === 'not-installed'))) return addCellKbs(cell, this.kbs, notInstalled);
    const kbs = new Set<string>();
    notInstalled = addCellKbs(cell, kbs, notInstalled);
    const says = status === 'unclear' ? unclearStateSays(denied) : `"${denied.trim()}"`;
    for (const kb of kbs) (notInstalled ??= new Map()).set(kb, says);
    return notInstalled;
  }

  /**
   * A cell of a column that names only missing updates ("Missing KBs", "Outstanding patches"): each update
   * it names is not installed, said in the column's words. It is no installed-updates list: it sets no
   * kbEvidence, and an update it does not name is not thereby installed. An update another row or column
   * lists as installed stays installed (as for a later, successful attempt in addKbs).
   */
  private addMissing(cell: string, columns: Record<string, string>): void {
    const named = new Set<string>();
    extractKbs(cell, named);
    if (named.size === 0) return;
    const says = missingColumnSays(missingHeader(cell, columns));
    for (const kb of named) {
      if (this.kbs.has(kb)) continue;
      const map = (this.kbsNotInstalled ??= new Map());
      if (!map.has(kb)) map.set(kb, says);
    }
  }

  /** Add a row; returns a warning when it contradicts the OS already known for this host. */
  add(record: InventoryRecord): string | null {
    const f = record.fields;
    const last = this.sources[this.sources.length - 1];
    if (!last || last.file !== record.source.file || this.sources.length < 50) this.sources.push(record.source);
    if (record.notes) this.noteReading(record.notes);
    this.addUpdates(record);
    let warning: string | null = null;
    if (hasOsData(f)) {
      const lastSeen = (f.last_seen ?? '').trim();
      if (this.osSource === null) {
        this.adoptOs(f, record.source, null, lastSeen);
      } else {
        const sig = osSignature(f);
        // The adopted OS fields are this.fields' (adoptOs copies them; nothing else writes them).
        this.osSig ??= osSignature(this.fields);
        if (sig !== this.osSig) warning = this.otherOs(f, record.source, sig, lastSeen);
      }
    }
    for (const k in f) {
      const key = k as CanonicalField;
      if (OS_FIELD_SET.has(key)) continue;
      if (key === 'kb' || key === 'kb_list' || key === 'kb_status' || key === 'kb_operation' || key === 'kb_missing') continue;
      const v = f[key];
      // The MDM marker counts by its column's presence, empty or not (osInputFromFields).
      if (key === 'mdm_managed' && this.fields.mdm_managed === undefined) this.fields.mdm_managed = v ?? '';
      if (!v || this.clashed?.has(key)) continue;
      if (key === 'serial') {
        const clash = this.noteSerial(v, record);
        if (clash) warning ??= clash;
      }
      const had = this.fields[key];
      if (!had) this.fields[key] = v;
      // An exposure one source affirms ("SMBv1 enabled: Yes") is kept, whichever input came first.
      else if (EXPOSURE_FIELDS.has(key) && truthy(v) === true && truthy(had) !== true) this.fields[key] = v;
      // Dates (read as ISO): the latest, whichever input came first.
      else if (LATEST_FIELDS.has(key) && v > had) this.fields[key] = v;
      else if (VERDICT_FIELDS.has(key) && verdictValue(key, had) !== verdictValue(key, v)) {
        // The first value would win, so the order of the inputs would decide the verdict: neither is
        // used (no ESU enrolment, no srv.sys version), and the host cannot be reported compliant.
        const msg = `${this.hostname}: the sources disagree about ${key} ("${had.trim()}", then "${v.trim()}" at ${record.source.file}:${record.source.line}); neither is used, and it cannot be reported compliant until the inventory is fixed`;
        (this.clashed ??= new Set()).add(key);
        this.fields[key] = '';
        this.conflicts.push(msg);
        warning ??= msg;
      }
    }
    const rc = record.columns;
    if (this.columnsState === COLUMNS_EMPTY) {
      // Every key of the row would be copied, in its order: the row's object is that copy (per-host
      // files: one row per host).
      this.columns = rc;
      this.columnsState = COLUMNS_BORROWED;
    } else {
      if (this.columnsState === COLUMNS_BORROWED) {
        const own = nullProto();
        for (const k in this.columns) own[k] = this.columns[k];
        this.columns = own;
        this.columnsState = COLUMNS_OWN;
      }
      for (const k of Object.keys(rc)) {
        if (!Object.hasOwn(this.columns, k) || this.columns[k] === '') this.columns[k] = rc[k];
      }
    }
    return warning;
  }

  /**
   * Two serial numbers for one name are two machines (a rebuilt or replaced machine that kept its name,
   * or a name reused): the rows cannot all be one machine's, whatever their order. Placeholders
   * firmware leaves ("To be filled by O.E.M.", "Default string") say nothing.
   */
  private noteSerial(value: string, record: InventoryRecord): string | null {
    const key = serialKey(value);
    if (key === null) return null;
    const lastSeen = (record.fields.last_seen ?? '').trim();
    if (this.serial === null) {
      this.serial = { key, raw: value.trim(), source: record.source, lastSeen };
      return null;
    }
    if (this.serial.key === key || this.serialClash) return null;
    this.serialClash = true;
    const seenOn = (d: string) => (d !== '' ? `, last seen ${d}` : '');
    const said = `${where(this.serial.source)} gives serial number "${this.serial.raw}"${seenOn(this.serial.lastSeen)}, ${where(record.source)} gives "${value.trim()}"${seenOn(lastSeen)}`;
    this.conflicts.push(`${this.hostname}: the sources name two machines (${said}): a rebuilt or replaced machine that kept its name, or a name reused; it cannot be reported compliant until the inventory is fixed`);
    return `${this.hostname}: two serial numbers for one name (${said}); the host is unknown until the sources agree`;
  }

  /**
   * A row whose OS cells differ from the adopted ones. A genuine disagreement (another product,
   * NT version, release or build) makes the host's OS untrustworthy: a conflict (DATA-CONFLICT,
   * unknown) and a warning, wherever the rows come from. Rows that only differ in detail (spelling,
   * one without the build, the edition in one only) describe the same OS: they are merged at build().
   */
  private otherOs(f: Partial<Record<CanonicalField, string>>, source: InventoryRecord['source'], sig: string, lastSeen: string): string | null {
    const kept = osFor(this.fields);
    const other = osFor(f);
    const newer = lastSeen !== '' && this.osLastSeen !== '' && lastSeen > this.osLastSeen;
    if (this.osSeen === null) this.osSeen = [{ os: kept, source: this.osSource!, fields: describe(this.fields), lastSeen: this.osLastSeen }];
    // Against every reading so far: A without a build, then B and C with different builds, clash too.
    let clash: string | null = null;
    let against = this.osSeen[0];
    for (const seen of this.osSeen) {
      clash = osClash(seen.os, other);
      if (clash !== null) {
        against = seen;
        break;
      }
    }
    if (this.osSeen.length < MAX_OS_SEEN && !this.osSeen.some((x) => x.os === other)) this.osSeen.push({ os: other, source, fields: describe(f), lastSeen });
    if (newer) this.adoptOs(f, source, sig, lastSeen);
    if (clash === null) return null;
    // Last-seen dates, when the rows have them, show a stale record (an old enrolment) at a glance.
    const seenOn = (d: string) => (d !== '' ? `, last seen ${d}` : '');
    const said = `${where(against.source)} says "${against.fields}" (${summary(against.os)}${seenOn(against.lastSeen)}), ${where(source)} says "${describe(f)}" (${summary(other)}${seenOn(lastSeen)})`;
    this.conflicts.push(`${this.hostname}: the sources disagree about the OS (${clash}): ${said}; it cannot be reported compliant until the inventory is fixed`);
    this.osClashed = true;
    return `${this.hostname}: conflicting OS data: ${said}; the host is unknown until the sources agree`;
  }

  private adoptOs(f: Partial<Record<CanonicalField, string>>, source: InventoryRecord['source'], sig: string | null, lastSeen: string): void {
    for (const k of OS_FIELDS) {
      if (f[k] !== undefined) this.fields[k] = f[k];
      else if (this.fieldsMayHaveOs) delete this.fields[k];
    }
    this.fieldsMayHaveOs = true;
    this.osSource = source;
    this.osSig = sig;
    this.osLastSeen = lastSeen;
  }

  /**
   * In a wide file every host has one row, so a second row naming it is a duplicate or a spoof: identical
   * rows are harmless, differing ones make the host's data untrustworthy (reported, and the host is unknown).
   * One exception: rows that each name exactly one update and otherwise agree are one host's multi-valued
   * list (Tanium gives a row per installed patch), and their updates are merged. A row with a whole list,
   * or with none, beside another is still a conflict: a second row must not lend a server its updates.
   */
  checkDuplicateRow(record: InventoryRecord): string | null {
    // The name's case does not make two rows differ ("PC-9" and "pc-9" are one machine).
    const sig = rowSignature(record.fields);
    this.rowSignatures ??= new Map();
    const prev = this.rowSignatures.get(record.source.file);
    if (!prev) {
      this.rowSignatures.set(record.source.file, { line: record.source.line, sig, fields: record.fields });
      return null;
    }
    if (prev.sig === sig) return null;
    const others = otherThanTheUpdate(prev.fields);
    if (others !== null && otherThanTheUpdate(record.fields) === others) return null;
    const msg = `${this.hostname}: lines ${prev.line} and ${record.source.line} of ${record.source.file} both describe this host but disagree; it cannot be reported compliant until the inventory is fixed`;
    this.conflicts.push(msg);
    return msg;
  }

  build(): Host {
    // A host without rows gets an empty object of its own, as before.
    if (this.columnsState === COLUMNS_EMPTY) {
      this.columns = nullProto();
      this.columnsState = COLUMNS_OWN;
    }
    let os: OsInfo = osFor(this.fields);
    if (this.osSeen !== null) os = this.osClashed ? clashedOs(this.osSeen) : mergeOs(os, this.osSeen);
    if (this.readNotes !== null) os = withNotes(os, this.readNotes);
    if (this.kbsUninstalled !== null) {
      // Installed and uninstalled, in an order the rows do not give: not counted, and not known to be
      // missing either; only uninstalled: not installed.
      for (const kb of this.kbsUninstalled) {
        const also = this.kbs.delete(kb);
        (this.kbsNotInstalled ??= new Map()).set(kb, also ? unclearStateSays('installed, then uninstalled or the other way round') : '"Uninstallation"');
      }
      this.kbsUninstalled = null;
    }
    // With a list, only a list not read in full is named: it cannot show an update missing.
    const unread = this.kbEvidence ? this.updatesPartial : this.updatesUnread;
    return {
      hostname: this.hostname,
      key: this.key,
      sources: this.sources,
      os,
      kbs: this.kbs,
      kbEvidence: this.kbEvidence,
      ...(unread !== null ? { updatesUnread: unread } : {}),
      ...(this.kbsNotInstalled !== null && this.kbsNotInstalled.size > 0 ? { kbsNotInstalled: this.kbsNotInstalled } : {}),
      fields: this.fields,
      columns: this.columns,
      conflicts: this.conflicts.length > 0 ? this.conflicts : undefined,
    };
  }
}

const notedOs = new WeakMap<OsInfo, Map<string, OsInfo>>();

/**
 * The OS with notes on how its rows were read added (the same object for the same OS and notes, as the
 * evaluation's memo is keyed by it), frozen like normaliseOs' results.
 */
function withNotes(os: OsInfo, notes: readonly string[]): OsInfo {
  const key = notes.join('\u0001');
  let byNotes = notedOs.get(os);
  const hit = byNotes?.get(key);
  if (hit) return hit;
  const out: OsInfo = { ...os, notes: [...os.notes, ...notes.filter((n) => !os.notes.includes(n))] };
  Object.freeze(out.notes);
  Object.freeze(out);
  if (!byNotes) notedOs.set(os, (byNotes = new Map()));
  byNotes.set(key, out);
  return out;
}

/** A row's fields as one string, the name's case aside ("PC-9" and "pc-9" are one machine). */
function rowSignature(f: InventoryRecord['fields']): string {
  const { hostname, fqdn, ...rest } = f;
  return `${(hostname ?? '').toLowerCase()}|${(fqdn ?? '').toLowerCase()}|${JSON.stringify(rest)}`;
}

/** An update history's uninstallation ("Uninstallation", "Uninstall", Windows Update's operation 2 is worded). */
const UNINSTALL = /\bun[\s_-]*install(?:ation|ed|ing)?\b|\bremov(?:al|e|ed)\b/i;

/**
 * An uninstallation, in words, or as the Windows Update Agent's API numbers it (UpdateOperation:
 * 1 installation, 2 uninstallation), as an update history exported from it gives it.
 */
function isUninstall(operation: string): boolean {
  return UNINSTALL.test(operation) || operation.trim() === '2';
}

/** The header of the row's column of missing updates (the first whose cell is `cell`, preferring one named so). */
function missingHeader(cell: string, columns: Record<string, string>): string {
  let first: string | null = null;
  for (const h in columns) {
    if (columns[h] !== cell) continue;
    if (aliasCandidates(h).some((c) => c.field === 'kb_missing')) return h;
    first ??= h;
  }
  return first ?? 'missing updates';
}

/** Does a cell name exactly one update (one six- or seven-digit number)? */
function namesOneUpdate(cell: string): boolean {
  return cell.match(/(?<!\d)\d{6,7}(?!\d)/g)?.length === 1;
}

/**
 * A row naming exactly one update in its list cell, with no state saying it is not installed: its other
 * fields, as a signature; otherwise null (such rows are not one host's multi-valued list).
 */
function otherThanTheUpdate(f: InventoryRecord['fields']): string | null {
  if (!f.kb_list || !namesOneUpdate(f.kb_list)) return null;
  if (f.kb_status && readKbStatus(f.kb_status) !== 'installed') return null;
  const { kb_list: _update, ...rest } = f;
  return rowSignature(rest);
}

/** Yes/no exposure fields (risk factors): a "yes" from any source stands (fail closed), so the order of the inputs does not change the risk. */
const EXPOSURE_FIELDS = new Set<CanonicalField>(['internet_facing', 'smb1_enabled', 'rdp_exposed']);

/** Date fields of a host (ISO dates as read) whose latest value across its rows is the host's. */
const LATEST_FIELDS = new Set<CanonicalField>(['last_patch_date', 'last_seen']);

/**
 * A serial number as compared: upper case, without spaces (VMware's "VMware-42 1a …" is spaced
 * differently by different tools); null for a placeholder firmware or a form leaves in the cell.
 */
export function serialKey(value: string): string | null {
  const k = value.replace(/\s+/g, '').toUpperCase();
  return k === '' || SERIAL_PLACEHOLDER.test(k) ? null : k;
}

const SERIAL_PLACEHOLDER =
  /^(?:TOBEFILLEDBYO\.?E\.?M\.?|DEFAULTSTRING|SYSTEMSERIALNUMBER|CHASSISSERIALNUMBER|BASEBOARDSERIALNUMBER|SERIALNUMBER|NOTSPECIFIED|NOTAPPLICABLE|NOTAVAILABLE|NONE|NULL|NIL|N\/?A|#N\/A|UNKNOWN|INVALID|OEM|TBC|TBD|0+|1234567890?|0123456789|[-.?X*]+)$/;

/** Fields besides the OS that decide verdicts: two sources giving different values is a conflict, not a race. */
const VERDICT_FIELDS = new Set<CanonicalField>(['esu', 'srv_sys_version']);

/** What a verdict field's value says: "Yes", "Y", "TRUE" and "Enrolled" are one ESU answer; a year or date in it counts too. */
function verdictValue(key: CanonicalField, value: string): string {
  const v = value.trim().toLowerCase();
  if (key !== 'esu') return v;
  return `${truthy(v)}|${(v.match(/\d+/g) ?? []).join('.')}`;
}

const osMemo = new Map<string, OsInfo>();

/** The OS of a row: rows of a fleet repeat a few hundred OS strings, so each is normalised once. */
function osFor(f: Partial<Record<CanonicalField, string>>): OsInfo {
  // Whether the row is from an MDM device list changes what a bare "Windows" means (osInputFromFields).
  const mdm = f.mdm_managed !== undefined;
  // Hosts listed one after another often share their OS: the last one's values are compared first.
  if (lastOs !== null && mdm === lastMdm) {
    let same = true;
    for (let i = 0; i < OS_FIELDS.length; i++) {
      if (f[OS_FIELDS[i]] !== lastOsValues[i]) {
        same = false;
        break;
      }
    }
    if (same) return lastOs;
  }
  let key = mdm ? '\u0003' : '';
  for (let i = 0; i < OS_FIELDS.length; i++) {
    const v = f[OS_FIELDS[i]];
    key += v === undefined ? '\u0002' : v + '\u0001';
  }
  let os = osMemo.get(key);
  if (os === undefined) {
    os = normaliseOs(osInputFromFields(f));
    if (osMemo.size >= 20_000) osMemo.clear();
    osMemo.set(key, os);
  }
  for (let i = 0; i < OS_FIELDS.length; i++) lastOsValues[i] = f[OS_FIELDS[i]];
  lastOs = os;
  lastMdm = mdm;
  return os;
}

let lastOs: OsInfo | null = null;
let lastMdm = false;
const lastOsValues: (string | undefined)[] = OS_FIELDS.map(() => undefined);

const MAX_OS_SEEN = 8;

/** One distinct OS reading of a host: what it says, and where it was read. */
interface OsReading {
  os: OsInfo;
  source: InventoryRecord['source'];
  /** Its OS cells as the messages quote them. */
  fields: string;
  lastSeen: string;
}

function memoKey(readings: readonly { os: OsInfo; lastSeen: string }[]): string {
  return readings.map((x) => `${osId(x.os)}:${x.lastSeen}`).sort().join(',');
}

/**
 * The OS of a host whose sources disagree (see osClash): none of them, since the rows cannot all be
 * true and whichever came first must not decide. Product unknown, so every rule is unknown, whatever
 * the order of the rows; the platform only when they all name the same one.
 */
function clashedOs(readings: readonly OsReading[]): OsInfo {
  const key = 'x' + memoKey(readings);
  const hit = mergeMemo.get(key);
  if (hit) return hit;
  const families = new Set(readings.map((x) => x.os.family));
  const servers = new Set(readings.map((x) => x.os.server));
  const out = emptyInfo(
    readings
      .map((x) => x.os.raw)
      .filter((r) => r !== '')
      .sort()
      .join(' / '),
  );
  out.family = families.size === 1 ? readings[0].os.family : 'unknown';
  out.server = servers.size === 1 ? readings[0].os.server : null;
  out.notes.push('the sources disagree about the OS (see DATA-CONFLICT); not judged');
  Object.freeze(out.notes);
  Object.freeze(out);
  if (mergeMemo.size >= 10_000) mergeMemo.clear();
  mergeMemo.set(key, out);
  return out;
}

/**
 * Why two readings of one machine's OS cannot both be true, or null when they may be: another
 * family, product, NT version, release or build. A value one side lacks is no disagreement.
 */
export function osClash(a: OsInfo, b: OsInfo): string | null {
  const differ = <T>(x: T | null, y: T | null): boolean => x !== null && y !== null && x !== y;
  if (a.family !== 'unknown' && b.family !== 'unknown' && a.family !== b.family) return 'different platforms';
  if (differ(a.product, b.product)) return 'different products';
  if (differ(a.ntVersion, b.ntVersion)) return 'different Windows versions';
  if (differ(a.release, b.release)) return 'different releases';
  if (differ(a.build, b.build)) return 'different builds';
  return null;
}

/** How much an OS reading says: a product first, then the build, release and the rest. */
function detail(os: OsInfo): number {
  return (
    (os.product !== null ? 16 : 0) +
    (os.build !== null ? 8 : 0) +
    (os.release !== null ? 4 : 0) +
    (os.editionClass !== null ? 2 : 0) +
    (os.revision !== null ? 1 : 0) +
    (os.servicePack !== null ? 1 : 0)
  );
}

const mergeMemo = new Map<string, OsInfo>();
const osIds = new WeakMap<OsInfo, number>();
let nextOsId = 1;
function osId(os: OsInfo): number {
  let id = osIds.get(os);
  if (id === undefined) osIds.set(os, (id = nextOsId++));
  return id;
}

/**
 * One OS from readings that agree in substance (see osClash), whatever order the rows came in: the
 * most detailed reading, its gaps filled from the others. Where they still differ the merge fails
 * closed: the edition class is left open (the rules weigh every edition), the lower service pack and,
 * unless last-seen dates say which is current, the lower build revision are kept. Shared per
 * combination, frozen like normaliseOs' results.
 */
function mergeOs(adopted: OsInfo, seen: readonly OsReading[]): OsInfo {
  const all: readonly { os: OsInfo; lastSeen: string }[] = seen.some((x) => x.os === adopted) ? seen : [{ os: adopted, lastSeen: '' }, ...seen];
  const key = memoKey(all);
  const hit = mergeMemo.get(key);
  if (hit) return hit;
  // Most detailed first; ties by the reading's own text, so the order of the rows does not matter.
  const ordered = [...all].sort((x, y) => detail(y.os) - detail(x.os) || (x.os.raw < y.os.raw ? -1 : x.os.raw > y.os.raw ? 1 : 0));
  const base = ordered[0].os;
  const out: OsInfo = { ...base, notes: [...base.notes] };
  const pick = <K extends 'release' | 'build' | 'edition' | 'arch' | 'server' | 'ntVersion' | 'product'>(k: K): void => {
    if (out[k] !== null) return;
    const from = ordered.find((x) => x.os[k] !== null);
    if (from) out[k] = from.os[k];
  };
  pick('product');
  pick('ntVersion');
  pick('release');
  pick('build');
  pick('edition');
  pick('arch');
  pick('server');
  if (out.family === 'unknown') out.family = ordered.find((x) => x.os.family !== 'unknown')?.os.family ?? 'unknown';
  // One source naming a Home edition: the consumer ESU limit applies (fail closed).
  if (ordered.some((x) => x.os.home)) out.home = true;
  const classes = new Set(ordered.map((x) => x.os.editionClass).filter((c) => c !== null));
  if (classes.size > 1) {
    out.editionClass = null;
    out.notes.push(`the sources name editions of different servicing groups (${[...classes].join(', ')}); edition class unknown`);
  } else out.editionClass = classes.size === 1 ? [...classes][0] : null;
  const sps = ordered.map((x) => x.os.servicePack).filter((v): v is number => v !== null);
  if (sps.length > 0) {
    out.servicePack = Math.min(...sps);
    if (new Set(sps).size > 1) out.notes.push(`the sources give service packs ${[...new Set(sps)].join(' and ')}; used the lower`);
  }
  const revs = ordered.filter((x) => x.os.revision !== null && x.os.build === out.build);
  if (revs.length > 0 && out.build !== null) {
    const dated = revs.filter((x) => x.lastSeen !== '').sort((x, y) => (x.lastSeen < y.lastSeen ? 1 : x.lastSeen > y.lastSeen ? -1 : 0));
    const distinct = new Set(revs.map((x) => x.os.revision));
    if (distinct.size > 1 && dated.length === revs.length && dated[0].lastSeen !== dated[1]?.lastSeen) out.revision = dated[0].os.revision;
    else out.revision = Math.min(...revs.map((x) => x.os.revision!));
    if (distinct.size > 1) out.notes.push(`the sources give build revisions ${[...distinct].join(' and ')}; used ${out.build}.${out.revision}`);
  } else if (out.build === null) out.revision = null;
  out.raw = ordered.map((x) => x.os.raw).filter((r) => r !== '').join(' / ');
  Object.freeze(out.notes);
  Object.freeze(out);
  if (mergeMemo.size >= 10_000) mergeMemo.clear();
  mergeMemo.set(key, out);
  return out;
}

/** "Windows 10 22H2 build 19045" for messages (no evaluation import here). */
function summary(os: OsInfo): string {
  if (!os.product) return os.family === 'unknown' ? 'not recognised' : `${os.family}, product not recognised${os.build !== null ? `, build ${os.build}` : ''}`;
  return [os.product, os.release, os.servicePack ? `SP${os.servicePack}` : null, os.build !== null ? `build ${os.build}` : null].filter(Boolean).join(' ');
}

function where(s: InventoryRecord['source']): string {
  return `${s.file}:${s.line}`;
}

function describe(f: Partial<Record<CanonicalField, string>>): string {
  return [f.os_name, f.os_version].map((x) => (x ?? '').trim()).filter((x) => x !== '').join(' ') || '(no OS)';
}
