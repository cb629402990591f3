import { InventoryError } from '../errors.js';
import { countBreaks, CsvTokenizer, type TextBlock, type TokenizedRecord } from './csv-tokenizer.js';
import { DateOrderDetector, parseInventoryDate, type DateOrder } from './dates.js';
import { readKbStatus, saysNotInstalled } from './kb-status.js';
import { aliasCandidates, ColumnSample, headerScore, mapColumns, namesAColumn, normaliseHeader, type ColumnMapping } from './fields.js';
import { DOMAIN_FIELD, isDomainValue, isSystemTypeValue, NOTE_CSV_BY_ORDER, orderValuesProblem, SYSTEM_TYPE_FIELD } from './systeminfo-order.js';
import type { CanonicalField, InventoryRecord, RejectedRow } from './types.js';

export interface Limits {
  /** Largest field in characters. */
  maxFieldSize: number;
  /** Most columns in a row. */
  maxColumns: number;
  /** Largest input file in bytes (0 = no limit). */
  maxFileBytes: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxFieldSize: 1_000_000,
  maxColumns: 2_000,
  maxFileBytes: 0,
};

export interface CsvLayout {
  delimiter: string;
  /** 1-based line of the header row. */
  headerLine: number;
  /** 1-based line the header row ends on: later than headerLine when a quoted header cell spans lines (Excel's wrapped titles). */
  headerEnd: number;
  /** Lines above the header that were skipped (#TYPE, sep=, report titles). */
  preamble: string[];
  headers: string[];
  mapping: ColumnMapping;
  /** Day/month order of date columns, decided from the sample (null when no such dates). */
  dateOrder: DateOrder | 'ambiguous' | 'conflict' | null;
}

export type InventoryEvent =
  | { type: 'record'; record: InventoryRecord }
  | { type: 'rejected'; rejected: RejectedRow }
  | { type: 'warning'; message: string }
  // Only with ReadCsvOptions.blocks switched on: well-formed rows still to decode (see RecordDecoder).
  | { type: 'block'; texts: string[]; line: number; setup: DecoderSetup; lineBreak: '\n' | '\r' }
  // Blocks end here (the rest is read row by row): the audit must finish them before the next events.
  | { type: 'drain' };

const DELIMITERS = [',', ';', '\t', '|'];

/** Split one line into cells with simple quote handling (for sniffing only). */
export function splitLine(line: string, delimiter: string): string[] {
  const cells: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"' && cur.trim() === '') {
      quoted = true;
      cur = '';
    } else if (ch === delimiter) {
      cells.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  cells.push(cur.trim());
  return cells;
}

function countOutsideQuotes(line: string, ch: string): number {
  let n = 0;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === ch) n++;
  }
  return n;
}

function detectDelimiter(line: string): string {
  let best = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const n = countOutsideQuotes(line, d);
    if (n > bestCount) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}

/**
 * Find the header row in the first lines of a file: skip `#TYPE`, honour `sep=;`, skip report title lines,
 * and take the line whose cells look most like known inventory columns.
 */
