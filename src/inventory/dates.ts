/**
 * Inventory dates come in every locale: ISO, "3/14/2017 12:00:00 AM", "14/03/2017 00:00", "14.03.2017",
 * "20170314" and XP's 16-hex-digit FILETIME. Day/month order is decided per column (see DateOrderDetector).
 */
export type DateOrder = 'dmy' | 'mdy';

/**
 * Time zone names as exporting tools write them after a time. Only these: any other word after a time
 * ("3/15/2017 10:00 Retry", "… Nein") is not a zone, and the value is not a date.
 */
const ZONE_NAMES = 'UTC|GMT|UT|WET|WEST|BST|IST|CET|CEST|MET|MEST|MEZ|MESZ|EET|EEST|OEZ|OESZ|MSK|EST|EDT|CST|CDT|MST|MDT|PST|PDT|AKST|AKDT|HST|AST|ADT|NST|NDT|AEST|AEDT|ACST|ACDT|AWST|NZST|NZDT|JST|KST|HKT|SGT|SAST';
/**
 * A time zone after the time: an offset, "Z", or an abbreviation as UK and European tools write it
 * ("BST", "CET", "MESZ", "UTC+01:00"). The date is read as written (the exporting machine's day).
 */
const ZONE = String.raw`(?:\s*(?:[Zz]|(?:${ZONE_NAMES}|utc|gmt)(?:[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2}|\((?:UTC|GMT)[+-]\d{2}:?\d{2}\)))?`;
const ISO = new RegExp(String.raw`^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?${ZONE})?$`);
/** "20 Nov 2026", "20-Nov-2026", "Friday, 20 November 2026 08:01" (a weekday may lead). */
const NAMED_DMY = /^(?:\p{L}+\.?,?\s+)?(\d{1,2})\.?[\s-]+(\p{L}+)\.?[\s-]+(\d{4}|\d{2})(?:[\s,T].*)?$/u;
/** "Nov 20, 2026", "Friday, November 20, 2026 8:01 AM". */
const NAMED_MDY = /^(?:\p{L}+,?\s+)?(\p{L}+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:[\s,T].*)?$/iu;
/** The Unix date command: "Thu Nov 20 08:01:02 UTC 2026". */
const UNIX_DATE = /^\p{L}{3}\s+(\p{L}{3})\s+(\d{1,2})\s+\d{1,2}:\d{2}(?::\d{2})?\s+(?:[A-Z]{2,5}\s+)?(\d{4})$/u;

/** Month names and abbreviations: English, and the French and German forms exports carry. */
const MONTHS: Readonly<Record<string, number>> = (() => {
  const out: Record<string, number> = {};
  const names = [
    ['jan', 'january', 'janv', 'janvier', 'januar'],
    ['feb', 'february', 'févr', 'fevr', 'février', 'fevrier', 'februar'],
    ['mar', 'march', 'mars', 'mär', 'märz', 'maerz'],
    ['apr', 'april', 'avr', 'avril'],
    ['may', 'mai'],
    ['jun', 'june', 'juin', 'juni'],
    ['jul', 'july', 'juil', 'juillet', 'juli'],
    ['aug', 'august', 'août', 'aout'],
    ['sep', 'sept', 'september', 'septembre'],
    ['oct', 'october', 'octobre', 'okt', 'oktober'],
    ['nov', 'november', 'novembre'],
    ['dec', 'december', 'déc', 'décembre', 'decembre', 'dez', 'dezember'],
  ];
  names.forEach((forms, i) => {
    for (const f of forms) out[f] = i + 1;
  });
  return out;
})();

function monthOf(name: string): number | null {
  return MONTHS[name.toLowerCase()] ?? null;
}
const YMD_SLASH = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?:[ ,T].*)?$/;
const NUMERIC = new RegExp(String.raw`^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?:,?\s+\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?\s*(?:[AaPp]\.?[Mm]\.?)?${ZONE})?$`);
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const FILETIME = /^(?:0x)?([0-9a-f]{15,16})$/i;
/** The same count written in decimal, as Active Directory's lastLogonTimestamp is exported (18 digits today). */
const DECIMAL_FILETIME = /^\d{17,19}$/;
/**
 * Values that mean "no date": blank, N/A in several languages, Graph's 0001-01-01, and Active Directory's
 * "never" for a FILETIME attribute (0, or the largest 64-bit number).
 */
const EMPTY = /^(?:|n\/?a|none|null|never|unknown|-+|—|–|\?+|0001-01-01.*|1601-01-01.*|暂缺|н\/д|n\/d|k\.a\.|nicht verfügbar|0|9223372036854775807|jamais|aucune?|nie|niemals|nunca|nooit)$/i;
/**
 * Zero dates that tools write for "no date": the Unix epoch (1970-01-01, or 1969-12-31 west of UTC),
 * Excel's day 0 and 1 (1900-01-00, 1900-01-01, 1899-12-30/31) and SQL's 0000-00-00, in ISO or numeric form.
 */
const ZERO_DATE = /^(?:(?:1970-0?1-0?1|1969-12-31|1900-0?1-0?[01]|1899-12-3[01]|0000-00-00)(?:[T ].*)?|(?:0?1[/.-]0?1[/.-](?:19)?70|0?1[/.-]0?1[/.-]1900|31[/.-]12[/.-](?:1969|1899)|12[/.-]31[/.-](?:1969|1899)|0?0[/.-]0?0[/.-](?:0000|00)|0?0[/.-]0?1[/.-]1900|0?1[/.-]0?0[/.-]1900)(?:[,\s].*)?)$/;
/**
 * An Excel serial day number, as a date cell formatted "General" exports it (42867 = 2017-05-12), with
 * a time as a decimal fraction (point or comma). Only 1980-2099: other numbers are not dates.
 */
