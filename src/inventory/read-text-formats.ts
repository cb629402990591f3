import path from 'node:path';
import { parseInventoryDate, type DateOrder } from './dates.js';
import { saysNotInstalled } from './kb-status.js';
import { aliasCandidates, mapColumns, normaliseHeader, nullProto } from './fields.js';
import type { InventoryEvent } from './read-csv.js';
import { DOMAIN_FIELD, isDomainValue, isKbItem, isSystemTypeValue, NOTE_KBS_BY_ORDER, NOTE_OS_AND_KBS_BY_ORDER, NOTE_OS_BY_ORDER, NOTE_READ_BY_ORDER, orderValuesProblem, SYSTEM_TYPE_FIELD } from './systeminfo-order.js';
import type { CanonicalField, InventoryRecord } from './types.js';

/**
 * Two non-CSV shapes that Windows admins collect with built-in tools:
 * - `systeminfo > HOST.txt`: "Label:   value" lines (localised labels), continuation lines indented,
 *   several hosts one after another when appended with >>;
 * - `wmic qfe list > HOST_qfe.txt`: a fixed-width table, often UTF-16.
 */

/** "Label:   value" split: the separator is a colon followed by padding (a single space at worst). */
export function splitLabel(line: string): [string, string] | null {
  const fast = splitPlainLabel(line);
  if (fast !== undefined) return fast;
  return splitLabelByPattern(line);
}

/** The patterns splitLabel follows (the reference for every line; used as is for unusual lines). */
export function splitLabelByPattern(line: string): [string, string] | null {
  let m = /^(\S.*?):\s{2,}(.*)$/.exec(line);
  if (!m) m = /^(\S[^:]*?)\s?:\s(.*)$/.exec(line);
  if (!m) m = /^(\S[^:]*?)\s?:$/.exec(line) ? [line, line.replace(/\s?:$/, ''), ''] as unknown as RegExpExecArray : null;
  return m ? [m[1].trim(), (m[2] ?? '').trim()] : null;
}

/**
 * Where the values of a systeminfo block start: systeminfo pads every label to one column, so a line split
 * at a colon followed by two blanks or more (the first pattern) with a value tells the column; -1 otherwise.
 */
export function paddedValueColumn(line: string): number {
  const m = /^(\S.*?):\s{2,}(.*)$/.exec(line);
  return m && m[2] !== '' ? line.length - m[2].length : -1;
}

/**
 * A line whose label fills the padding leaves one blank before its value ("Virtual Memory: Available: 9,912
 * MB", where the label is "Virtual Memory: Available"): when the block's value column (paddedValueColumn)
 * holds the value, after a colon and one blank, the label ends there rather than at the first colon.
 * Returns null when the line is not so aligned.
 */
export function alignedSplit(line: string, column: number): [string, string] | null {
  if (column < 3 || line.length <= column || line.charCodeAt(column - 2) !== 0x3a) return null;
  if (!/\s/.test(line[column - 1]) || /\s/.test(line[column])) return null;
  const label = line.slice(0, column - 2).trim();
  return label === '' ? null : [label, line.slice(column).trim()];
}

/** A systeminfo block's value column (see paddedValueColumn), -1 until a padded line tells it. */
interface SysteminfoBlock {
  valueColumn: number;
}

/** splitLabel for a line of a systeminfo block, keeping the block's value column and reading by it (alignedSplit). */
function splitBlockLine(line: string, block: SysteminfoBlock): [string, string] | null {
  const kv = splitLabel(line);
  if (!kv) return null;
  const column = paddedValueColumn(line);
  if (column >= 0) block.valueColumn = column;
  else if (block.valueColumn >= 0) return alignedSplit(line, block.valueColumn) ?? kv;
  return kv;
}

/**
 * splitLabelByPattern without regular expressions, for lines of printable ASCII and tabs (where `.` is
 * any character and `\s` a space or tab) that do not start with a colon; undefined for any other line.
 * Thousands of files of a dozen lines each make this the reader's inner loop.
 */
function splitPlainLabel(line: string): [string, string] | null | undefined {
  const n = line.length;
  if (n === 0) return null;
  let firstColon = -1;
  let padded = -1;
  for (let i = 0; i < n; i++) {
    const c = line.charCodeAt(i);
    if (c === 0x3a) {
      if (firstColon < 0) firstColon = i;
      // A colon followed by two blanks (the first pattern): the first such colon after the first character.
      if (padded < 0 && i >= 1 && i + 2 < n && isBlank(line.charCodeAt(i + 1)) && isBlank(line.charCodeAt(i + 2))) padded = i;
    } else if ((c < 0x20 && c !== 0x09) || c > 0x7e) return undefined;
  }
  const c0 = line.charCodeAt(0);
  if (c0 === 0x3a) return undefined;
  if (isBlank(c0)) return null;
  if (padded >= 0) return [line.slice(0, padded).trim(), line.slice(padded + 1).trim()];
  if (firstColon < 0) return null;
  // Second pattern: the first colon, then one blank; third: the first colon ends the line.
  if (firstColon + 1 < n) return isBlank(line.charCodeAt(firstColon + 1)) ? [line.slice(0, firstColon).trim(), line.slice(firstColon + 1).trim()] : null;
  return [line.slice(0, firstColon).trim(), ''];
}

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

const labelFields = new Map<string, CanonicalField | null>();

/** The canonical field a label names (memoised: a folder of exports repeats the same labels). */
function fieldOfLabel(label: string): CanonicalField | null {
  let field = labelFields.get(label);
  if (field === undefined) {
    const hits = aliasCandidates(label);
    field = hits.length === 0 ? null : [...hits].sort((a, b) => a.priority - b.priority)[0].field;
    if (labelFields.size >= 5000) labelFields.clear();
    labelFields.set(label, field);
  }
  return field;
}

// Where the line nextNonBlankLine found ends, and where the one after it starts.
let lineEnd = 0;
let lineCursor = 0;

/**
 * The start of the first line of `text.split(/\r\n|\r|\n/)` at or after `from` (a line start) that is not
 * blank, or -1; lineEnd and lineCursor tell the rest. Nothing is cut out of the text for lines that start
 * with a visible ASCII character (most): the sniffers look at a few lines of a text that can be long.
 */
function nextNonBlankLine(text: string, from: number): number {
  const n = text.length;
  for (let s = from; s <= n; ) {
    let e = s;
    while (e < n) {
      const c = text.charCodeAt(e);
      if (c === 0x0d || c === 0x0a) break;
      e++;
    }
    const next = e >= n ? n + 1 : e + (text.charCodeAt(e) === 0x0d && text.charCodeAt(e + 1) === 0x0a ? 2 : 1);
    const c0 = text.charCodeAt(s);
    if (e > s && ((c0 > 0x20 && c0 < 0x7f) || !isBlankLine(text.slice(s, e)))) {
      lineEnd = e;
      lineCursor = next;
      return s;
    }
    s = next;
  }
  return -1;
}

/** line.trim() === '', without trimming lines that start with a visible ASCII character (most). */
function isBlankLine(line: string): boolean {
  const c = line.charCodeAt(0);
  if (c > 0x20 && c < 0x7f) return false;
  return line.trim() === '';
}

/** The line text[s, e) starts with one of , ; | tab " (/^[,;|\t"]/). */
function startsWithSeparator(text: string, s: number, e: number): boolean {
  const c = s < e ? text.charCodeAt(s) : -1;
  return c === 0x2c || c === 0x3b || c === 0x7c || c === 0x09 || c === 0x22;
}

/** Before its first colon, the line text[s, e) holds ; | or a tab (/[;|\t]/.test(line.split(':')[0])). */
function separatorBeforeColon(text: string, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3a) return false;
    if (c === 0x3b || c === 0x7c || c === 0x09) return true;
  }
  return false;
}

/** text[s, e) holds , ; or | (/[,;|]/). */
function hasListSeparator(text: string, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2c || c === 0x3b || c === 0x7c) return true;
  }
  return false;
}

