import type { Finding, HostResult } from '../evaluation/types.js';
import { describeOs } from '../evaluation/match.js';
import { SEVERITIES } from '../rules/types.js';
import { fleetSummary, fleetSummarySections, sharePercent, type FleetSummary, type GroupCompliance } from './fleet-summary.js';
import type { AuditReport, Reporter } from './types.js';
import { baselineSection, timelineSection, waiverSection } from './sections.js';
import { reportVerdict } from './verdict.js';
import { showHidden } from './sanitize.js';

/**
 * Markdown for a pull-request comment or $GITHUB_STEP_SUMMARY. GitHub caps those at 1 MiB (step
 * summary) and 65,536 characters (comments), so every list is capped and every inventory value is
 * shortened: the output stays well under 64 KiB whatever the fleet size.
 *
 * Inventory text is hostile: it is escaped so it can neither break the tables nor inject links,
 * HTML, images, @mentions or #references into the comment.
 */

/** How much of each list is shown; halved until the document fits MAX_MARKDOWN_BYTES. */
interface Limits {
  hostRows: number;
  waived: number;
  rejected: number;
  groups: number;
  rules: number;
  unknownNames: number;
}

/** Most rows in the failing-hosts table. */
export const MAX_HOST_ROWS = 50;
const DEFAULT_LIMITS: Limits = { hostRows: MAX_HOST_ROWS, waived: 30, rejected: 20, groups: 10, rules: 40, unknownNames: 10 };
/** Size budget: a GitHub comment holds 65,536 characters; stay clearly below. */
export const MAX_MARKDOWN_BYTES = 60 * 1024;
/** Longest inventory value shown (characters, before escaping). */
const MAX_CELL = 64;
const MAX_TEXT = 160;

const WJ = '\u2060';

/** Shorten to `max` characters (code points), marking the cut. */
function clip(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : chars.slice(0, max - 1).join('') + '…';
}

/**
 * Escape text for Markdown (GitHub Flavored), inline and inside table cells: line breaks and tabs as
 * spaces, other controls (ESC of an escape sequence too), bidi controls and invisible characters shown
 * as \xNN / \uNNNN (as every human format shows them: two hostnames that differ only there must not
 * read the same), every character with inline meaning backslash-escaped (\ ` * _ [ ] < > | ~ & ! $,
 * the last for GitHub's $math$),
 * block markers at the start defused, and a word joiner (U+2060, invisible) inserted after @, # and
 * in :// and www. so GitHub does not turn inventory text into mentions, issue references or links.
 */
