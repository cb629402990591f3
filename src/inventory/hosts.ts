import { nullProto } from './fields.js';
import { extractKbs } from './kb.js';
import { normaliseOs, type OsInput } from './normalise-os.js';
import type { CanonicalField, Host, InventoryRecord, OsInfo } from './types.js';

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/**
 * The grouping key of a hostname: lower-cased short name, so "PC-01", "pc-01" and
 * "pc-01.trust.nhs.uk" are one machine. IP addresses are kept whole.
 */
export function hostKey(hostname: string): string {
  // The audit asks for a new host's key, then the builder asks again: the last answer is kept.
  if (hostname === lastKeyOf) return lastKey;
  const h = hostname.trim().toLowerCase();
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
  if (RELEASE_ONLY.test(osVersion.trim()) && !release) {
    release = osVersion.trim();
    osVersion = '';
  }
  let productType = f.product_type;
  // An MDM device list (Intune's "OS" = "Windows", no caption) holds client devices: Intune does not
  // enrol Windows Server. Without this, builds shared by client and server (14393, 26100) stay unknown.
  // Builds that exist only as servers (Server 2022, Server 23H2) keep their server identity.
  const build = /^10\.0\.(\d+)/.exec(osVersion.trim())?.[1] ?? f.os_build ?? '';
  if (!productType && osName === '' && /^windows$/i.test(platform.trim()) && !SERVER_ONLY_BUILDS.has(build.trim())) productType = '1';
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
  if (h) return h;
  return (record.fields.fqdn ?? '').trim();
}

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
  fields: Partial<Record<CanonicalField, string>> = nullProto();
  /** Until the first row: an empty object shared by all builders (the first row's object replaces it). */
  columns: Record<string, string> = NO_COLUMNS;
  /** Rows that contradict each other within one wide file (one row per host is expected there). */
  readonly conflicts: string[] = [];
  private rowSignatures: Map<string, { line: number; sig: string }> | null = null;
  private osSource: InventoryRecord['source'] | null = null;
  /** osSignature of the adopted OS fields; null until a second row asks (most hosts have one row). */
  private osSig: string | null = null;
  private osLastSeen = '';
  /**
   * COLUMNS_EMPTY: `columns` is still NO_COLUMNS; COLUMNS_BORROWED: it is the first
   * row's object, taken as is (the merge would copy every key of it in order), to be copied before a second
   * row changes it; COLUMNS_OWN: the builder's to change.
   */
  private columnsState = COLUMNS_EMPTY;
  /** False while `fields` can hold no OS field (none adopted, none from fromRecord): nothing to delete. */
  private fieldsMayHaveOs = false;

  constructor(hostname: string) {
    this.hostname = hostname;
    this.key = hostKey(hostname);
  }

  /** A host from one row, reusing the row's objects (the streaming path: no copies). */
  static fromRecord(hostname: string, record: InventoryRecord): HostBuilder {
    const b = new HostBuilder(hostname);
    const f = record.fields;
    b.sources.push(record.source);
    if (f.kb !== undefined || f.kb_list !== undefined) {
      b.kbEvidence = true;
      if (f.kb) extractKbs(f.kb, b.kbs);
      if (f.kb_list) extractKbs(f.kb_list, b.kbs);
    }
    b.fields = f;
    b.columns = record.columns;
    b.columnsState = COLUMNS_OWN;
    b.fieldsMayHaveOs = true;
    return b;
  }

  /** Add a row; returns a warning when it contradicts the OS already known for this host. */
  add(record: InventoryRecord): string | null {
    const f = record.fields;
    const last = this.sources[this.sources.length - 1];
    if (!last || last.file !== record.source.file || this.sources.length < 50) this.sources.push(record.source);
    if (f.kb !== undefined || f.kb_list !== undefined) {
      this.kbEvidence = true;
      if (f.kb) extractKbs(f.kb, this.kbs);
      if (f.kb_list) extractKbs(f.kb_list, this.kbs);
    }
    let warning: string | null = null;
    if (hasOsData(f)) {
      const lastSeen = (f.last_seen ?? '').trim();
      if (this.osSource === null) {
        this.adoptOs(f, record.source, null, lastSeen);
      } else {
        const sig = osSignature(f);
        // The adopted OS fields are this.fields' (adoptOs copies them; nothing else writes them).
        this.osSig ??= osSignature(this.fields);
        if (sig !== this.osSig) {
          const newer = lastSeen !== '' && this.osLastSeen !== '' && lastSeen > this.osLastSeen;
          warning = `${this.hostname}: conflicting OS data: ${where(this.osSource)} says "${describe(this.fields)}", ${where(record.source)} says "${describe(f)}"; ${newer ? 'using the later last-seen row' : 'keeping the first'}`;
          if (newer) this.adoptOs(f, record.source, sig, lastSeen);
        }
      }
    }
    for (const k in f) {
      const key = k as CanonicalField;
      if (OS_FIELD_SET.has(key)) continue;
      if (key === 'kb' || key === 'kb_list') continue;
      const v = f[key];
      if (v && !this.fields[key]) this.fields[key] = v;
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
   */
  checkDuplicateRow(record: InventoryRecord): string | null {
    const sig = JSON.stringify(record.fields);
    this.rowSignatures ??= new Map();
    const prev = this.rowSignatures.get(record.source.file);
    if (!prev) {
      this.rowSignatures.set(record.source.file, { line: record.source.line, sig });
      return null;
    }
    if (prev.sig === sig) return null;
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
    const os: OsInfo = osFor(this.fields);
    return {
      hostname: this.hostname,
      key: this.key,
      sources: this.sources,
      os,
      kbs: this.kbs,
      kbEvidence: this.kbEvidence,
      fields: this.fields,
      columns: this.columns,
      conflicts: this.conflicts.length > 0 ? this.conflicts : undefined,
    };
  }
}

const osMemo = new Map<string, OsInfo>();

/** The OS of a row: rows of a fleet repeat a few hundred OS strings, so each is normalised once. */
function osFor(f: Partial<Record<CanonicalField, string>>): OsInfo {
  // Hosts listed one after another often share their OS: the last one's values are compared first.
  if (lastOs !== null) {
    let same = true;
    for (let i = 0; i < OS_FIELDS.length; i++) {
      if (f[OS_FIELDS[i]] !== lastOsValues[i]) {
        same = false;
        break;
      }
    }
    if (same) return lastOs;
  }
  let key = '';
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
  return os;
}

let lastOs: OsInfo | null = null;
const lastOsValues: (string | undefined)[] = OS_FIELDS.map(() => undefined);

function where(s: InventoryRecord['source']): string {
  return `${s.file}:${s.line}`;
}

function describe(f: Partial<Record<CanonicalField, string>>): string {
  return [f.os_name, f.os_version].filter((x) => x && x.trim()).join(' ').trim() || '(no OS)';
}