/** Does the start of this text look like `systeminfo` list output? */
export function looksLikeSysteminfoList(sample: string): boolean {
  const n = sample.length;
  // The first six lines that are not blank, one at a time (the first usually decides), read in place as
  // the reader reads them (scanLine), or cut out for the general code.
  for (let k = 0, at = 0; k < 6; k++) {
    const s = nextNonBlankLine(sample, at);
    if (s < 0) break;
    const e = lineEnd;
    at = lineCursor;
    if (startsWithSeparator(sample, s, e) || separatorBeforeColon(sample, s, e)) continue;
    const kind = scanLine(sample, s, n, 0);
    if (kind === KV) {
      const slot = labelSlot(sample, s, scanLabelEnd, scanLabelHash);
      if (slotFields[slot] === 'hostname' && scanValueStart < scanValueEnd && !hasListSeparator(sample, s, scanLabelEnd)) return true;
    } else if (kind === GENERAL) {
      const kv = splitLabel(sample.slice(s, e));
      if (kv && fieldOfLabel(kv[0]) === 'hostname' && kv[1] !== '' && !/[,;|]/.test(kv[0])) return true;
    }
  }
  return false;
}

/**
 * Does the start of this text have the shape of `systeminfo` list output, whatever the language of its
 * labels: "Label:   value" lines, most of them padded to one value column, the first naming the machine (a
 * value without blanks), and, after at least 10 of them, an indented `[01]: …` entry (Processor(s) is the
 * 15th field in every Windows version; a file with lines cut out still has the shape, and is rejected by
 * the checks of its values). For output whose labels are not listed (looksLikeSysteminfoList says no): it
 * is read by systeminfo's field order (readByFieldOrder).
 */
