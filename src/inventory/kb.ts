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

/**
 * "KB" + digits strings, by digits (a fleet's hosts list the same few hundred KBs): a table of the last
 * name seen in each slot, the slot chosen by a hash of the number. A number whose slot holds another is
 * simply named again.
 */
const KB_NAME_SLOTS = 1 << 14;
const kbNameKeys = new Int32Array(KB_NAME_SLOTS).fill(-1);
const kbNames: string[] = new Array<string>(KB_NAME_SLOTS).fill('');

function kbName(text: string, from: number, to: number, value: number): string {
  // Six and seven digits are told apart ("0123456" is not "123456").
  const key = to - from === 7 ? value + 10_000_000 : value;
  const slot = Math.imul(key, 0x9e3779b1) >>> 18;
  if (kbNameKeys[slot] === key) return kbNames[slot];
  const name = 'KB' + text.slice(from, to);
  kbNameKeys[slot] = key;
  kbNames[slot] = name;
  return name;
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/**
 * text.charCodeAt(i), but -1 outside the text rather than NaN (every test below is false for both). The
 * scan looks one to three characters past a run's ends; optimised code that reads outside a string is
 * thrown away and compiled again, once for each place it happens, in every thread that audits.
 */
const codeAt = (text: string, i: number) => (i >= 0 && i < text.length ? text.charCodeAt(i) : -1);
const isAsciiAlnum = (c: number) => isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a);

/**
 * KB_PATTERN's matches, in order, by a scan of character codes: for ASCII text, where \p{L} and \p{N} are
 * ASCII letters and digits and only ASCII letters fold to K, B, Q and V. Returns -1 on meeting a non-ASCII
 * character (one could decide a match otherwise); the KBs added until then are the pattern's first ones, so
 * the caller runs the pattern from the start and the set ends up the same, in the same order.
 *
 * Every match holds a run of six or seven digits (\d{6,7} not followed by a digit: with more digits it
 * backs off to six in vain), so the scan looks for digit runs, then asks whether the pattern can reach the
 * run: from the run itself, from a blank of the blanks before it, or from a KB or Q prefix before those,
 * each with no letter or digit before where it starts.
 */
function extractAsciiKbs(text: string, into: Set<string>): number {
  const n = text.length;
  let found = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return -1;
    if (c < 0x30 || c > 0x39) {
      i++;
      continue;
    }
    const d = i;
    let value = 0;
    for (; i < n; i++) {
      const x = text.charCodeAt(i);
      if (x < 0x30 || x > 0x39) break;
      value = value * 10 + (x - 0x30);
    }
    const e = i;
    if (e - d < 6 || e - d > 7 || !reachable(text, d)) continue;
    // (?:-?v\d+)?(?![\p{N}]): the suffix takes every digit after the v.
    if (codeAt(text, e) >= 0x80) return -1;
    let end = e;
    let v = codeAt(text, e) === 0x2d ? e + 1 : e;
    if ((codeAt(text, v) | 0x20) === 0x76 && isDigit(codeAt(text, v + 1))) {
      v += 2;
      while (isDigit(codeAt(text, v))) v++;
      if (codeAt(text, v) >= 0x80) return -1;
      end = v;
    }
    into.add(kbName(text, d, e, value));
    found++;
    i = end;
  }
  return found;
}

/**
 * Can a match start (with (?<![\p{L}\p{N}]) holding) and reach the digits at `d` through (?:KB|Q)?[ \t]*?
 * From the digits themselves when no letter or digit is before them (a blank before them included: the
 * start can then be the digits); otherwise only from a KB or Q prefix right before them. Everything before
 * `d` is ASCII; a start inside the previous match is never possible (it ends in a digit).
 */
function reachable(text: string, d: number): boolean {
  if (!isAsciiAlnum(codeAt(text, d - 1))) return true;
  const p1 = codeAt(text, d - 1) | 0x20;
  if (p1 === 0x71) return !isAsciiAlnum(codeAt(text, d - 2));
  if (p1 === 0x62 && (codeAt(text, d - 2) | 0x20) === 0x6b) return !isAsciiAlnum(codeAt(text, d - 3));
  return false;
}

/** Normalise one KB id as written in a rules file ("kb4012212", "4012212") to "KB4012212". */
export function normaliseKb(id: string): string | null {
  const m = /^\s*(?:KB|Q)?\s*(\d{6,7})\s*$/i.exec(id);
  return m ? 'KB' + m[1] : null;
}