export function escapeMarkdown(s: string, max = MAX_TEXT): string {
  let t = showHidden(s.replace(/\r\n|[\r\n\t\u2028\u2029]/g, ' '));
  t = clip(t, max);
  t = t.replace(/[\\`*_[\]<>|~&!$]/g, (c) => `\\${c}`);
  t = t.replace(/@/g, `@${WJ}`).replace(/#/g, `#${WJ}`).replace(/:\/\//g, `:${WJ}//`).replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}${WJ}.`);
  // Block syntax only matters at the start of a line (or list item / cell): headings, quotes, lists, rules.
  t = t.replace(/^(\s*)(?:([-+=])|(\d+)([.)]))/, (_, sp: string, mark: string | undefined, num: string, punct: string) => (mark ? `${sp}\\${mark}` : `${sp}${num}\\${punct}`));
  return t;
}

const cell = (s: string | null | undefined) => (s ? escapeMarkdown(s, MAX_CELL) : '');

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function table(head: string[], align: ('l' | 'r')[], rows: string[][]): string[] {
  const out = [`| ${head.join(' | ')} |`, `|${align.map((a) => (a === 'r' ? '---:' : '---')).join('|')}|`];
  for (const r of rows) out.push(`| ${r.map((c) => (c === '' ? ' ' : c)).join(' | ')} |`);
  return out;
}

function groupTable(title: string, groups: GroupCompliance[], max: number): string[] {
  if (groups.length === 0) return [];
  const rows = groups.slice(0, max).map((g) => [cell(g.name), String(g.hosts), String(g.compliant), String(g.nonCompliant), String(g.unknown), sharePercent(g.compliant, g.hosts)]);
  const out = ['', `### ${title}`, '', ...table([title.replace(/^Compliance by /, '').replace(/^./, (c) => c.toUpperCase()), 'Hosts', 'Compliant', 'Non-compliant', 'Unknown', 'Compliance'], ['l', 'r', 'r', 'r', 'r', 'r'], rows)];
  if (groups.length > max) out.push('', `_… and ${groups.length - max} more._`);
  return out;
}

function failingRules(h: HostResult): Finding[] {
  return h.findings.filter((f) => f.status === 'fail');
}

function render(report: AuditReport, fs: FleetSummary, lim: Limits): string {
  const s = report.summary;
  const out: string[] = [];

  // The verdict first, as the exit code gives it: a run that fails must not read as clean, whatever the
  // counts below say (a rejected row or a stale waiver fails it with every host compliant).
  const v = reportVerdict(report);
  out.push(v.failed ? `❌ Policy failed (exit ${v.exitCode}): ${escapeMarkdown(v.reasons.join('; '), 400)}.` : `✅ Policy passed (exit ${v.exitCode}).`, '');
  out.push('## patchaudit compliance report', '');
  out.push(
    `**${plural(s.hosts, 'host')}** audited as of ${report.asOf}: **${s.compliant} compliant (${sharePercent(s.compliant, s.hosts)})**, ${s.nonCompliant} non-compliant, ${s.unknown} unknown. ` +
      `${plural(s.rowsRead, 'row')} read, ${s.rejectedRows} rejected.`,
  );
  out.push('');
  // Rule ids, packs and versions come from rule files (policy), escaped all the same.
  const rules = report.rules.slice(0, lim.rules).map((l) => `${escapeMarkdown(l.rule.id, 40)} (${escapeMarkdown(`${l.pack} ${l.packVersion}`, 60)}, data ${escapeMarkdown(l.dataAsOf, 20)})`);
  out.push(`Rules: ${rules.join(', ')}${report.rules.length > lim.rules ? `, … and ${report.rules.length - lim.rules} more` : ''}.`);
  if (report.failOn !== 'none') out.push('', `Policy: fail on ${report.failOn} or worse.`);
  if (report.generatedAt) out.push('', `Generated ${escapeMarkdown(report.generatedAt, 40)}.`);

  // Failures per rule × severity.
  out.push('', '### Findings by rule', '');
  out.push(
    ...table(
      ['Rule', 'Severity', 'Fail', 'Unknown', 'Warn', 'Waived', 'Pass', 'N/A'],
      ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r'],
      fs.byRule.slice(0, lim.rules).map((r) => [escapeMarkdown(r.ruleId, 40), r.severity, String(r.fail), String(r.unknown), String(r.warn), String(r.waived), String(r.pass), String(r.notApplicable)]),
    ),
  );
  if (fs.byRule.length > lim.rules) out.push('', `_… and ${fs.byRule.length - lim.rules} more rules._`);
  const sev = SEVERITIES.filter((x) => fs.failuresBySeverity[x] > 0).map((x) => `${x} ${fs.failuresBySeverity[x]}`);
  out.push('', `Failing findings by severity: ${sev.length > 0 ? sev.join(', ') : 'none'}.`);

  const remediation = fleetSummarySections(fs, { escape: (t) => escapeMarkdown(t, 400), limit: lim.groups }).find((x) => x.title === 'Top remediations');
  if (remediation) {
    out.push('', '### Top remediations', '');
    remediation.lines.forEach((l, i) => out.push(l.startsWith('… and') ? `_${l}_` : `${i + 1}. ${l}`));
  }

  out.push(...groupTable('Compliance by site', fs.bySite, lim.groups));
  out.push(...groupTable('Compliance by product', fs.byProduct, lim.groups));

  const failing = report.hosts.filter((h) => h.status === 'non-compliant');
  if (failing.length > 0) {
    const shown = failing.slice(0, lim.hostRows);
    out.push('', `### Failing hosts (${shown.length < failing.length ? `top ${shown.length} of ${failing.length}` : failing.length}, worst first)`, '');
    out.push(
      ...table(
        ['Host', 'OS', 'Site', 'Failing rules', 'Risk'],
        ['l', 'l', 'l', 'l', 'r'],
        shown.map((h) => [cell(h.hostname), cell(describeOs(h.os)), cell(h.site), failingRules(h).map((f) => escapeMarkdown(f.ruleId, 40)).join(', '), String(h.risk.score)]),
      ),
    );
    if (failing.length > shown.length) out.push('', `_… and ${failing.length - shown.length} more failing hosts (see the CSV or JSON report)._`);
  } else if (report.hosts.length > 0) {
    out.push('', 'No host fails a rule.');
  }

  const unknown = report.hosts.filter((h) => h.status === 'unknown');
  if (s.unknown > 0) {
    out.push('', '### Unknown hosts', '');
    const names = unknown.slice(0, lim.unknownNames).map((h) => cell(h.hostname));
    const rest = unknown.length - names.length;
    out.push(`${plural(s.unknown, 'host')} could not be judged (missing or unrecognised OS data)${names.length > 0 ? `: ${names.join(', ')}${rest > 0 ? `, … and ${rest} more` : ''}` : ''}.`);
  }

  const waived: { h: HostResult; f: Finding }[] = [];
  for (const h of report.hosts) for (const f of h.findings) if (f.status === 'waived') waived.push({ h, f });
  if (waived.length > 0) {
    out.push('', `### Waived findings (${waived.length})`, '');
    for (const { h, f } of waived.slice(0, lim.waived)) {
      const w = f.waiver;
      const why = w ? `${escapeMarkdown(w.reason, MAX_TEXT)} (owner ${cell(w.owner)}, until ${cell(w.expires)})` : 'no waiver details';
      out.push(`- ${cell(h.hostname)} ${escapeMarkdown(f.ruleId, 40)}: ${why}`);
    }
    if (waived.length > lim.waived) out.push(`- _… and ${waived.length - lim.waived} more_`);
  }

  for (const sec of [timelineSection(report), waiverSection(report), baselineSection(report)]) {
    if (!sec) continue;
    // The timeline is a fixed-width table: a code block keeps its columns (and needs no escaping).
    out.push('', `### ${escapeMarkdown(sec.title, MAX_TEXT)}`, '');
    if (sec.title.startsWith('End of support')) out.push('```', ...sec.lines.map((l) => l.replace(/`/g, "'")), '```');
    else for (const l of sec.lines.slice(0, 40)) out.push(`- ${escapeMarkdown(l, MAX_TEXT)}`);
  }

  if (report.rejected.length > 0) {
    out.push('', `### Rejected rows (${report.rejected.length})`, '');
    for (const r of report.rejected.slice(0, lim.rejected)) out.push(`- ${cell(`${r.file}:${r.line}`)}: ${escapeMarkdown(r.reason, MAX_TEXT)}`);
    if (report.rejected.length > lim.rejected) out.push(`- _… and ${report.rejected.length - lim.rejected} more_`);
  }

  return out.join('\n') + '\n';
}

export const renderMarkdown: Reporter = (report) => {
  const fs = fleetSummary(report);
  let lim = DEFAULT_LIMITS;
  let md = render(report, fs, lim);
  // Values are clipped, so this only triggers for hostile or exotic inventories (long multi-byte text
  // everywhere): show fewer rows rather than a comment GitHub refuses.
  while (Buffer.byteLength(md, 'utf8') > MAX_MARKDOWN_BYTES && lim.hostRows > 1) {
    const half = (n: number) => Math.max(1, Math.floor(n / 2));
    lim = { hostRows: half(lim.hostRows), waived: half(lim.waived), rejected: half(lim.rejected), groups: half(lim.groups), rules: half(lim.rules), unknownNames: half(lim.unknownNames) };
    md = render(report, fs, lim);
  }
  return md;
};