export function looksLikeSysteminfoShape(sample: string): boolean {
  let fields = 0;
  let padded = 0;
  for (let k = 0, at = 0; k < 40; k++) {
    const s = nextNonBlankLine(sample, at);
    if (s < 0) return false;
    const e = lineEnd;
    at = lineCursor;
    let line = sample.slice(s, e);
    if (line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    if (startsBlank(line)) return fields >= 10 && padded * 2 >= fields && LIST_ITEM.test(line);
    if (fields === 0 && (startsWithSeparator(sample, s, e) || separatorBeforeColon(sample, s, e))) return false;
    const kv = splitLabel(line);
    if (!kv) return false;
    if (fields === 0 && (kv[1] === '' || /\s/.test(kv[1]))) return false;
    fields++;
    if (paddedValueColumn(line) >= 0) padded++;
  }
  return false;
}

/** A list entry of systeminfo output: "[01]: …" indented to the value column. */
const LIST_ITEM = /^\s+\[\d+\]\s?:/;

/**
 * Does the start of this text look like a console table PowerShell wrote (Format-Table, the default view
 * of `Get-HotFix > file.txt`): a header, then a line of dashes under each label, with a column naming the
 * machine or the update?
 */
export function looksLikeConsoleTable(sample: string): boolean {
  // The header is among the first lines: the rest of the sample is not split (every file of a folder is
  // asked).
  return consoleHeaderAt(sample.split(/\r\n|\r|\n/, CONSOLE_LOOK_LINES), 0, CONSOLE_PREAMBLE) >= 0;
}

/**
 * How many lines that are not blank may come before a console table's header: what a console shows
 * before the table (the prompt and command, a title a script printed, PowerShell's "WARNING: 1 columns
 * do not fit into the display and were removed.").
 */
const CONSOLE_PREAMBLE = 8;
/** Lines looked at for a console table's header: the preamble and the header, with room for blank lines. */
const CONSOLE_LOOK_LINES = 256;

/** The next line at or after `from` that is not blank, or -1. */
function nextNonBlank(lines: string[], from: number): number {
  for (let i = from; i < lines.length; i++) if (lines[i].trim() !== '') return i;
  return -1;
}

/**
 * Is lines[i] the header of a console table: the next line that is not blank is a line of dashes under
 * its labels, one of which names the machine or the update? Returns the underline's index, or -1.
 */
function consoleUnderlineOf(lines: string[], i: number): number {
  const header = lines[i];
  if (header.trim() === '' || UNDERLINE.test(header)) return -1;
  const u = nextNonBlank(lines, i + 1);
  if (u < 0 || !UNDERLINE.test(lines[u])) return -1;
  const named = dashColumns(header, lines[u]).some(({ label }) => {
    const f = fieldOfLabel(label);
    return f === 'hostname' || f === 'kb' || f === 'kb_list';
  });
  return named ? u : -1;
}

/** The index of the first console-table header among the first `preamble` + 1 lines at or after `from` that are not blank, or -1. */
function consoleHeaderAt(lines: string[], from: number, preamble: number): number {
  for (let i = nextNonBlank(lines, from), k = 0; i >= 0 && k <= preamble; i = nextNonBlank(lines, i + 1), k++) {
    if (consoleUnderlineOf(lines, i) >= 0) return i;
  }
  return -1;
}

/**
 * A console table's columns: each run of dashes in the underline is as long as its label and placed as
 * it is, so the label is the header text above it (it may hold a space).
 */
function dashColumns(header: string, underline: string): { start: number; label: string }[] {
  const out: { start: number; label: string }[] = [];
  const re = /-+/g;
  for (let m = re.exec(underline); m; m = re.exec(underline)) out.push({ start: m.index, label: header.slice(m.index, m.index + m[0].length).trim() });
  return out;
}

/** Does the start of this text look like a `wmic qfe` fixed-width table? */
export function looksLikeWmicTable(sample: string): boolean {
  const s = nextNonBlankLine(sample, 0);
  const first = s < 0 ? '' : sample.slice(s, lineEnd);
  return /\bHotFixID\b/i.test(first) && !/[,;\t|"]/.test(first) && /\S\s{2,}\S/.test(first);
}

const DATE_FIELDS: CanonicalField[] = ['last_patch_date', 'last_seen', 'kb_installed_on', 'os_install_date'];

function record(file: string, line: number, fields: Partial<Record<CanonicalField, string>>, columns: Record<string, string>, order: DateOrder): InventoryRecord {
  for (const f of DATE_FIELDS) {
    const v = fields[f];
    if (v === undefined) continue;
    // systeminfo dates carry the machine's locale; unreadable ones are dropped, not fatal (they decide nothing).
    const d = parseInventoryDate(v.replace(/,\s*/, ' '), order);
    fields[f] = d.kind === 'date' ? d.iso : '';
  }
  return { source: { file, line }, fields, columns };
}

/** Does the line start with whitespace (/^\s/)? */
function startsBlank(line: string): boolean {
  const c = line.charCodeAt(0);
  if (c < 0x80) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  return /^\s/.test(line);
}

/** Read systeminfo list output: one record per "Host Name:" block. */
export function* readSysteminfoList(file: string, text: string, order: DateOrder = 'mdy'): Generator<InventoryEvent> {
  yield* systeminfoListEvents(file, text, order);
}

/** readSysteminfoList as an array (the folder reader's path: no generator per file). */
export function systeminfoListEvents(file: string, text: string, order: DateOrder = 'mdy'): InventoryEvent[] {
  return systeminfoListScan(file, text, order, 0).events;
}

/**
 * systeminfoListEvents, also counting the control characters (as the text check counts them: C0 controls
 * but tab and line ends, and U+FFFD) among the first `probeLength` characters, as the lines go by: the
 * folder reader then need not scan the text for them again.
 *
 * Lines are read in place by scanLine, without splitting the text or cutting out labels (repeated labels
 * come from a cache); a line the scanner does not vouch for (see scanLine) is cut out and read by the
 * general code, so every line gives what splitLabel and the rules below give it.
 */
export function systeminfoListScan(file: string, text: string, order: DateOrder, probeLength: number): { events: InventoryEvent[]; control: number } {
  const events: InventoryEvent[] = [];
  const n = text.length;
  let fields: Partial<Record<CanonicalField, string>> | null = null;
  let columns: Record<string, string> = nullProto();
  let start = 0;
  let currentField: CanonicalField | null = null;
  let currentLabel: string | null = null;
  // Continuation lines of currentLabel not yet joined onto its value (see flush).
  const parts = continuationParts;
  parts.length = 0;
  let pending = false;
  // Values of a long text are copied out of it (see copyOf); a short one costs little to keep.
  const copy = n > COPY_ABOVE;
  // For lines whose label fills the padding.
  const block: SysteminfoBlock = { valueColumn: -1 };
  scanControl = 0;
  for (let s = 0, lineNo = 0; s <= n; lineNo++) {
    const kind = scanLine(text, s, n, probeLength);
    const lineStart = s;
    const e = scanEnd;
    s = e >= n ? n + 1 : e + (text.charCodeAt(e) === 0x0d && text.charCodeAt(e + 1) === 0x0a ? 2 : 1);
    let label: string;
    let value: string;
    let field: CanonicalField | null;
    if (kind === KV) {
      let aligned: [string, string] | null = null;
      const column = block.valueColumn;
      if (scanPadded) {
        if (scanValueStart < scanValueEnd) block.valueColumn = scanValueStart - lineStart;
      } else if (column >= 3 && lineStart + column < e && text.charCodeAt(lineStart + column - 2) === 0x3a) {
        // Rare (a label filling the padding): cut out and read by the general code.
        aligned = alignedSplit(text.slice(lineStart, e), column);
      }
      if (aligned) {
        label = aligned[0];
        field = fieldOfLabel(label);
        value = copy ? copyOf(aligned[1], 0, aligned[1].length) : aligned[1];
      } else {
        const slot = labelSlot(text, lineStart, scanLabelEnd, scanLabelHash);
        label = slotLabels[slot]!;
        field = slotFields[slot];
        value = scanValueStart >= scanValueEnd ? '' : copy ? copyOf(text, scanValueStart, scanValueEnd) : text.slice(scanValueStart, scanValueEnd);
      }
    } else if (kind === CONT) {
      // Continuation: hotfix and network card items (a blank-led line before any label is no label).
      if (currentLabel === null) continue;
      if (!pending) {
        pending = true;
        const prev = columns[currentLabel];
        if (prev) parts.push(prev);
      }
      parts.push(text.slice(scanValueStart, scanValueEnd));
      continue;
    } else if (kind === GENERAL) {
      let line = text.slice(lineStart, e);
      if (line.charCodeAt(0) === 0xfeff) line = line.slice(1);
      if (isBlankLine(line)) continue;
      if (currentLabel !== null && startsBlank(line)) {
        if (!pending) {
          pending = true;
          const prev = columns[currentLabel];
          if (prev) parts.push(prev);
        }
        parts.push(line.trim());
        continue;
      }
      const kv = splitBlockLine(line, block);
      if (!kv) continue;
      label = kv[0];
      value = copy ? copyOf(kv[1], 0, kv[1].length) : kv[1];
      field = fieldOfLabel(label);
    } else continue;
    if (pending) {
      flush(parts, columns, currentLabel!, fields!, currentField, copy);
      pending = false;
    }
    if (field === 'hostname') {
      if (fields) events.push({ type: 'record', record: record(file, start, fields, columns, order) });
      fields = nullProto() as Partial<Record<CanonicalField, string>>;
      columns = nullProto();
      start = lineNo + 1;
    }
    if (!fields) continue;
    currentLabel = label;
    currentField = field;
    columns[label] = value;
    if (field && fields[field] === undefined) fields[field] = value;
    else currentField = field && fields[field] === value ? field : null;
  }
  if (pending) flush(parts, columns, currentLabel!, fields!, currentField, copy);
  if (fields) events.push({ type: 'record', record: record(file, start, fields, columns, order) });
  const control = scanControl;
  return { events: withFieldOrder(file, text, order, events), control };
}

/**
 * The reference reading of systeminfo output, line by line through splitLabel: what systeminfoListEvents
 * gives for every text (the unit tests hold it to that).
 */
export function systeminfoListEventsByLines(file: string, text: string, order: DateOrder = 'mdy'): InventoryEvent[] {
  const events: InventoryEvent[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  const block: SysteminfoBlock = { valueColumn: -1 };
  let fields: Partial<Record<CanonicalField, string>> | null = null;
  let columns: Record<string, string> = Object.create(null);
  let start = 0;
  let currentField: CanonicalField | null = null;
  let currentLabel: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    if (line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    if (isBlankLine(line)) continue;
    if (currentLabel !== null && startsBlank(line)) {
      // Continuation: hotfix and network card items.
      const v = line.trim();
      columns[currentLabel] = columns[currentLabel] ? `${columns[currentLabel]},${v}` : v;
      if (currentField && fields) fields[currentField] = fields[currentField] ? `${fields[currentField]},${v}` : v;
      continue;
    }
    const kv = splitBlockLine(line, block);
    if (!kv) continue;
    const label = kv[0];
    const value = kv[1];
    const field = fieldOfLabel(label);
    if (field === 'hostname') {
      if (fields) events.push({ type: 'record', record: record(file, start, fields, columns, order) });
      fields = Object.create(null) as Partial<Record<CanonicalField, string>>;
      columns = Object.create(null);
      start = i + 1;
    }
    if (!fields) continue;
    currentLabel = label;
    currentField = field;
    columns[label] = value;
    if (field && fields[field] === undefined) fields[field] = value;
    else currentField = field && fields[field] === value ? field : null;
  }
  if (fields) events.push({ type: 'record', record: record(file, start, fields, columns, order) });
  return withFieldOrder(file, text, order, events);
}

const continuationParts: string[] = [];

/**
 * Join continuation lines onto the value of their label: the value, then each line, separated by commas
 * (no leading comma when the value is empty). The field, when it follows the label, always holds the same
 * text as the column, so both get the one joined string.
 */
function flush(parts: string[], columns: Record<string, string>, label: string, fields: Partial<Record<CanonicalField, string>>, field: CanonicalField | null, copy: boolean): void {
  const joined = parts.length > 1 ? parts.join(',') : copy ? copyOf(parts[0], 0, parts[0].length) : parts[0];
  parts.length = 0;
  columns[label] = joined;
  if (field) fields[field] = joined;
}

const halves = ['', ''];
const COPY_ABOVE = 4096;

/**
 * text[s, e) as a string of its own. V8 makes a cut of 13 characters or more a view into the text, which
 * then lives as long as the cut: a folder's hosts, kept until the end, would keep every file's text (a
 * third of the memory for 60-line exports). Joining two pieces copies.
 */
function copyOf(text: string, s: number, e: number): string {
  if (e - s < 13) return s === 0 && e === text.length ? text : text.slice(s, e);
  halves[0] = text.charAt(s);
  halves[1] = text.slice(s + 1, e);
  const copy = halves.join('');
  halves[1] = '';
  return copy;
}

/** Kinds of line scanLine tells apart. */
const BLANK = 0;
const CONT = 1;
const KV = 2;
const NONE = 3;
const GENERAL = 4;

// scanLine's results besides the kind (module state rather than an object per line).
let scanEnd = 0;
let scanValueStart = 0;
let scanValueEnd = 0;
let scanLabelEnd = 0;
let scanLabelHash = 0;
let scanControl = 0;
// A KV line split by the first pattern (a colon followed by two blanks).
let scanPadded = false;

/**
 * Read the line from `s` to its end (scanEnd: the next CR or LF, or `n`) in one pass, and say what the
 * general code would make of it:
 * - BLANK: blank (nothing to do);
 * - CONT: starts with a space or tab; scanValueStart/End bound it trimmed (a continuation or, before any
 *   label, nothing);
 * - KV: what splitLabel gives: the label is text[s, scanLabelEnd) (hash scanLabelHash), the value
 *   text[scanValueStart, scanValueEnd);
 * - NONE: splitLabel gives null;
 * - GENERAL: not vouched for: the line holds whitespace other than spaces and tabs (where /\s/, trim()
 *   and the patterns behave differently), a control character, or starts with a colon or a BOM.
 * For lines of other characters, `.` in splitLabel's patterns is any character and `\s` a space or tab,
 * so splitPlainLabel's reading holds, here extended to non-ASCII letters (see splitPlainLabel).
 */
function scanLine(text: string, s: number, n: number, probeLength: number): number {
  // At the text's end (the line after a last line break) -1 rather than NaN: optimised code that reads
  // outside a string is thrown away and compiled again.
  const c0 = s < n ? text.charCodeAt(s) : -1;
  if (c0 === 0x20 || c0 === 0x09) {
    // The indent first (blanks decide nothing else), then the rest.
    const v = skipBlanks(text, s + 1);
    const last = scanRest(text, v, n, -1, probeLength);
    if (restGeneral) return GENERAL;
    if (last < 0) return BLANK;
    scanValueStart = v;
    scanValueEnd = last + 1;
    return CONT;
  }
  if (c0 === 0x3a) {
    scanRest(text, s, n, -1, probeLength);
    return GENERAL;
  }
  // The label part: hashed as it goes (h; hLast: up to the last non-blank character).
  let h = 0;
  let hLast = 0;
  let last = -1;
  let firstColon = -1;
  let firstColonEnd = 0;
  let firstColonHash = 0;
  let general = false;
  let i = s;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x20 && c < 0x7f) {
      if (c === 0x3a) {
        if (firstColon < 0) {
          firstColon = i;
          firstColonEnd = last + 1;
          firstColonHash = hLast;
        }
        if (isBlank(text.charCodeAt(i + 1)) && isBlank(text.charCodeAt(i + 2))) {
          // First pattern: the first colon followed by two blanks ends the label; the rest is the value.
          scanLabelEnd = last + 1;
          scanLabelHash = hLast;
          // The padding first (blanks decide nothing else), then the value.
          const from = skipBlanks(text, i + 3);
          const valueLast = scanRest(text, from, n, i, probeLength);
          if (general || restGeneral) return GENERAL;
          scanValueStart = from;
          scanValueEnd = valueLast + 1 > from ? valueLast + 1 : from;
          scanPadded = true;
          return KV;
        }
      }
      h = (Math.imul(h, 31) + c) | 0;
      hLast = h;
      last = i;
    } else if (c === 0x20 || c === 0x09) {
      h = (Math.imul(h, 31) + c) | 0;
    } else if (c === 0x0d || c === 0x0a) {
      break;
    } else if (c < 0x20) {
      general = true;
      if (i < probeLength) scanControl++;
    } else if (isOtherSpace(c)) {
      general = true;
    } else {
      // DEL and non-ASCII characters that are not whitespace: as any visible character.
      if (c === 0xfffd && i < probeLength) scanControl++;
      h = (Math.imul(h, 31) + c) | 0;
      hLast = h;
      last = i;
    }
  }
  scanEnd = i;
  if (general) return GENERAL;
  if (last < s) return BLANK;
  if (firstColon < 0) return NONE;
  // Second pattern: the first colon, then a blank; third: the first colon ends the line.
  if (firstColon + 1 < i && !isBlank(text.charCodeAt(firstColon + 1))) return NONE;
  scanLabelEnd = firstColonEnd;
  scanLabelHash = firstColonHash;
  return value(text, firstColon + 1, last);
}

/** Spaces and tabs, matched where lastIndex says (sticky). */
const BLANKS = /[ \t]*/y;

/**
 * Where the spaces and tabs from `i` end (`i` itself when there are none; at most the text's length):
 * systeminfo pads labels and indents continuation lines with tens of spaces, passed over natively.
 */
function skipBlanks(text: string, i: number): number {
  BLANKS.lastIndex = i;
  BLANKS.test(text);
  return BLANKS.lastIndex;
}

let restGeneral = false;

/**
 * The rest of a line from `i`: sets scanEnd, and restGeneral when a character is not vouched for (see
 * scanLine); returns the last non-blank character's index (`last` if none).
 */
function scanRest(text: string, i: number, n: number, last: number, probeLength: number): number {
  let general = false;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x20 && c < 0x7f) last = i;
    else if (c === 0x20 || c === 0x09) continue;
    else if (c === 0x0d || c === 0x0a) break;
    else if (c < 0x20) {
      general = true;
      if (i < probeLength) scanControl++;
    } else if (isOtherSpace(c)) general = true;
    else {
      if (c === 0xfffd && i < probeLength) scanControl++;
      last = i;
    }
  }
  scanEnd = i;
  restGeneral = general;
  return last;
}

