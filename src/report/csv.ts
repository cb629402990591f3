import { evidenceLine } from './evidence.js';
import type { Finding, HostResult } from '../evaluation/types.js';
import type { RejectedRow } from '../inventory/types.js';
import type { Reporter, ReporterContext, StreamingReporter } from './types.js';
import { renderWhole } from './whole.js';
import { showHidden } from './sanitize.js';

/**
 * CSV: one row per host × finding, then one row per rejected input row (host_status and status
 * `rejected`, the reason as evidence, file and line), for spreadsheets and BI tools. RFC 4180 (CRLF records, fields
 * quoted when they contain the delimiter, a quote, CR or LF; quotes doubled), streamed host by host.
 *
 * Inventory text comes from machines that may be hostile, and a CSV is usually opened in a
 * spreadsheet: a cell starting with = + - @ (or tab/CR, which some importers strip before looking)
 * would be run as a formula (OWASP "CSV injection"). Such cells get a leading ' and are quoted.
 * Control characters other than tab/CR/LF are shown as \xNN, so a CSV printed to a terminal cannot
 * carry escape sequences and tools that stop at NUL see the whole file; bidi controls and invisible
 * characters (zero-width space, word joiner, soft hyphen, …) as \uNNNN, so two different hostnames
 * never look the same in a spreadsheet (see showHidden).
 */

export interface CsvOptions {
  /** Start with a UTF-8 byte order mark, so Excel reads the file as UTF-8 (--csv-bom). */
  bom?: boolean;
  /** Field delimiter; default ",". Excel in many European locales expects ";". */
  delimiter?: ',' | ';' | '\t';
}

export const CSV_COLUMNS = [
  'hostname',
  'host_status',
  'rule_id',
  'status',
  'severity',
  'os_product',
  'os_release',
  'os_build',
  'os_revision',
  'service_pack',
  'site',
  'evidence',
  'remediation',
  'waiver_reason',
  'waiver_owner',
  'waiver_expires',
  'change',
  'source_file',
  'source_line',
  'risk_score',
] as const;

// First character a spreadsheet may treat as the start of a formula. Besides OWASP's = + - @ tab CR,
// LF and the full-width forms (some East Asian Excel versions accept ＝ and ＋) are covered too.
const FORMULA_START = /^[=+\-@\t\r\n\uff1d\uff0b\uff0d\uff20]/;
// Same check after leading spaces and quotes, which some importers trim before deciding.
const FORMULA_AFTER_PADDING = /^[\s"']+[=+\-@\uff1d\uff0b\uff0d\uff20]/;
// Plain text that needs nothing: starts with a letter or digit, no delimiter, quote, newline or control.
const PLAIN = /^[A-Za-z0-9][A-Za-z0-9 ._:/()'&#-]*$/;

/** One cell: controls made visible, formula starts defused, quoted when needed (RFC 4180). */
export function csvCell(value: string | number | null | undefined, delimiter = ','): string {
  if (value === null || value === undefined) return '';
  // Numbers we produce (build, line, score) are never negative, so they never need defusing.
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (PLAIN.test(value)) return value;
  let s = showHidden(value, '\t\n\r');
  let quote = false;
  if (FORMULA_START.test(s) || FORMULA_AFTER_PADDING.test(s)) {
    s = `'${s}`;
    quote = true;
  }
  if (quote || s.includes(delimiter) || /["\r\n]/.test(s)) return `"${s.replace(/"/g, '""')}"`;
  return s;
}

function row(cells: (string | number | null | undefined)[], delimiter: string): string {
  return cells.map((c) => csvCell(c, delimiter)).join(delimiter) + '\r\n';
}

/** Which findings get a row: not-applicable ones never (they are most of a fleet's rows and say nothing). */
function rowFindings(h: HostResult, _ctx: ReporterContext): Finding[] {
  return h.findings.filter((f) => f.status !== 'not-applicable');
}

// Findings and OS objects are shared by many hosts (the evaluation memoises them): their cells are
// escaped once per delimiter.
const findingCells = new WeakMap<Finding, Map<string, [string, string]>>();
const osCells = new WeakMap<HostResult['os'], Map<string, string>>();

function findingParts(f: Finding, d: string): [string, string] {
  let byDelim = findingCells.get(f);
  if (!byDelim) findingCells.set(f, (byDelim = new Map()));
  let parts = byDelim.get(d);
  if (!parts) {
    parts = [
      [f.ruleId, f.status, f.severity].map((c) => csvCell(c, d)).join(d),
      [evidenceLine(f.evidence), f.remediation, f.waiver?.reason, f.waiver?.owner, f.waiver?.expires, f.change].map((c) => csvCell(c, d)).join(d),
    ];
    byDelim.set(d, parts);
  }
  return parts;
}

function osPart(os: HostResult['os'], d: string): string {
  let byDelim = osCells.get(os);
  if (!byDelim) osCells.set(os, (byDelim = new Map()));
  let part = byDelim.get(d);
  if (part === undefined) byDelim.set(d, (part = [os.product, os.release, os.build, os.revision, os.servicePack].map((c) => csvCell(c, d)).join(d)));
  return part;
}

function hostRows(h: HostResult, ctx: ReporterContext, delimiter: string): string {
  const src = h.sources[0];
  const d = delimiter;
  const head = csvCell(h.hostname, d) + d + h.status + d;
  const mid = d + osPart(h.os, d) + d + csvCell(h.site, d) + d;
  const tail = d + csvCell(src?.file, d) + d + (src?.line ?? '') + d + h.risk.score + '\r\n';
  let out = '';
  for (const f of rowFindings(h, ctx)) {
    const [a, b] = findingParts(f, d);
    out += head + a + mid + b + tail;
  }
  return out;
}

const REJECTED_REMEDIATION = 'Correct this row of the inventory (or its export) and audit again.';

function rejectedRows(rejected: readonly RejectedRow[], d: string): string {
  let out = '';
  for (const r of rejected) {
    const cells: (string | number | null)[] = CSV_COLUMNS.map(() => null);
    cells[CSV_COLUMNS.indexOf('host_status')] = 'rejected';
    cells[CSV_COLUMNS.indexOf('status')] = 'rejected';
    cells[CSV_COLUMNS.indexOf('evidence')] = r.reason;
    cells[CSV_COLUMNS.indexOf('remediation')] = REJECTED_REMEDIATION;
    cells[CSV_COLUMNS.indexOf('source_file')] = r.file;
    cells[CSV_COLUMNS.indexOf('source_line')] = r.line;
    out += row(cells, d);
  }
  return out;
}

export function createCsvReporter(options: CsvOptions = {}): StreamingReporter {
  const delimiter = options.delimiter ?? ',';
  return {
    start: () => (options.bom ? '\uFEFF' : '') + row([...CSV_COLUMNS], delimiter),
    host: (h, ctx) => hostRows(h, ctx, delimiter),
    // Rejected input rows after the hosts, in the same columns: a spreadsheet user must see what was
    // not audited (the counts add up), and a summary trailer would break the one-record shape.
    end: (report) => rejectedRows(report.rejected, delimiter),
  };
}

/** The default CSV (comma, no BOM). */
export const csvReporter: StreamingReporter = createCsvReporter();

/** The whole CSV at once, for a report whose hosts are already collected (worst first). */
export const renderCsv: Reporter = renderWhole(() => csvReporter);
