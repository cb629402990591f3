/**
 * Inventory text comes from machines that may be hostile. Before it reaches a terminal it loses
 * ANSI/OSC escape sequences and every other control character (shown as a visible \xNN escape),
 * and bidirectional overrides that could disguise a hostname.
 */
// CSI (ESC [ … final), OSC (ESC ] … BEL or ST), other two-byte ESC sequences, and C1 CSI/OSC.
const ESCAPE_SEQUENCE = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[@-Z\\-_]|\x9b[0-?]*[ -/]*[@-~]|\x9d[^\x07\x9c]*[\x07\x9c]?/g;
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

function visible(ch: string): string {
  const c = ch.charCodeAt(0);
  return c <= 0xff ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
}

/** Text for a terminal line: escape sequences removed, controls (incl. tab and newline) made visible. */
export function terminalSafe(s: string): string {
  if (!s) return s;
  // Fast path: plain printable text.
  if (!/[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/.test(s)) return s;
  return s.replace(ESCAPE_SEQUENCE, '').replace(/[\t\n\r]/g, ' ').replace(CONTROL, visible);
}

/** Strip characters XML 1.0 cannot carry at all (even escaped). */
export function xmlSafe(s: string): string {
  return s.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g, visible).replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
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
