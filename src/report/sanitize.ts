/**
 * Inventory text comes from machines that may be hostile. Before it reaches a terminal, a Markdown
 * page, a spreadsheet or a web page, every character that changes how text displays without showing
 * itself is shown as a visible \xNN / \uNNNN escape: control characters (so an ANSI or OSC escape
 * sequence reads as "\x1b[31m" and does nothing), bidirectional overrides that could disguise a
 * hostname, and invisible characters (zero-width space and joiners, word joiner, soft hyphen, Hangul
 * fillers, BOM, tag characters). Nothing is removed, so two hostnames that differ only in such
 * characters never look the same (a line break or tab in a one-line cell reads as a space).
 */

/**
 * Characters that are not seen as themselves: C0 and C1 controls (tab, LF and CR included), the line
 * and paragraph separators, and Unicode's default-ignorable code points, which include every bidi
 * control (U+061C, U+200E/F, U+202A-202E, U+2066-2069), the zero-width characters U+200B-200D, U+2060-2064
 * and U+FEFF, the soft hyphen U+00AD, the Hangul fillers U+115F/1160/3164/FFA0, variation selectors
 * and the tag characters U+E0000-E0FFF.
 */
export const HIDDEN = /[\p{Cc}\u2028\u2029\p{Default_Ignorable_Code_Point}]/gu;
const HAS_HIDDEN = /[\p{Cc}\u2028\u2029\p{Default_Ignorable_Code_Point}]/u;

/** One character as a visible escape: \xNN up to U+00FF, \uNNNN, or \u{NNNNN} beyond the BMP. */
export function visibleEscape(ch: string): string {
  const c = ch.codePointAt(0)!;
  if (c <= 0xff) return `\\x${c.toString(16).padStart(2, '0')}`;
  return c <= 0xffff ? `\\u${c.toString(16).padStart(4, '0')}` : `\\u{${c.toString(16)}}`;
}

/**
 * Every hidden character (see HIDDEN) shown as a visible escape, except those in `keep` (a format that
 * quotes or collapses line breaks keeps them). Lone surrogates are left to the caller.
 */
export function showHidden(s: string, keep = ''): string {
  if (!s || !HAS_HIDDEN.test(s)) return s;
  return s.replace(HIDDEN, (ch) => (keep.includes(ch) ? ch : visibleEscape(ch)));
}

/** Text for a terminal line: tab and line breaks as spaces, every other hidden character (ESC too) made visible. */
export function terminalSafe(s: string): string {
  if (!s) return s;
  // Fast path: plain printable text.
  if (!HAS_HIDDEN.test(s)) return s;
  return showHidden(s.replace(/[\t\n\r]/g, ' '));
}

/** Strip characters XML 1.0 cannot carry at all (even escaped). */
export function xmlSafe(s: string): string {
  return s.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g, visibleEscape).replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

export function escapeXml(s: string): string {
  return xmlSafe(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const WORD_JOINER = '\u2060';

/**
 * Text for a CI job log (the table format): terminalSafe, and GitHub Actions workflow commands defused.
 * The runner takes a line that starts with "::" (after any whitespace) as a command (::error::,
 * ::add-mask::, ::stop-commands::), and "##[" anywhere in a line too (##[error], ##[set-output]), so
 * inventory text placed at the start of a line, or anywhere, could write annotations or change the job.
 * A word joiner (U+2060, invisible) between the two characters keeps the text as it reads.
 */
export function logSafe(s: string): string {
  const t = terminalSafe(s);
  if (!t || (!t.includes('::') && !t.includes('##['))) return t;
  return t.replace(/^(\s*):(?=:)/, `$1:${WORD_JOINER}`).replace(/#(?=#\[)/g, `#${WORD_JOINER}`);
}