export function sniffLayout(
  file: string,
  sampleText: string,
  overrides: Partial<Record<CanonicalField, string>>,
  forcedDelimiter?: string,
): Omit<CsvLayout, 'dateOrder'> {
  const lines = firstLines(sampleText, 40);
  let forced = forcedDelimiter;
  let best: { line: number; end: number; score: number; delimiter: string; cells: string[] } | null = null;
  const overrideHeaders = new Set(Object.values(overrides).filter(Boolean).map((h) => normaliseHeader(h as string)));
  for (let i = 0; i < lines.length; i++) {
    const first = i;
    // A quoted cell running onto the next lines (a title wrapped with Alt+Enter in Excel): the line is
    // read up to the line that closes it.
    const joined = quotedRun(lines, i);
    i += joined.lines - 1;
    const line = joined.text.replace(/^\uFEFF/, '');
    if (line.trim() === '') continue;
    if (/^#TYPE\b/i.test(line) || /^#/.test(line.trim()) && i === 0) continue;
    const sep = /^"?sep=(.)"?\s*$/i.exec(line.trim());
    if (sep) {
      forced = forced ?? sep[1];
      continue;
    }
    const delimiter = forced ?? detectDelimiter(line);
    const cells = splitLine(line, delimiter);
    let score = headerScore(cells);
    for (const c of cells) if (overrideHeaders.has(normaliseHeader(c))) score += 2;
    // A header has mostly distinct, non-numeric cells.
    if (cells.length < 2 && score < 1) continue;
    if (best === null || score > best.score) best = { line: first + 1, end: i + 1, score, delimiter, cells };
    // The first line that clearly is a header wins; later lines are data.
    if (score >= 2 && best.line === first + 1 && score >= Math.min(3, cells.filter((c) => c !== '').length)) break;
  }
  // systeminfo /fo csv in a language whose headers are not listed (see systeminfoCsvByOrder).
  const byOrder = (): Omit<CsvLayout, 'dateOrder'> | null => (Object.keys(overrides).length === 0 && (forced ?? ',') === ',' ? systeminfoCsvByOrder(lines) : null);
  if (best === null || best.score === 0) {
    const layout = byOrder();
    if (layout) return layout;
    throw new InventoryError(file, null, 'no usable header row (no column looks like hostname, OS name, OS version or KB list)');
  }
  let headers = best.cells;
  // GLPI ends every line with the delimiter: an empty last header is not a column. (In an Excel sheet it
  // may be one whose title sat in a merged cell above: rows' values there are kept, see decode.)
  const unnamedLast = headers.length > 1 && headers[headers.length - 1] === '';
  if (unnamedLast) headers = headers.slice(0, -1);
  const headerEnd = best.end;
  const delimiter = best.delimiter;
  // The first rows, for what the headers alone leave open (mapColumns looks only where in doubt).
  let rows: string[][] | null = null;
  const sampleRows = (): string[][] => {
    rows ??= sampleRecords(sampleText, headerEnd, delimiter);
    return rows;
  };
  const mapping = mapColumns(headers, overrides, () => new ColumnSample(sampleRows()));
  if (unnamedLast) mapping.unnamedLast = true;
  for (const field of mapping.missingOverrides) {
    throw new InventoryError(file, best.line, `--map ${field}=${overrides[field]}: no column named "${overrides[field]}" in the header`);
  }
  if (mapping.fields.hostname === undefined && mapping.fields.fqdn === undefined) {
    // A header or two of it listed (Polish "Nazwa systemu operacyjnego"), not the host name.
    const layout = byOrder();
    if (layout) return layout;
    throw new InventoryError(
      file,
      best.line,
      `no hostname column (looked for Hostname, Device name, Computer Name, Name, CSName, Host Name, …; found ${headers.slice(0, 8).map((h) => JSON.stringify(h)).join(', ')}${headers.length > 8 ? ', …' : ''}); name it with --map hostname=<header>`,
    );
  }
  if (mapping.kbNotNumbers !== undefined) {
    // Fail closed: a row id read as a KB number could pass a machine that lacks the fix.
    const idx = mapping.kbNotNumbers;
    const seen = [...new Set(sampleRows().map((r) => (r[idx] ?? '').trim()).filter((v) => v !== ''))].slice(0, 2);
    throw new InventoryError(
      file,
      best.line,
      `kb (column ${JSON.stringify(headers[idx])}): plain numbers (${seen.map((v) => JSON.stringify(v)).join(', ')}), not KB numbers such as KB4012212, and no other column holds KB numbers; they may be row ids. If they are KB numbers, say so with --map kb="${headers[idx]}"`,
    );
  }
  const preamble = lines.slice(0, best.line - 1);
  // A report of missing updates (its title says so): every update it names is one a machine lacks, and
  // read as installed each would pass it. Without a state per update, such a file is refused.
  const updates = mapping.fields.kb ?? mapping.fields.kb_list;
  if (updates !== undefined && !INSTALLED_WORD.test(headers[updates]) && !statusesSayInstalled(mapping.fields.kb_status, sampleRows)) {
    const at = preamble.findIndex((l) => MISSING_UPDATES_TITLE.test(l) && !INSTALLED_WORD.test(l) && !NONE_MISSING.test(l));
    if (at >= 0) {
      const title = preamble[at].replace(/[,;\t]+$/, '').trim();
      throw new InventoryError(
        file,
        at + 1,
        `a report of missing updates (${JSON.stringify(title.length > 80 ? `${title.slice(0, 80)}…` : title)}): the updates it lists are not installed, and patchaudit reads installed updates; export the installed updates, or a report giving each update's status`,
      );
    }
  }
  if (updates !== undefined) refuseListsOfMissing(file, best.line, preamble, headers, mapping, delimiter);
  return { delimiter: best.delimiter, headerLine: best.line, headerEnd, preamble, headers, mapping };
}

/**
 * Files whose update column lists updates a machine lacks, told by their columns rather than a title:
 * read as installed, every machine named would pass the check it fails. Such a file is refused (once per
 * file, from its header and first rows).
 * - A group title over the update column on the line above the header (an Excel sheet's merged
 *   "Missing" or "Not installed" cell above its "KBs" column).
 * - One update per row with no state for it, beside columns that say the rows are findings or
 *   recommendations (a vulnerability export's CveId, RecommendedSecurityUpdate, a scanner's Plugin ID or
 *   QID, a patch tool's "Missing Systems" or "Approve Status"): each row is an update to install.
 * - Configuration Manager's ArticleID with no state and no install date: its views list every update a
 *   machine is scanned for, installed or required, and the query's filter on Status is not in the file.
 */
function refuseListsOfMissing(
  file: string,
  headerLine: number,
  preamble: string[],
  headers: string[],
  mapping: ColumnMapping,
  delimiter: string,
): void {
  const { fields } = mapping;
  const updates = (fields.kb ?? fields.kb_list)!;
  const col = JSON.stringify(headers[updates]);
  // The line right above the header, when it has columns too: a group title over the update column.
  let above = preamble.length - 1;
  while (above >= 0 && preamble[above].trim() === '') above--;
  if (above >= 0) {
    const cells = splitLine(preamble[above], delimiter);
    if (cells.length > 1) {
      let j = Math.min(updates, cells.length - 1);
      while (j >= 0 && cells[j].trim() === '') j--;
      const group = j >= 0 ? cells[j].trim() : '';
      if (group !== '' && group.length <= 40 && saysNotInstalled(group) && !NONE_MISSING.test(group)) {
        throw new InventoryError(
          file,
          above + 1,
          `the update column ${col} is under the title ${JSON.stringify(group)}: the updates it lists are not installed, and patchaudit reads installed updates; export the installed updates, or give each update's status`,
        );
      }
    }
  }
  // Only an update per row (a row of the machine's own list is a machine, whatever else it says), with no
  // state or install date for it (with a state, only an update it says is installed counts).
  if (fields.kb === undefined || fields.kb_status !== undefined || fields.kb_installed_on !== undefined || fields.kb_operation !== undefined) return;
  if (INSTALLED_WORD.test(headers[fields.kb])) return;
  const finding = headers.findIndex((h, i) => i !== fields.hostname && i !== fields.fqdn && FINDING_HEADER.test(normaliseHeader(h).replace(BENIGN_HEADER, ' ')));
  if (finding >= 0) {
    throw new InventoryError(
      file,
      headerLine,
      `updates in column ${col} with no state for each, beside column ${JSON.stringify(headers[finding])}: a list of findings or recommendations names updates that are not installed, and patchaudit reads installed updates; export the installed updates, or a report giving each update's status`,
    );
  }
  if (headers.some((h) => CONFIGMGR_ARTICLE_ID.test(h.trim())) && headers.some((h) => CONFIGMGR_VIEW_COLUMN.test(h.trim()))) {
    throw new InventoryError(
      file,
      headerLine,
      `Configuration Manager's ArticleID with no Status column: its views list every update a machine is scanned for, required (Status 2) as well as installed (Status 3), and the file does not say which; add v_UpdateComplianceStatus.Status to the query`,
    );
  }
}

/**
 * Headers of a column that says each row is a finding, a recommendation or an update to install, not an
 * installed update (normalised: lower case, words). Reboot and restart states are not about the update.
 */
const FINDING_HEADER =
  /\b(?:cves?|cve ?ids?|vulnerabilit(?:y|ies)|vulnerable|qid|plugin(?: id| name| output)?|cvss\w*|exploit\w*|recommend\w*|missing|needed|needing|required|outstanding|remediation|exposed|to install|not installed|approve status|approval status|approval state)\b/;
const BENIGN_HEADER = /\b(?:reboot|restart)s? (?:is )?(?:required|needed|pending)\b|\b(?:pending|required) (?:reboot|restart)s?\b/g;
/** Configuration Manager's ArticleID (v_UpdateInfo, v_UpdateCIs), as its SQL and SSRS exports write it. */
const CONFIGMGR_ARTICLE_ID = /^(?:Details_Table\d+_)?ArticleID$/i;
/** A column of Configuration Manager's views (Name0, Netbios_Name0, Caption0), as its SQL and SSRS exports write it. */
const CONFIGMGR_VIEW_COLUMN = /^(?:Details_Table\d+_)?[A-Za-z_]*[A-Za-z]0$/;

/** Most physical lines one header row may span (a wrapped title or two); a quote left open spans none. */
const MAX_HEADER_LINES = 8;

/**
 * The logical line starting at lines[i]: the line itself, or, when a quoted cell of it is still open at
 * its end, it and the lines up to the one that closes the cell (at most MAX_HEADER_LINES), joined by LF.
 */
function quotedRun(lines: string[], i: number): { text: string; lines: number } {
  let text = lines[i];
  if (!opensQuote(text)) return { text, lines: 1 };
  for (let j = i + 1; j < lines.length && j < i + MAX_HEADER_LINES; j++) {
    text += '\n' + lines[j];
    if (!opensQuote(text)) return { text, lines: j - i + 1 };
  }
  return { text: lines[i], lines: 1 };
}

/** Does a quoted cell stay open at the end of the text (an odd number of quotes)? */
function opensQuote(text: string): boolean {
  let n = 0;
  for (let k = text.indexOf('"'); k !== -1; k = text.indexOf('"', k + 1)) n++;
  return n % 2 === 1;
}

/** A title or update column that says installed ("Installed KBs", "Installed updates (no missing patches found)"). */
const INSTALLED_WORD = /\binstalled\b/i;
/** "0 missing updates", "no missing patches". */
const NONE_MISSING = /\b(?:no|0|zero|none)\s+(?:missing|needed|required|outstanding|pending)\b/i;

/**
 * Whether a state column's first values say of updates whether they are installed ("Installed",
 * "Missing", "Failed"), rather than being the machine's ("Online", "In use") or empty.
 */
function statusesSayInstalled(idx: number | undefined, sampleRows: () => string[][]): boolean {
  if (idx === undefined) return false;
  for (const row of sampleRows()) {
    const v = row[idx];
    if (v === undefined || v.trim() === '') continue;
    const st = readKbStatus(v);
    if (st === 'installed' || st === 'not-installed') return true;
  }
  return false;
}

/** A report title naming missing, needed or required updates ("Report Name : Missing Patches - All Systems"). */
const MISSING_UPDATES_TITLE =
  /\b(?:missing|needed|required|outstanding|pending|applicable|uninstalled)\s+(?:security\s+|windows\s+|os\s+)?(?:patch(?:es)?|updates?|hotfix(?:es)?|kbs?)\b|\b(?:patch(?:es)?|updates?|hotfix(?:es)?|kbs?)\s+(?:missing|needed|required|outstanding|not\s+installed)\b/i;

/** A cell of `systeminfo /fo csv` listing updates: "3 Hotfix(s) Installed.,[01]: KB4012212,…" in any language. */
const KB_LIST_CELL = /(?:^|,)\s*\[\d+\]\s?:\s*(?:KB|Q)\d{5,8}/i;

/**
 * A `systeminfo /fo csv` export whose headers are in a language not listed (no header recognised): one
 * line of 31 or more quoted, distinct headers, and among the first rows at least one whose first three
 * cells check out as a host name, OS name and OS version read by systeminfo's order (systeminfo-order.ts).
 * Its columns are then taken by position: the hotfix list is the one column whose cells list KB numbers,
 * the system type and domain columns only when every such row's value checks out. Null for anything else.
 */
function systeminfoCsvByOrder(lines: string[]): Omit<CsvLayout, 'dateOrder'> | null {
  let h = 0;
  while (h < lines.length && lines[h].trim() === '') h++;
  if (h >= lines.length) return null;
  const line = lines[h].replace(/^\uFEFF/, '');
  if (!line.startsWith('"')) return null;
  const headers = splitLine(line, ',');
  if (headers.length < 31 || headers.some((c) => c === '') || new Set(headers).size !== headers.length) return null;
  const rows = lines
    .slice(h + 1)
    .filter((l) => l.trim() !== '')
    .map((l) => splitLine(l, ','))
    .filter((r) => r.length === headers.length && r[0] !== headers[0]);
  const good = rows.filter((r) => orderValuesProblem(r[0], r[1], r[2], 'column') === null);
  if (good.length === 0) return null;
  const fields: Partial<Record<CanonicalField, number>> = { hostname: 0, os_name: 1, os_version: 2 };
  const kbColumns = headers.map((_, i) => i).filter((i) => i >= 3 && good.some((r) => KB_LIST_CELL.test(r[i])));
  if (kbColumns.length === 1) fields.kb_list = kbColumns[0];
  if (good.every((r) => isSystemTypeValue(r[SYSTEM_TYPE_FIELD - 1]))) fields.os_arch = SYSTEM_TYPE_FIELD - 1;
  if (good.every((r) => isDomainValue(r[DOMAIN_FIELD - 1]))) fields.domain = DOMAIN_FIELD - 1;
  return { delimiter: ',', headerLine: h + 1, headerEnd: h + 1, preamble: lines.slice(0, h), headers, mapping: orderMapping(headers, fields) };
}

/** The column mapping of a systeminfo export read by order (see systeminfoCsvByOrder). */
function orderMapping(headers: string[], fields: Partial<Record<CanonicalField, number>>): ColumnMapping {
  const byColumn: (CanonicalField | null)[] = headers.map(() => null);
  for (const [field, idx] of Object.entries(fields) as [CanonicalField, number][]) if (idx < headers.length) byColumn[idx] = field;
  return { fields, byColumn, unmapped: headers.filter((_, i) => byColumn[i] === null), missingOverrides: [], byOrder: true };
}

/** Data rows looked at to settle a column mapping the headers leave open. */
const SAMPLE_ROWS = 200;

/**
 * The first SAMPLE_ROWS data rows of the sample, cells trimmed: read as records (a quoted cell over
 * several lines is one cell, not rows of its own), by physical lines from where the fast tokenizer
 * cannot read. Rows of dashes (sqlcmd's rule under the header) are left out: they are no values.
 */
export function sampleRecords(sampleText: string, headerEnd: number, delimiter: string): string[][] {
  const rows: string[][] = [];
  let from = headerEnd;
  if (CsvTokenizer.supports(delimiter)) {
    const tokenizer = new CsvTokenizer(delimiter, headerEnd, Number.MAX_SAFE_INTEGER, 1, lineBreakOf(sampleText));
    const out: TokenizedRecord[] = [];
    for (const piece of tokenizer.pieces(sampleText)) {
      tokenizer.push(piece, out);
      if (out.length >= SAMPLE_ROWS || tokenizer.stopped) break;
    }
    // The last row may lack its line break (or be cut by the end of the sample, as a line would be).
    if (out.length < SAMPLE_ROWS && !tokenizer.stopped) tokenizer.end(out);
    for (const r of out) if (rows.length < SAMPLE_ROWS) rows.push(r.cells.map((c) => c.trim()));
    // The rest by lines, from the record the tokenizer could not read.
    from = tokenizer.stopped && rows.length < SAMPLE_ROWS ? tokenizer.stopped.line - 1 : -1;
  }
  if (from >= 0) {
    for (const l of firstLines(sampleText, from + SAMPLE_ROWS - rows.length).slice(from)) if (l.trim() !== '') rows.push(splitLine(l, delimiter));
  }
  return rows.filter((r) => !r.every((c) => DASHES.test(c)));
}

/**
 * The first lines of the sample, up to `nonBlank` non-blank ones (blank lines do not count against the
 * header search, but keep their place so line numbers stay physical). Any line ending: CRLF, LF or CR.
 */
export function firstLines(text: string, nonBlank: number): string[] {
  const out: string[] = [];
  let count = 0;
  const re = /\r\n|\n|\r/g;
  let start = 0;
  for (let m = re.exec(text); ; m = re.exec(text)) {
    const end = m ? m.index : text.length;
    const line = text.slice(start, end);
    out.push(line);
    if (line.trim() !== '' && ++count >= nonBlank) break;
    if (!m) break;
    start = m.index + m[0].length;
  }
  return out;
}

/** Decide the day/month order of the date columns from the sample's rows. */
function sniffDateOrder(sampleText: string, layout: Omit<CsvLayout, 'dateOrder'>): CsvLayout['dateOrder'] {
  const dateCols = (['last_patch_date', 'last_seen', 'kb_installed_on', 'os_install_date'] as CanonicalField[])
    .map((f) => layout.mapping.fields[f])
    .filter((i): i is number => i !== undefined);
  if (dateCols.length === 0) return null;
  const det = new DateOrderDetector();
  const lines = firstLines(sampleText, layout.headerEnd + 5000).slice(layout.headerEnd);
  for (const line of lines) {
    const cells = splitLine(line, layout.delimiter);
    for (const i of dateCols) if (cells[i] !== undefined) det.observe(cells[i]);
  }
  return det.decide();
}

export interface ReadCsvOptions {
  map?: Partial<Record<CanonicalField, string>>;
  /** Day/month order for ambiguous dates (overrides detection). */
  dateOrder?: DateOrder;
  delimiter?: string;
  limits?: Limits;
  blocks?: BlockSwitch;
}

/**
 * Stream the records of one CSV text stream. `chunks` yields decoded text; `sampleText` is its start
 * (already included in `chunks`), used to find the header and delimiter.
 */
export async function* readCsvRecords(
  file: string,
  sampleText: string,
  chunks: AsyncIterable<string>,
  options: ReadCsvOptions,
  onLayout: (layout: CsvLayout) => void,
): AsyncGenerator<InventoryEvent[]> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const base = sniffLayout(file, sampleText, options.map ?? {}, options.delimiter);
  const layout: CsvLayout = { ...base, dateOrder: sniffDateOrder(sampleText, base) };
  onLayout(layout);
  if (layout.headers.length > limits.maxColumns) {
    throw new InventoryError(file, layout.headerLine, `${layout.headers.length} columns exceeds the limit of ${limits.maxColumns} (--max-columns)`);
  }
  if (layout.mapping.updateCounts !== undefined) {
    const header = layout.headers[layout.mapping.updateCounts];
    const list = layout.mapping.fields.kb_list;
    const then =
      list !== undefined
        ? `the updates are read from column ${JSON.stringify(layout.headers[list])}`
        : 'so the patch checks of these hosts are unknown unless another input lists their updates';
    yield [{ type: 'warning', message: `${file}: column ${JSON.stringify(header)} holds numbers (counts), not lists of updates: not read; ${then} (if it does list KB numbers, say so with --map kb_list="${header}")` }];
  }

  const order: DateOrder = options.dateOrder ?? (layout.dateOrder === 'dmy' ? 'dmy' : 'mdy');
  // The order came from the first rows (or was assumed): a later value that only reads the other way
  // shows it wrong. Not when --date-order sets it, nor when the first rows already disagree (warned).
  const orderSampled = options.dateOrder === undefined && layout.dateOrder !== 'conflict';
  // Assumed rather than sampled: the first rows had no numeric dates at all.
  const orderAssumed = orderSampled && layout.dateOrder === null;
  let decoder = new RecordDecoder({ file, headers: layout.headers, order, orderSampled, orderAssumed, map: options.map ?? {}, maxFieldSize: limits.maxFieldSize, delimiter: layout.delimiter, mapping: layout.mapping });
  const maxRecord = maxRecordChars(limits);
  const lineBreak = lineBreakOf(sampleText);
  try {
    for await (const records of tokenize(file, layout, chunks, maxRecord, options.blocks, lineBreak)) {
      if (records === DRAIN) {
        yield [{ type: 'drain' }];
        // The audit has taken every block: a header row inside one may have changed the columns.
        if (options.blocks?.setup) decoder = new RecordDecoder(options.blocks.setup);
        continue;
      }
      if (!Array.isArray(records)) {
        yield [{ type: 'block', texts: records.texts, line: records.line, setup: decoder.setup, lineBreak }];
        continue;
      }
      const batch: InventoryEvent[] = [];
      for (const { cells, line, lastLine } of records) {
        const ev = decoder.decode(cells, line, lastLine);
        if (ev) batch.push(ev);
      }
      if (batch.length > 0) yield batch;
    }
  } catch (err) {
    throw csvError(file, err, maxRecord, limits.maxFieldSize, decoder.setup.headers);
  }
}

