import { CANONICAL_FIELDS, type CanonicalField } from './types.js';

/**
 * Header aliases seen in real exports (inventory-formats.md §6 and the per-tool sections).
 * Lower number = stronger claim when two headers of one file map to the same field.
 * Headers are compared after normaliseHeader(), so case, spacing, punctuation, accents,
 * SSRS `Details_Table0_` prefixes and SCCM `0` suffixes do not matter.
 */
const ALIASES: Record<CanonicalField, [alias: string, priority: number][]> = {
  hostname: [
    ['hostname', 1], ['host name', 1], ['host', 3], ['device name', 1], ['devicename', 1], ['computer name', 1],
    ['computername', 1], ['computer', 2], ['machine name', 1], ['machinename', 1], ['machine', 3], ['server', 4],
    ['server name', 2], ['device', 3], ['asset name', 1], ['assetname', 1], ['netbios name', 1], ['netbios', 2],
    ['csname', 1], ['cs name', 1], ['pscomputername', 2], ['source', 6], ['name', 5], ['node', 4], ['node name', 2],
    ['system name', 2], ['display name', 5], ['displayname', 5], ['management name', 6], ['endpoint', 3],
    ['endpoint name', 2], ['workstation', 4], ['asset', 5], ['dns name', 4], ['fqdn', 7], ['dns', 8],
    ['dnshostname', 6], ['hostname fqdn', 6],
    // Kaseya VSA's machine ID, "machine.group[.organisation]" ("ward7-pc01.radiology.nhstrust"): the machine
    // and its machine group, unique together. Claimed only when its values are such ids (see mapColumns),
    // and before any other name column: its first label is the machine name, and the group is kept.
    ['machine id', 0], ['machine group id', 0],
    // systeminfo, localised (fr, de, es, it, nl, pt, ru, zh)
    ["nom de l'hote", 1], ['nom de l hote', 1], ['hostname', 1], ['nombre de host', 1], ['nombre del host', 1],
    ['nome host', 1], ['hostnaam', 1], ['nome do host', 1], ['имя узла', 1], ['имя компьютера', 2], ['主机名', 1],
    ['nom du poste', 2], ['computername', 1], ['rechnername', 1],
    // French and German inventory tools (GLPI's "Nom", Intune's and Defender's localised device lists)
    ["nom de l'ordinateur", 1], ["nom de l'appareil", 1], ['nom', 5], ['geratename', 1], ['gerätename', 1],
    // systeminfo, Japanese (ホスト名) and Korean (호스트 이름), as seen in public outputs
    ['ホスト名', 1], ['호스트 이름', 1],
  ],
  fqdn: [['fqdn', 1], ['dnshostname', 1], ['dns host name', 1], ['full domain name', 3], ['dns', 4]],
  domain: [
    ['domain', 1], ['resource domain or workgr', 1], ['userdomain', 3], ['domaine', 1], ['domane', 1], ['dominio', 1],
    ['domein', 1], ['dominio', 1], ['домен', 1], ['域', 1], ['workgroup', 3],
    // systeminfo, Japanese
    ['ドメイン', 1],
  ],
  os_platform: [['platform', 2], ['os platform', 1], ['os family', 3], ['platform like', 6], ['platform type', 2], ['platformtype', 2]],
  os_name: [
    ['os name', 1], ['osname', 1], ['os', 4], ['operating system', 2], ['operatingsystem', 2],
    ['operating system name', 1], ['caption', 3], ['os caption', 1], ['operating system name and', 2],
    ['operatingsystemnameandversion', 2], ['os full name', 1], ['product', 6], ['codename', 6],
    ['operating system name', 1], ['operating system caption', 1],
    // AWS Systems Manager inventory (AWS:InstanceInformation)
    ['platform name', 2], ['platformname', 2],
    // systeminfo, localised
    ["nom du systeme d'exploitation", 1], ['nom du systeme d exploitation', 1], ['systeme d exploitation', 3],
    ['betriebssystemname', 1], ['betriebssystem', 3], ['nombre del sistema operativo', 1], ['sistema operativo', 3],
    ['nome so', 1], ['nome sistema operativo', 1], ['naam besturingssysteem', 1], ['besturingssysteem', 3],
    ['nome do sistema operacional', 1], ['sistema operacional', 3], ['название ос', 1], ['операционная система', 3],
    ['os 名称', 1], ['os名称', 1], ['操作系统', 3],
    // systeminfo, Japanese (OS 名), Korean (OS 이름) and Polish (Nazwa systemu operacyjnego), as seen in public outputs
    ['os 名', 1], ['os 이름', 1], ['nazwa systemu operacyjnego', 1],
    // GLPI in French and German: "<Système d'exploitation> - <Nom>"
    ["systeme d'exploitation - nom", 1], ['betriebssystem - name', 1],
  ],
  os_version: [
    ['os version', 1], ['osversion', 1], ['version', 3], ['operating system version', 1],
    ['operatingsystemversion', 1], ['os code', 2], ['oscode', 2], ['buildext', 2], ['build01', 4],
    ['os build version', 2], ['kernel version', 5], ['version number', 4], ['platform version', 2], ['platformversion', 2],
    // systeminfo, localised
    ['version du systeme', 1], ['betriebssystemversion', 1], ['version del sistema operativo', 1],
    ['versione so', 1], ['versione sistema operativo', 1], ['versie besturingssysteem', 1],
    ['versao do sistema operacional', 1], ['версия ос', 1], ['os 版本', 1], ['os版本', 1],
    // systeminfo, Japanese (OS バージョン), Korean (OS 버전) and Polish (Wersja systemu operacyjnego), as seen in public outputs
    ['os バージョン', 1], ['os 버전', 1], ['wersja systemu operacyjnego', 1],
    // GLPI in French and German, and localised column names
    ["systeme d'exploitation - version", 1], ['betriebssystem - version', 1], ["version du systeme d'exploitation", 1],
  ],
  os_build: [
    ['build number', 1], ['buildnumber', 1], ['build', 2], ['os build', 1], ['current build', 2], ['currentbuild', 2], ['currentbuildnumber', 1],
    // Windows Update for Business reports (UCClient): OSBuild "10.0.22621.1702" beside OSBuildNumber 22621.
    ['os build number', 2],
    // Jamf Pro's computer inventory: "Operating System Build" 23F79 beside "Operating System Version" 14.5.
    ['operating system build', 1],
  ],
  os_revision: [
    ['ubr', 1], ['revision', 2], ['build revision', 1], ['update build revision', 1], ['os revision', 1],
    // Windows Update for Business reports (UCClient, UCClientUpdateStatus): OSRevisionNumber 1702.
    ['os revision number', 1], ['revision number', 2],
  ],
  os_release: [
    ['release', 3], ['os release', 1], ['feature update', 1], ['feature release', 1], ['display version', 1],
    ['displayversion', 1], ['release id', 1], ['releaseid', 1], ['windows 10 version', 1], ['windows version', 2],
    ['os branch', 4], ['osbranch01', 4],
  ],
  os_edition: [
    ['skufamily', 1], ['sku family', 1], ['edition', 1], ['os edition', 1], ['edition id', 1], ['editionid', 1], ['os sku', 2], ['operatingsystemsku', 5],
    // The distribution of a Linux machine (Landscape's "Ubuntu 22.04.4 LTS", Lansweeper's "Ubuntu" beside OS
    // "Linux" and OSVersion "22.04"): like Azure Resource Graph's osSku, it names the product the family
    // cell leaves open (see normalise-os.ts).
    ['distribution', 3], ['linux distribution', 2], ['distro', 3],
  ],
  service_pack: [
    ['service pack', 1], ['servicepack', 1], ['csdversion', 1], ['sp', 2], ['os service pack', 1], ['osservicepack', 1],
    ['operatingsystemservicepack', 1], ['operating system service pack', 1], ['servicepackmajorversion', 2],
    ['service pack major version', 2],
    ["systeme d'exploitation - service pack", 1], ['betriebssystem - service pack', 1],
  ],
  os_arch: [
    ['os architecture', 1], ['osarchitecture', 1], ['architecture', 2], ['arch', 2], ['system type', 3], ['type du systeme', 3],
    ['systemtyp', 3], ['tipo de sistema', 3], ['tipo sistema', 3], ['systeemtype', 3], ['тип системы', 3], ['系统类型', 3],
    // systeminfo, Japanese
    ['システムの種類', 3],
  ],
  product_type: [['product type', 1], ['producttype', 1], ['os type', 3], ['device type', 5], ['server or workstation', 2]],
  // Columns only a device-management (MDM) list has: Intune's portal export and its Graph export.
  mdm_managed: [
    ['managed by', 1], ['managedby', 1], ['management agent', 1], ['managementagent', 1], ['enrollment date', 2],
    ['enrolleddatetime', 2], ['enrolled date time', 2], ['intune registered', 2], ['device enrollment type', 3], ['deviceenrollmenttype', 3],
  ],
  kb: [
    ['hotfixid', 1], ['hotfix id', 1], ['hot fix id', 1], ['hotfix', 2], ['kb', 2], ['kb id', 1], ['kb number', 1],
    ['article id', 2], ['articleid', 2], ['update id', 4], ['patch id', 3], ['kbarticle', 2], ['kb article', 2],
    ['kb article id', 1], ['kbarticleid', 1], ['update title', 3], ['update name', 3], ['software update', 3], ['patch name', 3],
    ['hotfix name', 2], ['installed update', 2],
    // Windows Update for Business reports (UCClientUpdateStatus): the update of the row, "KB5036892", whose
    // state is ClientState. (Its TargetKBNumber is the update the device is offered: not mapped.)
    ['update kb number', 1], ['updatekbnumber', 1],
    // Ivanti Security Controls: the update's Q number, "Q4012212" (= KB4012212).
    ['qnumber', 2], ['q number', 2],
    // WSUS (SUSDB's vUpdate, the UpdateServices API): the update's KB number, without "KB".
    ['knowledgebase article', 2], ['knowledgebase articles', 2], ['knowledge base article', 2],
    // An update history's Title ("2017-03 Security Monthly Quality Rollup … (KB4012215)"), as the Windows
    // Update Agent's QueryHistory gives it: only beside an Operation column, when its values name one KB
    // each (see mapColumns).
    ['title', 7],
  ],
  kb_list: [
    ['hotfix s', 1], ['hotfixs', 1], ['hotfixes', 1], ['hotfix es', 1], ['installed kbs', 1], ['installed kb', 1],
    ['installed updates', 1], ['installed patches', 1], ['patches', 2], ['kbs', 1], ['kb list', 1], ['updates', 3],
    // Get-ComputerInfo's OsHotFixes (a list: see saysUpdatesUnknown for how PowerShell may write it)
    ['oshotfixes', 1], ['os hotfixes', 1],
    ['installed hotfixes', 1], ['hotfix list', 1], ['patches installed', 1], ['hotfixes installed', 1], ['updates installed', 1], ['installed security updates', 1], ['kb numbers', 1], ['installed kb list', 1],
    // systeminfo, localised
    ['correctif s', 1], ['correctifs', 1], ['correctifs installes', 1], ['revision es', 1], ['revisiones', 1], ['aggiornamenti rapidi', 1],
    ['installierte updates', 1], ['mises a jour installees', 1], ['correcoes', 1], ['correcao oes', 1], ['исправление я', 1], ['исправления', 1], ['修补程序', 1], ['更新程序', 2],
    // systeminfo, Japanese
    ['ホットフィックス', 1],
  ],
  kb_installed_on: [['installed on', 1], ['installedon', 1], ['install date', 4], ['hotfix installed on', 1]],
  kb_status: [
    ['update status', 1], ['updatestatus', 1], ['install status', 1], ['installstatus', 1], ['installation status', 1],
    ['install state', 1], ['installstate', 1], ['installation state', 1], ['update state', 1], ['update installation state', 1],
    ['patch status', 1], ['patchstatus', 1], ['hotfix status', 1], ['kb status', 1], ['installation result', 2],
    ['deployment status', 3], ['compliance state', 3], ['compliancestate', 3], ['compliance status', 4], ['status', 5],
    // WSUS: SUSDB's tbUpdateStatusPerComputer.SummarizationState (numbers, or words a query puts for them),
    // PUBLIC_VIEWS.vUpdateInstallationInfo's State.
    ['summarization state', 1], ['summarization state text', 1], ['state', 6],
    // Configuration Manager's "Compliance 5" report: Installed = Yes/No beside Required = Yes/No.
    ['installed', 4],
    // An update history's outcome (Windows Update history: Succeeded, Failed, Aborted).
    ['result', 6], ['result code', 6], ['resultcode', 6],
    // Windows Update for Business reports (UCClientUpdateStatus): the update's state on the device
    // (Installed, Installing, Failed, …), and its finer ClientSubstate when the state is not exported.
    ['client state', 2], ['clientstate', 2], ['client substate', 3], ['clientsubstate', 3],
  ],
  kb_missing: [
    // A sheet's column naming only the updates a machine lacks: never read as installed (see hosts.ts).
    ['missing kbs', 1], ['missing kb', 1], ['missing updates', 1], ['missing patches', 1], ['missing hotfixes', 1],
    ['kbs missing', 1], ['updates missing', 1], ['patches missing', 1], ['outstanding patches', 1], ['outstanding updates', 1],
    ['outstanding kbs', 1], ['kbs to install', 1], ['updates to install', 1], ['patches to install', 1], ['pending updates', 2],
    ['pending patches', 2], ['pending kbs', 2], ['required updates', 2], ['required patches', 2], ['needed updates', 2],
    ['missing security updates', 1], ['missing security patches', 1], ['not installed kbs', 1], ['kbs not installed', 1],
    ['updates not installed', 1], ['patches not installed', 1],
  ],
  kb_operation: [['operation', 2], ['operationname', 1], ['operation name', 1], ['update operation', 1]],
  last_patch_date: [
    ['last patch date', 1], ['lastpatchdate', 1], ['last patched', 1], ['last patched date', 1], ['patched on', 2], ['last patch', 1], ['lastpatch', 1],
    ['last update', 3], ['last updated', 3], ['patch date', 2], ['last patch install date', 1], ['last update install', 2],
  ],
  last_seen: [
    ['last seen', 1], ['lastseen', 1], ['last check in', 1], ['last checkin', 1], ['lastcontact', 1], ['last contact', 1],
    ['last sync date time', 1], ['lastsyncdatetime', 1], ['device last check in', 1], ['last successful scan', 2],
    ['last logon date', 2], ['lastlogondate', 2], ['last logon timestamp', 2], ['approximate last sign in date time', 2],
    ['last detected', 3], ['last scan', 3], ['last inventory', 2],
  ],
  os_install_date: [
    ['original install date', 1], ['os install date', 1], ['install date', 5], ['installdate', 5],
    ["date d'installation originale", 1], ['date d installation originale', 1], ['ursprungliches installationsdatum', 1],
    ['fecha de instalacion original', 1], ['data di installazione originale', 1], ['oorspronkelijke installatiedatum', 1],
    ['data da instalacao original', 1], ['дата установки', 1], ['初始安装日期', 1],
    // systeminfo, Japanese
    ['最初のインストール日付', 1],
  ],
  site: [
    ['site', 1], ['location', 2], ['ad site name', 2], ['ad site', 2], ['office', 3], ['building', 4], ['entity', 4],
    ['campus', 3], ['hospital', 3], ['ip location', 4], ['iplocation', 4], ['site name', 1],
  ],
  ip: [['ip address', 1], ['ipaddress', 1], ['ip', 2], ['ipv4 address', 1], ['ipv4address', 1], ['wifiipv4address', 3]],
  serial: [['serial number', 1], ['serialnumber', 1], ['serial', 2]],
  user: [['primary user upn', 1], ['upn', 2], ['user', 3], ['username', 2], ['user name', 2], ['userprincipalname', 2], ['computer current user name', 2], ['current user', 3]],
  esu: [['esu', 1], ['esu enrolled', 1], ['esu enrollment', 1], ['esu license', 1], ['esu licence', 1], ['extended security updates', 1], ['esu status', 1], ['esu year', 2]],
  smb1_enabled: [['smbv1 enabled', 1], ['smbv1enabled', 1], ['smb1 enabled', 1], ['smbv1', 1], ['smb1', 1], ['smb1 protocol', 2]],
  srv_sys_version: [['srv sys version', 1], ['srv sys', 1], ['srvsys', 1], ['srv sys file version', 1], ['srv version', 2]],
  internet_facing: [['internet facing', 1], ['internetfacing', 1], ['internet exposed', 1], ['exposed to internet', 1], ['public facing', 1], ['dmz', 3]],
  rdp_exposed: [['rdp exposed', 1], ['rdp enabled', 2], ['rdp', 3], ['remote desktop', 3]],
  criticality: [['criticality', 1], ['business criticality', 1], ['priority', 4], ['tier', 4], ['asset criticality', 1], ['clinical', 3]],
  role: [['role', 1], ['server role', 1], ['device role', 1], ['function', 3], ['department', 5], ['usage', 4]],
};