/** A KV line's value: from `from` (blanks skipped) to the last non-blank character. */
function value(text: string, from: number, last: number): number {
  const end = scanEnd;
  while (from < end && isBlank(text.charCodeAt(from))) from++;
  scanValueStart = from;
  scanValueEnd = last + 1 > from ? last + 1 : from;
  scanPadded = false;
  return KV;
}

/** Whitespace to /\s/ and trim() other than ASCII (U+0080 and above). */
function isOtherSpace(c: number): boolean {
  if (c < 0x2000) return c === 0xa0 || c === 0x1680;
  return c <= 0x200a || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

// Labels already seen (a folder of exports repeats a few dozen): an open-addressing table keyed by the
// hash scanLine computes, so a known label is matched in place, with no string cut out of the line.
const LABEL_SLOTS = 2048;
const slotHashes = new Int32Array(LABEL_SLOTS);
const slotLabels: (string | undefined)[] = new Array<string | undefined>(LABEL_SLOTS).fill(undefined);
const slotFields: (CanonicalField | null)[] = new Array<CanonicalField | null>(LABEL_SLOTS).fill(null);
let slotsUsed = 0;

/** The slot holding the label text[s, e) (hash h), filled on first sight. */
function labelSlot(text: string, s: number, e: number, h: number): number {
  const length = e - s;
  let k = (h ^ (h >>> 15)) & (LABEL_SLOTS - 1);
  for (let label = slotLabels[k]; label !== undefined; label = slotLabels[k]) {
    if (slotHashes[k] === h && label.length === length && sameText(label, text, s)) return k;
    k = (k + 1) & (LABEL_SLOTS - 1);
  }
  if (slotsUsed >= LABEL_SLOTS >> 1) {
    slotLabels.fill(undefined);
    slotsUsed = 0;
    k = (h ^ (h >>> 15)) & (LABEL_SLOTS - 1);
  }
  const label = text.slice(s, e);
  slotHashes[k] = h;
  slotLabels[k] = label;
  slotFields[k] = fieldOfLabel(label);
  slotsUsed++;
  return k;
}

function sameText(label: string, text: string, at: number): boolean {
  for (let i = 0; i < label.length; i++) if (label.charCodeAt(i) !== text.charCodeAt(at + i)) return false;
  return true;
}

/** A field of systeminfo list output as read by order: its label and value, its line, and its list entries. */
interface OrderField {
  label: string;
  value: string;
  line: number;
  items: string[];
  /** A blank line comes just before the field (where appended output starts a host). */
  afterBlank: boolean;
}

/**
 * The fields of systeminfo list output in order, whatever their labels: every line that does not start
 * with a blank is a field (its label and value split as splitLabel does; the whole line is the label when
 * it has no colon), and each indented line an entry of the field above it.
 */
function orderFields(text: string): OrderField[] {
  const out: OrderField[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  let afterBlank = false;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    if (line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    if (isBlankLine(line)) {
      afterBlank = true;
      continue;
    }
    if (startsBlank(line)) {
      if (out.length > 0) out[out.length - 1].items.push(line.trim());
    } else {
      const kv = splitLabel(line);
      out.push({ label: kv ? kv[0] : line.trim(), value: kv ? kv[1] : '', line: i + 1, items: [], afterBlank });
    }
    afterBlank = false;
  }
  return out;
}

/** A field's value with its list entries, joined as the label reader joins them ("3 Hotfix(s) Installed.,[01]: KB…"). */
function joinedValue(field: OrderField): string {
  if (field.items.length === 0) return field.value;
  return (field.value === '' ? field.items : [field.value, ...field.items]).join(',');
}

/** The hotfix list among one host's fields: the one whose entries name updates (-1: none; -2: more than one). */
function kbSection(fields: OrderField[]): number {
  let found = -1;
  for (let i = 3; i < fields.length; i++) {
    // A list whose label says its updates are missing or failed is no hotfix list.
    if (!fields[i].items.some(isKbItem) || saysNotInstalled(fields[i].label)) continue;
    if (found >= 0) return -2;
    found = i;
  }
  return found;
}

/**
 * Read systeminfo list output whose labels are not recognised by systeminfo's field order (see
 * systeminfo-order.ts): one host per run of fields starting with the first field's label (output appended
 * with >>). A host whose values do not check out is a rejected row naming the field's line.
 */
export function readByFieldOrder(file: string, text: string, order: DateOrder = 'mdy'): InventoryEvent[] {
  const all = orderFields(text);
  if (all.length === 0) return [];
  const first = all[0].label;
  const events: InventoryEvent[] = [];
  let start = 0;
  for (let i = 1; i <= all.length; i++) {
    if (i < all.length && all[i].label !== first) continue;
    events.push(hostByOrder(file, all.slice(start, i), order));
    start = i;
  }
  return events;
}

function hostByOrder(file: string, f: OrderField[], order: DateOrder): InventoryEvent {
  const trouble = orderValuesProblem(f[0]?.value, f[1]?.value, f[2]?.value);
  if (trouble) return { type: 'rejected', rejected: { file, line: (f[trouble.index] ?? f[f.length - 1]).line, reason: trouble.reason } };
  const kb = kbSection(f);
  if (kb === -2) {
    return { type: 'rejected', rejected: { file, line: f[0].line, reason: "systeminfo output whose labels are not recognised: more than one of its lists names updates, so which is the hotfix list cannot be told; not audited" } };
  }
  const fields: Partial<Record<CanonicalField, string>> = nullProto();
  fields.hostname = f[0].value;
  fields.os_name = f[1].value;
  fields.os_version = f[2].value;
  if (kb >= 0) fields.kb_list = joinedValue(f[kb]);
  const type = f[SYSTEM_TYPE_FIELD - 1];
  if (type && isSystemTypeValue(type.value)) fields.os_arch = type.value;
  const domain = f[DOMAIN_FIELD - 1];
  if (domain && isDomainValue(domain.value)) fields.domain = domain.value;
  const columns = nullProto();
  for (const field of f) if (!Object.hasOwn(columns, field.label)) columns[field.label] = joinedValue(field);
  const rec = record(file, f[0].line, fields, columns, order);
  rec.notes = NOTE_READ_BY_ORDER;
  return { type: 'record', record: rec };
}

/**
 * The text before line `line` (where the labels found the first host) when it holds a host of its own:
 * output appended with >> whose first host's labels are not listed. Null when that line is the first
 * that is not blank (the usual case, found at once), or when what comes before has no systeminfo shape.
 */
function unreadHead(text: string, line: number): string | null {
  const s = nextNonBlankLine(text, 0);
  if (s < 0) return null;
  const at = lineOffset(text, line);
  return at > s && at < text.length && looksLikeSysteminfoShape(text.slice(0, at)) ? text.slice(0, at) : null;
}

/** More labels than one host's systeminfo output has (33 on Windows 11): a host may be appended. */
const MANY_LABELS = 40;

/**
 * Where a host whose labels are not recognised starts inside a record of another (`systeminfo >> all.txt`
 * on machines of different display languages): the label reader, which starts a host at a host-name label
 * it knows, would take the second host's fields as more of the first's, and the second host would be lost.
 * Looked for only in a record with more labels than one host has; the appended host must start with three
 * fields that check out as a host name, OS name and OS version (systeminfo's order). Null when none.
 */
function appendedHostLine(text: string, events: InventoryEvent[]): number | null {
  let suspect: number | null = null;
  for (const ev of events) {
    if (ev.type !== 'record') continue;
    let labels = 0;
    for (const _ in ev.record.columns) labels++;
    if (labels > MANY_LABELS) {
      suspect = ev.record.source.line;
      break;
    }
  }
  if (suspect === null) return null;
  const all = orderFields(text);
  const from = all.findIndex((f) => f.line >= suspect);
  let end = all.length;
  for (let p = from + 1; p < all.length; p++) {
    if (fieldOfLabel(all[p].label) === 'hostname') {
      end = p;
      break;
    }
  }
  for (let p = from + 10; p + 2 < end; p++) {
    if (orderValuesProblem(all[p].value, all[p + 1].value, all[p + 2].value) === null) return all[p].line;
  }
  // None checks out: the first label after a blank line that the record has not had yet starts the other
  // host, which is then read by order and, its values not checking out, rejected (seen, not lost).
  const seen = new Set<string>();
  for (let p = from; p < end; p++) {
    if (p >= from + 10 && !seen.has(all[p].label) && fieldOfLabel(all[p].label) === null && all[p].afterBlank) return all[p].line;
    seen.add(all[p].label);
  }
  return null;
}

/** Where line `line` (1-based) of `text` starts. */
function lineOffset(text: string, line: number): number {
  let at = 0;
  for (let n = 1; n < line; n++) {
    let e = at;
    while (e < text.length && text.charCodeAt(e) !== 0x0a && text.charCodeAt(e) !== 0x0d) e++;
    if (e >= text.length) return text.length;
    at = e + (text.charCodeAt(e) === 0x0d && text.charCodeAt(e + 1) === 0x0a ? 2 : 1);
  }
  return at;
}

/** A record of systeminfo output whose OS name and version, or whose hotfix list, no label gave. */
function lacksOrderFields(f: Partial<Record<CanonicalField, string>>): boolean {
  return (f.os_name === undefined && f.os_version === undefined) || (f.kb_list === undefined && f.kb === undefined);
}

/**
 * The label reader's events, completed by systeminfo's field order where the labels left them short (a
 * quick pass over the records finds none in a file whose labels are listed: nothing else is done). No
 * record at all (no host name label recognised): the text is read by order when it has systeminfo's shape.
 * A record lacking the OS name and version takes the 2nd and 3rd fields when they check out, one lacking
 * the hotfix list takes the list of KB numbers; each says so in its notes. A record whose fields do not
 * check out stays as it is (its OS unknown, it is never compliant).
 */
function withFieldOrder(file: string, text: string, order: DateOrder, events: InventoryEvent[]): InventoryEvent[] {
  const split = appendedHostLine(text, events);
  if (split !== null) {
    // The text before the appended host, and the rest with its line numbers kept (blank lines in front):
    // each read on its own, so the first host keeps only its own fields and the rest is read as any file.
    const cut = lineOffset(text, split);
    const rest = '\n'.repeat(split - 1) + text.slice(cut);
    const after = systeminfoListScan(file, rest, order, 0).events;
    if (after.length === 0) {
      // Not readable even by order: the lines are reported, not dropped.
      after.push({ type: 'rejected', rejected: { file, line: split, reason: 'more systeminfo output follows a host here, but in a shape patchaudit cannot read (neither its labels nor systeminfo\'s field order); not audited' } });
    }
    return [...systeminfoListScan(file, text.slice(0, cut), order, 0).events, ...after];
  }
  const first = events[0];
  const head = first !== undefined && first.type === 'record' ? unreadHead(text, first.record.source.line) : null;
  if (head !== null) events = [...readByFieldOrder(file, head, order), ...events];
  let wanting = events.length === 0;
  for (let i = 0; i < events.length && !wanting; i++) {
    const ev = events[i];
    if (ev.type === 'record' && lacksOrderFields(ev.record.fields)) wanting = true;
  }
  if (!wanting) return events;
  if (events.length === 0) return looksLikeSysteminfoShape(text) ? readByFieldOrder(file, text, order) : events;
  const all = orderFields(text);
  const starts = new Map<number, number>();
  for (const ev of events) if (ev.type === 'record') starts.set(ev.record.source.line, -1);
  for (let i = 0; i < all.length; i++) if (starts.has(all[i].line)) starts.set(all[i].line, i);
  const at = [...starts.values()].filter((i) => i >= 0).sort((a, b) => a - b);
  for (const ev of events) {
    if (ev.type !== 'record' || !lacksOrderFields(ev.record.fields)) continue;
    const from = starts.get(ev.record.source.line) ?? -1;
    if (from < 0) continue;
    const to = at.find((i) => i > from) ?? all.length;
    const read = all.slice(from, to);
    const f = ev.record.fields;
    let os = false;
    let kbs = false;
    if (f.os_name === undefined && f.os_version === undefined && orderValuesProblem(read[0]?.value, read[1]?.value, read[2]?.value) === null) {
      f.os_name = read[1].value;
      f.os_version = read[2].value;
      const type = read[SYSTEM_TYPE_FIELD - 1];
      if (f.os_arch === undefined && type && isSystemTypeValue(type.value)) f.os_arch = type.value;
      os = true;
    }
    if (f.kb_list === undefined && f.kb === undefined) {
      const kb = kbSection(read);
      if (kb >= 0) {
        f.kb_list = joinedValue(read[kb]);
        kbs = true;
      }
    }
    if (os || kbs) ev.record.notes = os && kbs ? NOTE_OS_AND_KBS_BY_ORDER : os ? NOTE_OS_BY_ORDER : NOTE_KBS_BY_ORDER;
  }
  return events;
}

/** The host a per-host file is about, from names like HOST_qfe.txt or HOST.txt. */
export function hostFromFileName(file: string): string {
  const base = path.basename(file).replace(/\.[^.]+$/, '');
  return base.replace(/[_-](?:qfe|hotfix(?:es)?|updates|kbs?|systeminfo)$/i, '');
}

/**
 * Read a `wmic qfe` fixed-width table: column boundaries are where the header words start. The console
 * table PowerShell writes (`Get-HotFix > file.txt`, Format-Table) is read too: there the line of dashes
 * under the header gives the columns (a label may hold a space), and is not a row.
 */
export function* readWmicTable(file: string, text: string, order: DateOrder = 'mdy'): Generator<InventoryEvent> {
  yield* wmicTableEvents(file, text, order);
}

/** A line of dash runs and blanks only: Format-Table's underline of the header. */
const UNDERLINE = /^[ \t]*-+(?:[ \t]+-+)*[ \t]*$/;
/** What Format-Table puts at the end of a value cut to the column's width ("..." in Windows PowerShell, "…" in PowerShell 7). */
const CUT_SHORT = /(?:\.\.\.|\u2026)$/;

/** readWmicTable as an array. */
export function wmicTableEvents(file: string, text: string, order: DateOrder = 'mdy'): InventoryEvent[] {
  const lines = text.split(/\r\n|\r|\n/);
  const first = consoleHeaderAt(lines, 0, CONSOLE_PREAMBLE);
  if (first >= 0) return consoleTableEvents(file, lines, first, order);
  const events: InventoryEvent[] = [];
  const headerIndex = lines.findIndex((l) => l.trim() !== '');
  const header = lines[headerIndex];
  let underline = -1;
  for (let i = headerIndex + 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    if (UNDERLINE.test(lines[i])) underline = i;
    break;
  }
  // Columns from the dashes under the header, or (wmic: none) from where its words start.
  const { starts, names, fields: fieldsOf } = underline >= 0 ? consoleColumns(header, lines[underline]) : wordColumns(header);
  const unusedCut = new Set<string>();
  const hasHost = fieldsOf.includes('hostname');
  const fallbackHost = hostFromFileName(file);
  const normalisedHeader = normaliseHeader(header);
  // The header again: output appended from several runs (`wmic qfe list brief >> file.txt` on several
  // machines). Rows that name no machine then cannot take the file's name: which machine each table is
  // for is not known, and one machine's updates must not count for another.
  let tables = 1;
  for (let i = headerIndex + 1; i < lines.length; i++) if (normaliseHeader(lines[i]) === normalisedHeader) tables++;
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    if (normaliseHeader(line) === normalisedHeader) continue;
    // The header's underline (again under a repeated header): not a row.
    if (underline >= 0 && UNDERLINE.test(line)) continue;
    const fields: Partial<Record<CanonicalField, string>> = Object.create(null);
    const columns: Record<string, string> = Object.create(null);
    let cut: string | null = null;
    for (let c = 0; c < starts.length; c++) {
      const v = line.slice(starts[c], c + 1 < starts.length ? starts[c + 1] : undefined).trim();
      columns[names[c]] = v;
      const f = fieldsOf[c];
      if (f && fields[f] === undefined) {
        fields[f] = v;
        if (underline >= 0 && CUT_SHORT.test(v)) {
          // A value cut short to the console table's width cannot be trusted: a machine name or KB number
          // rejects the row; anything else ("Microsoft Windows Server 2008 R...") is not used.
          if (KEY_FIELDS.has(f)) cut ??= cutShortProblem(f, names[c], v);
          else {
            fields[f] = '';
            unusedCut.add(names[c]);
          }
        }
      }
    }
    if (cut !== null) {
      events.push({ type: 'rejected', rejected: { file, line: i + 1, reason: cut } });
      continue;
    }
    if (!fields.hostname && tables > 1) {
      events.push({ type: 'rejected', rejected: { file, line: i + 1, reason: `hostname: the file holds ${tables} tables under the same header and this row names no machine, so it is not known which machine it is for (appended output of several machines?); capture each machine to its own file, or use /format:csv, which names the machine (Node)` } });
      continue;
    }
    if (!hasHost || !fields.hostname) fields.hostname = fields.hostname || fallbackHost;
    events.push({ type: 'record', record: record(file, i + 1, fields, columns, order) });
  }
  for (const name of unusedCut) {
    events.push({ type: 'warning', message: `${file}: column "${name}" has values cut short by the console table ("..."); those values were not used. Export with Export-Csv instead (or Format-Table -AutoSize)` });
  }
  return events;
}

/** A console table's columns, from its header and the dashes under it. */
interface ConsoleColumns {
  starts: number[];
  names: string[];
  fields: (CanonicalField | null)[];
}

function consoleColumns(header: string, underline: string): ConsoleColumns {
  const starts: number[] = [];
  const names: string[] = [];
  for (const { start, label } of dashColumns(header, underline)) {
    starts.push(start);
    names.push(label || `Column ${names.length + 1}`);
  }
  return { starts, names, fields: tableFields(names) };
}

/** A table's columns where its header has no dashes under it (wmic): one at each word of the header. */
function wordColumns(header: string): ConsoleColumns {
  const starts: number[] = [];
  const names: string[] = [];
  const re = /\S+/g;
  for (let m = re.exec(header); m; m = re.exec(header)) {
    starts.push(m.index);
    names.push(m[0]);
  }
  return { starts, names, fields: tableFields(names) };
}

/**
 * The fields of a table's columns. Caption is the KB's support URL and Name is usually empty in a QFE
 * listing: neither is OS or host data. (In a table of other data, such as Win32_OperatingSystem's, they
 * are the OS and the machine.)
 */
function tableFields(names: string[]): (CanonicalField | null)[] {
  const qfe = names.some((n) => fieldOfLabel(n) === 'kb');
  return names.map((n) => (qfe && /^(?:caption|name)$/i.test(n) ? null : fieldOfLabel(n)));
}

/** The rejection of a row whose machine name or KB a console table cut short. */
function cutShortProblem(field: CanonicalField, column: string, value: string): string {
  return `${field} (column "${column}"): value ${JSON.stringify(value)} was cut short by the console table; export with Export-Csv instead (or Format-Table -AutoSize)`;
}

const KEY_FIELDS = new Set<CanonicalField>(['hostname', 'kb', 'kb_list']);

/** One line of a console table, cut into its columns. */
interface ConsoleRow {
  line: number;
  fields: Partial<Record<CanonicalField, string>>;
  columns: Record<string, string>;
  /** Why the row cannot be read (a machine name or KB cut short or wrapped), or null. */
  problem: string | null;
}

function consoleRow(table: ConsoleColumns, line: string, lineNo: number, unusedCut: Set<string>): ConsoleRow {
  const fields: Partial<Record<CanonicalField, string>> = Object.create(null);
  const columns: Record<string, string> = Object.create(null);
  let problem: string | null = null;
  let host = '';
  let cutHost: { value: string; column: string } | null = null;
  for (let c = 0; c < table.starts.length; c++) {
    const v = line.slice(table.starts[c], c + 1 < table.starts.length ? table.starts[c + 1] : undefined).trim();
    columns[table.names[c]] = v;
    const f = table.fields[c];
    if (!f) continue;
    if (f === 'hostname') {
      // Several columns may name the machine (Source, PSComputerName): the first one with a whole name.
      if (v === '') continue;
      if (CUT_SHORT.test(v)) cutHost ??= { value: v, column: table.names[c] };
      else if (host === '') host = v;
      continue;
    }
    if (fields[f] !== undefined) continue;
    fields[f] = v;
    if (CUT_SHORT.test(v)) {
      // A value cut short to the console table's width cannot be trusted: a KB number rejects the row;
      // anything else ("Microsoft Windows Server 2008 R...") is not used.
      if (KEY_FIELDS.has(f)) problem ??= cutShortProblem(f, table.names[c], v);
      else {
        fields[f] = '';
        unusedCut.add(table.names[c]);
      }
    }
  }
  if (cutHost !== null) {
    // A name cut short ("WARD7-RADIOLO...") may stand for several machines: it is used only when another
    // column of the row gives the whole name it starts with.
    const prefix = cutHost.value.replace(CUT_SHORT, '').toLowerCase();
    if (host === '' || !host.toLowerCase().startsWith(prefix)) {
      problem = cutShortProblem('hostname', cutHost.column, cutHost.value);
    }
  }
  fields.hostname = host;
  return { line: lineNo, fields, columns, problem };
}

/**
 * Read the tables PowerShell printed (Format-Table, the default view of Get-HotFix and
 * Win32_QuickFixEngineering), as many as the file holds: every header with dashes under it gives the
 * columns of the rows below it, up to a blank line (each `Format-Table -AutoSize` of a loop sizes its own
 * columns). Text outside the tables (a prompt, a title a script printed, PowerShell's note that columns
 * were removed) is not a row: it is named in a warning, or rejected when it holds a KB number. A row whose
 * values Format-Table -Wrap carried onto the next line is rejected when a machine name or KB is split.
 * A row that names no machine takes the file's name only when the file holds one table: output appended
 * from several machines cannot tell whose the row is.
 */
function consoleTableEvents(file: string, lines: string[], first: number, order: DateOrder): InventoryEvent[] {
  const events: InventoryEvent[] = [];
  const unusedCut = new Set<string>();
  const outside: number[] = [];
  const rows: ConsoleRow[] = [];
  let tables = 0;
  let table: ConsoleColumns | null = null;
  let spaced = false;
  let blanks = 0;
  let last: ConsoleRow | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') {
      blanks++;
      // A table ends at a blank line (two in a file whose lines are double-spaced).
      if (table && blanks >= (spaced ? 2 : 1)) {
        table = null;
        last = null;
      }
      continue;
    }
    blanks = 0;
    const u = i >= first ? consoleUnderlineOf(lines, i) : -1;
    if (u >= 0) {
      table = consoleColumns(line, lines[u]);
      spaced = u > i + 1;
      tables++;
      last = null;
      i = u;
      continue;
    }
    if (table === null) {
      strayLine(events, outside, file, line, i + 1, 'a KB number outside any console table (no header with dashes above it): its machine and columns are unknown');
      continue;
    }
    if (UNDERLINE.test(line)) continue;
    const row = consoleRow(table, line, i + 1, unusedCut);
    if (last !== null && continuesRow(table, last, row)) {
      // Format-Table -Wrap: the rest of the row above, in the columns this line fills.
      for (let c = 0; c < table.names.length; c++) {
        const name = table.names[c];
        const f = table.fields[c];
        if (row.columns[name] === '' || !f) continue;
        if (KEY_FIELDS.has(f)) {
          last.problem ??= `${f} (column "${name}"): value ${JSON.stringify(last.columns[name])} continues on line ${i + 1} (the console table wrapped it); export with Export-Csv instead`;
        } else if (f !== 'hostname') {
          last.fields[f] = '';
          unusedCut.add(name);
        }
      }
      continue;
    }
    rows.push(row);
    last = row;
  }
  const fallbackHost = hostFromFileName(file);
  for (const row of rows) {
    if (row.problem === null && !row.fields.hostname) {
      if (tables > 1) row.problem = 'no machine name in the row, and the file holds several console tables (output of several machines or runs): the file name cannot tell whose row it is';
      else row.fields.hostname = fallbackHost;
    }
    if (row.problem !== null) events.push({ type: 'rejected', rejected: { file, line: row.line, reason: row.problem } });
    else events.push({ type: 'record', record: record(file, row.line, row.fields, row.columns, order) });
  }
  events.sort((x, y) => lineOf(x) - lineOf(y));
  unreadLines(events, outside, file, lines, 'part of a console table');
  for (const name of unusedCut) {
    events.push({ type: 'warning', message: `${file}: column "${name}" has values cut short or wrapped by the console table; those values were not used. Export with Export-Csv instead (or Format-Table -AutoSize)` });
  }
  return events;
}

