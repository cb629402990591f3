import { reportVerdict } from './verdict.js';
import { describeOs } from '../evaluation/match.js';
import type { Finding, FindingStatus, HostResult, HostStatus } from '../evaluation/types.js';
import type { OsInfo } from '../inventory/types.js';
import { SEVERITY_RANK, type Severity } from '../rules/types.js';
import { sharePercent } from './fleet-summary.js';
import { escapeHtml, HIDDEN, showHidden } from './sanitize.js';
import { listedHosts } from './sections.js';
import type { AuditReport, Reporter, ReporterContext } from './types.js';

/**
 * A single self-contained HTML page for people who do not read JSON: summary cards, inline SVG charts,
 * an end-of-support timeline and a sortable, filterable host list whose rows expand to the evidence.
 *
 * Everything is inline (CSS, script, SVG) and a Content-Security-Policy forbids every fetch, so the
 * file can be mailed around and opened offline. Inventory text is hostile by assumption: every string
 * reaches the markup through `text()` (control characters made visible, then HTML-escaped); the data
 * island is JSON with <, >, &, U+2028 and U+2029 escaped; the script never writes inventory text into
 * the page (it only reorders and hides rows that were rendered here). Output is a pure function of the
 * report: no clock, no randomness, stable sort orders.
 */

/** Hosts rendered in the list; the charts and counts always cover every host. */
export const HTML_MAX_HOSTS = 10000;
/** Rejected rows, warnings and waived findings listed before "… and N more". */
const MAX_LIST = 1000;


const STATUS_LABEL: Record<HostStatus, string> = { compliant: 'Compliant', 'non-compliant': 'Non-compliant', unknown: 'Unknown' };
const FINDING_LABEL: Record<FindingStatus, string> = { pass: 'pass', fail: 'fail', warn: 'ending soon', unknown: 'unknown', 'not-applicable': 'n/a', waived: 'waived' };

const COLOUR = {
  fail: '#c62828',
  warn: '#e09b00',
  pass: '#2e7d32',
  unknown: '#7b3fbf',
  waived: '#546e7a',
  track: '#e6e9ee',
};

// Control characters, line/paragraph separators, bidi overrides and invisible characters (zero-width
// space, word joiner, soft hyphen, …) are shown as escapes (an audit should show that a hostname contains
// ESC or U+200B, not hide it, and two different hostnames must not look the same); tab and line breaks
// stay (the page collapses them to spaces). Lone surrogates become U+FFFD so the file is valid UTF-8.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function visible(s: string): string {
  return showHidden(s, '\t\n\r').replace(LONE_SURROGATE, '\ufffd');
}

/** Any text for the page: made visible, then escaped. */
function text(s: string | null | undefined): string {
  return s ? escapeHtml(visible(s)) : '';
}

/** A character as JSON \\u escapes (each UTF-16 unit): the same string once parsed. */
const jsonEscape = (ch: string) => [...Array(ch.length).keys()].map((i) => `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`).join('');

