import type { OsInfo } from '../inventory/types.js';
import type { HostMatch } from '../rules/types.js';

function oneOf<T>(want: T | T[] | undefined, have: T | null): boolean {
  if (want === undefined) return true;
  if (have === null) return false;
  return Array.isArray(want) ? want.includes(have) : want === have;
}

export interface MatchOptions {
  /** Skip these keys (e.g. servicePack when checking "below the fix's service pack"). */
  ignore?: (keyof HostMatch)[];
}

/** Does the host's OS satisfy every key of the match? An unknown value never matches a constrained key. */
export function matchesHost(m: HostMatch, os: OsInfo, opts: MatchOptions = {}): boolean {
  const ig = opts.ignore ?? [];
  if (!ig.includes('family') && !oneOf(m.family, os.family)) return false;
  if (!ig.includes('product') && !oneOf(m.product, os.product)) return false;
  if (!ig.includes('release') && !oneOf(m.release, os.release)) return false;
  if (!ig.includes('editionClass') && !oneOf(m.editionClass, os.editionClass)) return false;
  if (!ig.includes('build') && !oneOf(m.build, os.build)) return false;
  if (!ig.includes('minBuild') && m.minBuild !== undefined && (os.build === null || os.build < m.minBuild)) return false;
  if (!ig.includes('maxBuild') && m.maxBuild !== undefined && (os.build === null || os.build > m.maxBuild)) return false;
  if (!ig.includes('server') && m.server !== undefined && os.server !== m.server) return false;
  if (!ig.includes('arch') && !oneOf(m.arch, os.arch)) return false;
  if (!ig.includes('servicePack') && !oneOf(m.servicePack, os.servicePack)) return false;
  return true;
}

/** Short description of an OS for evidence text: "Windows 10 1607 build 14393.447". */
const describeCache = new WeakMap<OsInfo, string>();

export function describeOs(os: OsInfo): string {
  // OsInfo objects are shared per distinct OS string (normaliseOs caches them): describe each once.
  let d = describeCache.get(os);
  if (d === undefined) {
    d = computeDescribeOs(os);
    describeCache.set(os, d);
  }
  return d;
}

function computeDescribeOs(os: OsInfo): string {
  if (!os.product) return os.raw ? `unrecognised OS "${os.raw}"` : 'no OS data';
  const parts = [os.product];
  if (os.release) parts.push(os.release);
  if (os.servicePack) parts.push(`SP${os.servicePack}`);
  if (os.build !== null) parts.push(`build ${os.build}${os.revision !== null ? '.' + os.revision : ''}`);
  return parts.join(' ');
}

/** Evidence for a host whose OS was not recognised, with the reader's reason when it gave one. */
export function unrecognisedOsEvidence(os: OsInfo): string {
  if (!os.raw) return 'no OS information in the inventory';
  return `OS not recognised: "${os.raw}"${os.notes.length > 0 ? ` (${os.notes[0]})` : ''}`;
}