/** The line break that counts inside quoted fields: CR in a CR-only file, else LF. */
export function lineBreakOf(sampleText: string): '\n' | '\r' {
  return !sampleText.includes('\n') && sampleText.includes('\r') ? '\r' : '\n';
}

/** Records are bounded by csv-parse's max_record_size and the fast tokenizer alike. */
export function maxRecordChars(limits: Limits): number {
  return Math.max(limits.maxFieldSize * 4, 16 * 1024 * 1024);
}

/** What turns a row's cells into a record: the header in force, date order, overrides and limits. */
export interface DecoderSetup {
  file: string;
  headers: string[];
  order: DateOrder;
  /**
   * `order` was decided (or assumed) from the file's first rows: a later date that can only be read the
   * other way means dates before it may have been misread, and its row is rejected (see ParsedDate's otherOrder).
   */
  orderSampled?: boolean;
  /** With orderSampled: the first rows had no numeric dates, `order` was assumed (month first). */
  orderAssumed?: boolean;
  map: Partial<Record<CanonicalField, string>>;
  maxFieldSize: number;
  /** The file's delimiter (to tell rows swallowed by a quote left open; ',' when not given). */
  delimiter?: string;
  /**
   * The column mapping in force, when it was decided with the values of the first rows (which a worker
   * decoding a block does not have); without it, the mapping is made from the headers.
   */
  mapping?: ColumnMapping;
}

