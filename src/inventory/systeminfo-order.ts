/**
 * systeminfo prints its fields in one order in every display language: Host Name, OS Name, OS Version,
 * OS Manufacturer, OS Configuration, OS Build Type, Registered Owner, Registered Organization, Product ID,
 * Original Install Date, System Boot Time (XP/2003: System Up Time), System Manufacturer, System Model,
 * System Type, Processor(s), BIOS Version, Windows Directory, System Directory, Boot Device, System Locale,
 * Input Locale, Time Zone, Total Physical Memory, Available Physical Memory, Virtual Memory: Max Size /
 * Available / In Use (2003: Page File: …), Page File Location(s), Domain, Logon Server, Hotfix(s), Network
 * Card(s), then (Windows 8 and later) Hyper-V Requirements, which Windows 11 24H2 precedes with
 * Virtualization-based security. The list output and the `/fo csv` columns follow it alike.
 *
 * Output in a language whose labels the alias table does not list is read by that order, and only as far
 * as the values check out: the 1st field must look like a machine name, the 2nd name Windows, the 3rd have
 * the shape of systeminfo's OS version ("6.1.7601 Service Pack 1 Build 7601", "10.0.19045 N/A Build
 * 19045", localised words around the build number, which repeats the version's third part). Anything else
 * is a rejected row, never a host.
 */

/** 1-based positions of the fields read by order beyond the first three (each only when its value checks out). */
export const SYSTEM_TYPE_FIELD = 14;
export const DOMAIN_FIELD = 29;

/** A machine name as systeminfo prints it (the NetBIOS name: no blanks). */
const HOST_VALUE = /^[\p{L}\p{N}][\p{L}\p{N}._$-]{0,62}$/u;
/** Captions name Windows ("Microsoft Windows 10 Pro", "Майкрософт Windows Server 2012 R2", "Microsoft Hyper-V Server 2016"). */
const OS_NAME_VALUE = /windows|microsoft|майкрософт/i;
/** Major.minor.build, anything, and the build number again at the end. */
const OS_VERSION_VALUE = /^(\d{1,2})\.(\d{1,2})\.(\d{3,5})(?:\s.*)?\s(\d{3,5})$/u;
/** "x64-based PC", "X86-based PC", "ARM64-based PC", "x64-basierter PC". */
const SYSTEM_TYPE_VALUE = /^(?:x64|x86|arm64|arm|ia64|itanium)\b/i;
/** A NetBIOS or DNS domain name, or a workgroup. */
const DOMAIN_VALUE = /^[\p{L}\p{N}][\p{L}\p{N}_.-]{0,254}$/u;
/** An item of a list section naming an update: "[01]: KB4012212", "[02] : Q147222", "[03]: KB893803v2 - Update". */
const KB_ITEM = /^\[\d+\]\s?:\s*(?:KB|Q)\d{5,8}/i;

/** Does a list item (a continuation line, trimmed) name an update? */
export function isKbItem(item: string): boolean {
  return KB_ITEM.test(item);
}

export function isSystemTypeValue(value: string): boolean {
  return SYSTEM_TYPE_VALUE.test(value.trim());
}

export function isDomainValue(value: string): boolean {
  return DOMAIN_VALUE.test(value.trim());
}

const PLACEHOLDER = /^(?:-+|\?+|n\/?a|none|null|unknown)$/i;

/**
 * Why the first three fields, read by systeminfo's order, are not a host name, an OS name and an OS version
 * (a reason naming the field and its value), or null when they check out.
 */
export function orderValuesProblem(host: string | undefined, osName: string | undefined, osVersion: string | undefined, what: 'field' | 'column' = 'field'): { index: number; reason: string } | null {
  const h = (host ?? '').trim();
  if (!HOST_VALUE.test(h) || PLACEHOLDER.test(h)) return { index: 0, reason: problem(1, what, 'a machine name', h) };
  const n = (osName ?? '').trim();
  if (!OS_NAME_VALUE.test(n)) return { index: 1, reason: problem(2, what, 'the OS name (naming Windows)', n) };
  const v = (osVersion ?? '').trim();
  const m = OS_VERSION_VALUE.exec(v);
  if (!m || m[3] !== m[4]) return { index: 2, reason: problem(3, what, 'the OS version (such as "10.0.19045 N/A Build 19045")', v) };
  return null;
}

function problem(n: number, what: string, should: string, value: string): string {
  const shown = value === '' ? 'empty' : JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  return `systeminfo output whose labels are not recognised: read by systeminfo's field order, the ${ordinal(n)} ${what} should be ${should}, but it is ${shown}; not audited`;
}

function ordinal(n: number): string {
  return n === 1 ? '1st' : n === 2 ? '2nd' : n === 3 ? '3rd' : `${n}th`;
}

/** Notes on hosts read by order (shared arrays: a folder of such files repeats them). */
export const NOTE_READ_BY_ORDER: readonly string[] = Object.freeze([
  "systeminfo labels not recognised (a display language not listed): host name, OS name and OS version were read as systeminfo's 1st, 2nd and 3rd fields, the hotfix list as its list of KB numbers",
]);
export const NOTE_OS_BY_ORDER: readonly string[] = Object.freeze([
  "systeminfo's OS name and version labels not recognised: read as its 2nd and 3rd fields",
]);
export const NOTE_KBS_BY_ORDER: readonly string[] = Object.freeze([
  "systeminfo's hotfix label not recognised: the hotfix list was read as its list of KB numbers",
]);
export const NOTE_OS_AND_KBS_BY_ORDER: readonly string[] = Object.freeze([NOTE_OS_BY_ORDER[0], NOTE_KBS_BY_ORDER[0]]);
export const NOTE_CSV_BY_ORDER: readonly string[] = Object.freeze([
  "systeminfo /fo csv headers not recognised (a display language not listed): host name, OS name and OS version were read as its 1st, 2nd and 3rd columns, the hotfix list as its column of KB numbers",
]);