const EXCEL_SERIAL = /^(\d{5})(?:[.,]\d+)?$/;
const EXCEL_FIRST = 29221; // 1980-01-01
const EXCEL_LAST = 73050; // 2099-12-31

/**
 * `otherOrder`: a numeric date that reads only in the day/month order other than the one asked for
 * ("25/04/2026" month first), so it was read that other way: the sampled order was wrong for it.
 */
export type ParsedDate = { kind: 'date'; iso: string; otherOrder?: true } | { kind: 'empty' } | { kind: 'invalid' };

function valid(y: number, m: number, d: number): string | null {
  if (y < 1980 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31) return null;
  const t = Date.UTC(y, m - 1, d);
  const dt = new Date(t);
  if (dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function year(y: string): number {
  const n = Number(y);
  return y.length === 2 ? (n < 70 ? 2000 + n : 1900 + n) : n;
}

const dateCache = new Map<string, ParsedDate>();

/** Parse one value; `order` decides ambiguous d/m (default month first, as Microsoft's raw strings are). */
export function parseInventoryDate(raw: string, order: DateOrder = 'mdy'): ParsedDate {
  // Inventories repeat a few thousand distinct dates: parse each once per order.
  const key = order + raw;
  let hit = dateCache.get(key);
  if (hit === undefined) {
    hit = parseDateUncached(raw, order);
    if (dateCache.size >= 50_000) dateCache.clear();
    dateCache.set(key, hit);
  }
  return hit;
}

function parseDateUncached(raw: string, order: DateOrder): ParsedDate {
  const v = raw.trim();
  if (EMPTY.test(v) || ZERO_DATE.test(v)) return { kind: 'empty' };
  let m = ISO.exec(v);
  if (m) return wrap(valid(+m[1], +m[2], +m[3]));
  m = YMD_SLASH.exec(v);
  if (m) return wrap(valid(+m[1], +m[2], +m[3]));
  m = NUMERIC.exec(v);
  if (m) {
    const a = +m[1];
    const b = +m[3];
    const y = year(m[4]);
    // A dotted date is always day first (de-DE, ru-RU).
    const dayFirst = m[2] === '.' || order === 'dmy';
    // A dotted date is day first whatever the order asked for: reading it so contradicts nothing.
    if (a > 12 && b <= 12) return otherOrderIf(wrap(valid(y, b, a)), m[2] !== '.' && order === 'mdy');
    if (b > 12 && a <= 12) return otherOrderIf(wrap(valid(y, a, b)), m[2] !== '.' && order === 'dmy');
    return wrap(dayFirst ? valid(y, b, a) : valid(y, a, b));
  }
  m = COMPACT.exec(v);
  if (m) return wrap(valid(+m[1], +m[2], +m[3]));
  m = EXCEL_SERIAL.exec(v);
  if (m) {
    const n = +m[1];
    if (n < EXCEL_FIRST || n > EXCEL_LAST) return { kind: 'invalid' };
    const d = new Date(Date.UTC(1899, 11, 30) + n * 86_400_000);
    return wrap(valid(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()));
  }
  // Month names: the order is in the words, never ambiguous.
  m = NAMED_DMY.exec(v);
  if (m && monthOf(m[2]) !== null) return wrap(valid(year(m[3]), monthOf(m[2])!, +m[1]));
  m = NAMED_MDY.exec(v);
  if (m && monthOf(m[1]) !== null) return wrap(valid(+m[3], monthOf(m[1])!, +m[2]));
  m = UNIX_DATE.exec(v);
  if (m && monthOf(m[1]) !== null) return wrap(valid(+m[3], monthOf(m[1])!, +m[2]));
  if (DECIMAL_FILETIME.test(v)) return fromFiletime(BigInt(v));
  m = FILETIME.exec(v);
  if (m) return fromFiletime(BigInt('0x' + m[1]));
  return { kind: 'invalid' };
}

/** A Windows FILETIME: 100-ns ticks since 1601-01-01 UTC (a date before 1980 or after 2200 is invalid). */
function fromFiletime(ticks: bigint): ParsedDate {
  const ms = Number(ticks / 10000n) - 11644473600000;
  if (!(Math.abs(ms) <= 8.64e15)) return { kind: 'invalid' };
  const d = new Date(ms);
  return wrap(valid(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()));
}

function wrap(iso: string | null): ParsedDate {
  return iso ? { kind: 'date', iso } : { kind: 'invalid' };
}

/**
 * Decides a column's day/month order from its values: a first field above 12 means day first,
 * a second field above 12 means month first; neither means ambiguous.
 */
export class DateOrderDetector {
  private dayFirst = 0;
  private monthFirst = 0;
  private slashValues = 0;

  observe(raw: string): void {
    const m = NUMERIC.exec(raw.trim());
    if (!m || m[2] === '.') return;
    this.slashValues++;
    if (+m[1] > 12) this.dayFirst++;
    else if (+m[3] > 12) this.monthFirst++;
  }

  /** The order, 'conflict' when values disagree, 'ambiguous' when nothing decides, null when no such values. */
  decide(): DateOrder | 'ambiguous' | 'conflict' | null {
    if (this.slashValues === 0) return null;
    if (this.dayFirst > 0 && this.monthFirst > 0) return 'conflict';
    if (this.dayFirst > 0) return 'dmy';
    if (this.monthFirst > 0) return 'mdy';
    return 'ambiguous';
  }
}

function otherOrderIf(d: ParsedDate, other: boolean): ParsedDate {
  return other && d.kind === 'date' ? { kind: 'date', iso: d.iso, otherOrder: true } : d;
}