/**
 * Cells of one row → a record (or a rejected row). Keeps the column state, which an appended export
 * repeating a *different* header replaces (systeminfo >> from machines with other OS versions writes
 * other columns); `setup` always describes the state in force.
 */
export class RecordDecoder {
  setup: DecoderSetup;
  private mapping!: ColumnMapping;
  private width = 0;
  private keys: string[] = [];
  private normalisedHeader = '';
  private columnsTemplate: Record<string, string> = {};
  private firstHeaderRaw = '';
  /** This header's names, trimmed (a row of them in another order is this header again). */
  private headerNames = new Set<string>();
  /** The machine's column (hostname, else fqdn). */
  private hostIdx = 0;
  private fieldEntries: [CanonicalField, number][] = [];
  private dateFields: [CanonicalField, number][] = [];

  constructor(setup: DecoderSetup) {
    this.setup = setup;
    this.useHeader(setup.headers, setup.mapping ?? mapColumns(setup.headers, setup.map));
  }

  private useHeader(h: string[], m: ColumnMapping): void {
    if (h !== this.setup.headers) this.setup = { ...this.setup, headers: h, mapping: m };
    this.mapping = m;
    this.width = h.length;
    const keys: string[] = [];
    const seen = new Map<string, number>();
    for (const name of h) {
      const n = (seen.get(name) ?? 0) + 1;
      seen.set(name, n);
      keys.push(n === 1 ? name : `${name} (${n})`);
    }
    this.keys = keys;
    this.normalisedHeader = h.map(normaliseHeader).join('\u0000');
    this.columnsTemplate = Object.fromEntries(keys.map((k) => [k, '']));
    this.firstHeaderRaw = (h[0] ?? '').trim();
    this.headerNames = new Set(h.map((x) => x.trim()));
    this.hostIdx = m.fields.hostname ?? m.fields.fqdn ?? 0;
    this.fieldEntries = Object.entries(m.fields) as [CanonicalField, number][];
    this.dateFields = this.fieldEntries.filter(([f]) => DATE_FIELDS.includes(f));
  }

