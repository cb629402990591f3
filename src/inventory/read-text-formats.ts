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
function splitLabel(line: string): [string, string] | null {
  let m = /^(\S.*?):\s{2,}(.*)$/.exec(line);
  if (!m) m = /^(\S[^:]*?)\s?:\s(.*)$/.exec(line);
  if (!m) m = /^(\S[^:]*?)\s?:$/.exec(line) ? [line, line.replace(/\s?:$/, ''), ''] as unknown as RegExpExecArray : null;
  return m ? [m[1].trim(), (m[2] ?? '').trim()] : null;
}

function fieldOfLabel(label: string): CanonicalField | null {
  const hits = aliasCandidates(label);
  if (hits.length === 0) return null;
  return [...hits].sort((a, b) => a.priority - b.priority)[0].field;
}

/** Does the start of this text look like `systeminfo` list output? */
export function looksLikeSysteminfoList(sample: string): boolean {
  const lines = sample.split(/\r\n|\r|\n/).filter((l) => l.trim() !== '').slice(0, 6);
  for (const line of lines) {
    if (/^[,;|\t"]/.test(line) || /[;|\t]/.test(line.split(':')[0])) continue;
    const kv = splitLabel(line);
    if (kv && fieldOfLabel(kv[0]) === 'hostname' && kv[1] !== '' && !/[,;|]/.test(kv[0])) return true;
  }
  return false;
}

/** Does the start of this text look like a `wmic qfe` fixed-width table? */
export function looksLikeWmicTable(sample: string): boolean {
  const first = sample.split(/\r\n|\r|\n/).find((l) => l.trim() !== '') ?? '';
  return /\bHotFixID\b/i.test(first) && !/[,;\t|"]/.test(first) && /\S\s{2,}\S/.test(first);
}

const DATE_FIELDS = new Set<CanonicalField>(['last_patch_date', 'last_seen', 'kb_installed_on', 'os_install_date']);

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

/** Read systeminfo list output: one record per "Host Name:" block. */
export function* readSysteminfoList(file: string, text: string, order: DateOrder = 'mdy'): Generator<InventoryEvent> {
  const lines = text.split(/\r\n|\r|\n/);
  let fields: Partial<Record<CanonicalField, string>> | null = null;
  let columns: Record<string, string> = Object.create(null);
  let start = 0;
  let current: { field: CanonicalField | null; label: string } | null = null;
  const flush = function* () {
    if (fields) yield { type: 'record' as const, record: record(file, start, fields, columns, order) };
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/^\uFEFF/, '');
    if (line.trim() === '') continue;
    if (/^\s/.test(line) && current) {
      // Continuation: hotfix and network card items.
      const v = line.trim();
      columns[current.label] = columns[current.label] ? `${columns[current.label]},${v}` : v;
      if (current.field && fields) fields[current.field] = fields[current.field] ? `${fields[current.field]},${v}` : v;
      continue;
    }
    const kv = splitLabel(line);
    if (!kv) continue;
    const [label, value] = kv;
    const field = fieldOfLabel(label);
    if (field === 'hostname') {
      yield* flush();
      fields = Object.create(null) as Partial<Record<CanonicalField, string>>;
      columns = Object.create(null);
      start = i + 1;
    }
    if (!fields) continue;
    current = { field, label };
    columns[label] = value;
    if (field && fields[field] === undefined) fields[field] = value;
    else current.field = field && fields[field] === value ? field : null;
  }
  yield* flush();
}

/** The host a per-host file is about, from names like HOST_qfe.txt or HOST.txt. */
export function hostFromFileName(file: string): string {
  const base = path.basename(file).replace(/\.[^.]+$/, '');
  return base.replace(/[_-](?:qfe|hotfix(?:es)?|updates|kbs?|systeminfo)$/i, '');
}

/** Read a `wmic qfe` fixed-width table: column boundaries are where the header words start. */
export function* readWmicTable(file: string, text: string, order: DateOrder = 'mdy'): Generator<InventoryEvent> {
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
    yield { type: 'record', record: record(file, i + 1, fields, columns, order) };
  }
}