function lineOf(e: InventoryEvent): number {
  return e.type === 'record' ? e.record.source.line : e.type === 'rejected' ? e.rejected.line : 0;
}

/**
 * Is `row` the rest of `above`, wrapped onto the next line (Format-Table -Wrap)? A column that names the
 * machine or the update is filled above and blank here.
 */
function continuesRow(table: ConsoleColumns, above: ConsoleRow, row: ConsoleRow): boolean {
  let blankUnderFilled = false;
  for (let c = 0; c < table.names.length; c++) {
    const f = table.fields[c];
    if (!f || !KEY_FIELDS.has(f)) continue;
    const name = table.names[c];
    if (above.columns[name] !== '' && row.columns[name] === '') blankUnderFilled = true;
  }
  if (!blankUnderFilled) return false;
  // A machine named where the value above left room for it is a row of its own (a machine whose update
  // cell is blank), not the rest of a wrapped name: Format-Table -Wrap moves a word to the next line only
  // when it does not fit after the value above, and breaks a longer word at the column's width.
  for (let c = 0; c < table.names.length; c++) {
    if (table.fields[c] !== 'hostname') continue;
    const name = table.names[c];
    if (row.columns[name] !== '' && !couldBeWrapped(table, c, above.columns[name], row.columns[name])) return false;
  }
  return true;
}