  /**
   * The row as a header, its columns taken from here on (true) when it is one: its machine cell a header
   * name (of this header, or a known column), and either every cell one of this header's names in
   * another order, or the row looking like a header (looksLikeHeader) with a machine column.
   */
  private otherHeader(cells: string[], n: number): boolean {
    const v = cells[this.hostIdx].trim();
    if (v === '' || (!this.headerNames.has(v) && !namesAColumn(v))) return false;
    const h = cells.slice(0, n);
    const names = this.headerNames;
    const reordered = h.every((c) => names.has(c.trim())) && new Set(h.map((c) => c.trim())).size === names.size;
    if (!reordered && !looksLikeHeader(h)) return false;
    const m = mapColumns(h, this.setup.map);
    if (m.fields.hostname === undefined && m.fields.fqdn === undefined) return false;
    this.useHeader(h, m);
    return true;
  }

  /**
   * In a record spanning lines, the first line inside a quoted cell that reads as a whole row of this
   * file: as many fields as the header, at least three of them (or all of a narrower header) filled, and
   * a machine name where the machine's column is (not a KB number, as in a multi-line update list
   * "KB1, KB2, KB3"). Null when there is none.
   */
  private swallowedRow(cells: string[]): { column: number; text: string } | null {
    const width = this.width;
    if (width < 2) return null;
    const delimiter = this.setup.delimiter ?? ',';
    const hostIdx = this.hostIdx;
    for (let c = 0; c < cells.length; c++) {
      const cell = cells[c];
      if (cell.indexOf('\n') === -1 && cell.indexOf('\r') === -1) continue;
      const lines = cell.split(/\r\n|\n|\r/);
      for (let k = 1; k < lines.length; k++) {
        const parts = splitLine(lines[k], delimiter);
        let n = parts.length;
        while (n > width && parts[n - 1] === '') n--;
        if (n < width) continue;
        const host = parts[hostIdx] ?? '';
        if (!MACHINE_LIKE.test(host) || KB_LIKE.test(host)) continue;
        let filled = 0;
        for (let p = 0; p < n; p++) if (parts[p] !== '') filled++;
        if (filled < Math.min(width, 3)) continue;
        return { column: c, text: lines[k] };
      }
    }
    return null;
  }

