import path from 'node:path';
import { parseInventoryDate, type DateOrder } from './dates.js';
import { aliasCandidates, normaliseHeader } from './fields.js';
import type { InventoryEvent } from './read-csv.js';
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

/** The first `count` lines of `text` that are not blank (splitting only as much of it as needed). */
function firstNonBlankLines(text: string, count: number): string[] {
  for (let length = 4096; ; length *= 8) {
    const whole = length >= text.length;
    const lines = (whole ? text : text.slice(0, length)).split(/\r\n|\r|\n/);
    // The last line of a part may be cut short: only whole lines count.
    if (!whole) lines.pop();
    const out: string[] = [];
    for (const line of lines) {
      if (isBlankLine(line)) continue;
      out.push(line);
      if (out.length === count) return out;
    }
    if (whole) return out;
  }
}

/** line.trim() === '', without trimming lines that start with a visible ASCII character (most). */
function isBlankLine(line: string): boolean {
  const c = line.charCodeAt(0);
  if (c > 0x20 && c < 0x7f) return false;
  return line.trim() === '';
}

/** Does the start of this text look like `systeminfo` list output? */
export function looksLikeSysteminfoList(sample: string): boolean {
  for (const line of firstNonBlankLines(sample, 6)) {
    if (/^[,;|\t"]/.test(line) || /[;|\t]/.test(line.split(':')[0])) continue;
    const kv = splitLabel(line);
    if (kv && fieldOfLabel(kv[0]) === 'hostname' && kv[1] !== '' && !/[,;|]/.test(kv[0])) return true;
  }
  return false;
}

/** Does the start of this text look like a `wmic qfe` fixed-width table? */
export function looksLikeWmicTable(sample: string): boolean {
  const first = firstNonBlankLines(sample, 1)[0] ?? '';
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
  const events: InventoryEvent[] = [];
  const lines = text.split(/\r\n|\r|\n/);
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
    const kv = splitLabel(line);
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
  return events;
}

/** The host a per-host file is about, from names like HOST_qfe.txt or HOST.txt. */
export function hostFromFileName(file: string): string {
  const base = path.basename(file).replace(/\.[^.]+$/, '');
  return base.replace(/[_-](?:qfe|hotfix(?:es)?|updates|kbs?|systeminfo)$/i, '');
}

/** Read a `wmic qfe` fixed-width table: column boundaries are where the header words start. */
export function* readWmicTable(file: string, text: string, order: DateOrder = 'mdy'): Generator<InventoryEvent> {
  yield* wmicTableEvents(file, text, order);
}

/** readWmicTable as an array. */
export function wmicTableEvents(file: string, text: string, order: DateOrder = 'mdy'): InventoryEvent[] {
  const events: InventoryEvent[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  const headerIndex = lines.findIndex((l) => l.trim() !== '');
  const header = lines[headerIndex];
  const starts: number[] = [];
  const names: string[] = [];
  const re = /\S+/g;
  for (let m = re.exec(header); m; m = re.exec(header)) {
    starts.push(m.index);
    names.push(m[0]);
  }
  // Caption is the KB's support URL and Name is usually empty in a QFE listing: neither is OS or host data.
  const fieldsOf = names.map((n) => (/^(?:caption|name)$/i.test(n) ? null : fieldOfLabel(n)));
  const hasHost = fieldsOf.includes('hostname');
  const fallbackHost = hostFromFileName(file);
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    if (normaliseHeader(line) === normaliseHeader(header)) continue;
    const fields: Partial<Record<CanonicalField, string>> = Object.create(null);
    const columns: Record<string, string> = Object.create(null);
    for (let c = 0; c < starts.length; c++) {
      const v = line.slice(starts[c], c + 1 < starts.length ? starts[c + 1] : undefined).trim();
      columns[names[c]] = v;
      const f = fieldsOf[c];
      if (f && fields[f] === undefined) fields[f] = v;
    }
    if (!hasHost || !fields.hostname) fields.hostname = fields.hostname || fallbackHost;
    events.push({ type: 'record', record: record(file, i + 1, fields, columns, order) });
  }
  return events;
}