/** Could `below` be the rest of `above` wrapped in column c? The last column's width is not known: yes. */
function couldBeWrapped(table: ConsoleColumns, c: number, above: string, below: string): boolean {
  if (c + 1 >= table.starts.length) return true;
  const width = table.starts[c + 1] - table.starts[c] - 1;
  return above.length + 1 + below.split(/\s/)[0].length > width;
}

/** A line of WMIC's list output: `Key=Value`, the key a WMI property name. */
const WMIC_LIST_LINE = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;
/**
 * A line of PowerShell's Format-List output: `Key : Value`, the keys of an object padded to one width, so
 * every colon of an object is in one column (an empty value may lose its trailing space).
 */
const FORMAT_LIST_LINE = /^([A-Za-z_][\w.-]*(?: [\w.()-]+)*)( *) :(?: (.*))?$/;
/** Lines other than Key=Value allowed before the first one: a prompt and the command, a title. */
const KV_LIST_PREAMBLE = 2;

/** The two list syntaxes read as instances of Key/Value pairs. */
export type KeyValueSyntax = 'wmic' | 'format-list';

/** The key and value of a line in `syntax`, and the column of its separator; null if it is no such line. */
function keyValueLine(line: string, syntax: KeyValueSyntax): { key: string; value: string; column: number } | null {
  if (syntax === 'wmic') {
    const m = WMIC_LIST_LINE.exec(line);
    return m ? { key: m[1], value: m[2].trim(), column: m[1].length } : null;
  }
  const m = FORMAT_LIST_LINE.exec(line.trimEnd());
  return m ? { key: m[1], value: (m[3] ?? '').trim(), column: m[1].length + m[2].length + 1 } : null;
}