  /** `lastLine`: where the record ends, given only when a quoted cell of it spans lines. */
  decode(cells: string[], line: number, lastLine?: number): InventoryEvent | null {
    const { file, maxFieldSize } = this.setup;
    for (let i = 0; i < cells.length; i++) {
      if (cells[i].length > maxFieldSize) {
        const header = this.setup.headers[i];
        const named = header !== undefined && header.trim() !== '' ? ` (column ${JSON.stringify(header.trim())})` : '';
        return { type: 'rejected', rejected: { file, line, reason: `field ${i + 1}${named} is ${cells[i].length} characters, over the limit of ${maxFieldSize} (--max-field-size)` } };
      }
    }
    // A quoted cell over several lines holding whole rows: a quote left open swallowed them (their machines
    // would be lost, their updates credited to this row's machine). Only records spanning lines pay this.
    if (lastLine !== undefined && lastLine > line) {
      const swallowed = this.swallowedRow(cells);
      if (swallowed !== null) {
        const header = this.setup.headers[swallowed.column];
        const column = header !== undefined && header.trim() !== '' ? `column ${JSON.stringify(header)}` : `field ${swallowed.column + 1}`;
        return {
          type: 'rejected',
          rejected: {
            file,
            line,
            reason: `lines ${line}-${lastLine} read as one row: a quoted cell (${column}) runs over ${lastLine - line + 1} lines and holds what look like rows of their own (${JSON.stringify(truncate(swallowed.text))}); a quote left open? Close it, or double the quotes inside the cell ("")`,
          },
        };
      }
    }
    const width = this.width;
    let n = cells.length;
    // Trailing delimiter (GLPI): one extra empty cell.
    if (n === width + 1 && cells[n - 1] === '') n = width;
    // A value under a last column without a header (an Excel sheet's "Notes" titled in a merged cell
    // above): kept with the row's columns, not a ragged row.
    let unnamed: string | null = null;
    if (n === width + 1 && this.mapping.unnamedLast && cells[0].trim() !== this.firstHeaderRaw) {
      unnamed = cells[width];
      n = width;
    }
    // A blank line, or a row of delimiters only (Excel leaves ",,,,," below the data): not a row. One with
    // more cells than the header is not Excel's and stays a ragged row (rejected below).
    const c0 = cells[0];
    if ((c0.length === 0 || isBlankStart(c0.charCodeAt(0))) && n <= width && allBlank(cells)) return null;
    // The rule of dashes sqlcmd (-s ",") prints under its header: part of the header, not a row.
    if (c0.charCodeAt(0) === 0x2d && n === width && allDashes(cells, n)) return null;
    // Trailing delimiters after data (GLPI's one; Excel pads rows to the widest row): extra empty cells.
    if (n > width && !allBlank(cells)) while (n > width && cells[n - 1]!.trim() === '') n--;
    // Repeated header lines from appended exports.
    if (n === width && cells[0].trim() === this.firstHeaderRaw && cells.slice(0, n).map(normaliseHeader).join('\u0000') === this.normalisedHeader) return null;
    // systeminfo /fo csv read by order, appended from another Windows version: its header, wider or narrower.
    if (n !== width && this.mapping.byOrder && cells[0].trim() === this.firstHeaderRaw && n >= 31) {
      const h = cells.slice(0, n);
      this.useHeader(h, orderMapping(h, this.mapping.fields));
      return null;
    }
    if (n !== width && looksLikeHeader(cells)) {
      const h = n > 1 && cells[n - 1] === '' ? cells.slice(0, n - 1) : cells.slice(0, n);
      const m = mapColumns(h, this.setup.map);
      if (m.fields.hostname !== undefined || m.fields.fqdn !== undefined) {
        this.useHeader(h, m);
        return null;
      }
    }
    // Another export's header of the same width, its columns in another order (exports appended with
    // `type a.csv b.csv >all.csv`): read with the old columns, its rows would take each other's cells.
    // Looked at only when the machine's cell has no digit but 0, as header names (Name0) have.
    const hostCell = cells[this.hostIdx];
    if (n === width && hostCell !== undefined && !NONZERO_DIGIT.test(hostCell)) {
      if (this.otherHeader(cells, n)) return null;
    }
    if (n !== width) {
      // sqlcmd's count under the rows, "(12 rows affected)": not a machine, and not silently one.
      if (n === 1 && ROWS_AFFECTED.test(c0)) return { type: 'rejected', rejected: { file, line, reason: `a footer line (${JSON.stringify(truncate(c0.trim()))}), not a machine` } };
      const spans = lastLine !== undefined && lastLine > line ? ` (a quoted cell runs over lines ${line}-${lastLine}: a quote left open?)` : '';
      return { type: 'rejected', rejected: { file, line, reason: `expected ${width} fields, found ${n}${spans}` } };
    }
    // A totals line under the data ("Total : 4 postes;;;"): not a machine, and not silently one.
    const lone = loneCell(cells, n);
    if (lone >= 0) {
      const text = cells[lone].trim();
      if (TOTALS.test(text)) return { type: 'rejected', rejected: { file, line, reason: `a totals row (${JSON.stringify(truncate(text))}), not a machine` } };
    }
    // A copy of the template has every header as an own data property (so even "__proto__" is plain
    // data) and shares one hidden class across rows, which is much cheaper than a dictionary object.
    const keys = this.keys;
    const columns: Record<string, string> = { ...this.columnsTemplate };
    for (let i = 0; i < width; i++) columns[keys[i]] = cells[i];
    if (unnamed !== null) columns[`(column ${width + 1})`] = unnamed;
    const fields: InventoryRecord['fields'] = Object.create(null);
    for (const [field, idx] of this.fieldEntries) {
      const v = cells[idx].trim();
      // Excel's text marks: ="KB4012212" (a formula keeping digits as text), 'PC-0042.
      const c = v.charCodeAt(0);
      fields[field] = c === 0x3d || c === 0x27 ? unmarkText(v) : v;
    }
    // A KB number Excel wrote in scientific notation (4.01E+06: a General cell too narrow for its digits).
    // The number is lost; read as no update, the machine would fail for want of one it may have.
    const sci = excelScientific(fields.kb) ? 'kb' : excelScientific(fields.kb_list) ? 'kb_list' : null;
    if (sci !== null) {
      const header = this.setup.headers[this.mapping.fields[sci]!];
      return {
        type: 'rejected',
        rejected: { file, line, reason: `${sci} (column ${JSON.stringify(header)}): ${JSON.stringify(fields[sci])} is a number Excel wrote in scientific notation, its KB number's digits lost; format the column as text (or widen it) and save the file again` },
      };
    }
    let badDate: string | null = null;
    for (const [field] of this.dateFields) {
      const raw = fields[field] as string;
      const d = parseInventoryDate(raw, this.setup.order);
      if (this.setup.orderSampled && d.kind === 'date' && d.otherOrder) {
        const [was, is] = this.setup.order === 'mdy' ? ['month/day/year', 'day/month/year'] : ['day/month/year', 'month/day/year'];
        if (field === 'last_patch_date' || field === 'last_seen') {
          const earlier = this.setup.orderAssumed ? `earlier dates were read as ${was} (the file's first rows had none to show the order)` : `the file's first rows were read as ${was}`;
          badDate = `${field} (column "${this.setup.headers[this.mapping.fields[field]!]}"): date ${JSON.stringify(truncate(raw))} is ${is}, but ${earlier}, so their dates may be wrong: set the order with --date-order`;
        } else fields[field] = '';
        continue;
      }
      if (d.kind === 'date') fields[field] = d.iso;
      else if (d.kind === 'empty') fields[field] = '';
      else if (field === 'last_patch_date' || field === 'last_seen') badDate = `${field} (column "${this.setup.headers[this.mapping.fields[field]!]}"): unreadable date ${JSON.stringify(truncate(fields[field] as string))}`;
      else fields[field] = '';
    }
    if (badDate) {
      return { type: 'rejected', rejected: { file, line, reason: badDate } };
    }
    if (this.mapping.byOrder) {
      // Read by position: the row's own values must check out (see systeminfo-order.ts).
      const trouble = orderValuesProblem(fields.hostname, fields.os_name, fields.os_version, 'column');
      if (trouble) return { type: 'rejected', rejected: { file, line, reason: trouble.reason } };
      if (fields.os_arch !== undefined && !isSystemTypeValue(fields.os_arch)) delete fields.os_arch;
      if (fields.domain !== undefined && !isDomainValue(fields.domain)) delete fields.domain;
      return { type: 'record', record: { source: { file, line }, fields, columns, notes: NOTE_CSV_BY_ORDER } };
    }
    return { type: 'record', record: { source: { file, line }, fields, columns } };
  }
}

