/**
 * Turns the OS cells of one inventory row (caption, version, build, SKU, service pack, ...) from any
 * export into a canonical OsInfo.
 *
 * Trust order: version/build numbers decide what the caption leaves open (release, client vs server,
 * a server name without its year), and are trusted over a caption that names no product. A caption
 * that names a product is not overridden: numbers that are no Windows version of it (an agent's
 * "6.1.3" in a Version column) are ignored, and numbers of another Windows product put the host in
 * conflict (product null). The known reporting quirks are kept: Windows 11 calls itself "Windows 10"
 * in its registry ProductName, GetVersionEx reports 6.2.9200 to unmanifested programs, XP x64 is NT
 * 5.2, and some exports drop the "R2" of Server 2008 R2 / 2012 R2.
 * When client vs server matters and nothing says which, the product is left null so the auditor
 * reports "unknown" instead of guessing (fail closed).
 */
import type { OtherProduct, WindowsProduct } from './products.js';
import type { Arch, EditionClass, OsFamily, OsInfo } from './types.js';

export interface OsInput {
  osName?: string;
  osVersion?: string;
  build?: string;
  revision?: string;
  release?: string;
  edition?: string;
  servicePack?: string;
  arch?: string;
  productType?: string;
  platform?: string;
}

// Order also used for `raw` (osName first, then osVersion, then the others).
const FIELDS = [
  'osName',
  'osVersion',
  'build',
  'revision',
  'release',
  'edition',
  'servicePack',
  'arch',
  'productType',
  'platform',
] as const;
type Field = (typeof FIELDS)[number];
type Cells = Record<Field, string>;

/** Matching only ever looks at this many characters of a cell (raw keeps everything). */
const MAX_MATCH_LEN = 512;
const CACHE_LIMIT = 10_000;
/** Inputs with a longer key are not cached, so a few huge rows cannot pin memory. */
const MAX_KEY_LEN = 4096;

// ---------------------------------------------------------------------------------------------
// Reference tables (windows-facts.md §2.2, §2.3, §4.2)

interface BuildRow {
  build: number;
  release: string;
}
const WIN10: readonly BuildRow[] = [
  { build: 10240, release: '1507' },
  { build: 10586, release: '1511' },
  { build: 14393, release: '1607' },
  { build: 15063, release: '1703' },
  { build: 16299, release: '1709' },
  { build: 17134, release: '1803' },
  { build: 17763, release: '1809' },
  { build: 18362, release: '1903' },
  { build: 18363, release: '1909' },
  { build: 19041, release: '2004' },
  { build: 19042, release: '20H2' },
  { build: 19043, release: '21H1' },
  { build: 19044, release: '21H2' },
  { build: 19045, release: '22H2' },
];
const WIN11: readonly BuildRow[] = [
  { build: 22000, release: '21H2' },
  { build: 22621, release: '22H2' },
  { build: 22631, release: '23H2' },
  { build: 26100, release: '24H2' },
  { build: 26200, release: '25H2' },
  { build: 26300, release: '26H2' },
  // 26H1 ships only on new devices (windows-facts.md §2.3).
  { build: 28000, release: '26H1' },
];
const WIN11_FIRST_BUILD = 22000;

interface ServerRow {
  build: number;
  product: WindowsProduct;
  /** Only the semi-annual/annual channel product "Windows Server" carries a release. */
  release: string | null;
}
const SERVER: readonly ServerRow[] = [
  { build: 14393, product: 'Windows Server 2016', release: null },
  { build: 16299, product: 'Windows Server', release: '1709' },
  { build: 17134, product: 'Windows Server', release: '1803' },
  { build: 17763, product: 'Windows Server 2019', release: null },
  { build: 18362, product: 'Windows Server', release: '1903' },
  { build: 18363, product: 'Windows Server', release: '1909' },
  { build: 19041, product: 'Windows Server', release: '2004' },
  { build: 19042, product: 'Windows Server', release: '20H2' },
  { build: 20348, product: 'Windows Server 2022', release: null },
  { build: 25398, product: 'Windows Server', release: '23H2' },
  { build: 26100, product: 'Windows Server 2025', release: null },
];

const CLIENT_BY_BUILD = new Map<number, string>();
for (const r of WIN10) CLIENT_BY_BUILD.set(r.build, `Windows 10 ${r.release}`);
for (const r of WIN11) CLIENT_BY_BUILD.set(r.build, `Windows 11 ${r.release}`);
const SERVER_BY_BUILD = new Map<number, ServerRow>(SERVER.map((r) => [r.build, r]));
/** The one server build two products share: Windows Server 2019 (LTSC) and version 1809 (SAC) (windows-facts.md §4.2). */
const SHARED_SERVER_BUILD = 17763;
const WIN10_RELEASES = new Set(WIN10.map((r) => r.release));
const WIN11_RELEASES = new Set(WIN11.map((r) => r.release));
const SAC_RELEASES = new Set(SERVER.flatMap((r) => (r.release ? [r.release] : [])));

/** LTSB/LTSC year -> the one feature update it is built on. */
const LTSC_YEARS: Readonly<Record<string, { client: '10' | '11'; release: string }>> = {
  '2015': { client: '10', release: '1507' },
  '2016': { client: '10', release: '1607' },
  '2019': { client: '10', release: '1809' },
  '2021': { client: '10', release: '21H2' },
  '2024': { client: '11', release: '24H2' },
};

const NT_VERSIONS = new Set(['5.0', '5.1', '5.2', '6.0', '6.1', '6.2', '6.3', '10.0']);

/** Server names whose R2 is a later NT version, which a version can reveal when the name lost its "R2". */
const R2_OF: Readonly<Record<string, { product: WindowsProduct; nt: string }>> = {
  'Windows Server 2008': { product: 'Windows Server 2008 R2', nt: '6.1' },
  'Windows Server 2012': { product: 'Windows Server 2012 R2', nt: '6.3' },
};

// ---------------------------------------------------------------------------------------------
// Clean-up

