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
  let n = 0;
  KB_PATTERN.lastIndex = 0;
  for (let m = KB_PATTERN.exec(text); m !== null; m = KB_PATTERN.exec(text)) {
    into.add('KB' + m[1]);
    n++;
  }
  return n;
}

/** Normalise one KB id as written in a rules file ("kb4012212", "4012212") to "KB4012212". */
export function normaliseKb(id: string): string | null {
  const m = /^\s*(?:KB|Q)?\s*(\d{6,7})\s*$/i.exec(id);
  return m ? 'KB' + m[1] : null;
}