/**
 * Switched on by the audit once a large file is streamed: from then on the reader hands over whole
 * blocks of well-formed rows (text, first line) for workers to decode, instead of records.
 */
export interface BlockSwitch {
  on: boolean;
  /** Set by the audit when it has taken every block: the column state after them. */
  setup?: DecoderSetup;
}

const DRAIN = Symbol('drain');

/** Characters of well-formed rows in one block for a worker. */
const BLOCK_CHARS = 256 * 1024;

/** Complete well-formed rows as text, in pieces, and the physical line the first starts on. */
export interface RowBlock {
  texts: string[];
  line: number;
}

/**
 * Records of the CSV text after the header, with the physical line each starts on. Well-formed text
 * takes the fast tokenizer; from the first record it cannot read, csv-parse reads the rest.
 */
async function* tokenize(
  file: string,
  layout: CsvLayout,
  chunks: AsyncIterable<string>,
  maxRecord: number,
  blocks: BlockSwitch | undefined,
  lineBreak: '\n' | '\r',
): AsyncGenerator<TokenizedRecord[] | RowBlock | typeof DRAIN> {
  const it = chunks[Symbol.asyncIterator]();
  if (!CsvTokenizer.supports(layout.delimiter)) {
    yield* csvParseRecords(file, layout.delimiter, '', it, layout.headerEnd, 0, maxRecord, lineBreak);
    return;
  }
  const tokenizer = new CsvTokenizer(layout.delimiter, layout.headerEnd, maxRecord, 1, lineBreak);
  // Rows for the workers are gathered into blocks of about BLOCK_CHARS (fewer messages between threads),
  // kept as the pieces they were read in: one long string would live in V8's large-object space.
  let pieces: string[] = [];
  let piecesLine = 0;
  let piecesChars = 0;
  const takePieces = (): RowBlock => {
    const block = { texts: pieces, line: piecesLine };
    pieces = [];
    piecesChars = 0;
    return block;
  };
  // Text read but not yet tokenized: a record longer than the text read since (a 50 MB cell) would be
  // scanned from its start again on every push, so text is gathered until there is at least as much new
  // text as pending. The rescans then add up to linear time, not quadratic.
  let carry = '';
  for (;;) {
    const r = await it.next();
    if (!r.done) {
      carry = carry === '' ? r.value : carry + r.value;
      if (carry.length < tokenizer.pendingChars) continue;
    }
    const text = carry;
    carry = '';
    if (blocks?.on) {
      const block = tokenizer.pushBlock(text, Boolean(r.done));
      if (block.text !== '') {
        if (pieces.length === 0) piecesLine = block.line;
        pieces.push(block.text);
        piecesChars += block.text.length;
      }
      if (pieces.length > 0 && (piecesChars >= BLOCK_CHARS || r.done || tokenizer.stopped)) yield takePieces();
    } else {
      // A piece at a time, so that the audit holds about a hundred rows at once, not a whole chunk's
      // thousands: short-lived rows are collected young (peak memory).
      for (const piece of tokenizer.pieces(text)) {
        const out: TokenizedRecord[] = [];
        tokenizer.push(piece, out);
        if (out.length > 0) yield out;
      }
      if (r.done) {
        const out: TokenizedRecord[] = [];
        tokenizer.end(out);
        if (out.length > 0) yield out;
      }
    }
    const stopped = tokenizer.stopped;
    if (stopped) {
      // Blocks still being audited come before the rows csv-parse reads now.
      if (blocks?.on) yield DRAIN;
      yield* csvParseRecords(file, layout.delimiter, stopped.text, it, 0, stopped.line - 1, maxRecord, lineBreak);
      return;
    }
    if (r.done) return;
  }
}

/**
 * csv-parse's lenient reading (quotes inside fields kept, its errors for what cannot be read), for text
 * the fast tokenizer handed over: `first` and then the rest of `rest`. `skipLines` lines are skipped;
 * `lineOffset` is added to every line number.
 */
async function* csvParseRecords(
  file: string,
  delimiter: string,
  first: string,
  rest: AsyncIterator<string>,
  skipLines: number,
  lineOffset: number,
  maxRecord: number,
  lineBreak: '\n' | '\r',
): AsyncGenerator<TokenizedRecord[]> {
  const { parse } = await import('csv-parse');
  const parser = parse({
    delimiter,
    from_line: skipLines + 1,
    relax_column_count: true,
    relax_quotes: true,
    // Blank lines are skipped by csv-parse: letting them through as [''] would make it build (and
    // deep-copy) an error object per blank line for the inconsistent length. Line numbers come from info.
    skip_empty_lines: true,
    info: true,
    // Mixed line endings happen (a CRLF export with LF rows appended, or CR-only files).
    record_delimiter: ['\r\n', '\n', '\r'],
    bom: false,
    // csv-parse bounds whole records; single fields are checked by the caller against --max-field-size.
    max_record_size: maxRecord,
  });

  let pumpError: unknown = null;
  const pump = (async () => {
    try {
      if (first !== '' && !parser.write(first)) await new Promise<void>((resolve) => parser.once('drain', resolve));
      for (let r = await rest.next(); !r.done; r = await rest.next()) {
        if (!parser.write(r.value)) await new Promise<void>((resolve) => parser.once('drain', resolve));
      }
      parser.end();
    } catch (err) {
      pumpError = err;
      parser.destroy(err as Error);
    }
  })();

  let parseError: unknown = null;
  // csv-parse counts CR and LF inside quotes apart (CRLF = 2); a reader sees one line break.
  let overcount = 0;
  // Last physical line of the last complete record: a quote left open starts right after it.
  let lastRecordEnd = lineOffset + skipLines;
  let ended = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  parser.on('readable', notify);
  parser.on('end', () => {
    ended = true;
    notify();
  });
  parser.on('error', (err) => {
    parseError = err;
    notify();
  });
  // A parse error destroys the parser at once, but its 'error' event comes a tick later, after 'close'
  // is scheduled: until 'close', a destroyed parser may still have an error to tell.
  let closed = false;
  parser.on('close', () => {
    closed = true;
    notify();
  });

  try {
    for (;;) {
      const batch: TokenizedRecord[] = [];
      let item: { record: string[]; info: { lines: number } } | null;
      let overcountBefore = overcount;
      while ((item = parser.read() as { record: string[]; info: { lines: number } } | null) !== null) {
        const cells = item.record;
        let embedded = 0;
        for (let i = 0; i < cells.length; i++) {
          const c = cells[i];
          if (c.length > 0 && (c.indexOf('\n') !== -1 || c.indexOf('\r') !== -1)) {
            const counted = (c.match(/[\r\n]/g) ?? []).length;
            embedded += counted;
            overcount += counted - countBreaks(c, lineBreak);
          }
        }
        // info.lines is where the record ends; it starts earlier by the line breaks inside its fields.
        const start = lineOffset + item.info.lines - embedded - overcountBefore;
        const inner = embedded - (overcount - overcountBefore);
        batch.push(inner > 0 ? { cells, line: start, lastLine: start + inner } : { cells, line: start });
        overcountBefore = overcount;
        lastRecordEnd = lineOffset + item.info.lines - overcount;
        if (batch.length >= 128) break;
      }
      if (batch.length > 0) yield batch;
      if (parseError || pumpError) throw pumpError ?? parseError;
      if (ended || parser.destroyed) {
        if (parser.readableLength > 0) continue;
        if (ended || closed) break;
        // Destroyed by an error not yet emitted (an unterminated quote at the end): wait for it, so that
        // the rows the quote swallowed are an error rather than silently gone.
        await new Promise<void>((resolve) => {
          wake = resolve;
          if (closed || parseError) notify();
        });
        continue;
      }
      if (batch.length === 0) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          if (parser.readableLength > 0 || ended || parseError || parser.destroyed) notify();
        });
      }
    }
  } catch (err) {
    if (pumpError) throw pumpError;
    const e = err as { code?: string; lines?: number };
    if (e?.code === 'CSV_QUOTE_NOT_CLOSED') e.lines = lastRecordEnd + 1;
    else if (e && typeof e.lines === 'number') e.lines += lineOffset;
    throw err;
  }
  await pump;
  if (pumpError) throw pumpError;
}

