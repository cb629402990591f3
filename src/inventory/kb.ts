/**
 * KB numbers are read with a pattern, never by splitting: cells look like
 * "8 Hotfix(s) Installed.,[01]: KB2919355,[02]: …", "KB4012212; KB4015549", "4012212,4015549",
 * "kb4012212", "Q147222", "KB893803v2 - Update" or "[01] : KB3199986".
 * Six or seven digits, optionally prefixed by KB or Q, optionally suffixed by v2.
 */
const KB_PATTERN = /(?<![\p{L}\p{N}])(?:KB|Q)?[ \t]*(\d{6,7})(?:-?v\d+)?(?![\p{N}])/giu;

/** Add every KB found in `text` to `into` (normalised "KB" + digits). Returns how many were found. */
export function extractKbs(text: string, into: Set<string>): number {
  if (!text) return 0;
  const fast = extractAsciiKbs(text, into);
  if (fast >= 0) return fast;
  return extractKbsByPattern(text, into);
}

/** extractKbs by KB_PATTERN itself (the reference; used as is for text with non-ASCII characters). */
export function extractKbsByPattern(text: string, into: Set<string>): number {
  if (!text) return 0;
  let n = 0;
  KB_PATTERN.lastIndex = 0;
  for (let m = KB_PATTERN.exec(text); m !== null; m = KB_PATTERN.exec(text)) {
    into.add('KB' + m[1]);
    n++;
  }
  return n;
}

/** "KB" + digits strings, by digits (a fleet's hosts list the same few hundred KBs). */
const kbNames = new Map<number, string>();

function kbName(text: string, from: number, to: number, value: number): string {
  // Six and seven digits are told apart ("0123456" is not "123456").
  const key = to - from === 7 ? value + 10_000_000 : value;
  let name = kbNames.get(key);
  if (name === undefined) {
    if (kbNames.size >= 100_000) kbNames.clear();
    kbNames.set(key, (name = 'KB' + text.slice(from, to)));
  }
  return name;
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isAsciiAlnum = (c: number) => isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a);

/**
 * KB_PATTERN's matches, in order, by a scan of character codes: for ASCII text, where \p{L} and \p{N} are
 * ASCII letters and digits and only ASCII letters fold to K, B, Q and V. Returns -1 on meeting a character
 * that could decide a match otherwise (any non-ASCII one); the KBs added until then are the pattern's first
 * ones, so the caller runs the pattern from the start and the set ends up the same, in the same order.
 */
function extractAsciiKbs(text: string, into: Set<string>): number {
  const n = text.length;
  let found = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return -1;
    // (?<![\p{L}\p{N}]): everything before i is ASCII (checked on the way).
    if (i > 0 && isAsciiAlnum(text.charCodeAt(i - 1))) {
      i++;
      continue;
    }
    // (?:KB|Q)?[ \t]*: a prefix, or none; without one the match can only start at a blank or a digit.
    let j = i;
    const lower = c | 0x20;
    if (lower === 0x6b && (text.charCodeAt(i + 1) | 0x20) === 0x62) j = i + 2;
    else if (lower === 0x71) j = i + 1;
    else if (c !== 0x20 && c !== 0x09 && !isDigit(c)) {
      i++;
      continue;
    }
    let d = j;
    while (d < n && (text.charCodeAt(d) === 0x20 || text.charCodeAt(d) === 0x09)) d++;
    // (\d{6,7}) not followed by a digit (\d{6,7} backs off to six in vain when more digits follow).
    let e = d;
    let value = 0;
    while (e < n && isDigit(text.charCodeAt(e))) {
      value = value * 10 + (text.charCodeAt(e) - 0x30);
      e++;
    }
    if (e - d < 6 || e - d > 7) {
      i++;
      continue;
    }
    let end = e;
    const x = text.charCodeAt(e);
    if (x >= 0x80) return -1;
    // (?:-?v\d+)?(?![\p{N}]): the suffix takes every digit after the v.
    let v = e;
    if (x === 0x2d) v++;
    if ((text.charCodeAt(v) | 0x20) === 0x76 && isDigit(text.charCodeAt(v + 1))) {
      v += 2;
      while (v < n && isDigit(text.charCodeAt(v))) v++;
      if (v < n && text.charCodeAt(v) >= 0x80) return -1;
      end = v;
    }
    into.add(kbName(text, d, e, value));
    found++;
    i = end;
  }
  return found;
}

/** Normalise one KB id as written in a rules file ("kb4012212", "4012212") to "KB4012212". */
export function normaliseKb(id: string): string | null {
  const m = /^\s*(?:KB|Q)?\s*(\d{6,7})\s*$/i.exec(id);
  return m ? 'KB' + m[1] : null;
}