/**
 * JSON that can sit inside <script type="application/json"> whatever the strings hold: no <, > or & (so
 * no </script> or <!--), no raw U+2028/2029, and no other hidden character (DEL, C1 controls, bidi and
 * zero-width characters) written as itself: the page's source shows only what it displays. Parsed, the
 * strings are unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(HIDDEN, jsonEscape);
}

function int(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function plural(n: number, one: string, many = one + 's'): string {
  return `${int(n)} ${n === 1 ? one : many}`;
}

function num(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/** Cut to `max` code points with an ellipsis (for chart labels, which cannot wrap). */
function clip(s: string, max: number): string {
  const cps = Array.from(s);
  return cps.length <= max ? s : cps.slice(0, max - 1).join('') + '…';
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function dayNumber(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(t) ? null : Math.round(t / 86400000);
}

function productOf(os: OsInfo): string {
  return os.product ?? 'Unrecognised OS';
}

function releaseLabel(os: OsInfo): string {
  if (!os.product) return 'Unrecognised OS';
  return os.release ? `${os.product} ${os.release}` : os.product;
}

const ATTENTION: FindingStatus[] = ['fail', 'unknown', 'warn', 'waived'];

function needsAttention(h: HostResult): boolean {
  return h.status !== 'compliant' || h.findings.some((f) => f.status === 'warn' || f.status === 'waived');
}


// ---------------------------------------------------------------------------------------------- charts

interface Segment {
  label: string;
  value: number;
  colour: string;
}

function legend(segments: Segment[], total: number): string {
  return `<ul class="legend">${segments
    .map((s) => `<li><span class="sw" style="background:${s.colour}"></span>${text(s.label)} <b>${int(s.value)}</b>${total > 0 ? ` <span class="muted">${text(sharePercent(s.value, total))}</span>` : ''}</li>`)
    .join('')}</ul>`;
}

/** Donut drawn with dashed circles: circumference 100, so dash lengths are percentages. */
function donut(segments: Segment[], centre: string, centreSub: string, label: string): string {
  const total = segments.reduce((a, s) => a + s.value, 0);
  const r = 15.9155;
  const parts: string[] = [`<circle cx="21" cy="21" r="${r}" fill="none" stroke="${COLOUR.track}" stroke-width="6"></circle>`];
  let acc = 0;
  for (const s of segments) {
    if (s.value <= 0 || total === 0) continue;
    const len = (100 * s.value) / total;
    parts.push(
      `<circle cx="21" cy="21" r="${r}" fill="none" stroke="${s.colour}" stroke-width="6" stroke-dasharray="${len.toFixed(3)} ${(100 - len).toFixed(3)}" stroke-dashoffset="${(25 - acc).toFixed(3)}"><title>${text(s.label)}: ${int(s.value)} (${text(sharePercent(s.value, total))})</title></circle>`,
    );
    acc += len;
  }
  parts.push(`<text x="21" y="21.2" text-anchor="middle" class="d-big">${text(centre)}</text>`);
  parts.push(`<text x="21" y="26.4" text-anchor="middle" class="d-small">${text(centreSub)}</text>`);
  return `<svg class="donut" viewBox="0 0 42 42" role="img" aria-label="${text(label)}"><title>${text(label)}</title>${parts.join('')}</svg>`;
}

interface BarRow {
  label: string;
  values: number[];
}

/** Horizontal stacked bars, one row per label; `series` gives each stack part's name and colour. */
function stackedBars(rows: BarRow[], series: { label: string; colour: string }[], label: string): string {
  const W = 470;
  const labelW = 150;
  const barX = labelW + 8;
  const barW = W - barX - 48;
  const rowH = 26;
  const barH = 16;
  const max = Math.max(1, ...rows.map((r) => r.values.reduce((a, v) => a + v, 0)));
  const H = Math.max(rowH, rows.length * rowH) + 4;
  const out: string[] = [];
  rows.forEach((row, i) => {
    const y = 2 + i * rowH;
    const total = row.values.reduce((a, v) => a + v, 0);
    out.push(`<text x="${labelW}" y="${y + rowH / 2 + 4}" text-anchor="end" class="b-label">${text(clip(row.label, 24))}<title>${text(row.label)}</title></text>`);
    out.push(`<rect x="${barX}" y="${y + (rowH - barH) / 2}" width="${barW}" height="${barH}" rx="2" fill="${COLOUR.track}" opacity="0.45"></rect>`);
    let x = barX;
    row.values.forEach((v, k) => {
      if (v <= 0) return;
      const w = (barW * v) / max;
      out.push(
        `<rect x="${x.toFixed(2)}" y="${y + (rowH - barH) / 2}" width="${w.toFixed(2)}" height="${barH}" fill="${series[k].colour}"><title>${text(row.label)}: ${int(v)} ${text(series[k].label)}</title></rect>`,
      );
      x += w;
    });
    out.push(`<text x="${(x + 6).toFixed(2)}" y="${y + rowH / 2 + 4}" class="b-count">${int(total)}</text>`);
  });
  return `<svg class="bars" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${text(label)}"><title>${text(label)}</title>${out.join('')}</svg>`;
}

// ------------------------------------------------------------------------------------------- sections

function header(report: AuditReport): string {
  const packs = new Map<string, { pack: string; version: string; dataAsOf: string }>();
  for (const l of report.rules) {
    const key = `${l.pack}\u0000${l.packVersion}`;
    if (!packs.has(key)) packs.set(key, { pack: l.pack, version: l.packVersion, dataAsOf: l.dataAsOf });
  }
  const dates = new Set([...packs.values()].map((p) => p.dataAsOf));
  const oneDate = dates.size === 1 ? [...dates][0] : null;
  const packList = [...packs.values()]
    .map((p) => `<span class="pack">${text(p.pack)} <b>${text(p.version)}</b>${oneDate === null ? ` <span class="muted">(data ${text(p.dataAsOf)})</span>` : ''}</span>`)
    .join('');
  const meta = [
    `<div><dt>As of</dt><dd><b>${text(report.asOf)}</b></dd></div>`,
    `<div><dt>Rules</dt><dd>${report.rules.map((l) => `<code>${text(l.rule.id)}</code>`).join(' ')}</dd></div>`,
    `<div><dt>Rule packs${oneDate !== null ? ` <span class="nocase">· data checked ${text(oneDate)}</span>` : ''}</dt><dd class="packs">${packList}</dd></div>`,
    `<div><dt>Inventory</dt><dd>${report.inputs.map((i) => `<code>${text(i)}</code>`).join(' ') || '<span class="muted">none</span>'}</dd></div>`,
    `<div><dt>Tool</dt><dd>${text(report.tool.name)} ${text(report.tool.version)}${report.generatedAt ? ` · generated ${text(report.generatedAt)}` : ''}</dd></div>`,
  ];
  return `<header class="top">
<div class="brand"><span class="logo" aria-hidden="true"></span><span>${text(report.tool.name)}</span></div>
<h1>Patch compliance report</h1>
<p class="lede">Which machines are unpatched against wormable flaws or running an operating system past its end of support, audited as of <b>${text(report.asOf)}</b>.</p>
${verdictBanner(report)}
<dl class="meta">${meta.join('')}</dl>
</header>`;
}

/** The policy's verdict, as the exit code gives it: a run that fails must not read as clean. */
function verdictBanner(report: AuditReport): string {
  const v = reportVerdict(report);
  return v.failed
    ? `<p class="verdict tone-fail" role="status" data-exit-code="${v.exitCode}"><b>Policy failed</b> (exit ${v.exitCode}): ${text(v.reasons.join('; '))}.</p>`
    : `<p class="verdict tone-pass" role="status" data-exit-code="${v.exitCode}"><b>Policy passed</b> (exit ${v.exitCode}).</p>`;
}

function card(metric: string, title: string, value: string, sub: string, tone: string): string {
  return `<div class="card tone-${tone}" data-metric="${metric}"><div class="c-title">${title}</div><div class="value">${value}</div><div class="c-sub">${sub}</div></div>`;
}

function cards(report: AuditReport): string {
  const s = report.summary;
  const crit = s.failuresBySeverity?.critical ?? 0;
  return `<section class="cards" aria-label="Summary">
${card('hosts', 'Hosts audited', int(s.hosts), `${plural(s.rowsAudited, 'inventory row')} audited`, 'neutral')}
${card('compliant', 'Compliant', text(sharePercent(s.compliant, s.hosts)), `${int(s.compliant)} of ${plural(s.hosts, 'host')}`, 'pass')}
${card('non-compliant', 'Non-compliant', int(s.nonCompliant), `${text(sharePercent(s.nonCompliant, s.hosts))} of hosts`, 'fail')}
${card('unknown', 'Unknown', int(s.unknown), 'not enough data to decide', 'unknown')}
${card('critical', 'Critical findings', int(crit), 'failing critical-severity checks', crit > 0 ? 'fail' : 'neutral')}
${card('rejected', 'Rejected rows', int(s.rejectedRows), `of ${plural(s.rowsRead, 'row')} read`, s.rejectedRows > 0 ? 'warn' : 'neutral')}
</section>`;
}

function charts(report: AuditReport): string {
  const s = report.summary;
  const statusSegs: Segment[] = [
    { label: 'Non-compliant', value: s.nonCompliant, colour: COLOUR.fail },
    { label: 'Unknown', value: s.unknown, colour: COLOUR.unknown },
    { label: 'Compliant', value: s.compliant, colour: COLOUR.pass },
  ];
  const donutSvg = donut(statusSegs, sharePercent(s.compliant, s.hosts), 'compliant', `Hosts by status: ${s.nonCompliant} non-compliant, ${s.unknown} unknown, ${s.compliant} compliant`);

  // Hosts by product, stacked by status; the ten largest products, the rest together.
  const byProduct = new Map<string, number[]>();
  for (const h of report.hosts) {
    const p = productOf(h.os);
    let v = byProduct.get(p);
    if (!v) byProduct.set(p, (v = [0, 0, 0]));
    v[h.status === 'non-compliant' ? 0 : h.status === 'unknown' ? 1 : 2]++;
  }
  const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
  let products: BarRow[] = [...byProduct.entries()].map(([label, values]) => ({ label, values })).sort((a, b) => sum(b.values) - sum(a.values) || cmp(a.label, b.label));
  if (products.length > 11) {
    const rest = products.slice(10);
    const values = [0, 1, 2].map((k) => rest.reduce((a, r) => a + r.values[k], 0));
    products = [...products.slice(0, 10), { label: `Other (${rest.length} products)`, values }];
  }
  const statusSeries = [
    { label: 'non-compliant', colour: COLOUR.fail },
    { label: 'unknown', colour: COLOUR.unknown },
    { label: 'compliant', colour: COLOUR.pass },
  ];

  const ruleSeries = [
    { label: 'fail', colour: COLOUR.fail },
    { label: 'ending soon', colour: COLOUR.warn },
    { label: 'unknown', colour: COLOUR.unknown },
    { label: 'waived', colour: COLOUR.waived },
    { label: 'pass', colour: COLOUR.pass },
  ];
  const ruleRows: BarRow[] = report.rules.map((l) => {
    const c = s.byRule[l.rule.id] ?? { fail: 0, warn: 0, unknown: 0, waived: 0, pass: 0, notApplicable: 0 };
    return { label: l.rule.id, values: [c.fail, c.warn, c.unknown, c.waived, c.pass] };
  });

  const noHosts = report.hosts.length === 0 ? '<p class="muted">No hosts to chart.</p>' : '';
  return `<section class="charts" aria-label="Charts">
<figure class="panel chart-status"><figcaption>Hosts by status</figcaption><div class="donut-wrap">${donutSvg}${legend(statusSegs, s.hosts)}</div></figure>
<figure class="panel chart-product"><figcaption>Hosts by operating system</figcaption>${noHosts || stackedBars(products, statusSeries, 'Hosts by operating system and status')}${legend(
    statusSeries.map((x) => ({ label: x.label, value: products.reduce((a, r) => a + r.values[statusSeries.indexOf(x)], 0), colour: x.colour })),
    0,
  )}</figure>
<figure class="panel chart-rule"><figcaption>Findings by rule <span class="muted">(hosts the rule applies to)</span></figcaption>${stackedBars(ruleRows, ruleSeries, 'Findings by rule')}${legend(
    ruleSeries.map((x, k) => ({ label: x.label, value: ruleRows.reduce((a, r) => a + r.values[k], 0), colour: x.colour })),
    0,
  )}<p class="muted small sev-line">Failing findings by severity: ${severityLine(report)}.</p></figure>
</section>`;
}

function severityLine(report: AuditReport): string {
  const sev = report.summary.failuresBySeverity ?? {};
  const parts = (Object.keys(SEVERITY_RANK) as Severity[]).filter((k) => (sev[k] ?? 0) > 0).map((k) => `${text(k)} <b>${int(sev[k])}</b>`);
  return parts.length ? parts.join(' · ') : 'none';
}

const WINDOWS = [30, 90, 180, 365] as const;

interface LifecycleRow {
  label: string;
  ended: number;
  within: number[];
  later: number;
  next: string | null;
  lastEnded: string | null;
}

/** For each host the earliest end date among its applicable end-of-support findings. */
function lifecycleRows(report: AuditReport): LifecycleRow[] {
  const eosRules = new Set(report.rules.filter((l) => l.rule.kind === 'end-of-support').map((l) => l.rule.id));
  const today = dayNumber(report.asOf);
  if (today === null) return [];
  const rows = new Map<string, LifecycleRow>();
  for (const h of report.hosts) {
    let end: string | null = null;
    for (const f of h.findings) {
      if (!f.endDate || f.status === 'not-applicable') continue;
      if (eosRules.size > 0 && !eosRules.has(f.ruleId)) continue;
      if (dayNumber(f.endDate) === null) continue;
      if (end === null || f.endDate < end) end = f.endDate;
    }
    if (end === null) continue;
    const label = releaseLabel(h.os);
    let row = rows.get(label);
    if (!row) rows.set(label, (row = { label, ended: 0, within: WINDOWS.map(() => 0), later: 0, next: null, lastEnded: null }));
    const days = dayNumber(end)! - today;
    if (days < 0) {
      row.ended++;
      if (row.lastEnded === null || end > row.lastEnded) row.lastEnded = end;
    } else {
      WINDOWS.forEach((w, k) => {
        if (days <= w) row!.within[k]++;
      });
      if (days > WINDOWS[WINDOWS.length - 1]) row.later++;
      if (row.next === null || end < row.next) row.next = end;
    }
  }
  const soon = (r: LifecycleRow) => r.within[WINDOWS.length - 1] > 0;
  return [...rows.values()].sort(
    (a, b) => Number(soon(b)) - Number(soon(a)) || cmp(a.next ?? '9999', b.next ?? '9999') || b.ended - a.ended || cmp(a.label, b.label),
  );
}

function lifecycle(report: AuditReport): string {
  const rows = lifecycleRows(report);
  if (rows.length === 0) return '';
  const total = (f: (r: LifecycleRow) => number) => rows.reduce((a, r) => a + f(r), 0);
  const ended = total((r) => r.ended);
  const within = WINDOWS.map((_, k) => total((r) => r.within[k]));
  const later = total((r) => r.later);
  const cell = (n: number, tone: string) => `<td class="num${n > 0 ? ` heat-${tone}` : ' zero'}">${int(n)}</td>`;
  const body = rows
    .map(
      (r) =>
        `<tr><th scope="row">${text(r.label)}</th>${cell(r.ended, 'fail')}${r.within.map((n, k) => cell(n, k < 2 ? 'warn' : 'soft')).join('')}${cell(r.later, 'none')}<td>${r.next ? text(r.next) : r.lastEnded ? `<span class="muted">ended ${text(r.lastEnded)}</span>` : ''}</td></tr>`,
    )
    .join('\n');
  return `<section class="panel" id="lifecycle" aria-labelledby="lifecycle-h">
<h2 id="lifecycle-h">End-of-support timeline</h2>
<p class="lede-s"><b>${plural(ended, 'host')}</b> already past end of support; <b>${int(within[1])}</b> more reach it within 90 days and <b>${int(within[3])}</b> within a year of ${text(report.asOf)}. Counts are cumulative (the 90-day column includes the 30-day one). The date is the last day of support, or of Extended Security Updates where a programme exists.</p>
<div class="tscroll"><table class="grid lifecycle">
<thead><tr><th scope="col">Operating system</th><th scope="col" class="num">Already ended</th>${WINDOWS.map((w) => `<th scope="col" class="num">Within ${w} days</th>`).join('')}<th scope="col" class="num">Later</th><th scope="col">Next end date</th></tr></thead>
<tbody>
${body}
</tbody>
<tfoot><tr><th scope="row">All hosts</th><td class="num">${int(ended)}</td>${within.map((n) => `<td class="num">${int(n)}</td>`).join('')}<td class="num">${int(later)}</td><td></td></tr></tfoot>
</table></div>
</section>`;
}

function badge(status: FindingStatus | HostStatus, label: string): string {
  return `<span class="badge s-${status}">${label}</span>`;
}

function findingRow(f: Finding, asOf: string): string {
  const evidence = f.evidence.length ? `<ul class="ev">${f.evidence.map((e) => `<li>${text(e)}</li>`).join('')}</ul>` : '<span class="muted">no evidence recorded</span>';
  const action: string[] = [];
  if (f.waiver) {
    const expired = f.waiver.expires < asOf;
    action.push(
      `<div class="waiver${expired ? ' expired' : ''}"><b>Waived</b> by ${text(f.waiver.owner)} until ${text(f.waiver.expires)}${expired ? ' (expired)' : ''}: ${text(f.waiver.reason)}</div>`,
    );
  }
  if (f.remediation && f.status !== 'pass') action.push(`<div class="fix">${text(f.remediation)}</div>`);
  const change = f.change === 'new' ? ' <span class="new">new</span>' : f.change === 'existing' ? ' <span class="muted">since baseline</span>' : '';
  const endDate = f.endDate ? ` · ends ${text(f.endDate)}` : '';
  return `<tr class="f-${f.status}"><td>${badge(f.status, FINDING_LABEL[f.status])}</td><td><b>${text(f.ruleId)}</b>${change}<div class="muted small">${text(f.severity)} · ${text(f.decidedBy)}${endDate}</div></td><td>${evidence}</td><td>${action.join('') || '<span class="muted">–</span>'}</td></tr>`;
}

function hostDetails(h: HostResult, asOf: string): string {
  const shownFindings = h.findings.filter((f) => f.status !== 'not-applicable');
  const na = h.findings.filter((f) => f.status === 'not-applicable');
  const sources = h.sources.slice(0, 5).map((s) => `${text(s.file)}:${s.line}`);
  if (h.sources.length > 5) sources.push(`+${int(h.sources.length - 5)} more rows`);
  const facts = [
    `<div class="span2"><dt>OS as read</dt><dd>${text(h.os.raw) || '<span class="muted">no OS data</span>'}</dd></div>`,
    `<div><dt>Last patch</dt><dd>${text(h.lastPatchDate) || '<span class="muted">unknown</span>'}</dd></div>`,
    `<div><dt>Installed updates</dt><dd>${int(h.kbCount)}</dd></div>`,
    `<div><dt>Inventory rows</dt><dd>${sources.join(', ')}</dd></div>`,
  ];
  if (h.os.notes.length) facts.push(`<div class="wide"><dt>OS notes</dt><dd>${h.os.notes.map(text).join('; ')}</dd></div>`);
  const factors = h.risk.factors.map((x) => `<li>${text(x.factor)}${x.points ? ` <b>+${num(x.points)}</b>` : ''}</li>`);
  if (factors.length) facts.push(`<div class="wide"><dt>Risk score ${num(h.risk.score)}, from</dt><dd><ul class="factors">${factors.join('')}</ul></dd></div>`);
  const cols = Object.keys(h.columns).slice(0, 40);
  const columns = cols.length
    ? `<details class="cols"><summary>Inventory columns (${int(Object.keys(h.columns).length)})</summary><dl class="kv">${cols
        .map((k) => `<div><dt>${text(clip(k, 80))}</dt><dd>${text(clip(h.columns[k] ?? '', 300))}</dd></div>`)
        .join('')}</dl></details>`
    : '';
  return `<div class="detail">
<dl class="facts">${facts.join('')}</dl>
${shownFindings.length ? `<table class="findings"><colgroup><col class="w-st"><col class="w-rule"><col class="w-ev"><col></colgroup><thead><tr><th scope="col">Status</th><th scope="col">Rule</th><th scope="col">Evidence</th><th scope="col">What to do</th></tr></thead><tbody>${shownFindings.map((f) => findingRow(f, asOf)).join('')}</tbody></table>` : ''}
${na.length ? `<p class="muted small">Not applicable: ${na.map((f) => text(f.ruleId)).join(', ')}</p>` : ''}
${columns}
</div>`;
}

interface HostDatum {
  /** hostname */
  h: string;
  /** host status */
  s: HostStatus;
  /** OS description */
  o: string;
  /** index into products */
  p: number;
  /** index into sites (-1 = no site) */
  t: number;
  /** indexes into rules of findings that need attention */
  r: number[];
  /** risk score */
  k: number;
  /** needs attention: 1/0 */
  a: number;
}

function hostsSection(report: AuditReport, ctx: ReporterContext): { html: string; data: unknown } {
  const all = listedHosts(report, ctx);
  const hosts = all.slice(0, HTML_MAX_HOSTS);
  const ruleIds = report.rules.map((l) => l.rule.id);
  for (const h of hosts) for (const f of h.findings) if (!ruleIds.includes(f.ruleId)) ruleIds.push(f.ruleId);
  const sites = [...new Set(hosts.map((h) => h.site).filter((s): s is string => !!s))].sort(cmp);
  const products = [...new Set(hosts.map((h) => productOf(h.os)))].sort(cmp);
  const siteIndex = new Map(sites.map((s, i) => [s, i]));
  const productIndex = new Map(products.map((p, i) => [p, i]));
  const maxRisk = Math.max(0, ...hosts.map((h) => h.risk.score));
  const attention = hosts.filter(needsAttention).length;
  const count = (st: HostStatus) => hosts.filter((h) => h.status === st).length;

  const data: HostDatum[] = [];
  const rows = hosts.map((h, i) => {
    const problems = h.findings.filter((f) => ATTENTION.includes(f.status));
    const os = describeOs(h.os);
    data.push({
      h: h.hostname,
      s: h.status,
      o: os,
      p: productIndex.get(productOf(h.os))!,
      t: h.site ? siteIndex.get(h.site)! : -1,
      r: [...new Set(problems.map((f) => ruleIds.indexOf(f.ruleId)))],
      k: h.risk.score,
      a: needsAttention(h) ? 1 : 0,
    });
    const ruleBadges = problems.length
      ? problems.map((f) => `<span class="badge s-${f.status}" title="${text(f.ruleId)}: ${FINDING_LABEL[f.status]}">${text(f.ruleId)}${f.change === 'new' ? '<sup>new</sup>' : ''}</span>`).join(' ')
      : '<span class="muted">none</span>';
    const riskW = maxRisk > 0 ? ((100 * h.risk.score) / maxRisk).toFixed(1) : '0';
    return `<details class="host st-${h.status}" data-i="${i}"><summary class="hrow">
<span class="c-host"><span class="chev" aria-hidden="true"></span><span class="name">${text(h.hostname)}</span></span>
<span class="c-status">${badge(h.status, STATUS_LABEL[h.status])}</span>
<span class="c-os">${text(os)}</span>
<span class="c-site">${h.site ? text(h.site) : '<span class="muted">–</span>'}</span>
<span class="c-rules">${ruleBadges}</span>
<span class="c-risk"><span class="risk-n">${num(h.risk.score)}</span><span class="riskbar" aria-hidden="true"><i style="width:${riskW}%"></i></span></span>
</summary>
${hostDetails(h, report.asOf)}
</details>`;
  });

  const opt = (values: string[]) => values.map((v, i) => `<option value="${i}">${text(clip(v, 80))}</option>`).join('');
  const cut =
    all.length > hosts.length
      ? `<p class="note">Showing the ${int(hosts.length)} highest-risk of ${int(all.length)} hosts; the JSON, NDJSON or CSV report lists them all.</p>`
      : '';
  const hidden = report.hosts.length - all.length;
  const hiddenNote = hidden > 0 ? `<p class="note">${plural(hidden, 'host')} with nothing to report ${hidden === 1 ? 'is' : 'are'} not listed (--show all lists every host).</p>` : '';
  const col = (key: string, label: string, cls: string) =>
    `<span role="columnheader" class="${cls}" aria-sort="none"><button type="button" class="sort" data-sort="${key}">${label}<span class="arrow" aria-hidden="true"></span></button></span>`;

  const html = `<section class="panel" id="hosts" aria-labelledby="hosts-h">
<h2 id="hosts-h">Hosts</h2>
<p class="lede-s">Worst first (by risk score). Click a host for the evidence and what to do; click a column heading to sort.</p>
${cut}${hiddenNote}
<div class="controls" role="search">
<label>Search <input type="search" id="f-text" placeholder="hostname, OS, site, rule" autocomplete="off"></label>
<label>Status <select id="f-status"><option value="attention" selected>Needs attention (${int(attention)})</option><option value="non-compliant">Non-compliant (${int(count('non-compliant'))})</option><option value="unknown">Unknown (${int(count('unknown'))})</option><option value="compliant">Compliant (${int(count('compliant'))})</option><option value="all">All hosts (${int(hosts.length)})</option></select></label>
<label>Site <select id="f-site"><option value="">All sites</option>${opt(sites)}${hosts.some((h) => !h.site) ? '<option value="-1">(no site)</option>' : ''}</select></label>
<label>OS <select id="f-product"><option value="">All products</option>${opt(products)}</select></label>
<label>Rule <select id="f-rule"><option value="">Any rule</option>${opt(ruleIds)}</select></label>
<span class="btns"><button type="button" id="toggle-all" class="ghost" aria-pressed="false">Expand all</button><button type="button" id="reset" class="ghost">Reset</button></span>
</div>
<p class="count" aria-live="polite"><span id="shown-count">${plural(hosts.length, 'host')}</span></p>
<div class="htable" role="table" aria-label="Hosts">
<div class="hrow head" role="row">${col('hostname', 'Host', 'c-host')}${col('status', 'Status', 'c-status')}${col('os', 'Operating system', 'c-os')}${col('site', 'Site', 'c-site')}${col('rules', 'Failing rules', 'c-rules')}${col('risk', 'Risk', 'c-risk')}</div>
<div id="host-list">
${rows.join('\n')}
</div>
<p id="no-match" class="empty" hidden>No host matches these filters.</p>
${hosts.length === 0 ? '<p class="empty">No hosts to list.</p>' : ''}
</div>
</section>`;
  return { html, data: { asOf: report.asOf, sites, products, rules: ruleIds, hosts: data } };
}

function waivedSection(report: AuditReport): string {
  const rows: string[] = [];
  let n = 0;
  for (const h of report.hosts) {
    for (const f of h.findings) {
      if (f.status !== 'waived') continue;
      n++;
      if (rows.length >= MAX_LIST) continue;
      const w = f.waiver;
      const expired = w ? w.expires < report.asOf : false;
      rows.push(
        `<tr><td>${text(h.hostname)}</td><td><b>${text(f.ruleId)}</b></td><td>${w ? text(w.owner) : '<span class="muted">–</span>'}</td><td class="${expired ? 'expired' : ''}">${w ? text(w.expires) : ''}</td><td>${w ? text(w.reason) : ''}</td></tr>`,
      );
    }
  }
  if (n === 0) return '';
  return `<section class="panel" id="waivers" aria-labelledby="waivers-h">
<h2 id="waivers-h">Waived findings <span class="count-pill">${int(n)}</span></h2>
<p class="lede-s">Failures or unknowns that a waiver accepts until its expiry date. They do not count against the host, but the risk remains.</p>
<div class="tscroll"><table class="grid"><thead><tr><th scope="col">Host</th><th scope="col">Rule</th><th scope="col">Owner</th><th scope="col">Expires</th><th scope="col">Reason</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table></div>
${n > rows.length ? `<p class="note">… and ${int(n - rows.length)} more (see the JSON report).</p>` : ''}
</section>`;
}

function rulesSection(report: AuditReport): string {
  const c0 = { pass: 0, fail: 0, warn: 0, unknown: 0, notApplicable: 0, waived: 0 };
  const rows = report.rules.map((l) => {
    const c = report.summary.byRule[l.rule.id] ?? c0;
    const n = (v: number, tone: string) => `<td class="num${v > 0 ? ` t-${tone}` : ' zero'}">${int(v)}</td>`;
    return `<tr><th scope="row"><code>${text(l.rule.id)}</code></th><td>${text(l.rule.title)}</td><td><span class="sev sev-${text(l.rule.severity)}">${text(l.rule.severity)}</span></td><td class="nowrap">${text(l.pack)} ${text(l.packVersion)}<div class="muted small">data as of ${text(l.dataAsOf)}</div></td>${n(c.fail, 'fail')}${n(c.warn, 'warn')}${n(c.unknown, 'unknown')}${n(c.waived, 'waived')}${n(c.pass, 'pass')}<td class="num muted">${int(c.notApplicable)}</td></tr>`;
  });
  return `<section class="panel" id="rules" aria-labelledby="rules-h">
<h2 id="rules-h">Rules</h2>
<div class="tscroll"><table class="grid"><thead><tr><th scope="col">Rule</th><th scope="col">What a failure means</th><th scope="col">Severity</th><th scope="col">Pack</th><th scope="col" class="num">Fail</th><th scope="col" class="num">Ending soon</th><th scope="col" class="num">Unknown</th><th scope="col" class="num">Waived</th><th scope="col" class="num">Pass</th><th scope="col" class="num">N/A</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table></div>
<p class="muted small">Failing findings by severity: ${severityLine(report)}. Policy for the exit code: fail on ${text(report.failOn)}.</p>
</section>`;
}

function rejectedSection(report: AuditReport): string {
  const r = report.rejected;
  const body = r.length
    ? `<div class="tscroll"><table class="grid"><thead><tr><th scope="col">File</th><th scope="col" class="num">Line</th><th scope="col">Reason</th></tr></thead><tbody>
${r
  .slice(0, MAX_LIST)
  .map((x) => `<tr><td><code>${text(x.file)}</code></td><td class="num">${int(x.line)}</td><td>${text(x.reason)}</td></tr>`)
  .join('\n')}
</tbody></table></div>${r.length > MAX_LIST ? `<p class="note">… and ${int(r.length - MAX_LIST)} more (see the JSON report).</p>` : ''}`
    : '<p class="muted">Every row was audited.</p>';
  const warnings = report.warnings.length
    ? `<h3>Warnings <span class="count-pill">${int(report.warnings.length)}</span></h3><ul class="warnings">${report.warnings
        .slice(0, MAX_LIST)
        .map((w) => `<li>${text(w)}</li>`)
        .join('')}</ul>${report.warnings.length > MAX_LIST ? `<p class="note">… and ${int(report.warnings.length - MAX_LIST)} more.</p>` : ''}`
    : '';
  return `<section class="panel" id="rejected" aria-labelledby="rejected-h">
<h2 id="rejected-h">Rejected rows <span class="count-pill">${int(r.length)}</span></h2>
<p class="lede-s">Inventory rows that could not be audited. Machines on these rows are not in the counts above: fix the inventory and run the audit again.</p>
${body}
${warnings}
</section>`;
}

// ------------------------------------------------------------------------------------------- page

const CSS = `
:root{--ink:#1d232b;--muted:#5d6673;--line:#d9dee5;--bg:#f4f6f9;--card:#fff;--accent:#0b5cad;
--fail:${COLOUR.fail};--warn:#b26a00;--warn-fill:${COLOUR.warn};--pass:${COLOUR.pass};--unknown:${COLOUR.unknown};--waived:${COLOUR.waived};
--fail-bg:#fdecec;--warn-bg:#fff4dc;--pass-bg:#e9f5ea;--unknown-bg:#f2ebfb;--waived-bg:#eceff1;color-scheme:light}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans","Liberation Sans",sans-serif}
main{max-width:1320px;margin:0 auto;padding:24px 28px 48px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:.92em;background:#eef1f5;border-radius:4px;padding:1px 5px}
.muted{color:var(--muted)}.small{font-size:12px}
h1{font-size:28px;line-height:1.2;margin:4px 0 6px;letter-spacing:-.01em}
h2{font-size:18px;margin:0 0 8px}
h3{font-size:15px;margin:18px 0 6px}
.top{background:var(--card);border:1px solid var(--line);border-top:4px solid var(--accent);border-radius:10px;padding:18px 22px;margin-bottom:18px}
.brand{display:flex;align-items:center;gap:8px;font-weight:600;color:var(--accent);text-transform:uppercase;letter-spacing:.08em;font-size:12px}
.logo{width:14px;height:14px;border-radius:3px;background:linear-gradient(135deg,var(--accent) 50%,var(--pass) 50%)}
.lede{margin:0 0 12px;color:var(--muted);max-width:70em}
.lede-s{margin:0 0 12px;color:var(--muted);max-width:80em}
.meta{display:flex;flex-wrap:wrap;gap:8px 36px;margin:0}
.meta div{min-width:0;max-width:100%}
.nocase{text-transform:none;letter-spacing:0}.meta dt{font-size:11px;text-transform:uppercase;letter-spacing:.06em;color:var(--muted)}.meta dd{margin:0;overflow-wrap:anywhere}
.packs{display:flex;flex-wrap:wrap;gap:2px 14px;max-width:560px}.pack{white-space:nowrap}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px;margin-bottom:18px}
.card{background:var(--card);border:1px solid var(--line);border-left:5px solid var(--line);border-radius:10px;padding:12px 16px}
.card .c-title{font-size:12px;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);font-weight:600}
.card .value{font-size:30px;font-weight:700;line-height:1.2;font-variant-numeric:tabular-nums}
.card .c-sub{font-size:12px;color:var(--muted)}
.tone-pass{border-left-color:var(--pass)}.tone-pass .value{color:var(--pass)}
.tone-fail{border-left-color:var(--fail)}.tone-fail .value{color:var(--fail)}
.tone-unknown{border-left-color:var(--unknown)}.tone-unknown .value{color:var(--unknown)}
.tone-warn{border-left-color:var(--warn-fill)}.tone-warn .value{color:var(--warn)}
.tone-neutral{border-left-color:var(--accent)}
.verdict{background:var(--card);border:1px solid var(--line);border-left:5px solid var(--line);border-radius:10px;padding:8px 14px;margin:0 0 12px;max-width:70em}
.verdict.tone-fail b{color:var(--fail)}.verdict.tone-pass b{color:var(--pass)}
.panel{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 20px;margin:0 0 18px}
.charts{display:grid;grid-template-columns:minmax(260px,1fr) minmax(360px,1.6fr) minmax(360px,1.6fr);gap:12px;margin-bottom:18px}
.charts figure{margin:0;min-width:0}
figcaption{font-weight:600;margin-bottom:8px}
.donut-wrap{display:flex;flex-wrap:wrap;align-items:center;gap:14px}
svg.donut{width:170px;height:170px;flex:none}
.d-big{font-size:7px;font-weight:700;fill:var(--ink)}.d-small{font-size:3.2px;fill:var(--muted)}
svg.bars{width:100%;height:auto;display:block}
.b-label{font-size:12px;fill:var(--ink)}.b-count{font-size:12px;fill:var(--muted);font-variant-numeric:tabular-nums}
.legend{list-style:none;margin:8px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:4px 14px;font-size:12.5px}
.donut-wrap .legend{flex-direction:column;margin:0}
.sev-line{margin:10px 0 0}
.sw{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px;vertical-align:-1px}
table{border-collapse:collapse;width:100%}
.tscroll{overflow-x:auto}
table.grid th,table.grid td{padding:6px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
table.grid thead th{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);background:#f8f9fb;white-space:nowrap}
table.grid tfoot th,table.grid tfoot td{font-weight:700;border-bottom:none}
table.grid code,.nowrap{white-space:nowrap}
.num{text-align:right!important;font-variant-numeric:tabular-nums}
td.zero{color:#a0a7b1}
.heat-fail{background:var(--fail-bg);color:var(--fail);font-weight:600}
.heat-warn{background:var(--warn-bg);color:var(--warn);font-weight:600}
.heat-soft{background:#fffaf0;color:var(--warn)}
.t-fail{color:var(--fail);font-weight:600}.t-warn{color:var(--warn);font-weight:600}.t-unknown{color:var(--unknown);font-weight:600}.t-waived{color:var(--waived);font-weight:600}.t-pass{color:var(--pass)}
.sev{font-size:12px;font-weight:600;text-transform:uppercase;letter-spacing:.04em}
.sev-critical{color:var(--fail)}.sev-high{color:#d84315}.sev-medium{color:var(--warn)}.sev-low,.sev-info{color:var(--muted)}
.badge{display:inline-block;border-radius:999px;padding:0 8px;font-size:12px;font-weight:600;line-height:1.6;white-space:nowrap;border:1px solid transparent}
.s-fail,.s-non-compliant{background:var(--fail-bg);color:var(--fail);border-color:#f5c2c2}
.s-warn{background:var(--warn-bg);color:var(--warn);border-color:#f2d48a}
.s-unknown{background:var(--unknown-bg);color:var(--unknown);border-color:#dccbf3}
.s-pass,.s-compliant{background:var(--pass-bg);color:var(--pass);border-color:#bfe0c2}
.s-waived{background:var(--waived-bg);color:var(--waived);border-color:#cfd8dc;text-decoration:line-through;text-decoration-color:rgba(84,110,122,.5)}
.s-not-applicable{background:#f1f3f5;color:var(--muted)}
.badge sup{font-size:9px;margin-left:3px;text-decoration:none;color:var(--accent)}
.new{display:inline-block;background:var(--accent);color:#fff;border-radius:4px;padding:0 5px;font-size:11px;font-weight:700;text-transform:uppercase}
.count-pill{display:inline-block;background:#eef1f5;color:var(--muted);border-radius:999px;padding:0 8px;font-size:12px;vertical-align:2px}
.note{background:#f8f9fb;border:1px solid var(--line);border-radius:6px;padding:6px 10px;color:var(--muted)}
.controls{display:flex;flex-wrap:wrap;align-items:end;gap:10px 14px;padding:10px 12px;background:#f8f9fb;border:1px solid var(--line);border-radius:8px;margin-bottom:8px}
.controls label{display:flex;flex-direction:column;font-size:11px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);gap:3px}
.controls input,.controls select{font:inherit;font-size:13.5px;text-transform:none;letter-spacing:0;color:var(--ink);border:1px solid #c4cbd4;border-radius:6px;padding:5px 8px;background:#fff;min-width:120px;max-width:220px}
.controls input{width:200px}
#f-site{max-width:200px}#f-product{max-width:190px}
.btns{display:flex;gap:6px;margin-left:auto}
button{font:inherit;cursor:pointer}
.ghost{background:#fff;border:1px solid #c4cbd4;border-radius:6px;padding:5px 10px;font-size:13px;color:var(--ink)}
.ghost:hover{border-color:var(--accent);color:var(--accent)}
.no-js .controls,.no-js .ghost{display:none}
.count{margin:4px 0 6px;color:var(--muted);font-size:13px}
.htable{border:1px solid var(--line);border-radius:8px;overflow:hidden}
.hrow{display:grid;grid-template-columns:minmax(140px,1.1fr) 118px minmax(160px,1.35fr) minmax(120px,1.15fr) minmax(200px,1.9fr) 120px;gap:0 12px;align-items:center;padding:7px 12px}
.hrow>span{min-width:0;overflow-wrap:anywhere}
.hrow.head{background:#f8f9fb;border-bottom:1px solid var(--line);font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);position:sticky;top:0;z-index:1}
.sort{background:none;border:0;padding:2px 0;color:inherit;text-transform:inherit;letter-spacing:inherit;font-size:inherit;font-weight:600;display:inline-flex;gap:4px;align-items:center}
.sort:hover,.sort:focus-visible{color:var(--accent)}
.arrow{font-size:10px;min-width:8px}
details.host{border-bottom:1px solid var(--line)}
details.host:last-child{border-bottom:0}
details.host>summary{list-style:none;cursor:pointer}
details.host>summary::-webkit-details-marker{display:none}
details.host>summary:hover{background:#f6f9fd}
details.host[open]>summary{background:#eef4fb}
details.host.st-non-compliant>summary{box-shadow:inset 3px 0 0 var(--fail)}
details.host.st-unknown>summary{box-shadow:inset 3px 0 0 var(--unknown)}
details.host.st-compliant>summary{box-shadow:inset 3px 0 0 var(--pass)}
.c-host{font-weight:600;display:flex;gap:6px;align-items:baseline}
.chev{flex:none;width:0;height:0;border-left:5px solid var(--muted);border-top:4px solid transparent;border-bottom:4px solid transparent;transition:transform .12s;transform-origin:2px 4px}
details[open] .chev{transform:rotate(90deg)}
.head .c-host{padding-left:11px}
.c-os,.c-site{font-size:13px}
.c-rules .badge{margin:1px 0}
.c-risk{display:flex;align-items:center;gap:8px;font-variant-numeric:tabular-nums;font-weight:600}
.risk-n{min-width:3.2em;text-align:right}
.riskbar{flex:1;height:6px;background:#edf0f3;border-radius:3px;overflow:hidden}
.riskbar i{display:block;height:100%;background:linear-gradient(90deg,var(--warn-fill),var(--fail))}
.detail{padding:10px 16px 16px 34px;background:#fbfcfd;border-top:1px dashed var(--line)}
.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:8px 20px;margin:0 0 10px}
.facts .span2{grid-column:span 2}.facts .wide{grid-column:1/-1}
.factors{list-style:none;margin:2px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:4px 6px}
.factors li{background:#fff;border:1px solid var(--line);border-radius:6px;padding:1px 8px;font-size:12.5px}
.facts dt{font-size:11px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}.facts dd{margin:0;overflow-wrap:anywhere}
table.findings{background:#fff;border:1px solid var(--line);border-radius:6px;margin:6px 0;table-layout:fixed}
col.w-st{width:110px}col.w-rule{width:180px}col.w-ev{width:46%}
table.findings th{font-size:11px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);text-align:left;padding:6px 10px;border-bottom:1px solid var(--line);background:#f8f9fb}
table.findings td{padding:7px 10px;border-bottom:1px solid #edf0f3;vertical-align:top;overflow-wrap:anywhere}
table.findings tr.f-pass td{color:var(--muted)}
.ev{margin:0;padding-left:18px}
.fix{border-left:3px solid var(--accent);padding-left:8px}
.waiver{background:var(--waived-bg);border-radius:6px;padding:4px 8px;margin-bottom:4px}
.waiver.expired,td.expired{color:var(--fail)}
details.cols>summary{cursor:pointer;color:var(--accent);font-size:13px;margin-top:6px}
.kv{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:4px 16px;margin:6px 0 0}
.kv dt{font-size:11px;color:var(--muted)}.kv dd{margin:0;overflow-wrap:anywhere}
.empty{padding:16px;color:var(--muted);text-align:center;margin:0}
.warnings{margin:0;padding-left:20px}
footer{color:var(--muted);font-size:12px;text-align:center;margin-top:24px}
@media (max-width:1100px){.charts{grid-template-columns:1fr 1fr}.chart-status{grid-column:1/-1}}
@media (max-width:820px){main{padding:12px}.charts{grid-template-columns:1fr}
.hrow{grid-template-columns:1fr 1fr}.hrow.head{display:none}.c-os,.c-rules{grid-column:1/-1}}
@media print{
@page{margin:12mm}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{background:#fff;font-size:10.5px}
main{max-width:none;padding:0}
.controls,.ghost,.count,.chev{display:none!important}
.panel,.card,.top{border-top-color:#bbb;border-right-color:#bbb;border-bottom-color:#bbb;break-inside:avoid}
.panel{border-left-color:#bbb}
.top{border-top-color:var(--accent)}
#hosts,#lifecycle,#rejected,#waivers{break-inside:auto}
.cards{grid-template-columns:repeat(6,1fr);gap:8px}
.card{padding:8px 10px}.card .value{font-size:22px}
.charts{grid-template-columns:1fr 1.4fr 1.4fr;gap:8px}
.chart-status{grid-column:auto}
svg.donut{width:120px;height:120px}
.tscroll{overflow:visible}
table.grid thead th{white-space:normal}
table.grid th,table.grid td{padding:3px 6px}
.hrow.head{position:static}
details.host{break-inside:avoid}
.htable{overflow:visible}
}
`;

// The page's script. It reorders and hides the rows rendered above; it never writes inventory text
// into the page (the only text it sets is counts and sort arrows).
const SCRIPT = `
(function () {
  'use strict';
  document.documentElement.classList.remove('no-js');
  var dataEl = document.getElementById('data');
  var list = document.getElementById('host-list');
  if (!dataEl || !list) return;
  var data = JSON.parse(dataEl.textContent || '{}');
  var hosts = data.hosts || [];
  var rows = [];
  Array.prototype.forEach.call(list.querySelectorAll('details.host'), function (el) {
    rows[Number(el.getAttribute('data-i'))] = el;
  });
  var RANK = { 'non-compliant': 0, 'unknown': 1, 'compliant': 2 };
  var haystack = hosts.map(function (h) {
    var site = h.t >= 0 ? data.sites[h.t] : '';
    var rules = h.r.map(function (k) { return data.rules[k]; }).join(' ');
    return (h.h + ' ' + h.o + ' ' + site + ' ' + data.products[h.p] + ' ' + rules).toLowerCase();
  });
  function lower(s) { return (s || '').toLowerCase(); }
  var KEYS = {
    hostname: function (h) { return lower(h.h); },
    status: function (h) { return RANK[h.s]; },
    os: function (h) { return lower(h.o); },
    site: function (h) { return h.t >= 0 ? lower(data.sites[h.t]) : '\\uffff'; },
    rules: function (h) { return h.r.length; },
    risk: function (h) { return h.k; }
  };
  var FIRST_DESC = { rules: true, risk: true };
  var sort = { key: null, dir: 1 };
  var $ = function (id) { return document.getElementById(id); };
  var fText = $('f-text'), fStatus = $('f-status'), fSite = $('f-site'), fProduct = $('f-product'), fRule = $('f-rule');
  var countEl = $('shown-count'), noMatch = $('no-match');

  function matches(h, i, q) {
    var st = fStatus.value;
    if (st === 'attention' && !h.a) return false;
    if (st !== 'attention' && st !== 'all' && h.s !== st) return false;
    if (fSite.value !== '' && h.t !== Number(fSite.value)) return false;
    if (fProduct.value !== '' && h.p !== Number(fProduct.value)) return false;
    if (fRule.value !== '' && h.r.indexOf(Number(fRule.value)) < 0) return false;
    if (q && haystack[i].indexOf(q) < 0) return false;
    return true;
  }

  function apply() {
    var q = lower(fText.value).trim();
    var order = hosts.map(function (_, i) { return i; });
    if (sort.key) {
      var key = KEYS[sort.key], dir = sort.dir;
      order.sort(function (a, b) {
        var x = key(hosts[a]), y = key(hosts[b]);
        if (x < y) return -dir;
        if (x > y) return dir;
        return a - b;
      });
    }
    var shown = 0;
    var frag = document.createDocumentFragment();
    order.forEach(function (i) {
      var el = rows[i];
      if (!el) return;
      var ok = matches(hosts[i], i, q);
      el.hidden = !ok;
      if (ok) shown++;
      frag.appendChild(el);
    });
    list.appendChild(frag);
    countEl.textContent = shown === hosts.length
      ? hosts.length + (hosts.length === 1 ? ' host' : ' hosts')
      : shown + ' of ' + hosts.length + ' hosts';
    noMatch.hidden = shown !== 0 || hosts.length === 0;
  }

  Array.prototype.forEach.call(document.querySelectorAll('button[data-sort]'), function (btn) {
    btn.addEventListener('click', function () {
      var k = btn.getAttribute('data-sort');
      if (sort.key === k) sort.dir = -sort.dir;
      else { sort.key = k; sort.dir = FIRST_DESC[k] ? -1 : 1; }
      Array.prototype.forEach.call(document.querySelectorAll('button[data-sort]'), function (b) {
        var on = b === btn;
        b.parentNode.setAttribute('aria-sort', on ? (sort.dir > 0 ? 'ascending' : 'descending') : 'none');
        b.querySelector('.arrow').textContent = on ? (sort.dir > 0 ? '\\u25b2' : '\\u25bc') : '';
      });
      apply();
    });
  });
  [fStatus, fSite, fProduct, fRule].forEach(function (el) { el.addEventListener('change', apply); });
  fText.addEventListener('input', apply);
  function setOpen(open) {
    rows.forEach(function (el) { if (el && !el.hidden) el.open = open; });
  }
  var toggle = $('toggle-all');
  toggle.addEventListener('click', function () {
    var open = toggle.getAttribute('aria-pressed') !== 'true';
    setOpen(open);
    toggle.setAttribute('aria-pressed', open ? 'true' : 'false');
    toggle.textContent = open ? 'Collapse all' : 'Expand all';
  });
  $('reset').addEventListener('click', function () {
    fText.value = ''; fStatus.value = 'attention'; fSite.value = ''; fProduct.value = ''; fRule.value = '';
    sort.key = null; sort.dir = 1;
    Array.prototype.forEach.call(document.querySelectorAll('button[data-sort]'), function (b) {
      b.parentNode.setAttribute('aria-sort', 'none');
      b.querySelector('.arrow').textContent = '';
    });
    apply();
  });
  apply();
})();
`;

const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

export const renderHtml: Reporter = (report, ctx) => {
  const hosts = hostsSection(report, ctx);
  const title = `Patch compliance report – as of ${report.asOf}`;
  return `<!DOCTYPE html>
<html lang="en" class="no-js">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="${text(report.tool.name)} ${text(report.tool.version)}">
<title>${text(title)}</title>
<link rel="icon" href="data:,">
<style>${CSS}</style>
</head>
<body>
<main>
${header(report)}
${cards(report)}
${charts(report)}
${lifecycle(report)}
${hosts.html}
${waivedSection(report)}
${rulesSection(report)}
${rejectedSection(report)}
<footer>Generated by ${text(report.tool.name)} ${text(report.tool.version)} from the inventory as of ${text(report.asOf)}. This page is self-contained: it loads nothing from the network.</footer>
</main>
<script type="application/json" id="data">${jsonForScript(hosts.data)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
};