/**
 * An empty object without prototype, as Object.create(null) makes, but in V8's compact representation
 * (Object.create(null) starts as a hash table): records of a dozen fields and columns are smaller and
 * quicker to fill and to read. It turns into a hash table by itself when given many keys.
 */
export function nullProto(): Record<string, string> {
  return Object.setPrototypeOf({}, null) as Record<string, string>;
}

const SSRS_PREFIX = /^details_table\d+_/i;
const COMBINING = /[\u0300-\u036f]/g;

/**
 * Normalise a header for matching: strip the SSRS prefix and SCCM's trailing `0`, fold accents and case,
 * and collapse everything that is not a letter or digit into single spaces.
 */
export function normaliseHeader(header: string): string {
  const hit = headerCache.get(header);
  if (hit !== undefined) return hit;
  const n = computeNormalisedHeader(header);
  if (headerCache.size > 5000) headerCache.clear();
  headerCache.set(header, n);
  return n;
}

const headerCache = new Map<string, string>();

function computeNormalisedHeader(header: string): string {
  let h = header.replace(/^\uFEFF/, '').trim().replace(SSRS_PREFIX, '');
  // SCCM view columns end in 0 (Name0, Caption0, Netbios_Name0); Build01 is a special case kept as is.
  if (/^[A-Za-z_]*[A-Za-z]0$/.test(h) && !/^build01$/i.test(h)) h = h.slice(0, -1);
  // camelCase → words, so "DeviceName" and "Device name" meet.
  h = h.replace(/([a-z])([A-Z])/g, '$1 $2');
  return h
    .normalize('NFKD')
    .replace(COMBINING, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The compact form (no spaces) also matches: "devicename" vs "device name". */
function compact(s: string): string {
  return s.replace(/ /g, '');
}

interface AliasHit {
  field: CanonicalField;
  priority: number;
}

const ALIAS_INDEX: Map<string, AliasHit[]> = (() => {
  const index = new Map<string, AliasHit[]>();
  for (const field of CANONICAL_FIELDS) {
    for (const [alias, priority] of ALIASES[field]) {
      for (const key of new Set([normaliseHeader(alias), compact(normaliseHeader(alias))])) {
        const list = index.get(key) ?? [];
        if (!list.some((h) => h.field === field)) list.push({ field, priority });
        index.set(key, list);
      }
    }
  }
  return index;
})();

/** Every alias key in its compact form (see compact). */
const ALIAS_COMPACT = new Set([...ALIAS_INDEX.keys()].map(compact));
const ASCII_ONLY = /^[\x00-\x7f]*$/;

/**
 * Does the cell name a column (aliasCandidates finds a field for it)? The same answer, but for a cell of
 * ASCII characters a name no alias has is turned down without normalising it: the CSV reader asks this of
 * rows' machine names (a header appearing again in the data), which would otherwise each be normalised
 * and cached. For such a cell the compact normalised form is its letters and digits in lower case, less
 * SSRS's prefix and SCCM's trailing 0 when normaliseHeader takes them off: one of the four forms below.
 */
export function namesAColumn(cell: string): boolean {
  if (ASCII_ONLY.test(cell)) {
    const k = cell.toLowerCase().replace(/[^a-z0-9]+/g, '');
    const bare = k.replace(/^detailstable\d+/, '');
    const some = (x: string) => ALIAS_COMPACT.has(x) || (/[a-z]0$/.test(x) && ALIAS_COMPACT.has(x.slice(0, -1)));
    if (!some(k) && !some(bare)) return false;
  }
  return aliasCandidates(cell).length > 0;
}

/** Canonical field candidates for one header. */
export function aliasCandidates(header: string): AliasHit[] {
  const n = normaliseHeader(header);
  if (n === '') return [];
  return ALIAS_INDEX.get(n) ?? ALIAS_INDEX.get(compact(n)) ?? [];
}

const CANONICAL_SET = new Set<string>(CANONICAL_FIELDS);

export function isCanonicalField(name: string): name is CanonicalField {
  return CANONICAL_SET.has(name);
}

export interface ColumnMapping {
  /** Canonical field → column index. */
  fields: Partial<Record<CanonicalField, number>>;
  /** Column index → canonical field, for display (inspect). */
  byColumn: (CanonicalField | null)[];
  unmapped: string[];
  /** --map entries whose header is not in the file. */
  missingOverrides: CanonicalField[];
  /**
   * Columns taken by position, not by header: a `systeminfo /fo csv` export whose headers are in a language
   * not listed (see systeminfo-order.ts). Each row's values are checked before it is read.
   */
  byOrder?: true;
  /**
   * The kb column (by index) when its values are plain numbers, no column holds KB numbers and its header
   * does not say KB: they may be row ids, and the reader refuses to guess (see sniffLayout).
   */
  kbNotNumbers?: number;
  /** An update-list column (by index) whose values are counts, not lists: left unread (see mapColumns). */
  updateCounts?: number;
  /** The header line ends with an empty cell: GLPI's trailing delimiter, or a column titled elsewhere (see RecordDecoder.decode). */
  unnamedLast?: true;
}

/**
 * Map a header row to canonical fields. `overrides` (from --map field=Header) win over aliases;
 * an override naming a header that is not in the file is an error the caller reports.
 */
export function mapColumns(headers: string[], overrides: Partial<Record<CanonicalField, string>> = {}, sample?: () => ColumnSample): ColumnMapping {
  const fields: Partial<Record<CanonicalField, number>> = {};
  const byColumn: (CanonicalField | null)[] = headers.map(() => null);
  const taken = new Set<number>();
  const missingOverrides: CanonicalField[] = [];

  for (const [field, header] of Object.entries(overrides) as [CanonicalField, string][]) {
    const wanted = normaliseHeader(header);
    const idx = headers.findIndex((h) => h === header || normaliseHeader(h) === wanted);
    if (idx < 0) missingOverrides.push(field);
    else {
      fields[field] = idx;
      byColumn[idx] = field;
      taken.add(idx);
    }
  }

  const normalised = headers.map(normaliseHeader);
  const hasAny = (...names: string[]) => names.some((n) => normalised.includes(n));
  // osquery's os_version table calls the caption "name" and has no hostname column.
  const osqueryOsTable = hasAny('codename', 'platform like') && hasAny('major');
  // In a hotfix listing (Get-HotFix, QFE), Caption is a support URL, not the OS.
  const hotfixListing = hasAny('hotfixid', 'hot fix id', 'hotfix id') && !hasAny('version', 'os version', 'buildnumber', 'build number', 'operating system name and');
  // An update history (Windows Update Agent's QueryHistory): an operation per update.
  const updateHistory = headers.some((h) => aliasCandidates(h).some((c) => c.field === 'kb_operation'));

  // What the values say (only where the headers leave a doubt, and only when the caller has values).
  let values: ColumnSample | null | undefined;
  const valuesOf = (idx: number): ValueKinds | null => {
    if (values === undefined) values = sample ? sample() : null;
    return values ? values.kinds(idx) : null;
  };

  const claims: { field: CanonicalField; idx: number; priority: number }[] = [];
  headers.forEach((header, idx) => {
    if (taken.has(idx)) return;
    for (const hit of aliasCandidates(header)) {
      let { field, priority } = hit;
      const n = normalised[idx];
      if (osqueryOsTable && n === 'name') field = 'os_name';
      // Unless its values are OS names (an SCCM report with Caption0 and HotFixID0, no version column).
      if (hotfixListing && n === 'caption' && !valuesOf(idx)?.osNames) continue;
      // Name is usually empty in a QFE listing; in a join of machines and hotfixes it is the machine.
      if (hotfixListing && n === 'name' && field === 'hostname' && !valuesOf(idx)?.hostnames) continue;
      // A "Title" is an update's only in an update history (an Operation column beside it) whose titles name
      // their KB: a scanner's finding title names a KB that is missing (Qualys), a job title none.
      if (field === 'kb' && n === 'title' && !(updateHistory && valuesOf(idx)?.namesKbs)) continue;
      // Another tool's "Machine ID" may be an opaque id (Defender for Endpoint's 40 hex digits), no name.
      if (field === 'hostname' && MACHINE_GROUP_ID_HEADER.has(n) && !valuesOf(idx)?.machineGroupIds) continue;
      claims.push({ field, idx, priority });
    }
  });
  claims.sort((a, b) => a.priority - b.priority || a.idx - b.idx);
  for (const c of claims) {
    if (fields[c.field] !== undefined || taken.has(c.idx)) continue;
    fields[c.field] = c.idx;
    byColumn[c.idx] = c.field;
    taken.add(c.idx);
  }
  // A KB column whose values are plain numbers while another column holds KB numbers: the numbers are
  // row ids (PDQ Inventory's HotFixes.HotFixId; the KB is in HotFixes.Name).
  let kbIds: number | null = null;
  const kb = fields.kb;
  if (kb !== undefined && overrides.kb === undefined && valuesOf(kb)?.plainNumbers) {
    const free = (i: number) => i !== kb && (byColumn[i] === null || (overrides[byColumn[i]!] === undefined && byColumn[i] !== 'kb_list'));
    // Failing that, an unmapped column of update titles naming their KB (ManageEngine's "Patch
    // Description" beside its own "Patch ID" numbers), read as update titles are.
    let other = headers.findIndex((_, i) => free(i) && valuesOf(i)?.kbNumbers);
    // Only a column that says it holds update titles: a KB named in a "Notes" column may be any KB
    // ("superseded by KB4012215"). One the headers made a KB column, then a title-named one.
    if (other < 0) other = headers.findIndex((_, i) => free(i) && byColumn[i] === null && aliasCandidates(headers[i]).some((h) => h.field === 'kb') && valuesOf(i)?.namesKbs);
    if (other < 0) other = headers.findIndex((_, i) => free(i) && byColumn[i] === null && UPDATE_TITLE_HEADER.test(normalised[i]) && valuesOf(i)?.namesKbs);
    if (other >= 0) {
      const was = byColumn[other];
      if (was) delete fields[was];
      fields.kb = other;
      byColumn[other] = 'kb';
      byColumn[kb] = null;
    } else if (!KB_NAMED_HEADERS.has(normalised[kb]) && !KB_NAMED_HEADERS.has(compact(normalised[kb]))) kbIds = kb;
  }
  // An update-list column holding small numbers ("Patches": 12) counts updates; it lists none. Read as
  // a list it would be empty, and every patch check a confident fail: it is not used (checks unknown).
  let counted: number | null = null;
  const list = fields.kb_list;
  if (list !== undefined && overrides.kb_list === undefined && valuesOf(list)?.counts) {
    delete fields.kb_list;
    byColumn[list] = null;
    counted = list;
    // Another column the headers also took for the list ("Installed Updates" counts, "Hotfixes" lists).
    const next = claims.find((c) => c.field === 'kb_list' && c.idx !== list && byColumn[c.idx] === null && !taken.has(c.idx) && !valuesOf(c.idx)?.counts);
    if (next) {
      fields.kb_list = next.idx;
      byColumn[next.idx] = 'kb_list';
    }
  }
  // A device-management list is told by any of its own columns, even one read as another field
  // (Intune's "Compliance", "Primary user UPN", azureADDeviceId): mdm_managed then shares that column.
  if (fields.mdm_managed === undefined) {
    const marker = normalised.findIndex((n) => MDM_MARKERS.has(n) || MDM_MARKERS.has(compact(n)));
    if (marker >= 0) fields.mdm_managed = marker;
  }
  const unmapped = headers.filter((_, i) => byColumn[i] === null);
  const mapping: ColumnMapping = { fields, byColumn, unmapped, missingOverrides };
  if (kbIds !== null) mapping.kbNotNumbers = kbIds;
  if (counted !== null) mapping.updateCounts = counted;
  return mapping;
}

/**
 * Headers that name a KB article, whose values may be the bare number (SCCM's ArticleID is "4012212"),
 * as against an update's or hotfix's id, which may be anything (PDQ's HotFixId is a row id).
 */
/** Columns only Intune's device lists have (portal export, Graph export, Log Analytics IntuneDevices, managedDevice). */
const MDM_MARKERS = new Set([
  'managed by', 'managedby', 'management agent', 'managementagent', 'compliance', 'compliance state', 'compliancestate',
  'azure ad device id', 'azureaddeviceid', 'azure ad registered', 'primary user upn', 'join type', 'jointype',
  'enrollment date', 'enrolleddatetime', 'intune registered', 'device enrollment type', 'deviceenrollmenttype',
  'supervised', 'jailbroken', 'owner type', 'ownertype', 'ownership', 'skufamily', 'eas activated',
]);

const KB_NAMED_HEADERS = new Set(['kb', 'kb id', 'kbid', 'kb number', 'kbnumber', 'article id', 'articleid', 'kbarticle', 'kb article', 'kb article id', 'kbarticleid']);

/** What the sampled values of one column look like (see ColumnSample). */
export interface ValueKinds {
  /** Most values are KB numbers: "KB4012212", "Q147222" (Get-HotFix's "File 1" may be among them). */
  kbNumbers: boolean;
  /** Every value is a plain number ("1834", "4012215"): not a KB number as written by Windows. */
  plainNumbers: boolean;
  /** Most values are OS names ("Microsoft Windows 7 Enterprise"), none a URL. */
  osNames: boolean;
  /** Every value could be a machine name (letters, digits, dots, hyphens; not a KB or a number). */
  hostnames: boolean;
  /**
   * Most values name one KB number within text, and none names several ("2017-03 Security Monthly
   * Quality Rollup … (KB4012215)"; not "replaced by KB4012212 / KB4012215"): an update's title.
   */
  namesKbs: boolean;
  /** Every value is a small whole number (at most 9999): a count, never a KB number. */
  counts: boolean;
  /** Every value is a machine name followed by its group ("ward7-pc01.radiology.nhstrust"): Kaseya VSA's machine ID. */
  machineGroupIds: boolean;
}

/** Headers of Kaseya VSA's machine ID ("Machine ID", "Machine.Group ID"), normalised. */
const MACHINE_GROUP_ID_HEADER = new Set(['machine id', 'machine group id']);
const MACHINE_GROUP_ID_VALUE = /^[\p{L}\p{N}][\p{L}\p{N}_$-]*(?:\.[\p{L}\p{N}_$-]+)+$/u;

/** Headers of a column of update titles (ManageEngine's "Patch Description", "Update Title", "Bulletin Title"). */
const UPDATE_TITLE_HEADER = /^(?:patch|update|hotfix|bulletin|kb|security update)\s+(?:description|title|name|details?)$/;
const KB_VALUE = /^(?:KB|Q)\d{5,8}(?:-?v\d+)?\b/i;
const KB_IN_TEXT = /\bKB\d{6,8}\b/gi;
const PLAIN_NUMBER = /^\d+$/;
const COUNT = /^\d{1,4}$/;
const OS_NAME_VALUE = /\b(?:windows|ubuntu|debian|red ?hat|rhel|centos|rocky|alma ?linux|suse|mac ?os|os x|linux)\b/i;
const HOSTNAME_VALUE = /^[\p{L}\p{N}][\p{L}\p{N}._$-]*$/u;

/**
 * The first data rows of a file, to settle what the headers alone cannot: values are looked at only
 * for the columns in doubt, each once.
 */
export class ColumnSample {
  private readonly cache = new Map<number, ValueKinds | null>();

  constructor(private readonly rows: string[][]) {}

  /** Null when the column has no value in the sample. */
  kinds(idx: number): ValueKinds | null {
    let k = this.cache.get(idx);
    if (k === undefined) {
      k = classify(this.rows, idx);
      this.cache.set(idx, k);
    }
    return k;
  }
}

function classify(rows: string[][], idx: number): ValueKinds | null {
  let n = 0;
  let kbs = 0;
  let plain = 0;
  let os = 0;
  let urls = 0;
  let hosts = 0;
  let inText = 0;
  let several = 0;
  let counts = 0;
  let groupIds = 0;
  for (const row of rows) {
    const v = (row[idx] ?? '').trim();
    if (v === '') continue;
    n++;
    if (KB_VALUE.test(v)) kbs++;
    else if (PLAIN_NUMBER.test(v)) {
      plain++;
      if (COUNT.test(v)) counts++;
    } else if (HOSTNAME_VALUE.test(v) && /\p{L}/u.test(v)) {
      hosts++;
      if (MACHINE_GROUP_ID_VALUE.test(v)) groupIds++;
    }
    const named = v.match(KB_IN_TEXT)?.length ?? 0;
    if (named === 1) inText++;
    else if (named > 1) several++;
    if (OS_NAME_VALUE.test(v)) os++;
    if (v.includes('://')) urls++;
  }
  if (n === 0) return null;
  return { kbNumbers: kbs * 2 > n, plainNumbers: plain === n, osNames: os * 2 > n && urls === 0, hostnames: hosts === n, namesKbs: inText * 2 > n && several === 0, counts: counts === n, machineGroupIds: groupIds === n };
}

/** How many headers of a line look like known inventory columns (used to find the header row). */
export function headerScore(cells: string[]): number {
  let score = 0;
  for (const c of cells) if (aliasCandidates(c).length > 0) score++;
  return score;
}