/** Does a key name the machine, an update or the OS (as a CSV header would)? */
function namesWhatMatters(key: string): boolean {
  const f = fieldOfLabel(key);
  return f === 'hostname' || f === 'kb' || f === 'kb_list' || f === 'os_name' || f === 'os_version';
}

/**
 * Does the start of this text look like WMIC's list output (`wmic qfe list full`, `wmic os get … /format:list`):
 * at least three Key=Value lines in a row among the first lines, one of whose keys names the machine, an
 * update or the OS?
 */
export function looksLikeWmicList(sample: string): boolean {
  let kv = 0;
  let other = 0;
  let named = false;
  for (let k = 0, at = 0; k < 12; k++) {
    const s = nextNonBlankLine(sample, at);
    if (s < 0) break;
    at = lineCursor;
    const m = WMIC_LIST_LINE.exec(sample.slice(s, lineEnd));
    if (!m) {
      if (kv > 0 || ++other > KV_LIST_PREAMBLE) return false;
      continue;
    }
    kv++;
    if (namesWhatMatters(m[1])) named = true;
    if (kv >= 3 && named) return true;
  }
  return false;
}

/**
 * Does the start of this text look like PowerShell's Format-List output (`Get-ComputerInfo > file.txt`,
 * `Get-CimInstance Win32_OperatingSystem | Format-List *`): an object of at least three `Key : Value` lines
 * whose colons are in one column, padded (a key shorter than the longest has blanks before its colon),
 * with a key naming the machine, an update or the OS? systeminfo's `Label:   value` has no blank before the
 * colon and its colons are not aligned.
 */