/** Could a cell starting with this character be blank (whitespace only)? */
function isBlankStart(c: number): boolean {
  return c <= 0x20 || c === 0xa0 || c === 0x3000 || c === 0xfeff || (c >= 0x2000 && c <= 0x200b) || c === 0x1680 || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f;
}

function allBlank(cells: string[]): boolean {
  for (let i = 0; i < cells.length; i++) if (cells[i].trim() !== '') return false;
  return true;
}

/** A row whose cells are mostly known column names (and include a hostname column) is a header. */
function looksLikeHeader(cells: string[]): boolean {
  return headerScore(cells) >= 3 && cells.some((c) => aliasCandidates(c).some((a) => a.field === 'hostname' && a.priority <= 2));
}

/**
 * A cell without Excel's text marks: `="…"` (quotes inside doubled), as Excel users and scripts write a
 * value that must stay text, and a leading apostrophe ('10.0.19045.5131, 'PC-0042), Excel's text
 * prefix, which some exports and hand-edited sheets carry into the file. Anything else is kept.
 */
export function unmarkText(v: string): string {
  if (v.charCodeAt(0) === 0x27) return v.length > 1 && v.charCodeAt(1) !== 0x27 ? v.slice(1).trim() : v;
  const m = EXCEL_TEXT_FORMULA.exec(v);
  return m ? m[1].replace(/""/g, '"').trim() : v;
}

const EXCEL_TEXT_FORMULA = /^=\s*"((?:[^"]|"")*)"$/;

/**
 * A whole cell that is a six- or seven-digit number in Excel's scientific notation ("4.01E+06",
 * "4,012212E+06" in a comma-decimal locale). Looked at from its second character: a KB cell rarely
 * gets past it.
 */
function excelScientific(v: string | undefined): boolean {
  if (v === undefined || v.length < 5 || v.length > 16) return false;
  const c = v.charCodeAt(1);
  return (c === 0x2e || c === 0x2c) && EXCEL_SCIENTIFIC.test(v);
}

const EXCEL_SCIENTIFIC = /^\d[.,]\d*E\+0?[56]$/i;

/** A digit other than 0: machine names often have one, header names (Name0, Build01 aside) do not. */
const NONZERO_DIGIT = /[1-9]/;

/** A cell that could name a machine: no blanks, a letter or digit first. */
const MACHINE_LIKE = /^[\p{L}\p{N}][\p{L}\p{N}._$\\-]*$/u;

/** A KB number as an update list writes it (a multi-line list is no swallowed row). */
const KB_LIKE = /^(?:KB|Q)?\s*\d{6,7}\b/i;

const TOTALS = /^\s*(?:grand\s+)?(?:total|totals|totaux|gesamt|summe|anzahl|count|sum|nombre total)\b/i;

/** Every cell a run of dashes (sqlcmd's rule under the header), at least one of them. */
function allDashes(cells: string[], n: number): boolean {
  for (let i = 0; i < n; i++) if (!DASHES.test(cells[i])) return false;
  return true;
}

const DASHES = /^\s*-{3,}\s*$/;

/** sqlcmd's and SQL Server Management Studio's row count: "(12 rows affected)", "(1 row affected)". */
const ROWS_AFFECTED = /^\s*\(\d+ rows? affected\)\s*$/i;

/** The index of a row's only non-empty cell; -1 when it has none or several. */
function loneCell(cells: string[], n: number): number {
  let only = -1;
  for (let i = 0; i < n; i++) {
    if (cells[i]!.trim() === '') continue;
    if (only >= 0) return -1;
    only = i;
  }
  return only;
}

const DATE_FIELDS: CanonicalField[] = ['last_patch_date', 'last_seen', 'kb_installed_on', 'os_install_date'];

function truncate(s: string): string {
  return s.length > 40 ? s.slice(0, 40) + '…' : s;
}

function csvError(file: string, err: unknown, maxRecord = 0, maxField = 0, headers: string[] = []): Error {
  if (err instanceof InventoryError) return err;
  const e = err as { code?: string; message?: string; lines?: number; column?: number };
  if (e && typeof e.code === 'string' && e.code.startsWith('CSV_')) {
    // csv-parse's column: the field (from 0) the quote opened in.
    const at = typeof e.column === 'number' && e.column >= 0 ? e.column : null;
    const header = at !== null ? headers[at] : undefined;
    const field = at === null ? '' : header !== undefined && header.trim() !== '' ? ` (column ${JSON.stringify(header.trim())})` : ` (field ${at + 1})`;
    const detail =
      e.code === 'CSV_QUOTE_NOT_CLOSED'
        ? `unterminated quoted field${field}: a quote opened there is never closed; close it, or double the quotes inside the cell ("")`
        : e.code === 'CSV_MAX_RECORD_SIZE'
          ? `a row of more than ${maxRecord} characters: fields are limited to ${maxField} characters (--max-field-size)`
          : (e.message ?? e.code).replace(/^Invalid [^:]*: /, '');
    return new InventoryError(file, typeof e.lines === 'number' ? e.lines : null, detail);
  }
  return err as Error;
}