const RE_MARKS = /[®™©℠\ufffd?]|\((?:r|tm)\)/gi;
// Deleted, not spaced: UTF-16 read as 8-bit puts a NUL between letters ("W\0i\0n...").
// Tab/CR/LF are left to RE_SPACES.
// eslint-disable-next-line no-control-regex
const RE_CONTROL = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u200b-\u200f\ufeff]/g;
const RE_SPACES = /\s+/g;
const RE_PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const RE_EDGE_QUOTES = /^["'`]+|["'`]+$/g;
const RE_DASHES_ONLY = /^[-–—_.\s]+$/;
const NA_VALUES = new Set([
  'n/a',
  'na',
  '#n/a',
  'n.a.',
  '暂缺',
  '無',
  'н/д',
  'n/d',
  'n/v',
  'n.v.',
  'nicht verfügbar',
  'non disponible',
  'no disponible',
  'não disponível',
  'nao disponivel',
  'niet beschikbaar',
  'non disponibile',
  'not available',
  'none',
  'null',
  '(null)',
  'nil',
  'undefined',
  'unknown',
]);

function asString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** Trimmed, mark-free, single-spaced text; '' for absent and N/A placeholders. */
function tidy(v: string | undefined): string {
  if (v === undefined || v === '') return '';
  let s = v.length > MAX_MATCH_LEN ? v.slice(0, MAX_MATCH_LEN) : v;
  s = s.replace(RE_CONTROL, '').replace(RE_MARKS, ' ');
  // NFKC folds full-width letters/digits and odd spaces from Asian-locale exports.
  if (!RE_PRINTABLE_ASCII.test(s)) s = s.normalize('NFKC');
  s = s.replace(RE_SPACES, ' ').trim();
  s = s.replace(RE_EDGE_QUOTES, '').trim();
  if (s === '' || RE_DASHES_ONLY.test(s) || NA_VALUES.has(s.toLowerCase())) return '';
  return s;
}

function toInt(s: string | undefined): number | null {
  if (s === undefined || s === '') return null;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : null;
}

// ---------------------------------------------------------------------------------------------
// Version strings

interface Ver {
  major: number;
  minor: number;
  build: number | null;
  rev: number | null;
  /** Mozilla's "Windows_NT 5.1.3.0" puts the service pack where the build would be. */
  sp: number | null;
  /**
   * A third part too small to be a build that is not Mozilla's service-pack form either ("6.1.3",
   * "6.3.0.12"): the version of some agent or tool, not of the OS.
   */
  noBuild: boolean;
  /** A "Build N" in the same text naming another build than the version's ("10.0.19045 Build 19044.1234"). */
  otherBuild?: number;
}

// AD: "6.1 (7601)".
const RE_VER_AD = /(?<![\d.])(\d{1,2})\.(\d{1,2}) ?\((\d{3,6})\)/;
const RE_VER_DOTTED = /(?<![\d.])(\d{1,2})\.(\d{1,2})(?:\.(\d{1,6})(?:\.(\d{1,6}))?)?(?!\d)/;
// Only read a version out of a caption in these contexts, never "Windows 8.1".
const RE_NAME_VER =
  /(?:\bversion|\bnt(?:\s+(?:workstation|server|advanced\s+server))?|windows_nt)\s*:?\s*(\d{1,2}\.\d{1,2}(?:\.\d{1,6}){0,2}(?: ?\(\d{3,6}\))?)/i;
const RE_STARTS_WITH_DIGIT = /^\d/;
// Hand-made sheets: "Windows 10.0.19045" (three parts, so never "Windows 8.1").
const RE_NAME_WIN_VER = /\bwindows\s+(\d{1,2}\.\d{1,2}\.\d{3,6}(?:\.\d{1,6})?)(?!\d)/i;
// systeminfo "... Build 7601" in several languages.
const RE_BUILD_WORD = /(?:^|[\s,])(?:build|compilaci[oó]n|compila[cç][aã]o|сборка)\s*:?\s*(\d{3,6})(?!\d)/i;

// Build and revision without the NT version, as Windows itself writes them ("OS Build 19045.5131" in
// winver and the update history) and as exports copy them ("Build 19045.5131", "19045.5131").
const RE_BUILD_WORD_REV = /(?:^|[\s,(])(?:build|compilaci[oó]n|compila[cç][aã]o|сборка)\s*:?\s*(\d{4,5})\.(\d{1,6})(?![\d.])/i;
const RE_BARE_BUILD_REV = /^\s*(\d{4,5})\.(\d{1,6})\s*$/;

/** The revision a "Build 19045.5131" in `s` gives for `build`; null when none, or it is another build's. */
function revisionOfBuild(s: string, build: number): number | null {
  const m = RE_BUILD_WORD_REV.exec(s);
  return m && toInt(m[1]) === build ? toInt(m[2]) : null;
}

/** "Build 19045.5131", "19045.5131": a Windows build (one that names its NT version) with its revision. */
function parseBuildRevision(s: string): Ver | null {
  const m = RE_BUILD_WORD_REV.exec(s) ?? RE_BARE_BUILD_REV.exec(s);
  const build = m ? toInt(m[1]) : null;
  const nt = build !== null ? ntFromBuild(build) : null;
  if (!m || nt === null) return null;
  const [major, minor] = nt.split('.').map(Number);
  return { major: major!, minor: minor!, build, rev: toInt(m[2]), sp: null, noBuild: false };
}

/** NT versions that record no update build revision (UBR): Windows 7 / Server 2008 R2 and earlier. */
const NO_UBR_NT: ReadonlySet<string> = new Set(['5.0', '5.1', '5.2', '6.0', '6.1']);

function parseVersion(s: string): Ver | null {
  if (!s) return null;
  let m = RE_VER_AD.exec(s);
  if (m) {
    return { major: Number(m[1]), minor: Number(m[2]), build: toInt(m[3]), rev: null, sp: null, noBuild: false };
  }
  m = RE_VER_DOTTED.exec(s);
  if (!m) return parseBuildRevision(s);
  const v: Ver = { major: Number(m[1]), minor: Number(m[2]), build: toInt(m[3]), rev: toInt(m[4]), sp: null, noBuild: false };
  if (v.build !== null && v.build < 100 && v.major < 10) {
    // "5.1.3.0": no NT 5/6 build is that small, so it is SP major.minor. Only that four-part form
    // (service pack, then 0) is Mozilla's; "6.1.3" or "6.3.0.12" is some other program's version.
    v.sp = v.build;
    v.noBuild = !(v.rev === 0 && v.sp <= MAX_SP);
    v.build = null;
    v.rev = null;
  }
  const b = RE_BUILD_WORD.exec(s);
  if (v.build === null) {
    if (b) v.build = toInt(b[1]);
  } else if (b && toInt(b[1]) !== v.build) v.otherBuild = toInt(b[1])!;
  // "10.0.19045 Build 19045.5131": the revision follows the build word, for the same build only.
  if (v.build !== null && v.rev === null) v.rev = revisionOfBuild(s, v.build);
  return v;
}

// A whole NT version anywhere in a caption: BigFix's "Win10 10.0.18363.418 (1909)", Datto RMM's
// "Microsoft Windows 10 Pro 10.0.18362". Only an NT version with a build that version shipped (2600,
// 7601, 9600, 1xxxx/2xxxx on 10.0), so never "Windows 8.1" or some program's "6.3.1200".
const RE_NAME_NT_FULL = /(?<![\d.])((?:5\.0\.2195|5\.1\.2600|5\.2\.3790|6\.0\.600[0-3]|6\.1\.760[01]|6\.2\.9200|6\.3\.9600|10\.0\.[12]\d{4})(?:\.\d{1,6})?)(?![\d.])/;

function parseNameVersion(name: string): Ver | null {
  if (!name) return null;
  if (RE_STARTS_WITH_DIGIT.test(name)) return parseVersion(name);
  const m = RE_NAME_VER.exec(name) ?? RE_NAME_WIN_VER.exec(name) ?? RE_NAME_NT_FULL.exec(name);
  if (m) {
    const v = parseVersion(m[1] ?? '');
    if (v && v.build !== null && v.rev === null) v.rev = revisionOfBuild(name, v.build);
    return v;
  }
  // "Microsoft Windows 11 Enterprise Build 22631", Qualys' "… Version 22H2 Build 19045.5131": the build
  // (and its revision) alone, where it names one NT version.
  const b = RE_BUILD_WORD.exec(name);
  const build = b ? toInt(b[1]) : null;
  const nt = build !== null ? ntFromBuild(build) : null;
  if (build === null || nt === null) return null;
  const [major, minor] = nt.split('.').map(Number);
  return { major: major!, minor: minor!, build, rev: revisionOfBuild(name, build), sp: null, noBuild: false };
}

/** No Windows release ever had a higher service pack (NT 4.0 SP6). */
const MAX_SP = 6;

/**
 * The builds each NT version shipped with, pre-releases included (Longhorn 4xxx-5xxx, Windows 7 beta
 * 7000, Windows 8 developer builds 7850-8xxx, Windows 10 technical previews 98xx-99xx).
 */
const NT_BUILD_SPAN: Readonly<Record<string, readonly [number, number]>> = {
  '5.0': [1000, 2199],
  '5.1': [2200, 2999],
  '5.2': [3000, 3999],
  '6.0': [4000, 6999],
  '6.1': [7000, 7999],
  '6.2': [7700, 9299],
  '6.3': [9300, 9799],
  '10.0': [9800, 999_999],
};

/** Can build `b` be one of NT version `nt`? Null when there is nothing to say (NT 3.x/4.0). */
function buildFitsNt(nt: string, b: number): boolean | null {
  const span = NT_BUILD_SPAN[nt];
  if (!span) return null;
  return b >= span[0] && b <= span[1];
}

/** What an NT version is, for notes: "Windows 7 / Server 2008 R2", "Windows 10 22H2". */
function ntLabel(nt: string, b: number | null): string {
  if (nt === '10.0' && b !== null) {
    const c = CLIENT_BY_BUILD.get(b);
    const sv = SERVER_BY_BUILD.get(b);
    const names = [c, sv ? serverLabel(sv) : undefined].filter((x): x is string => !!x);
    if (names.length) return names.join(' or ');
  }
  return NT_PRODUCTS[nt] ?? `NT ${nt}`;
}
const NT_PRODUCTS: Readonly<Record<string, string>> = {
  '5.0': 'Windows 2000',
  '5.1': 'Windows XP',
  '5.2': 'Windows Server 2003 or XP x64',
  '6.0': 'Windows Vista or Server 2008',
  '6.1': 'Windows 7 or Server 2008 R2',
  '6.2': 'Windows 8 or Server 2012',
  '6.3': 'Windows 8.1 or Server 2012 R2',
  '10.0': 'Windows 10, 11 or Server 2016 and later',
};

/**
 * Why a version cannot be the OS version of a host whose name names its product (an agent's or a
 * tool's version in a "Version" column), or null when it can be.
 */
function notAnOsVersion(v: Ver): string | null {
  const nt = `${v.major}.${v.minor}`;
  if (!NT_VERSIONS.has(nt)) return null; // reported as "not a Windows NT version" on its own
  if (v.noBuild) return 'its third part is no Windows build number';
  if (v.build === null) return null;
  if (v.build < 1000) return `${v.build} is no Windows build number`;
  if (buildFitsNt(nt, v.build) === false) return `build ${v.build} is no NT ${nt} build`;
  return null;
}

/**
 * A Windows feature update ("22H2", "1809") beside a build cell that is a whole NT version, or the build
 * ("19045", "19045.4291") of a Windows 10, 11 or Server release of that name.
 */
function releaseWithBuild(release: string, buildCell: string): boolean {
  const r = release.toUpperCase();
  if (!WIN10_RELEASES.has(r) && !WIN11_RELEASES.has(r) && !SAC_RELEASES.has(r)) return false;
  if (looksLikeNtVersion(buildCell)) return true;
  const m = RE_BUILD_ONLY.exec(buildCell) ?? RE_BUILD_REV.exec(buildCell);
  const b = m ? toInt(m[1]) : null;
  if (b === null) return false;
  return WIN10.some((x) => x.build === b && x.release === r) || WIN11.some((x) => x.build === b && x.release === r) || SERVER.some((x) => x.build === b && x.release === r);
}

/** A bare version that can only be Windows (NT major.minor with a plausible build). */
function looksLikeNtVersion(s: string): boolean {
  const v = parseVersion(s);
  return !!v && NT_VERSIONS.has(`${v.major}.${v.minor}`) && v.build !== null && v.build >= 1000;
}

/**
 * Words a name cell may hold without naming a product: the vendor, version/build words, edition and role
 * words, architecture. Exports whose name column is empty or holds only these are read by version.
 */
const RE_NEUTRAL_WORD =
  /^(?:microsoft|corporation|corp|inc|os|operating|system|version|ver|v|build|nt|x64|x86|amd64|arm64|bit|bits|edition|service|pack|sp|server|workstation|client|desktop|standard|datacenter|enterprise|professional|pro|home|education|ultimate|business|starter|core|domain|controller|member|standalone|n|a|kn|na|unknown)$/i;

/** The words of a name cell that name something other than Windows ("Azure Stack HCI"), or null. */
function otherProductWords(name: string): string | null {
  if (!name) return null;
  const words = name.match(/\p{L}[\p{L}\p{N}'-]*/gu) ?? [];
  const other = words.filter((x) => !RE_NEUTRAL_WORD.test(x));
  return other.length ? other.join(' ').slice(0, 60) : null;
}

/** NT version implied by a bare build number (build column without a version). */
function ntFromBuild(b: number): string | null {
  if (b >= 10240) return '10.0';
  if (b === 9600) return '6.3';
  if (b === 9200) return '6.2';
  if (b === 7600 || b === 7601) return '6.1';
  if (b >= 6000 && b <= 6003) return '6.0';
  if (b === 3790) return '5.2';
  if (b === 2600) return '5.1';
  if (b === 2195) return '5.0';
  return null;
}

// ---------------------------------------------------------------------------------------------
// Small cell parsers

const RE_SP_TEXT = /(?:service\s*pack|\bsp|пакет\s+обновления)\s*(\d{1,2})(?!\d)/i;
const RE_SP_NUMBER = /^(\d{1,2})(?:\.\d{1,3})?$/;

function parseSpCell(s: string): number | null {
  if (!s) return null;
  const m = RE_SP_NUMBER.exec(s);
  if (m) return toInt(m[1]);
  return parseSpText(s);
}
function parseSpText(s: string): number | null {
  if (!s) return null;
  const m = RE_SP_TEXT.exec(s);
  return m ? toInt(m[1]) : null;
}

const RE_ARCH_ARM64 = /arm\s*64|aarch64|armv8|arm64/i;
const RE_ARCH_IA64 = /itanium|\bia-?64\b/i;
const RE_ARCH_ARM = /\barm(?:v[5-7]\w*|hf|el)?\b/i;
const RE_ARCH_X64 = /x64|amd64|x86[-_]64|em64t|intel64|(?<!\d)64(?!\d)/i;
const RE_ARCH_X86 = /x86|\bi[3-6]86\b|(?<!\d)32(?!\d)/i;

function parseArchCell(s: string): Arch | null {
  if (!s) return null;
  if (RE_ARCH_ARM64.test(s)) return 'arm64';
  if (RE_ARCH_IA64.test(s)) return 'ia64';
  if (RE_ARCH_ARM.test(s)) return 'arm';
  if (RE_ARCH_X64.test(s)) return 'x64';
  if (RE_ARCH_X86.test(s)) return 'x86';
  return null;
}

// In captions/version strings only explicit arch words count ("Server 2016" has no "64").
const RE_HINT_X64 = /\bx64\b|\b64[- ]?bits?\b|\bamd64\b/i;
const RE_HINT_X86 = /\bx86\b|\b32[- ]?bits?\b/i;
const RE_HINT_IA64 = /\bitanium\b|\bia64\b/i;
const RE_HINT_ARM64 = /\barm64\b/i;

function archHint(s: string): Arch | null {
  if (!s) return null;
  if (RE_HINT_ARM64.test(s)) return 'arm64';
  if (RE_HINT_IA64.test(s)) return 'ia64';
  if (RE_HINT_X64.test(s)) return 'x64';
  if (RE_HINT_X86.test(s)) return 'x86';
  return null;
}

const RE_PT_CLIENT = /^(?:1(?:\.0+)?|workstation|work station|client|desktop)$/i;
const RE_PT_SERVER = /^(?:[23](?:\.0+)?|server|member server|standalone server|domain ?controller|dc)$/i;

function parseProductType(s: string): boolean | null {
  if (!s) return null;
  if (RE_PT_CLIENT.test(s)) return false;
  if (RE_PT_SERVER.test(s)) return true;
  return null;
}

// Edition words that only exist on one side. "Enterprise" is client-only on NT 10.0 alone
// (Server 2003/2008 had Enterprise editions).
const RE_ED_MULTISESSION = /\bserverrdsh\b|multi-?session/i;
const RE_ED_SERVER = /\b(?:server\w*|standard|datacenter|essentials|foundation|web|storage|hyper-?v)\b/i;
const RE_ED_CLIENT =
  /\b(?:pro|professional\w*|home|core|coresinglelanguage|education|starter|ultimate|home premium|home basic|se)\b|专业版|專業版|家庭|家用版|教育版|professionnel|famille|éducation|профессиональная|домашняя|для образовательных учреждений/i;
const RE_ED_ENTERPRISE = /\benterprise\w*|企业版|企業版|entreprise|корпоративная/i;

function editionServerHint(edition: string, nt: string | null): boolean | null {
  if (!edition) return null;
  // Enterprise multi-session reports a "ServerRdsh" SKU but is a Windows 10/11 client.
  if (RE_ED_MULTISESSION.test(edition)) return false;
  if (nt !== '5.1' && RE_ED_SERVER.test(edition)) return true;
  if (RE_ED_CLIENT.test(edition)) return false;
  if (nt === '10.0' && RE_ED_ENTERPRISE.test(edition)) return false;
  return null;
}

const RE_EC_LTSC = /\blts[bc]\b|long[- ]term servicing|\b(?:iot)?enterprisesn?\b/i;
const RE_EC_IOT = /\biot/i;

/**
 * Edition words by servicing group, in the spellings Windows uses in its captions (OS Name) and SKU
 * names (Intune SkuFamily, EditionID), in the languages systeminfo is read in. Microsoft keeps "Pro",
 * "Enterprise" and "Education" in English in most languages; French, Russian and Chinese translate them
 * ("Professionnel Éducation", "Pro для образовательных учреждений", "专业教育版" are Pro Education).
 * The Pro spellings of other Romance languages are listed too: a Pro word only ever moves a host to
 * the group whose feature updates end first.
 * A word is matched whole (not inside another word); CJK words have no spaces around them.
 */
const L = '\\p{L}\\p{N}';
function words(latin: string[], cjk: string[] = []): RegExp {
  const parts = [`(?<![${L}])(?:${latin.join('|')})(?![${L}])`];
  if (cjk.length) parts.push(cjk.join('|'));
  return new RegExp(parts.join('|'), 'iu');
}
/** Pro, Pro N, Pro Education, Pro for Workstations (SKU names ProfessionalEducation, ProfessionalWorkstation …). */
const RE_EC_PRO = words(
  ['pro', 'professional\\p{L}*', 'professionnel(?:le)?', 'professionale', 'profesional', 'profissional', 'professioneel', 'профессиональная'],
  ['专业', '專業', 'プロ', '프로'],
);
/** Home (SKU Core, CoreN, CoreSingleLanguage, CoreCountrySpecific), Windows 10 S / 11 SE. */
const RE_EC_HOME = words(
  ['home', 'core\\p{L}*', 'famille', 'familiale', 'домашняя', 'домашня', 'starter', 'se', 'windows 1[01] s', 's mode'],
  ['家庭', '家用', 'ホーム', '홈'],
);
/** Education (SKU Education, EducationN): Enterprise/Education group unless a Pro word goes with it. */
const RE_EC_EDU = words(
  ['education\\p{L}*', 'éducation', 'educación', 'educação', 'istruzione', 'bildung', 'onderwijs', 'edukacja', 'для образовательных учреждений'],
  ['教育', 'エデュケーション', '교육'],
);
/** Enterprise, its multi-session and virtual-desktop forms, IoT Enterprise. */
const RE_EC_ENT = words(
  ['enterprise\\p{L}*', 'iotenterprise\\p{L}*', 'entreprise', 'корпоративная', 'iot', 'serverrdsh', 'multi-?session', 'virtual desktops'],
  ['企业', '企業', 'エンタープライズ', '엔터프라이즈'],
);
/** What may stand next to "Education" without naming another edition: N/KN variants, "edition", evaluation. */
const RE_EC_EDU_QUALIFIERS = words(['n', 'kn', 'g', 'gn', 'édition', 'edition', 'edición', 'edição', 'edizione', 'evaluation', 'évaluation', 'eval', 'microsoft', 'майкрософт', 'windows'], ['版']);

interface EditionClassing {
  cls: EditionClass | null;
  note: string | null;
}

/**
 * The servicing group of a Windows 10/11 edition. `text`: caption and edition cell; `editionText`: only
 * the edition words (the caption after the product, and the edition cell). Fail closed: words of both
 * groups, or "Education" next to a word that is not known, leave the group unknown (null), so the rules
 * judge against every group rather than the one whose support lasts longer.
 */
function classifyEdition(text: string, editionText: string): EditionClassing {
  if (!text.trim()) return { cls: null, note: null };
  if (RE_EC_LTSC.test(text)) return { cls: RE_EC_IOT.test(text) ? 'iot-ltsc' : 'ltsc', note: null };
  const consumer = RE_EC_PRO.test(text) || RE_EC_HOME.test(text);
  const ent = RE_EC_ENT.test(text);
  const edu = RE_EC_EDU.test(text);
  if (consumer && (ent || (edu && !RE_EC_PRO.test(text)))) {
    return { cls: null, note: 'the edition words name both a Home/Pro and an Enterprise/Education edition; servicing group unknown' };
  }
  if (consumer) return { cls: 'consumer', note: null };
  if (ent) return { cls: 'enterprise', note: null };
  if (edu) {
    // "Education" alone is the Enterprise/Education group; another word next to it may be a Pro
    // (Pro Education) in a spelling not listed here.
    const rest = editionText
      .replace(new RegExp(RE_EC_EDU.source, 'giu'), ' ')
      .replace(new RegExp(RE_EC_EDU_QUALIFIERS.source, 'giu'), ' ')
      .replace(/[^\p{L}]+/gu, '');
    if (rest !== '') {
      return { cls: null, note: `edition "${editionText.trim().slice(0, 60)}" has words besides Education that are not known; servicing group unknown` };
    }
    return { cls: 'enterprise', note: null };
  }
  return { cls: null, note: null };
}

const RE_REL_TOKEN = /\b(\d{2}h[12])\b/i;
const RE_REL_VERSION = /\bversion\s*(1[5-9]0[1-9]|200[49]|\d{2}h[12])\b/i;
const RE_REL_CELL = /^(?:version\s*)?(\d{4}|\d{2}h[12])$|\b(\d{2}h[12])\b|(?<!\d)(1[5-9]0[1-9]|200[49])(?!\d)/i;
const RE_LTSC_YEAR = /\blts[bc]\s*(20\d\d)\b|\b(20\d\d)\s*lts[bc]\b/i;

/** "22h2" -> "22H2". */
function canonRelease(s: string): string {
  return s.toUpperCase();
}

/**
 * The registry's ReleaseId stopped at "2009" with 20H2: 21H1, 21H2 and 22H2 (and Windows 11, and
 * Server 2022) report it too, and only DisplayVersion names the release. So "2009" alone says "20H2
 * or later", not which.
 */
const RELEASE_ID_2009 = '2009';
const WIN10_REPORTING_2009 = new Set(['20H2', '21H1', '21H2', '22H2']);
const NOTE_2009 =
  'release 2009 is the registry ReleaseId that Windows 10 20H2, 21H1, 21H2 and 22H2 (and Windows 11) all report, only DisplayVersion names the release';

// ---------------------------------------------------------------------------------------------
// Windows captions

interface WinName {
  /** Family is "other" (CE, Mobile, ...) or a non-NT Windows (9x): never a product. */
  nonNt: 'other' | 'windows' | null;
  product: WindowsProduct | null;
  nt: string | null;
  server: boolean | null;
  r2: boolean;
  rt: boolean;
  client: '10' | '11' | null;
  /** Semi-annual server release named in the caption ("Windows Server, version 1709"). */
  sacRelease: string | null;
  /** Where the product words end in the caption; the rest is the edition. */
  end: number;
  preRelease: boolean;
  notes: string[];
  /** A SKU built on the product whose lifecycle differs from it (becomes OsInfo.editionClass). */
  sku: EditionClass | null;
  /** "Windows Embedded Standard" with no number: 2009, 7 or 8 Standard, told apart by the NT version. */
  embStd: boolean;
  /** Why a host with this name is not judged (product left null), e.g. a product with no lifecycle data. */
  block: string | null;
}

/**
 * Admins' shorthands, matched only as a whole word: "W10", "W11", "W7", "W8.1", "W2K" (2000), "W2K8R2",
 * "W2K12R2", "W2K16", "W2K19", "W2K22"; and a name that is only "Server 2012R2" (no "Windows").
 */
const RE_W_SHORTHAND = /\bw(?=(?:7|8\.1|8|10|11|2k(?:0?3|0?8|12|16|19|22|25)?(?:\s*r2)?)(?:\s|$))|^(?:microsoft\s+|ms\s+)?(?=server\s*(?:2003|2008|2012|2016|2019|2022|2025)(?!\d))/i;
const RE_WINDOWS = /\bwindows(?![a-z])|\bwin(?=\s|\d|xp\b|2k\b|_?nt\b|$)/i;
const RE_W_OTHER = /\bwindows\s?(?:ce|mobile|phone)\b|\bembedded\s+compact\b|\bembedded\s+(?:8(?:\.1)?\s+)?handheld\b|\bholographic\b/i;
const RE_W_9X = /\bwin(?:dows)?\s*(?:95|98|me|millennium)\b/i;
const RE_W_POSREADY2009 = /\b(?:windows\s+)?(?:embedded\s+)?pos\s?ready\s*2009\b/i;
const RE_W_XPE = /\bwindows\s+xp\s+embedded\b|\bwindows\s+embedded\s+xp\b/i;
/**
 * Windows Embedded for Point of Service, built from XP Embedded (NT 5.1): "Microsoft Windows Embedded for
 * Point of Service" is its branding string (winbrand.dll), "WEPOS 1.1 with SP3" how Configuration Manager
 * lists it.
 */
const RE_W_WEPOS = /\bwindows\s+embedded\s+for\s+point\s+of\s+service\b|\bwepos\b/i;
const RE_WEPOS_WORD = /\bwepos\b/i;
/** Windows Embedded Standard 2009, the XP-based release after XP Embedded, when named with its year. */
const RE_W_WES2009 = /\bwindows\s+embedded\s+standard\s*2009\b/i;
/**
 * "Windows Embedded Standard" alone: Standard 2009 brands itself so (winbrand.dll), and WMI names Standard 7
 * so too; the NT version tells which.
 */
const RE_W_EMB_STD = /\bwindows\s+embedded\s+standard\b(?!\s*(?:7|8|2009)\b)/i;
const RE_W_POSREADY7 = /\bwindows\s+(?:embedded\s+)?pos\s?ready\s*7\b/i;
const RE_W_WES7 = /\bwindows\s+(?:embedded\s+)?standard\s*7\b/i;
/** Informal: Embedded Standard 7, POSReady 7 or Windows 7 for Embedded Systems (which has Windows 7's dates). */
const RE_W_7EMB = /\bwindows\s+7\s+embedded\b/i;
const RE_W_EMB8 = /\bwindows\s+embedded\s+(?:(8\.1|8)(?![\d.])|standard\s*(8)(?![\d.]))/i;
const RE_W_THINPC = /\bwindows\s+thin\s?pc\b/i;
const RE_W_HOME_SERVER = /\bwindows\s+home\s+server(?:\s+(2011))?(?!\s*\d)/i;
/** The free Hyper-V Server SKUs ("Microsoft Hyper-V Server 2019": no word "Windows"). */
const RE_HYPERV_SERVER = /\bhyper-?v\s+server\s*(2008|2012|2016|2019)(?!\d)(\s*r2\b)?/i;
/** Azure Stack HCI / Azure Local: Windows Server-based, but its own short Modern Lifecycle. */
const RE_AZURE_HCI = /\bazure\s*stack\s*hci\b|\bazure\s+local\b/i;
const RE_W_SERVER_YEAR = /\bserver\b[^\d]{0,40}?(2000|2003|2008|2011|2012|2016|2019|2022|2025)(?!\d)(\s*,?\s*r2\b)?/i;
const RE_W_SHORT_YEAR = /\bwin(?:dows)?\s*(2000|2003|2008|2012|2016|2019|2022|2025)(?!\d)(\s*r2\b)?/i;
/** "Win 2k8 R2", "W2K12R2", "W2K16": 2-digit years after "2k". */
const RE_W_2K_YEAR = /\b(?:win(?:dows)?\s*|w)2k(0?3|0?8|12|16|19|22|25)(?!\d)(\s*r2\b)?/i;
const RE_W_2000 = /\b(?:win(?:dows)?\s*|w)(?:2000|2k)(?!\d)\b/i;
const RE_W_RT = /\bwindows\s+rt(?:\s*(8\.1))?(?![\d.])/i;
const RE_W_CLIENT = /\b(?:win(?:dows)?\s*|w(?=[178]))(xp|vista|7|8\.1|8|10|11)(?!\d)(?!\.\d)/i;
const RE_W_SAC = /\bserver\b,?\s*(?:version\s*)?(1709|1803|1903|1909|2004|20h2|23h2)\b/i;
const RE_W_SERVER_WORD = /\bserver\b|\bdatacenter\b/i;
const RE_W_NT_WS = /\bnt\s+workstation\b/i;
const RE_W_PROFESSIONAL = /\bprofessional\b/i;
const RE_R2 = /\br2\b/i;
const RE_X64_WORD = /\bx64\b/i;
const RE_PRERELEASE = /\b(?:rc\d?|beta|preview|insider|technical preview)\b/i;

const CLIENT_NT: Readonly<Record<string, string>> = {
  xp: '5.1',
  vista: '6.0',
  '7': '6.1',
  '8': '6.2',
  '8.1': '6.3',
  '10': '10.0',
  '11': '10.0',
};
const CLIENT_PRODUCT: Readonly<Record<string, WindowsProduct>> = {
  xp: 'Windows XP',
  vista: 'Windows Vista',
  '7': 'Windows 7',
  '8': 'Windows 8',
  '8.1': 'Windows 8.1',
  '10': 'Windows 10',
  '11': 'Windows 11',
};

function serverYearProduct(year: string, r2: boolean, notes: string[]): { product: WindowsProduct; nt: string } {
  switch (year) {
    case '2000':
      return { product: 'Windows 2000', nt: '5.0' };
    case '2003':
      return { product: r2 ? 'Windows Server 2003 R2' : 'Windows Server 2003', nt: '5.2' };
    case '2008':
      return r2 ? { product: 'Windows Server 2008 R2', nt: '6.1' } : { product: 'Windows Server 2008', nt: '6.0' };
    case '2011':
      notes.push('the 2011 server products (Small Business/Home Server) are built on Windows Server 2008 R2');
      return { product: 'Windows Server 2008 R2', nt: '6.1' };
    case '2012':
      return r2 ? { product: 'Windows Server 2012 R2', nt: '6.3' } : { product: 'Windows Server 2012', nt: '6.2' };
    case '2016':
      return { product: 'Windows Server 2016', nt: '10.0' };
    case '2019':
      return { product: 'Windows Server 2019', nt: '10.0' };
    case '2022':
      return { product: 'Windows Server 2022', nt: '10.0' };
    default: // 2025, the last year the caption pattern names
      return { product: 'Windows Server 2025', nt: '10.0' };
  }
}

function windowsName(s: string): WinName | null {
  if (!s || (!RE_WINDOWS.test(s) && !RE_W_SHORTHAND.test(s) && !RE_HYPERV_SERVER.test(s) && !RE_AZURE_HCI.test(s) && !RE_WEPOS_WORD.test(s))) return null;
  const w: WinName = {
    nonNt: null,
    product: null,
    nt: null,
    server: null,
    r2: RE_R2.test(s),
    rt: false,
    client: null,
    sacRelease: null,
    end: -1,
    preRelease: RE_PRERELEASE.test(s),
    notes: [],
    sku: null,
    embStd: false,
    block: null,
  };
  let m: RegExpExecArray | null;
  if (RE_W_OTHER.test(s)) {
    w.nonNt = 'other';
    return w;
  }
  if (RE_W_9X.test(s)) {
    w.nonNt = 'windows';
    return w;
  }
  if (RE_AZURE_HCI.test(s)) {
    return {
      ...w,
      server: true,
      block: 'Azure Stack HCI / Azure Local is not Windows Server: it follows its own Modern Lifecycle (each version is serviced for a short time) and no end dates for it are in the data; not judged',
    };
  }
  if ((m = RE_HYPERV_SERVER.exec(s))) {
    const year = m[1] ?? '';
    const r2 = !!m[2];
    const p = serverYearProduct(year, r2, w.notes);
    w.notes.push(`Hyper-V Server ${year}${r2 ? ' R2' : ''} is the free Windows Server ${year}${r2 ? ' R2' : ''} SKU (same code and updates); judged as ${p.product}`);
    return { ...w, product: p.product, nt: p.nt, server: true, r2, end: m.index + m[0].length };
  }
  if ((m = RE_W_HOME_SERVER.exec(s))) {
    const is2011 = m[1] === '2011';
    w.notes.push(
      is2011
        ? 'Windows Home Server 2011 is built on Windows Server 2008 R2 and has its own (shorter) end of support'
        : 'Windows Home Server is built on Windows Server 2003 and has its own (shorter) end of support',
    );
    const product: WindowsProduct = is2011 ? 'Windows Server 2008 R2' : 'Windows Server 2003';
    return { ...w, product, nt: is2011 ? '6.1' : '5.2', server: true, sku: 'home-server', end: m.index + m[0].length };
  }
  if ((m = RE_W_POSREADY2009.exec(s))) {
    return { ...w, product: 'Windows Embedded POSReady 2009', nt: '5.1', server: false, end: m.index + m[0].length };
  }
  if ((m = RE_W_WEPOS.exec(s))) {
    return { ...w, product: 'Windows Embedded for Point of Service', nt: '5.1', server: false, end: m.index + m[0].length };
  }
  if ((m = RE_W_WES2009.exec(s))) {
    return { ...w, product: 'Windows Embedded Standard 2009', nt: '5.1', server: false, end: m.index + m[0].length };
  }
  if ((m = RE_W_XPE.exec(s))) {
    return { ...w, product: 'Windows XP Embedded', nt: '5.1', server: false, end: m.index + m[0].length };
  }
  if ((m = RE_W_THINPC.exec(s))) {
    w.notes.push('Windows Thin PC is Windows 7 (NT 6.1) underneath, with its own end of support');
    return { ...w, product: 'Windows 7', nt: '6.1', server: false, sku: 'thin-pc', end: m.index + m[0].length };
  }
  if ((m = RE_W_POSREADY7.exec(s) ?? RE_W_WES7.exec(s))) {
    w.notes.push('Windows Embedded Standard 7 / POSReady 7 is Windows 7 (NT 6.1) underneath');
    const sku: EditionClass = /pos\s?ready/i.test(m[0]) ? 'posready-7' : 'embedded-standard-7';
    return { ...w, product: 'Windows 7', nt: '6.1', server: false, sku, end: m.index + m[0].length };
  }
  if ((m = RE_W_7EMB.exec(s))) {
    w.notes.push('"Windows 7 Embedded" does not say which edition (Embedded Standard 7, POSReady 7, or Windows 7 for Embedded Systems); judged as Windows 7, whose support ended first');
    return { ...w, product: 'Windows 7', nt: '6.1', server: false, end: m.index + m[0].length };
  }
  if ((m = RE_W_EMB8.exec(s))) {
    const v = m[1] === '8.1' ? '8.1' : '8';
    const rest = s.slice(m.index);
    const base = { ...w, product: CLIENT_PRODUCT[v] ?? null, nt: CLIENT_NT[v] ?? null, server: false, end: m.index + m[0].length };
    if (v === '8' && (m[2] === '8' || /\bstandard\b/i.test(rest))) return { ...base, sku: 'embedded-8-standard' };
    if (v === '8.1' && /\bindustry\b/i.test(rest)) return { ...base, sku: 'embedded-8.1-industry' };
    if (v === '8.1' && /\bpro\b/i.test(rest)) {
      w.notes.push('Windows Embedded 8.1 Pro has the end of support of Windows 8.1');
      return { ...base, notes: w.notes };
    }
    return {
      ...base,
      block: `Windows Embedded ${v}${v === '8' ? ' (Industry / Pro)' : ' without Industry or Pro'} has no lifecycle data here (its editions end on different dates); not judged`,
    };
  }
  if ((m = RE_W_EMB_STD.exec(s))) {
    return { ...w, server: false, embStd: true, end: m.index + m[0].length };
  }
  if ((m = RE_W_SERVER_YEAR.exec(s) ?? RE_W_SHORT_YEAR.exec(s))) {
    const year = m[1] ?? '';
    const r2 = !!m[2] || w.r2;
    const p = serverYearProduct(year, r2, w.notes);
    // "Windows 2000" was both Professional and Server; the later years are server-only.
    const server = year !== '2000' ? true : RE_W_SERVER_WORD.test(s) ? true : RE_W_PROFESSIONAL.test(s) ? false : null;
    return { ...w, product: p.product, nt: p.nt, server, r2, end: m.index + m[0].length };
  }
  if ((m = RE_W_2K_YEAR.exec(s))) {
    const year = `20${(m[1] ?? '').padStart(2, '0')}`;
    const r2 = !!m[2] || w.r2;
    const p = serverYearProduct(year, r2, w.notes);
    return { ...w, product: p.product, nt: p.nt, server: true, r2, end: m.index + m[0].length };
  }
  if ((m = RE_W_2000.exec(s))) {
    const server = RE_W_SERVER_WORD.test(s) ? true : RE_W_PROFESSIONAL.test(s) ? false : null;
    return { ...w, product: 'Windows 2000', nt: '5.0', server, end: m.index + m[0].length };
  }
  if ((m = RE_W_RT.exec(s))) {
    const is81 = m[1] === '8.1';
    return {
      ...w,
      product: is81 ? 'Windows RT 8.1' : 'Windows RT',
      nt: is81 ? '6.3' : '6.2',
      server: false,
      rt: true,
      end: m.index + m[0].length,
    };
  }
  if ((m = RE_W_CLIENT.exec(s))) {
    const key = (m[1] ?? '').toLowerCase();
    let nt = CLIENT_NT[key] ?? null;
    // XP Professional x64 Edition is NT 5.2 (Server 2003 code base).
    if (key === 'xp' && RE_X64_WORD.test(s)) nt = '5.2';
    return {
      ...w,
      product: CLIENT_PRODUCT[key] ?? null,
      nt,
      server: false,
      client: key === '10' ? '10' : key === '11' ? '11' : null,
      end: m.index + m[0].length,
    };
  }
  if ((m = RE_W_SAC.exec(s))) {
    return {
      ...w,
      product: 'Windows Server',
      nt: '10.0',
      server: true,
      sacRelease: canonRelease(m[1] ?? ''),
      end: m.index + m[0].length,
    };
  }
  if (RE_W_SERVER_WORD.test(s)) return { ...w, server: true };
  if (RE_W_NT_WS.test(s)) return { ...w, server: false };
  return w;
}

const RE_ED_STRIP = [
  /\[[^\]]*\]/g,
  /\(\s*(?:x64|x86|64[- ]?bits?|32[- ]?bits?)\s*\)/gi,
  /\b(?:x64|x86|itanium|ia64|64[- ]?bits?|32[- ]?bits?)(?:\s+edition)?\b/gi,
  /\bversion\s*\S+/gi,
  /\bservice\s*pack\s*\d+|\bsp\s*\d\b/gi,
  /\br2\b/gi,
  /\b(?:rc\d?|beta)\b/gi,
];
const RE_ED_EDGE = /^[\s,;:\-–|/]+|[\s,;:\-–|/]+$/g;
const RE_ED_TRAILING_EDITION = /\s+edition$/i;

/** The caption's words after the product ("Enterprise", "Enterprise 2016 LTSB", "企业版"). */
function captionEdition(caption: string, end: number): string | null {
  if (end < 0 || end >= caption.length) return null;
  let s = caption.slice(end);
  for (const re of RE_ED_STRIP) s = s.replace(re, ' ');
  s = s.replace(RE_SPACES, ' ').replace(RE_ED_EDGE, '');
  s = s.replace(RE_ED_TRAILING_EDITION, '').replace(RE_ED_EDGE, '');
  return s === '' || s.toLowerCase() === 'edition' ? null : s;
}

// ---------------------------------------------------------------------------------------------
// Non-Windows

interface OtherName {
  family: OsFamily;
  product: OtherProduct | null;
  kind: 'ubuntu' | 'debian' | 'rhel' | 'sles' | 'amazon' | 'macos' | 'darwin' | 'mobile' | 'esxi' | 'none';
  /** How the product was decided, when the name is not the product's own. */
  note?: string;
}

const RE_O_UBUNTU = /\bubuntu\b/i;
const RE_O_DEBIAN = /\bdebian\b/i;
/** Raspbian / Raspberry Pi OS: each release is built on the Debian release of the same number and codename. */
const RE_O_RASPBIAN = /\braspbian\b|\braspberry\s?pi\s?os\b/i;
const RE_O_RHEL = /\bred\s?hat\s+enterprise\s+linux\b|\bred\s?hat\b|\brhel\b/i;
// Red Hat Satellite writes "CentOS_Stream 8" and "OracleLinux 8.8" (its operating system names).
const RE_O_CENTOS = /\bcent\s?os(?:\b|(?=_))/i;
const RE_O_ROCKY = /\brocky(?:\s?linux)?\b/i;
const RE_O_ALMA = /\balma(?:\s?linux)?\b/i;
/** Oracle Linux (formerly Oracle Enterprise Linux); "Oracle" alone names other products too. */
const RE_O_ORACLE = /\boracle\s*(?:enterprise\s*)?linux\b/i;
/**
 * SUSE Linux Enterprise Server ("SLES", os-release ID "sles"). SLES for SAP Applications ("sles_sap") and
 * the Desktop, Micro and HPC products have lifecycles of their own and are not matched.
 */
const RE_O_SLES = /\bsles\b|\bsuse\s+linux\s+enterprise\s+server\b/i;
const RE_O_SLES_SAP = /\bfor\s+sap\b|\bsap\s+applications\b/i;
/** Amazon Linux (AMI, 2, 2023); os-release ID "amzn". */
const RE_O_AMAZON = /\bamazon\s?linux\b|\bamzn\b/i;
const RE_O_MAC = /\bmac\s?os(?:\s?x)?\b|\bos\s?x\b|\bosx\b/i;
const RE_O_DARWIN = /\bdarwin\b/i;
const RE_O_IOS = /\bi(?:pad)?os\b|\biphone\s?os\b/i;
const RE_O_ANDROID = /\bandroid/i;
const RE_O_LINUX =
  /\blinux\b|\bfedora\b|\bsuse\b|\bsles\b|\bopensuse\b|\bamzn\b|\balpine\b|\bgentoo\b|\braspbian\b|\bkali\b|\bmanjaro\b/i;
// Short osquery platform ids that would be too loose inside a caption.
const RE_O_LINUX_PLATFORM_ONLY = /^(?:arch|mint|ol|oracle|sles|amzn)$/i;
/**
 * VMware ESXi ("VMware ESXi 7.0.3 build-21930508" in vCenter and Lansweeper, "ESXi 8.0 Update 2"). Classic
 * ESX (4.x and older, a different product) and other VMware products are not matched.
 */
const RE_O_ESXI = /\besxi\b/i;
/** An ESXi release: major.minor ("7.0" of "7.0.3", "8.0 Update 2", "6.7.0"). */
const RE_ESXI_REL = /(?<![\d.])([5-9])\.(\d)(?:\.\d+)?(?![\d])/;
const RE_O_OTHER =
  /\bfreebsd\b|\bopenbsd\b|\bnetbsd\b|\bsolaris\b|\bsunos\b|\baix\b|\bhp-?ux\b|\bchrome\s?os\b|\besxi\b|\bvmware\b|\btvos\b|\bwatchos\b|\bvisionos\b/i;

function otherName(s: string, isPlatform: boolean): OtherName | null {
  if (!s) return null;
  if (RE_O_UBUNTU.test(s)) return { family: 'linux', product: 'Ubuntu', kind: 'ubuntu' };
  if (RE_O_DEBIAN.test(s)) return { family: 'linux', product: 'Debian', kind: 'debian' };
  if (RE_O_RASPBIAN.test(s)) {
    return {
      family: 'linux',
      product: 'Debian',
      kind: 'debian',
      note: 'Raspbian / Raspberry Pi OS follows the Debian release it is built on (10 buster, 11 bullseye, 12 bookworm); judged with that Debian release',
    };
  }
  if (RE_O_CENTOS.test(s)) return { family: 'linux', product: 'CentOS', kind: 'rhel' };
  if (RE_O_ROCKY.test(s)) return { family: 'linux', product: 'Rocky Linux', kind: 'rhel' };
  if (RE_O_ALMA.test(s)) return { family: 'linux', product: 'AlmaLinux', kind: 'rhel' };
  if (RE_O_ORACLE.test(s) || (isPlatform && /^ol$/i.test(s))) return { family: 'linux', product: 'Oracle Linux', kind: 'rhel' };
  if (RE_O_SLES.test(s)) {
    return RE_O_SLES_SAP.test(s) ? { family: 'linux', product: null, kind: 'none' } : { family: 'linux', product: 'SUSE Linux Enterprise Server', kind: 'sles' };
  }
  if (RE_O_AMAZON.test(s)) return { family: 'linux', product: 'Amazon Linux', kind: 'amazon' };
  if (RE_O_RHEL.test(s)) return { family: 'linux', product: 'Red Hat Enterprise Linux', kind: 'rhel' };
  if (RE_O_MAC.test(s)) return { family: 'macos', product: 'macOS', kind: 'macos' };
  if (RE_O_DARWIN.test(s)) return { family: 'macos', product: 'macOS', kind: 'darwin' };
  if (RE_O_IOS.test(s)) return { family: 'other', product: 'iOS', kind: 'mobile' };
  if (RE_O_ANDROID.test(s)) return { family: 'other', product: 'Android', kind: 'mobile' };
  if (RE_O_ESXI.test(s)) return { family: 'other', product: 'VMware ESXi', kind: 'esxi' };
  if (RE_O_LINUX.test(s) || (isPlatform && RE_O_LINUX_PLATFORM_ONLY.test(s))) {
    return { family: 'linux', product: null, kind: 'none' };
  }
  if (RE_O_OTHER.test(s)) return { family: 'other', product: null, kind: 'none' };
  return null;
}

const RE_PLAT_WINDOWS = /^win(?:dows)?(?:[\s_-]?(?:nt|32|64|10|11|server|desktop))?$/i;
/** Microsoft Defender for Endpoint OSPlatform: "Windows10", "Windows8.1", "WindowsServer2012R2", "Windows10WVD". */
const RE_PLAT_MDE = /^windows[\s_]?(?:server[\s_]?(2003|2008|2012|2016|2019|2022|2025)[\s_]?(r2)?|(xp|vista|7|8\.1|8|10|11))(?:[\s_]?wvd)?$/i;

interface PlatformInfo {
  family: OsFamily;
  other: OtherName | null;
  /** The Windows product a platform value names, as a caption ("Windows Server 2012 R2"). */
  caption?: string;
}

function platformInfo(p: string): PlatformInfo | null {
  if (!p) return null;
  if (RE_W_OTHER.test(p)) return { family: 'other', other: null };
  const mde = RE_PLAT_MDE.exec(p);
  if (mde) {
    const caption = mde[1] ? `Windows Server ${mde[1]}${mde[2] ? ' R2' : ''}` : `Windows ${mde[3] ?? ''}`;
    return { family: 'windows', other: null, caption };
  }
  if (RE_PLAT_WINDOWS.test(p) || /^microsoft windows/i.test(p)) return { family: 'windows', other: null };
  const o = otherName(p, true);
  if (o) return { family: o.family, other: o };
  // Kandji's and Jamf's platform column: "Mac", "iPad", "iPhone".
  if (/^(?:mac|ipados|iphone|ipad|ipod)$/i.test(p)) {
    return p.toLowerCase() === 'mac'
      ? { family: 'macos', other: { family: 'macos', product: 'macOS', kind: 'macos' } }
      : { family: 'other', other: { family: 'other', product: 'iOS', kind: 'mobile' } };
  }
  return null;
}

const RE_NUM_MAJOR = /(?<![\d.])(\d{1,2})(?:\.(\d{1,3}))?(?:\.\d+)*(?![\d])/;
const RE_UBUNTU_REL = /(?<![\d.])(\d{1,2})\.(\d{2})(?!\d)/;
const DEBIAN_CODENAMES: Readonly<Record<string, string>> = {
  wheezy: '7',
  jessie: '8',
  stretch: '9',
  buster: '10',
  bullseye: '11',
  bookworm: '12',
  trixie: '13',
};
const MAC_CODENAMES: Readonly<Record<string, string>> = {
  yosemite: '10.10',
  'el capitan': '10.11',
  sierra: '10.12',
  'high sierra': '10.13',
  mojave: '10.14',
  catalina: '10.15',
  'big sur': '11',
  monterey: '12',
  ventura: '13',
  sonoma: '14',
  sequoia: '15',
  tahoe: '26',
};
const RE_DEBIAN_CODE = /\b(wheezy|jessie|stretch|buster|bullseye|bookworm|trixie)\b/i;
const RE_MAC_CODE = /\b(high sierra|el capitan|big sur|yosemite|sierra|mojave|catalina|monterey|ventura|sonoma|sequoia|tahoe)\b/i;

function majorOf(s: string, max: number): number | null {
  const m = RE_NUM_MAJOR.exec(s);
  if (!m) return null;
  const n = toInt(m[1]);
  return n !== null && n >= 1 && n <= max ? n : null;
}

/** macOS marketing version -> release ("14", "10.15"); null when not a real macOS version. */
function macRelease(s: string): string | null {
  const m = RE_NUM_MAJOR.exec(s);
  if (!m) return null;
  const major = toInt(m[1]);
  if (major === null) return null;
  if (major === 10) {
    const minor = toInt(m[2]);
    return minor !== null && minor <= 15 ? `10.${minor}` : null;
  }
  if ((major >= 11 && major <= 15) || (major >= 26 && major <= 40)) return String(major);
  return null;
}

/** An Apple build number ("23F79", "21H1320", "19H2026", "22G830a"): the Darwin major, a letter, a number. */
const RE_APPLE_BUILD = /^(\d{2})[A-Z]\d{1,4}[a-z]?$/;

/** Is `build` an Apple build of the macOS release `version` names? */
function macBuildAgrees(version: string, build: string): boolean {
  const m = RE_APPLE_BUILD.exec(build.trim());
  const release = m ? macRelease(version) : null;
  if (!m || release === null || !/^\d+(?:\.\d+){0,2}$/.test(version.trim())) return false;
  const d = toInt(m[1]);
  if (d === null) return false;
  const fromBuild = d >= 20 && d <= 24 ? String(d - 9) : d === 25 ? '26' : d >= 5 && d <= 19 ? `10.${d - 4}` : null;
  return fromBuild === release;
}

/** Darwin kernel major -> macOS release (Darwin 20 = macOS 11 ... 24 = 15, 25 = 26 Tahoe). */
function darwinRelease(s: string, notes: string[]): string | null {
  const d = majorOf(s, 99);
  if (d === null) return null;
  if (d >= 20 && d <= 24) return String(d - 9);
  if (d === 25) return '26';
  if (d >= 5 && d <= 19) return `10.${d - 4}`;
  notes.push(`Darwin ${d} is newer than any known macOS; release unknown`);
  return null;
}

/**
 * Amazon Linux release: "2023" (versions 2023.x.y), "2" (2.0.y), or an Amazon Linux AMI version
 * ("2018.03"); null for anything else.
 */
function amazonRelease(s: string): string | null {
  const ami = /(?<![\d.])(201\d\.\d{2})(?![\d])/.exec(s);
  if (ami) return ami[1] ?? null;
  if (/(?<![\d.])2023(?![\d])/.test(s)) return '2023';
  if (/(?<![\d.])2(?:\.0(?:\.\d+)*)?(?![\d.])/.test(s)) return '2';
  return null;
}

/**
 * SLES service pack: "SP5", "15-SP5", or the minor of os-release's VERSION_ID ("15.4" is 15 SP4); "GA"
 * or "SP0" is 0. Null when the inventory does not say: a bare "15" may be 15 GA or a service pack left out.
 */
function slesServicePack(c: Cells): number | null {
  if (/^\d{1,2}$/.test(c.servicePack)) return toInt(c.servicePack);
  for (const s of [c.osName, c.osVersion, c.servicePack, c.release]) {
    if (!s) continue;
    const sp = /\bSP\s?(\d{1,2})\b|-SP(\d{1,2})\b|\bservice\s+pack\s+(\d{1,2})\b/i.exec(s);
    if (sp) return toInt(sp[1] ?? sp[2] ?? sp[3]);
    if (/\bGA\b/.test(s)) return 0;
    const dotted = /(?<![\d.])1[0-9]\.([1-9])(?![\d])/.exec(s);
    if (dotted) return toInt(dotted[1]);
  }
  return null;
}

/**
 * The release of a product other than Windows, from its name and version cells; failing them, from a
 * release cell (SUSE Manager's and Landscape's "Release" beside the distribution's name: "15.5", "22.04").
 */
function otherRelease(o: OtherName, c: Cells, platformIsDarwin: boolean, notes: string[]): string | null {
  const r = otherReleaseOf(o, c, platformIsDarwin, notes);
  if (r !== null || !c.release || c.release === c.osVersion || o.kind === 'amazon') return r;
  return otherReleaseOf(o, { ...c, osVersion: c.release }, platformIsDarwin, notes);
}

function otherReleaseOf(o: OtherName, c: Cells, platformIsDarwin: boolean, notes: string[]): string | null {
  const name = c.osName;
  const ver = c.osVersion;
  switch (o.kind) {
    case 'ubuntu': {
      const m = RE_UBUNTU_REL.exec(name) ?? RE_UBUNTU_REL.exec(ver);
      return m ? `${m[1]}.${m[2]}` : null;
    }
    case 'debian': {
      const n = majorOf(name, 30) ?? majorOf(ver, 30);
      if (n !== null) return String(n);
      const code = RE_DEBIAN_CODE.exec(`${name} ${ver}`);
      return code ? (DEBIAN_CODENAMES[(code[1] ?? '').toLowerCase()] ?? null) : null;
    }
    case 'rhel': {
      const n = majorOf(name, 20) ?? majorOf(ver, 20);
      return n === null ? null : String(n);
    }
    case 'sles': {
      const n = majorOf(name, 30) ?? majorOf(ver, 30);
      return n === null ? null : String(n);
    }
    case 'amazon':
      // A version cell of "2023" alone reaches here as a release (it reads like a Windows feature update).
      return amazonRelease(name) ?? amazonRelease(ver) ?? amazonRelease(c.release);
    case 'macos':
    case 'darwin': {
      const explicitDarwin = o.kind === 'darwin';
      const fromName = explicitDarwin ? null : macRelease(name);
      if (fromName) return fromName;
      if (ver) {
        const vMajor = majorOf(ver, 99);
        // Darwin kernel majors 20-25 never clash with macOS majors (10-15, 26+).
        if (explicitDarwin || (platformIsDarwin && vMajor !== null && vMajor >= 16 && vMajor <= 25)) {
          return darwinRelease(ver, notes);
        }
        const r = macRelease(ver);
        if (r) return r;
      }
      if (explicitDarwin && !ver) {
        const r = darwinRelease(name, notes);
        if (r) return r;
      }
      const code = RE_MAC_CODE.exec(`${name} ${ver}`);
      return code ? (MAC_CODENAMES[(code[1] ?? '').toLowerCase()] ?? null) : null;
    }
    case 'mobile': {
      const n = majorOf(ver, 60) ?? majorOf(name, 60);
      return n === null ? null : String(n);
    }
    case 'esxi': {
      // The name's release first ("VMware ESXi 6.7.0 build-8169922"); a build number is never a release.
      const m = RE_ESXI_REL.exec(name.replace(/\bbuild[\s-]*\d+/gi, '')) ?? RE_ESXI_REL.exec(ver.replace(/\bbuild[\s-]*\d+/gi, ''));
      return m ? `${m[1]}.${m[2]}` : null;
    }
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Windows resolution

/** The products each SKU (WinName.sku) is built on. */
const SKU_BASE: Readonly<Record<EditionClass, readonly WindowsProduct[]>> = {
  consumer: [],
  enterprise: [],
  ltsc: [],
  'iot-ltsc': [],
  'embedded-standard-7': ['Windows 7'],
  'posready-7': ['Windows 7'],
  'thin-pc': ['Windows 7'],
  'embedded-8-standard': ['Windows 8'],
  'embedded-8.1-industry': ['Windows 8.1'],
  'home-server': ['Windows Server 2003', 'Windows Server 2008 R2'],
};

interface Resolved {
  product: WindowsProduct | null;
  release: string | null;
  server: boolean | null;
}

interface ReleaseHints {
  cell: string | null;
  caption: string | null;
  ltsc: { client: '10' | '11'; release: string } | null;
  /** The caption is a server caption without a year ("Windows Server Datacenter"), as Semi-Annual Channel releases have (not the NT-family strings of Configuration Manager). */
  yearlessServer: boolean;
}

/** Nearest lower known build of a line, wes.py style, with a note when not exact. */
function lineLookup<T extends { build: number }>(
  rows: readonly T[],
  b: number,
  label: (r: T) => string,
  notes: string[],
): T | null {
  let hit: T | null = null;
  for (const r of rows) {
    if (r.build <= b) hit = r;
    else break;
  }
  if (!hit || hit.build === b) return hit;
  const last = rows[rows.length - 1];
  if (last && hit === last) notes.push(`build ${b} is newer than any known build; treated as ${label(hit)}`);
  else notes.push(`build ${b} is not a known release build; treated as ${label(hit)} (nearest lower known build ${hit.build})`);
  return hit;
}

function clientLookup(b: number, notes: string[]): Resolved {
  if (b < WIN10[0]!.build) {
    notes.push(`build ${b} is older than Windows 10 version 1507 (build 10240), probably a pre-release; release unknown`);
    return { product: 'Windows 10', release: null, server: false };
  }
  const eleven = b >= WIN11_FIRST_BUILD;
  const product = eleven ? 'Windows 11' : 'Windows 10';
  const row = lineLookup(eleven ? WIN11 : WIN10, b, (r) => `${product} ${r.release}`, notes);
  return { product, release: row ? row.release : null, server: false };
}

function serverLabel(r: ServerRow): string {
  return r.release ? `Windows Server, version ${r.release}` : r.product;
}

function serverLookup(b: number, notes: string[]): Resolved {
  if (b < SERVER[0]!.build) {
    notes.push(`server build ${b} is older than Windows Server 2016 (build 14393), probably a preview; product unknown`);
    return { product: null, release: null, server: true };
  }
  const row = lineLookup(SERVER, b, serverLabel, notes);
  return { product: row ? row.product : null, release: row ? row.release : null, server: true };
}

function pickClientRelease(product: string, hints: ReleaseHints, notes: string[]): string | null {
  const known = product === 'Windows 11' ? WIN11_RELEASES : WIN10_RELEASES;
  for (const h of [hints.cell, hints.caption]) {
    if (!h) continue;
    if (h === RELEASE_ID_2009) {
      notes.push(`${NOTE_2009}; release unknown`);
      continue;
    }
    if (known.has(h)) return h;
    notes.push(`release ${h} is not a known ${product} release; ignored`);
  }
  if (hints.ltsc && hints.ltsc.client === (product === 'Windows 11' ? '11' : '10')) {
    notes.push(`release ${hints.ltsc.release} taken from the LTSB/LTSC year in the name`);
    return hints.ltsc.release;
  }
  return null;
}

function resolveNt10(b: number | null, server: boolean | null, w: WinName | null, hints: ReleaseHints, notes: string[]): Resolved {
  if (b === null) {
    if (server !== true && w?.client) {
      const product = w.client === '11' ? 'Windows 11' : 'Windows 10';
      return { product, release: pickClientRelease(product, hints, notes), server: false };
    }
    if (server !== false && w?.product && w.product.startsWith('Windows Server')) {
      return { product: w.product, release: w.product === 'Windows Server' ? w.sacRelease : null, server: true };
    }
    if (server === true && hints.cell && SAC_RELEASES.has(hints.cell)) {
      return { product: 'Windows Server', release: hints.cell, server: true };
    }
    notes.push(
      server === true
        ? 'NT 10.0 server without a build number could be any Windows Server from 2016 on; product unknown'
        : 'NT 10.0 without a build number could be Windows 10, Windows 11 or Windows Server; product unknown',
    );
    return { product: null, release: null, server };
  }

  let useServer = server;
  if (useServer === null) {
    const c = CLIENT_BY_BUILD.get(b);
    const s = SERVER_BY_BUILD.get(b);
    if (c && s) {
      notes.push(`build ${b} is both ${c} and ${serverLabel(s)}; no name or product type says which`);
      return { product: null, release: null, server: null };
    }
    if (c) useServer = false;
    else if (s) useServer = true;
    else {
      notes.push(`build ${b} is not a known build and nothing says whether it is a client or a server; product unknown`);
      return { product: null, release: null, server: null };
    }
  }

  // A name that names the product decides together with the build: they must agree, except that
  // Windows 11 keeps "Windows 10" in its registry ProductName (and so in many captions).
  const contested = (said: string): Resolved => {
    notes.push(`name says ${w?.product} but build ${b} is ${said}: the name and the numbers name different Windows products, so the product is unknown (correct the OS name or version of this host)`);
    return { product: null, release: null, server: null };
  };
  // A release build of one side only, on a host said to be of the other side (by its name or its
  // product type), is not looked up on that side as the nearest build of another product.
  const onlyServer = SERVER_BY_BUILD.has(b) && !CLIENT_BY_BUILD.has(b) ? serverLabel(SERVER_BY_BUILD.get(b)!) : null;
  const onlyClient = CLIENT_BY_BUILD.has(b) && !SERVER_BY_BUILD.has(b) ? CLIENT_BY_BUILD.get(b)! : null;
  if ((useServer === false && onlyServer) || (useServer === true && onlyClient)) {
    if (w?.product) return contested((onlyServer ?? onlyClient)!);
    notes.push(`build ${b} is ${(onlyServer ?? onlyClient)!} only, but the row says ${useServer ? 'server' : 'workstation'}; product unknown`);
    return { product: null, release: null, server: null };
  }
  const r = useServer ? serverLookup(b, notes) : clientLookup(b, notes);
  if (useServer && b === SHARED_SERVER_BUILD && !w?.product) {
    // Build 17763 is Windows Server 2019 (LTSC), captioned with its year, and Windows Server, version 1809
    // (Semi-Annual Channel, support ended 2020-11-10), captioned without: 1809 said outright is the latter,
    // and a caption without the year may be either.
    if (w?.sacRelease === '1809' || hints.cell === '1809' || hints.caption === '1809') return { product: 'Windows Server', release: '1809', server: true };
    if (hints.yearlessServer && !w?.sacRelease) {
      notes.push(`build ${b} with a server caption without a year is Windows Server 2019 or Windows Server, version 1809 (Semi-Annual Channel, whose captions carry no year); product unknown`);
      return { product: null, release: null, server: true };
    }
  }
  if (w?.product && r.product && w.product !== r.product && (w.client || w.product.startsWith('Windows Server'))) {
    if (w.client === '10' && r.product === 'Windows 11') {
      notes.push(`name says ${w.product} but build ${b} is ${r.product}; trusted the build (Windows 11 still calls itself "Windows 10" in its registry ProductName, which many exports copy)`);
    } else return contested(r.release && r.product !== 'Windows Server' ? `${r.product} ${r.release}` : r.product === 'Windows Server' ? `Windows Server, version ${r.release}` : r.product);
  }
  if (!useServer && r.release) {
    for (const h of [hints.cell, hints.caption]) {
      if (!h || h === r.release) continue;
      if (h === RELEASE_ID_2009 && (r.product === 'Windows 11' || WIN10_REPORTING_2009.has(r.release))) {
        notes.push(`${NOTE_2009}; build ${b} says ${r.release}`);
      } else notes.push(`release ${h} given but build ${b} is ${r.release}; trusted the build`);
    }
  }
  return r;
}

function spFromBuild(nt: string | null, b: number | null): number | null {
  if (b === null) return null;
  if (nt === '6.1') return b === 7600 ? 0 : b === 7601 ? 1 : null;
  if (nt === '6.0') return b === 6000 ? 0 : b === 6001 ? 1 : b === 6002 || b === 6003 ? 2 : null;
  return null;
}

interface BuildCell {
  build: number | null;
  rev: number | null;
  ver: Ver | null;
}
const RE_BUILD_ONLY = /^(\d{1,6})$/;
/** .NET's Environment.OSVersion.ToString(): "Microsoft Windows NT 10.0.14393.0". */
const RE_DOTNET_OSVERSION = /^\s*microsoft\s+windows\s+nt\s+\d+\.\d+\.\d+\.0\s*$/i;
const RE_BUILD_REV = /^(\d{3,6})\.(\d{1,6})$/;

function parseBuildCell(s: string, notes: string[]): BuildCell {
  if (!s) return { build: null, rev: null, ver: null };
  let m = RE_BUILD_ONLY.exec(s);
  if (m) return { build: toInt(m[1]), rev: null, ver: null };
  m = RE_BUILD_REV.exec(s);
  if (m) return { build: toInt(m[1]), rev: toInt(m[2]), ver: null };
  const v = parseVersion(s);
  if (v && v.build !== null) return { build: v.build, rev: v.rev, ver: v };
  notes.push(`build value "${s.slice(0, 40)}" not understood; ignored`);
  return { build: null, rev: null, ver: null };
}

function resolveWindows(c: Cells, w: WinName | null, caption: string, out: OsInfo): void {
  const notes = out.notes;
  if (w) notes.push(...w.notes);
  if (w?.preRelease && w.product) notes.push('name marks a pre-release (RC/beta/preview) build');

  // A name that names a product (and so its NT version) is not overridden by numbers that cannot be
  // that OS's: they are ignored when they are no Windows version at all, and when they name another
  // Windows the host is in conflict (product unknown), except for the known reporting quirks below.
  const named = w?.product && w.nt ? w : null;
  const quote = (s: string) => `"${s.slice(0, 60)}"`;
  const conflict = (why: string): void => {
    notes.push(`${why}: the name and the numbers name different Windows products, so the product is unknown (correct the OS name or version of this host)`);
    out.family = 'windows';
    out.product = null;
    out.release = null;
    out.edition = c.edition || null;
    out.editionClass = null;
    out.ntVersion = null;
    out.build = null;
    out.revision = null;
    out.servicePack = null;
    out.server = null;
    out.arch = parseArchCell(c.arch) ?? archHint(`${c.osName} ${c.osVersion}`);
  };

  // --- numbers
  const versionCell = parseVersion(c.osVersion);
  let fromVersion = versionCell;
  if (versionCell && named) {
    const why = notAnOsVersion(versionCell);
    if (why) {
      notes.push(`version ${quote(c.osVersion)} cannot be the version of ${named.product} (${why}); ignored, judged by the name`);
      fromVersion = null;
    }
  }
  if (fromVersion?.otherBuild !== undefined && fromVersion.build !== null) {
    // Two builds in one cell: which the machine runs is not known (the release and updates differ).
    notes.push(`version ${quote(c.osVersion)} names two builds (${fromVersion.build} and ${fromVersion.otherBuild}); neither is used`);
    fromVersion = { ...fromVersion, build: null, rev: null };
  }
  const nameVer = parseNameVersion(c.osName);
  if (fromVersion && nameVer && NT_VERSIONS.has(`${nameVer.major}.${nameVer.minor}`) && NT_VERSIONS.has(`${fromVersion.major}.${fromVersion.minor}`) && `${nameVer.major}.${nameVer.minor}` !== `${fromVersion.major}.${fromVersion.minor}`) {
    conflict(`name ${quote(c.osName)} is NT ${nameVer.major}.${nameVer.minor} but version ${quote(c.osVersion)} is NT ${fromVersion.major}.${fromVersion.minor}`);
    return;
  }
  let ver = fromVersion ?? nameVer;
  const bc = parseBuildCell(c.build, notes);
  if (bc.ver && named && notAnOsVersion(bc.ver)) {
    notes.push(`build value ${quote(c.build)} is no Windows build of ${named.product}; ignored`);
    bc.build = null;
    bc.rev = null;
    bc.ver = null;
  }
  if (!ver && bc.ver) ver = bc.ver;
  const verText = ver === fromVersion ? c.osVersion : ver === bc.ver ? c.build : c.osName;

  let ntVer: string | null = null;
  if (ver) {
    const nv = `${ver.major}.${ver.minor}`;
    if (NT_VERSIONS.has(nv) || (ver.major >= 3 && ver.major <= 4)) ntVer = nv;
    else notes.push(`version ${nv} is not a Windows NT version; ignored`);
  }
  const verBuild = ntVer !== null && ver ? ver.build : null;
  if (named && bc.build !== null && bc.build < 1000) {
    notes.push(`build ${bc.build} is no Windows build number; ignored`);
    bc.build = null;
    bc.rev = null;
  }
  let build = bc.build ?? verBuild;
  // The version's revision is its own build's: with another build used, it is no update level of that one.
  const otherBuild = bc.build !== null && verBuild !== null && bc.build !== verBuild;
  if (otherBuild) {
    notes.push(`build column ${bc.build} differs from version build ${verBuild}; used the build column${ver?.rev != null ? `, without the version's revision ${ver.rev}` : ''}`);
  }
  const revCell = c.revision ? RE_BUILD_ONLY.exec(c.revision) : null;
  // A revision cell that repeats the build ("19045.5131") counts only for the build the row is on.
  const revWithBuild = c.revision && !revCell ? RE_BUILD_REV.exec(c.revision.trim()) : null;
  let revFromCell = revCell ? toInt(revCell[1]) : null;
  if (revWithBuild && build !== null && toInt(revWithBuild[1]) === build) revFromCell = toInt(revWithBuild[2]);
  else if (revWithBuild) notes.push(`revision value "${c.revision.slice(0, 40)}" is of build ${revWithBuild[1]}, not ${build ?? 'a build given in this row'}; ignored`);
  else if (c.revision && !revCell) notes.push(`revision value "${c.revision.slice(0, 40)}" not understood; ignored`);
  // .NET's Environment.OSVersion ("Microsoft Windows NT 10.0.14393.0") always ends in .0: no update level.
  const dotnetZero = ver !== null && ver.rev === 0 && RE_DOTNET_OSVERSION.test(verText);
  if (dotnetZero) notes.push(`version ${quote(verText)} is .NET's Environment.OSVersion, whose last part is always 0: no build revision`);
  let revision = revFromCell ?? bc.rev ?? (ntVer !== null && ver && !dotnetZero && !otherBuild ? ver.rev : null);
  if (revision === 0 && ntVer === '10.0' && !dotnetZero) {
    // No Windows 10/11 or Server 2016+ release ran at revision 0 once serviced (14393 shipped as .10,
    // 17763 as .1): a ".0" is a tool writing no revision, not an update level.
    notes.push(`build revision 0 in ${quote(revFromCell !== null ? c.revision : verText)} is read as no revision (a tool leaving it out), not as an update level`);
    revision = null;
  }

  // --- NT version: the version string wins over the caption, except for the 6.2 compatibility lie.
  let nt: string | null = ntVer;
  let name: WinName | null = w;
  if (ntVer && w?.nt && ntVer !== w.nt) {
    if (ntVer === '6.2' && (w.nt === '6.3' || w.nt === '10.0')) {
      notes.push(`version 6.2 with a ${w.product ?? 'newer'} name looks like the GetVersionEx compatibility value; trusted the name`);
      nt = w.nt;
      if (build === 9200) {
        build = null;
        revision = null;
      }
    } else if (w.rt && (ntVer === '6.2' || ntVer === '6.3')) {
      // "Windows RT" caption on 8.1: the version picks RT vs RT 8.1.
      nt = ntVer;
    } else if (ntVer === '5.2' && w.product === 'Windows XP') {
      // XP Professional x64 Edition is NT 5.2.
    } else if (R2_OF[w.product ?? ''] && R2_OF[w.product ?? '']!.nt === ntVer) {
      // Some exports drop the "R2" ("Windows Server 2008 Standard" on 6.1.7601): the version says which.
      const r2 = R2_OF[w.product ?? '']!;
      notes.push(`name says ${w.product} but version ${ntVer} is ${r2.product}; read as ${r2.product} (the name lacks its "R2")`);
      name = { ...w, product: r2.product, nt: ntVer, r2: true };
    } else if (w.product) {
      conflict(`name ${quote(caption)} is ${w.product} (NT ${w.nt}) but version ${quote(verText)} is NT ${ntVer} (${ntLabel(ntVer, build)})`);
      return;
    } else {
      notes.push(`name says NT ${w.nt} but version ${ntVer} says otherwise; trusted the version`);
      // Keep only the client/server hint from a caption that contradicts the version.
      name = { ...w, product: null, nt: null, r2: false, rt: false, client: null, sacRelease: null, end: -1, sku: null, embStd: false };
    }
  }
  if (nt === null) nt = name?.nt ?? (build !== null ? ntFromBuild(build) : null);
  if (nt !== null && build !== null && buildFitsNt(nt, build) === false) {
    const from = ntVer !== null ? `version ${quote(verText)}` : name?.product ? `name ${quote(caption)}` : `NT ${nt}`;
    const said = ntVer === null && name?.product ? `${name.product} (NT ${nt})` : `NT ${nt}`;
    const fit = ntFromBuild(build);
    conflict(`${from} is ${said} but build ${build} is ${fit ? `NT ${fit} (${ntLabel(fit, build)})` : `no NT ${nt} build`}`);
    return;
  }

  // --- client or server
  const pt = parseProductType(c.productType);
  if (c.productType && pt === null) notes.push(`product type "${c.productType.slice(0, 40)}" not understood; ignored`);
  const nm = name?.server ?? null;
  const ed = editionServerHint(c.edition, nt);
  const signals: [string, boolean | null][] = [
    ['product type', pt],
    ['name', nm],
    ['edition', ed],
  ];
  const given = signals.filter((x): x is [string, boolean] => x[1] !== null);
  let server: boolean | null = given.length ? given[0]![1] : null;
  if (given.some((x) => x[1] !== server)) {
    notes.push(
      `${given.map(([k, v]) => `${k} says ${v ? 'server' : 'workstation'}`).join(', ')}; treated as unknown`,
    );
    server = null;
  }

  // --- release hints (used when no build says otherwise)
  const relCell = c.release ? RE_REL_CELL.exec(c.release) : null;
  if (c.release && !relCell) notes.push(`release value "${c.release.slice(0, 40)}" not understood; ignored`);
  const capText = `${c.osName} ${fromVersion ? '' : c.osVersion}`;
  const capRel = RE_REL_VERSION.exec(capText) ?? RE_REL_TOKEN.exec(capText);
  const ltscM = RE_LTSC_YEAR.exec(`${caption} ${c.edition}`);
  const hints: ReleaseHints = {
    cell: relCell ? canonRelease(relCell[1] ?? relCell[2] ?? relCell[3] ?? '') : null,
    caption: capRel ? canonRelease(capRel[1] ?? '') : null,
    ltsc: ltscM ? (LTSC_YEARS[ltscM[1] ?? ltscM[2] ?? ''] ?? null) : null,
    yearlessServer: !w?.product && /\bwindows\s+server\b/i.test(`${caption} ${c.edition}`) && !/\bnt\b/i.test(caption),
  };

  // --- product
  let r: Resolved = { product: null, release: null, server };
  const ambiguous = (a: string, b: string): Resolved => {
    notes.push(`NT ${nt} is ${a} or ${b}; no name or product type says which`);
    return { product: null, release: null, server: null };
  };
  switch (nt) {
    case '5.0':
      r = { product: 'Windows 2000', release: null, server };
      break;
    case '5.1':
      r = { product: name?.nt === '5.1' && name.product ? name.product : 'Windows XP', release: null, server: false };
      break;
    case '5.2':
      if (server === true) r = { product: name?.r2 ? 'Windows Server 2003 R2' : 'Windows Server 2003', release: null, server };
      else if (server === false) r = { product: 'Windows XP', release: null, server };
      else {
        const a = parseArchCell(c.arch) ?? archHint(`${c.osName} ${c.osVersion}`);
        if (a === 'x86') {
          notes.push('NT 5.2 on x86 can only be Windows Server 2003 (XP x64 is 64-bit)');
          r = { product: name?.r2 ? 'Windows Server 2003 R2' : 'Windows Server 2003', release: null, server: true };
        } else r = ambiguous('Windows Server 2003', 'Windows XP x64');
      }
      break;
    case '6.0':
      if (server === true) r = { product: 'Windows Server 2008', release: null, server };
      else if (server === false || build === 6000) r = { product: 'Windows Vista', release: null, server: false };
      else r = ambiguous('Windows Vista', 'Windows Server 2008');
      break;
    case '6.1':
      if (server === true) r = { product: 'Windows Server 2008 R2', release: null, server };
      else if (server === false) r = { product: 'Windows 7', release: null, server };
      else r = ambiguous('Windows 7', 'Windows Server 2008 R2');
      break;
    case '6.2':
      if (server === true) r = { product: 'Windows Server 2012', release: null, server };
      else if (server === false || name?.rt) r = { product: name?.rt ? 'Windows RT' : 'Windows 8', release: null, server: false };
      else r = ambiguous('Windows 8', 'Windows Server 2012');
      break;
    case '6.3':
      if (server === true) r = { product: 'Windows Server 2012 R2', release: null, server };
      else if (server === false || name?.rt) r = { product: name?.rt ? 'Windows RT 8.1' : 'Windows 8.1', release: null, server: false };
      else r = ambiguous('Windows 8.1', 'Windows Server 2012 R2');
      break;
    case '10.0':
      r = resolveNt10(build, server, name, hints, notes);
      break;
    case null:
      if (name?.nonNt === 'windows') notes.push('Windows 9x/ME is not NT-based; not assessed');
      else notes.push('no Windows version or product found');
      break;
    default:
      notes.push(`NT ${nt} is not a Windows release this tool knows`);
  }
  // --- SKUs built on the product with a lifecycle of their own
  let sku: EditionClass | null = name?.sku ?? null;
  if (name?.embStd) {
    if (nt === '5.1') {
      r = { product: 'Windows Embedded Standard 2009', release: null, server: false };
      notes.push('"Windows Embedded Standard" on NT 5.1 is Windows Embedded Standard 2009');
    } else if (nt === '6.1' && r.product === 'Windows 7') {
      sku = 'embedded-standard-7';
      notes.push('"Windows Embedded Standard" on NT 6.1 is Windows Embedded Standard 7');
    } else if (nt === '6.2' && r.product === 'Windows 8') {
      sku = 'embedded-8-standard';
      notes.push('"Windows Embedded Standard" on NT 6.2 is Windows Embedded 8 Standard');
    } else {
      if (r.product) notes.push(`"Windows Embedded Standard" on ${r.product} is no known Windows Embedded release; product unknown`);
      else if (nt === null) notes.push('"Windows Embedded Standard" without a version could be Standard 2009, 7 or 8; product unknown');
      r = { product: null, release: null, server: false };
    }
  }
  if (sku && r.product && !SKU_BASE[sku].includes(r.product)) {
    notes.push(`the name's ${sku} edition does not fit ${r.product}; judged as ${r.product}`);
    sku = null;
  }

  if (r.product && server !== null && r.server !== null && r.server !== server) {
    notes.push(`${r.product} is ${r.server ? 'a server' : 'a workstation'} product although the row says otherwise`);
  }
  if (r.product === 'Windows 7' && build === 7100) notes.push('build 7100 is the Windows 7 release candidate');

  // --- service pack: explicit text wins unless the build proves a higher level
  const spExplicit =
    parseSpCell(c.servicePack) ?? parseSpText(c.osVersion) ?? parseSpText(c.osName) ?? (ver && ntVer !== null && !ver.noBuild ? ver.sp : null);
  const spBuild = spFromBuild(nt, build);
  let sp = spExplicit ?? spBuild;
  if (spExplicit !== null && spBuild !== null && spBuild !== spExplicit) {
    if (spBuild > spExplicit) {
      sp = spBuild;
      notes.push(`build ${build} means service pack ${spBuild} although SP${spExplicit} is given; used the build`);
    } else notes.push(`SP${spExplicit} given although build ${build} suggests SP${spBuild}; used the given value`);
  }
  if (r.product === 'Windows Server 2008' && build === 6001) {
    notes.push('Windows Server 2008 RTM is build 6001, the Vista SP1 level');
  }

  // --- edition
  const capEd = name && name.end >= 0 ? captionEdition(caption, name.end) : null;
  let edition: string | null = c.edition || null;
  if (capEd && (!edition || capEd.toLowerCase().includes(edition.toLowerCase()))) edition = capEd;

  // --- arch
  let arch = parseArchCell(c.arch) ?? archHint(`${c.osName} ${c.osVersion}`);
  if (!arch && r.product === 'Windows XP' && nt === '5.2') {
    arch = 'x64';
    notes.push('Windows XP on NT 5.2 is the x64 edition');
  }
  if (!arch && (r.product === 'Windows RT' || r.product === 'Windows RT 8.1')) arch = 'arm';

  out.family = 'windows';
  out.product = r.product;
  out.release = r.release;
  out.edition = edition;
  out.editionClass = null;
  if (r.product === 'Windows 10' || r.product === 'Windows 11') {
    const ec = classifyEdition(`${caption} ${c.edition}`, `${capEd ?? (name && name.end >= 0 ? '' : (captionEdition(caption, 0) ?? ''))} ${c.edition}`);
    out.editionClass = ec.cls;
    if (ec.note) notes.push(ec.note);
    const words = `${caption} ${c.edition}`;
    // Home words, even next to Pro ones ("Home" in the caption, "Professional" in the edition cell): the
    // shorter consumer ESU applies (fail closed).
    if (ec.cls === 'consumer' && RE_EC_HOME.test(words)) out.home = true;
  } else if (sku && r.product) out.editionClass = sku;
  const block = name?.block ?? w?.block ?? null;
  if (block) {
    notes.push(block);
    out.product = null;
    out.release = null;
    out.editionClass = null;
  }
  out.ntVersion = nt;
  out.build = build;
  // A revision (UBR) means nothing without the build it belongs to. Windows 7 / Server 2008 R2 and
  // earlier keep no UBR: a fourth part there ("6.1.7601.24545") is a file's version, not an update level.
  if (revision !== null && build !== null && nt !== null && NO_UBR_NT.has(nt)) {
    notes.push(`${build}.${revision}: NT ${nt} has no build revision (UBR); the last part is a file version, not read as an update level`);
    revision = null;
  }
  out.revision = build === null ? null : revision;
  out.servicePack = sp;
  out.server = r.product ? r.server : server;
  out.arch = arch;
}

// ---------------------------------------------------------------------------------------------
// Entry point

const cache = new Map<string, Readonly<OsInfo>>();

/** An OS nothing is known of: every field empty (the starting point of every normalisation). */
export function emptyInfo(raw: string): OsInfo {
  return {
    raw,
    family: 'unknown',
    product: null,
    release: null,
    edition: null,
    editionClass: null,
    ntVersion: null,
    build: null,
    revision: null,
    servicePack: null,
    server: null,
    arch: null,
    notes: [],
  };
}

/** A name cell that is only an OS family ("windows", "Linux"), as Azure Resource Graph's osName: the family, or null. */
function familyWord(name: string): OsFamily | null {
  const n = name.trim().toLowerCase();
  if (/^(?:microsoft\s+)?windows$/.test(n)) return 'windows';
  if (/^(?:gnu\/)?linux$/.test(n)) return 'linux';
  if (/^(?:mac\s?os(?:\s?x)?|os\s?x|darwin)$/.test(n)) return 'macos';
  return null;
}

/** Where a name cell may list several systems: lines, semicolons, bars, commas, " / ". */
const RE_OS_LIST_SEPARATOR = /[\r\n;|,]|\s\/\s/;
const RE_OS_LIST_SPLIT = /[\r\n;|,]+|\s\/\s/;

/**
 * The distinct systems a name cell lists, when it lists more than one ("Microsoft Windows Server 2019
 * Datacenter" and "Microsoft Windows Server 2008 R2 Datacenter" on two lines: a network scanner's OS
 * fingerprint gives every candidate when it cannot tell). Parts that name no system ("Standard Edition"
 * after a comma) do not count. Null for a cell naming one system.
 */
function severalSystems(name: string | undefined): string[] | null {
  if (!name || !RE_OS_LIST_SEPARATOR.test(name)) return null;
  // family → system → release → the text naming it; "" for a part naming only the family ("Linux"), or
  // a system without a release.
  const named = new Map<string, Map<string, Map<string, string>>>();
  for (const part of name.slice(0, MAX_MATCH_LEN).split(RE_OS_LIST_SPLIT)) {
    const p = tidy(part);
    if (!p) continue;
    const w = windowsName(p);
    let family: string;
    let id: string;
    let release = '';
    if (w) {
      family = 'windows';
      id = w.nonNt ? `non-nt:${p.toLowerCase()}` : w.product ? `${w.product}/${w.sku ?? ''}` : w.block ? `other:${p.toLowerCase()}` : w.sacRelease ? `sac:${w.sacRelease}` : '';
      release = windowsPartRelease(p);
    } else {
      const o = otherName(p, false);
      if (!o) continue;
      family = o.family;
      id = o.product ?? '';
      if (o.product) release = otherPartRelease(p, o.kind);
    }
    let systems = named.get(family);
    if (!systems) named.set(family, (systems = new Map()));
    let releases = systems.get(id);
    if (!releases) systems.set(id, (releases = new Map()));
    if (!releases.has(release)) releases.set(release, p.slice(0, 60));
  }
  const distinct: string[] = [];
  for (const systems of named.values()) {
    // "Ubuntu 22.04 LTS, Linux": the family word adds nothing to the product beside it.
    if (systems.size > 1) systems.delete('');
    for (const releases of systems.values()) {
      // "Windows 10 Enterprise; Windows 10 Enterprise 22H2": a part without a release is not another one.
      if (releases.size > 1) releases.delete('');
      distinct.push(...releases.values());
    }
  }
  return distinct.length > 1 ? distinct : null;
}

/** The release a part of a Windows name gives: "22H2", an LTSB/LTSC year, a version such as 1607; or "". */
function windowsPartRelease(p: string): string {
  // As a release column is read (RE_REL_CELL), the LTSB/LTSC year apart.
  const rel = RE_REL_CELL.exec(p);
  if (rel) return canonRelease(rel[1] ?? rel[2] ?? rel[3] ?? '');
  const ltsc = RE_LTSC_YEAR.exec(p);
  return ltsc ? `ltsc${ltsc[1] ?? ltsc[2]}` : '';
}

/** The release a part of another system's name gives: Ubuntu's YY.MM, the major version of the others; or "". */
function otherPartRelease(p: string, kind: OtherName['kind']): string {
  // A Darwin kernel version is no macOS release number ("macOS 14.2 Sonoma, Darwin 23.2.0" is one system).
  if (kind === 'darwin') return '';
  const m = /(?<![\d.])(\d{1,2})(?:\.(\d{1,2}))?(?![\d])/.exec(p);
  if (!m) return '';
  return kind === 'ubuntu' && m[2] !== undefined ? `${m[1]}.${m[2]}` : m[1];
}

function compute(values: (string | undefined)[], raw: string): OsInfo {
  const c = {} as Cells;
  FIELDS.forEach((f, i) => {
    c[f] = tidy(values[i]);
  });
  const out = emptyInfo(raw);
  const notes = out.notes;

  // A name cell holding only a version ("10.0.19045.6036", "6.1 (7601)", msinfo32's "Version 5.1.2600 Service
  // Pack 3 Build 2600": a sheet with one OS column) and no version cell: the version, read as such.
  if (!c.osVersion && c.osName && looksLikeNtVersion(c.osName) && otherProductWords(c.osName) === null) {
    c.osVersion = c.osName;
    c.osName = '';
  }

  // Several systems in the name cell: none of them is known to be the machine's, whatever the version
  // cells say (they may fit any of them).
  const several = severalSystems(values[0]);
  if (several) {
    notes.push(`the OS name lists ${several.length} different systems (${several.map((x) => `"${x}"`).join(', ')}), as a scanner does when it cannot tell which one runs; not judged`);
    out.arch = parseArchCell(c.arch);
    return out;
  }

  // The caption normally names the OS; some exports put it in the version cell instead
  // ("Microsoft Windows XP [Version 5.1.2600]").
  let caption = c.osName;
  let w = windowsName(c.osName);
  let o = w ? null : otherName(c.osName, false);
  if (!w && !o && c.osVersion) {
    w = windowsName(c.osVersion);
    if (w) caption = c.osVersion;
    else o = otherName(c.osVersion, false);
  }
  const plat = platformInfo(c.platform);
  if (c.platform && !plat) notes.push(`platform "${c.platform.slice(0, 40)}" not recognised; ignored`);
  if (!w && !o && plat?.caption) {
    // Defender for Endpoint names the product only in its platform column ("WindowsServer2019").
    w = windowsName(plat.caption);
    if (w) caption = plat.caption;
  }

  // The family the name or the platform gives (Azure Resource Graph's "linux" reaches here as the platform).
  const family = c.osName === '' ? (plat && plat.family !== 'unknown' ? plat.family : 'any') : familyWord(c.osName);
  if (c.edition && family !== null && !w?.product && !w?.block && !w?.nonNt && !o?.product) {
    // A name naming only the family ("windows", "linux": Azure Resource Graph's osName) and an edition
    // cell naming the product (its osSku: "Windows Server 2019 Datacenter", "Ubuntu 20.04.6 LTS", "Azure
    // Stack HCI"): the product is the edition's, and a platform with a lifecycle of its own is never
    // judged as the Windows Server its build resembles.
    const we = windowsName(c.edition);
    const oe = we ? null : otherName(c.edition, false);
    if (we && (we.product || we.block) && !o && (family === 'any' || family === 'windows')) {
      w = we;
      caption = c.edition;
      c.osName = c.edition;
    } else if (oe?.product && !w && (!o || o.family === oe.family) && (family === 'any' || family === oe.family)) {
      o = oe;
      c.osName = c.edition;
    } else if ((we?.product || oe?.product) && family !== 'any') {
      // "linux" beside an edition naming Windows Server: the cells contradict each other.
      notes.push(`the OS is given as ${family} but the edition cell names ${JSON.stringify(c.edition.slice(0, 60))}; not judged`);
      out.arch = parseArchCell(c.arch);
      return out;
    }
  }

  const nameFamily: OsFamily | null = w ? (w.nonNt === 'other' ? 'other' : 'windows') : o ? o.family : null;
  if (nameFamily && plat && plat.family !== nameFamily) {
    notes.push(`platform says ${plat.family} but the name says ${nameFamily}; trusted the name`);
  }

  if (w?.nonNt === 'other') {
    out.family = 'other';
    out.arch = parseArchCell(c.arch);
    notes.push('Windows CE/Mobile/Phone/Holographic is not a Windows NT desktop or server; not assessed');
    return out;
  }
  // Windows Update for Business reports (UCClient, UCClientUpdateStatus) name no OS: their OSVersion is the
  // feature update ("22H2"), their OSBuild the build ("10.0.22621.1702", "19045.4291"). A feature update
  // with a build of that very release (or a whole NT version) is Windows: read as release and version.
  if (!w && !o && !plat && !c.osName) {
    if (!c.osVersion && releaseWithBuild(c.release, c.build)) c.osVersion = looksLikeNtVersion(c.build) ? c.build : `10.0.${c.build}`;
    else if (!c.release && releaseWithBuild(c.osVersion, c.build)) {
      c.release = c.osVersion;
      c.osVersion = looksLikeNtVersion(c.build) ? c.build : `10.0.${c.build}`;
    }
  }
  // A Mac tool's version and build without an OS name (Jamf Pro's "Operating System Version" 14.5 and
  // "Operating System Build" 23F79): an Apple build whose Darwin major is that very macOS release is a Mac
  // (an iPhone's or iPad's build never agrees with its version so).
  if (!w && !o && !plat && !c.osName && macBuildAgrees(c.osVersion, c.build)) o = { family: 'macos', product: 'macOS', kind: 'macos' };
  const bareNt = !w && !o && !plat && looksLikeNtVersion(c.osVersion);
  const otherWords = bareNt ? otherProductWords(c.osName) : null;
  if (otherWords) {
    // A name that names some other product (an appliance, a hypervisor, a Windows-based platform with a
    // lifecycle of its own) is not overridden by a guess from the version number.
    notes.push(
      `name "${c.osName.slice(0, 60)}" is not a Windows product this tool knows ("${otherWords}"); the NT version ${c.osVersion.slice(0, 20)} alone does not say which product it is: not judged`,
    );
    out.arch = parseArchCell(c.arch);
    return out;
  }
  if (w || (!o && plat?.family === 'windows') || bareNt) {
    if (!w && !plat) notes.push('bare NT version number read as Windows');
    resolveWindows(c, w, caption, out);
    return out;
  }

  const other = o ?? plat?.other ?? null;
  if (!other) {
    out.family = plat?.family ?? 'unknown';
    out.arch = parseArchCell(c.arch);
    if (out.family === 'unknown' && (c.osName || c.osVersion)) notes.push('operating system not recognised');
    return out;
  }
  // A generic name ("Linux") with a specific platform ("ubuntu") takes the platform's product.
  const spec = other.product === null && plat?.other && plat.other.family === other.family ? plat.other : other;
  out.family = spec.family;
  out.product = spec.product;
  if (spec.note) notes.push(spec.note);
  out.release = spec.product ? otherRelease(spec, c, /^darwin$/i.test(c.platform), notes) : null;
  // Each SLES service pack has its own end of support.
  if (spec.kind === 'sles' && out.release !== null) out.servicePack = slesServicePack(c);
  out.edition = c.edition || null;
  out.arch = parseArchCell(c.arch);
  if (spec.kind === 'mobile') out.server = false;
  // A hypervisor is a server.
  else if (spec.kind === 'esxi') out.server = true;
  else {
    const pt = parseProductType(c.productType);
    out.server = pt ?? (/\bserver\b/i.test(c.osName) ? true : /\b(?:desktop|workstation)\b/i.test(c.osName) ? false : null);
  }
  return out;
}

function freeze(info: OsInfo): Readonly<OsInfo> {
  Object.freeze(info.notes);
  return Object.freeze(info);
}

/**
 * Normalise one row's OS cells. Never throws. Results are cached per distinct input and shared:
 * the returned object (and its notes) is frozen, so callers must copy before changing it.
 */
/**
 * Some exports name the feature update but not the build ("Windows 10 Enterprise 64 bit Edition Version 22H2",
 * "Windows Server 2019"): the build follows from it, and rules keyed on builds can then decide.
 */
function inferBuildFromRelease(info: OsInfo): OsInfo {
  if (info.family !== 'windows' || info.build !== null || !info.product) return info;
  let build: number | undefined;
  if (info.product === 'Windows 10' && info.release) build = WIN10.find((r) => r.release === info.release)?.build;
  else if (info.product === 'Windows 11' && info.release) build = WIN11.find((r) => r.release === info.release)?.build;
  else if (info.product === 'Windows Server' && info.release) build = SERVER.find((r) => r.release === info.release)?.build;
  else build = SERVER.find((r) => r.product === info.product && r.release === null)?.build;
  if (build === undefined) return info;
  return { ...info, build, ntVersion: info.ntVersion ?? '10.0', notes: [...info.notes, `build ${build} inferred from ${info.release ? 'release ' + info.release : info.product} (no build number in the inventory)`] };
}

export function normaliseOs(input: OsInput): Readonly<OsInfo> {
  let raw = '';
  try {
    const src = (input ?? {}) as Record<string, unknown>;
    const values: (string | undefined)[] = [];
    // Length-prefixed parts: unambiguous whatever characters the cells contain.
    let key = '';
    for (const f of FIELDS) {
      const v = asString(src[f]);
      values.push(v);
      key += v === undefined ? '~' : `${v.length}:${v}`;
    }
    const cacheable = key.length <= MAX_KEY_LEN;
    if (cacheable) {
      const hit = cache.get(key);
      if (hit) return hit;
    }
    raw = values.filter((v): v is string => v !== undefined && v.trim() !== '').join(' | ');
    const result = freeze(inferBuildFromRelease(compute(values, raw)));
    if (cacheable) {
      if (cache.size >= CACHE_LIMIT) {
        const oldest = cache.keys().next();
        if (!oldest.done) cache.delete(oldest.value);
      }
      cache.set(key, result);
    }
    return result;
  } catch {
    const info = emptyInfo(raw);
    info.notes.push('the OS strings could not be interpreted');
    return freeze(info);
  }
}