export function looksLikeFormatList(sample: string): boolean {
  let kv = 0;
  let column = -1;
  let padded = false;
  let named = false;
  let other = 0;
  const n = sample.length;
  for (let at = 0, k = 0; at < n && k < 400; k++) {
    let e = sample.indexOf('\n', at);
    if (e < 0) e = n;
    const line = sample.slice(at, e).replace(/\r$/, '');
    at = e + 1;
    if (line.trim() === '') {
      if (kv > 0) break;
      continue;
    }
    if (kv > 0 && (line.charCodeAt(0) === 0x20 || line.charCodeAt(0) === 0x09)) continue;
    const m = keyValueLine(line, 'format-list');
    if (!m) {
      if (kv > 0 || ++other > KV_LIST_PREAMBLE) return false;
      continue;
    }
    if (column >= 0 && m.column !== column) return false;
    column = m.column;
    kv++;
    if (line.charCodeAt(m.key.length) === 0x20 && line.charCodeAt(m.key.length + 1) === 0x20) padded = true;
    if (namesWhatMatters(m.key)) named = true;
  }
  return kv >= 3 && padded && named;
}

/** One instance of a list: its Key/Value pairs, from `line` (1-based). */
interface ListInstance {
  line: number;
  keys: string[];
  values: string[];
}

/** Column mappings of the key lists seen (each WMI class or object type gives one). */
const listMappings = new Map<string, ReturnType<typeof mapColumns>>();

function listMapping(keys: string[]): ReturnType<typeof mapColumns> {
  const id = keys.join('\n');
  let m = listMappings.get(id);
  if (!m) {
    if (listMappings.size >= 100) listMappings.clear();
    listMappings.set(id, (m = mapColumns(keys)));
  }
  return m;
}

/** The names list syntaxes are given in messages. */
const LIST_SYNTAX_NAMES: Record<KeyValueSyntax, string> = { wmic: 'Key=Value lines of WMIC list output', 'format-list': 'Key : Value lines of PowerShell Format-List output' };

/**
 * Read a list of instances: WMIC's list output (`wmic qfe list full > HOST.txt`, `wmic os get Caption,Version
 * /format:list`) or PowerShell's Format-List output (`Get-ComputerInfo > HOST.txt`). An instance is a run of
 * Key/Value lines, ended by a blank line or by a key it already has; a Format-List value too long for the
 * console goes on in indented lines. Each instance is a row, its keys mapped as a CSV header would be (a QFE
 * instance's Caption is the support URL, not the OS). An instance naming no machine (`wmic qfe get HotFixID
 * /format:list`) is the machine the file names, or the one its other instances name; when they name
 * several, such rows are rejected: whose updates they are is not known.
 */
export function keyValueListEvents(file: string, text: string, syntax: KeyValueSyntax, order: DateOrder = 'mdy'): InventoryEvent[] {
  // Through a pipe WMIC ends its lines with CR CR LF: one line end, not a line and a blank one.
  const lines = (syntax === 'wmic' ? text.replace(/\r\r\n/g, '\r\n') : text).split(/\r\n|\r|\n/);
  const events: InventoryEvent[] = [];
  const instances: ListInstance[] = [];
  const outside: number[] = [];
  let current: ListInstance | null = null;
  let keysOf = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const line = raw.trim();
    if (line === '') {
      current = null;
      continue;
    }
    if (syntax === 'format-list' && current && (raw.charCodeAt(0) === 0x20 || raw.charCodeAt(0) === 0x09)) {
      // Format-List wraps a long value onto indented lines.
      const last = current.values.length - 1;
      current.values[last] = current.values[last] === '' ? line : `${current.values[last]} ${line}`;
      continue;
    }
    const m = keyValueLine(syntax === 'wmic' ? line : raw, syntax);
    if (!m) {
      current = null;
      strayLine(events, outside, file, line, i + 1, `a KB number outside the ${LIST_SYNTAX_NAMES[syntax]}: its machine is unknown`);
      continue;
    }
    const key = m.key.toLowerCase();
    if (current && keysOf.has(key)) current = null;
    if (!current) {
      current = { line: i + 1, keys: [], values: [] };
      keysOf = new Set();
      instances.push(current);
    }
    keysOf.add(key);
    current.keys.push(m.key);
    current.values.push(m.value);
  }
  const rows = instances.map((inst) => {
    const mapping = listMapping(inst.keys);
    const fields: Partial<Record<CanonicalField, string>> = Object.create(null);
    const columns: Record<string, string> = Object.create(null);
    inst.keys.forEach((k, c) => (columns[k] = inst.values[c]));
    for (const [f, idx] of Object.entries(mapping.fields) as [CanonicalField, number][]) fields[f] = inst.values[idx];
    // Win32_OperatingSystem's Name is "caption|windows folder|boot partition", not a machine.
    if (fields.hostname?.includes('|')) delete fields.hostname;
    return { inst, fields, columns };
  });
  const named = new Set(rows.filter((r) => r.fields.hostname).map((r) => r.fields.hostname!.toLowerCase()));
  const fallback = named.size === 0 ? hostFromFileName(file) : named.size === 1 ? rows.find((r) => r.fields.hostname)!.fields.hostname! : null;
  for (const { inst, fields, columns } of rows) {
    if (!fields.hostname) {
      if (fallback === null) {
        events.push({ type: 'rejected', rejected: { file, line: inst.line, reason: `hostname: this entry names no machine and the file's other entries name ${named.size} machines, so it is not known which machine it is for; capture each machine to its own file, or include the machine's name (CSName)` } });
        continue;
      }
      fields.hostname = fallback;
    }
    events.push({ type: 'record', record: record(file, inst.line, fields, columns, order) });
  }
  events.sort((x, y) => lineOf(x) - lineOf(y));
  unreadLines(events, outside, file, lines, LIST_SYNTAX_NAMES[syntax]);
  return events;
}

/**
 * A line a text reader cannot place (a prompt, a title, a note): rejected at its line when it names a KB
 * (an update whose machine is not known must not be lost silently, nor counted), else kept in `outside`
 * for unreadLines.
 */
function strayLine(events: InventoryEvent[], outside: number[], file: string, line: string, lineNo: number, reason: string): void {
  if (/\bKB\d{6,7}\b/i.test(line)) events.push({ type: 'rejected', rejected: { file, line: lineNo, reason } });
  else outside.push(lineNo);
}

/** One warning naming the lines (1-based) a text reader did not read: "are not <what> and were not read". */
function unreadLines(events: InventoryEvent[], outside: number[], file: string, lines: string[], what: string): void {
  if (outside.length === 0) return;
  const shown = outside.slice(0, 5).join(', ') + (outside.length > 5 ? `, … (${outside.length} lines)` : '');
  events.push({ type: 'warning', message: `${file}: line(s) ${shown} are not ${what} and were not read (first: ${JSON.stringify(lines[outside[0] - 1].trim().slice(0, 80))})` });
}
