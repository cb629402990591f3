import { evidenceLine } from './evidence.js';
import type { ChalkInstance } from 'chalk';
import type { FindingStatus, HostResult, HostStatus } from '../evaluation/types.js';
import { describeOs } from '../evaluation/match.js';
import { SEVERITIES, SEVERITY_RANK, type Severity } from '../rules/types.js';
import { lenience, reportVerdict } from './verdict.js';
import { logSafe } from './sanitize.js';
import { fleetSummary, fleetSummarySections, sharePercent } from './fleet-summary.js';
import { baselineSection, listedHosts, timelineSection, waiverSection } from './sections.js';
import type { AuditReport, Reporter, ReporterContext } from './types.js';


// Characters a terminal draws with no width of their own: combining marks (the accent of an "é" typed as
// e + U+0301), Hangul vowel and final-consonant jamo that join the syllable before them, and
// default-ignorable characters (after logSafe only its own word joiners are left).
const ZERO_WIDTH = /[\p{Mn}\p{Me}\p{Default_Ignorable_Code_Point}\u1160-\u11ff]/u;
// Emoji drawn as pictures take two columns, as East Asian wide and full-width characters do.
const EMOJI = /\p{Emoji_Presentation}/u;

/** Columns one character takes in a terminal (East Asian Wide and Fullwidth, and emoji, count two). */
function charWidth(ch: string): number {
  const c = ch.codePointAt(0)!;
  if (c < 0x300) return 1;
  if (ZERO_WIDTH.test(ch)) return 0;
  if (
    (c >= 0x1100 && c <= 0x115f) ||
    (c >= 0x2e80 && c <= 0xa4cf && c !== 0x303f) ||
    (c >= 0xa960 && c <= 0xa97f) ||
    (c >= 0xac00 && c <= 0xd7a3) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xfe10 && c <= 0xfe19) ||
    (c >= 0xfe30 && c <= 0xfe6f) ||
    (c >= 0xff00 && c <= 0xff60) ||
    (c >= 0xffe0 && c <= 0xffe6) ||
    (c >= 0x16fe0 && c <= 0x18aff) ||
    (c >= 0x1b000 && c <= 0x1b2ff) ||
    (c >= 0x20000 && c <= 0x3fffd) ||
    EMOJI.test(ch)
  ) {
    return 2;
  }
  return 1;
}

/** Display width of a string (escape sequences and controls are never in here: logSafe removed them). */
export function width(s: string): number {
  let w = 0;
  for (const ch of s) w += charWidth(ch);
  return w;
}

function fit(s: string, w: number): string {
  const sw = width(s);
  if (sw <= w) return s + ' '.repeat(w - sw);
  // Cut at the last character that leaves room for the ellipsis; marks of zero width stay with their base.
  let out = '';
  let used = 0;
  for (const ch of s) {
    const cw = charWidth(ch);
    if (used + cw > w - 1) break;
    out += ch;
    used += cw;
  }
  return out + '…' + ' '.repeat(Math.max(0, w - used - 1));
}

export function statusColour(style: ChalkInstance, status: HostStatus | FindingStatus): (s: string) => string {
  switch (status) {
    case 'non-compliant':
    case 'fail':
      return style.red.bold;
    case 'unknown':
      return style.magenta;
    case 'warn':
      return style.yellow;
    case 'waived':
      return style.cyan;
    case 'compliant':
    case 'pass':
      return style.green;
    default:
      return style.dim;
  }
}

const MARK: Record<FindingStatus, string> = { fail: '✗', unknown: '?', warn: '!', waived: '~', pass: '✓', 'not-applicable': '-' };


export const renderTable: Reporter = (report, ctx) => {
  const st = ctx.style;
  const lines: string[] = [];
  const hosts = listedHosts(report, ctx);
  const s = report.summary;
  const total = Math.max(60, Math.min(ctx.width, 200));
  const wStatus = 13;
  const wRisk = 6;
  const fixed = wStatus + wRisk + 5;
  const rest = total - fixed;
  const wHost = Math.max(12, Math.floor(rest * 0.22));
  const wOs = Math.max(16, Math.floor(rest * 0.3));
  const wSite = Math.max(8, Math.floor(rest * 0.16));

  lines.push(st.bold(`patchaudit: ${s.hosts} host${s.hosts === 1 ? '' : 's'} audited as of ${report.asOf}`) + st.dim(` (rules: ${report.rules.map((r) => r.rule.id).join(', ')})`));
  lines.push('');
  if (hosts.length > 0) {
    lines.push(st.bold([fit('STATUS', wStatus), fit('HOST', wHost), fit('OS', wOs), fit('SITE', wSite), fit('RISK', wRisk), 'FINDINGS'].join(' ')));
    for (const h of hosts) {
      const shown = h.findings.filter((f) => f.status !== 'not-applicable' && f.status !== 'pass');
      const findings = shown.map((f) => statusColour(st, f.status)(`${f.ruleId} ${MARK[f.status]}`)).join(' ') || st.green('all pass');
      lines.push(
        [
          statusColour(st, h.status)(fit(h.status, wStatus)),
          fit(logSafe(h.hostname), wHost),
          fit(logSafe(describeOs(h.os)), wOs),
          fit(logSafe(h.site ?? ''), wSite),
          fit(h.risk.score > 0 ? String(h.risk.score) : '0', wRisk),
          findings,
        ].join(' '),
      );
      if (ctx.explain) {
        for (const f of h.findings) {
          if (f.status === 'not-applicable' && ctx.show !== 'all') continue;
          lines.push(`    ${statusColour(st, f.status)(fit(`${f.ruleId} ${f.status}`, 24))} ${logSafe(evidenceLine(f.evidence))}`);
          if (f.waiver) lines.push(`    ${' '.repeat(24)} ${st.cyan(`waived until ${f.waiver.expires} by ${logSafe(f.waiver.owner)}: ${logSafe(f.waiver.reason)}`)}`);
          if (f.remediation && (f.status === 'fail' || f.status === 'unknown' || f.status === 'warn')) lines.push(`    ${' '.repeat(24)} ${st.dim('→ ' + logSafe(f.remediation))}`);
        }
        if (h.risk.factors.length > 0) lines.push(`    ${st.dim(fit('risk ' + h.risk.score, 24))} ${st.dim(logSafe(h.risk.factors.map((x) => (x.points ? `${x.factor} +${x.points}` : x.factor)).join('; ')))}`);
        lines.push(`    ${st.dim(fit('source', 24))} ${st.dim(logSafe(h.sources.slice(0, 3).map((x) => `${x.file}:${x.line}`).join(', ')))}${h.sources.length > 3 ? st.dim(` (+${h.sources.length - 3} rows)`) : ''}`);
      }
    }
  } else {
    lines.push(st.green(report.hosts.length === 0 ? 'No hosts in the inventory.' : 'No host has a finding to show.'));
  }
  if (hosts.length < report.hosts.length) lines.push(st.dim(`(${report.hosts.length - hosts.length} host${report.hosts.length - hosts.length === 1 ? '' : 's'} with nothing at or above ${ctx.minSeverity} not shown; --show all lists them)`));

  lines.push('');
  lines.push(st.bold('Summary'));
  lines.push(
    `  Hosts ${s.hosts}: ${st.red(`${s.nonCompliant} non-compliant`)}, ${st.magenta(`${s.unknown} unknown`)}, ${st.green(`${s.compliant} compliant`)} (${sharePercent(s.compliant, s.hosts)} compliant)`,
  );
  lines.push(`  Rows read ${s.rowsRead}: ${s.rowsAudited} audited + ${s.rejectedRows} rejected`);
  lines.push('');
  lines.push(st.bold('  ' + [fit('RULE', 16), fit('SEVERITY', 9), fit('FAIL', 6), fit('UNKNOWN', 8), fit('WARN', 6), fit('WAIVED', 7), fit('PASS', 6), 'N/A'].join(' ')));
  // The rule set in its order, then the fail-closed checks hosts met (DATA-CONFLICT, COVERAGE), as the
  // other formats list them.
  const ruleRows: { id: string; severity: string }[] = report.rules.map((l) => ({ id: l.rule.id, severity: l.rule.severity }));
  const inSet = new Set(ruleRows.map((r) => r.id));
  for (const id of Object.keys(s.byRule).sort()) if (!inSet.has(id)) ruleRows.push({ id, severity: 'info' });
  for (const r of ruleRows) {
    const c = s.byRule[r.id];
    if (!c) continue;
    lines.push(
      '  ' +
        [
          fit(r.id, 16),
          fit(r.severity, 9),
          (c.fail ? st.red : st.dim)(fit(String(c.fail), 6)),
          (c.unknown ? st.magenta : st.dim)(fit(String(c.unknown), 8)),
          (c.warn ? st.yellow : st.dim)(fit(String(c.warn), 6)),
          fit(String(c.waived), 7),
          fit(String(c.pass), 6),
          String(c.notApplicable),
        ].join(' '),
    );
  }
  const bySev = SEVERITIES.filter((sv) => s.failuresBySeverity[sv] > 0).map((sv) => `${sv} ${s.failuresBySeverity[sv]}`);
  lines.push(`  Failing findings by severity: ${bySev.length ? bySev.join(', ') : 'none'}`);
  // Fleet summary: compliance by site and product, top remediations (shared with Markdown and HTML).
  const fleet = fleetSummarySections(fleetSummary(report), { escape: logSafe, limit: 8 });
  for (const sec of fleet.filter((x) => x.title !== 'Compliance' && x.title !== 'Failures by rule')) {
    lines.push('');
    lines.push(st.bold(sec.title));
    for (const l of sec.lines) lines.push('  ' + l);
  }
  const extra = [report.showTimeline ? timelineSection(report) : null, waiverSection(report), baselineSection(report)];
  for (const sec of extra) {
    if (!sec) continue;
    lines.push('');
    lines.push(st.bold(sec.title));
    for (const l of sec.lines) lines.push('  ' + logSafe(l));
  }
  if (report.warnings.length > 0) {
    lines.push('');
    // The audit keeps the first warnings and ends the list with "… and N more warnings".
    const more = /^… and (\d+) more warnings$/.exec(report.warnings[report.warnings.length - 1] ?? '');
    const kept = more ? report.warnings.slice(0, -1) : report.warnings;
    const total = kept.length + (more ? Number(more[1]) : 0);
    lines.push(st.bold(`Warnings (${total})`));
    for (const w of kept.slice(0, 10)) lines.push('  ' + st.yellow(logSafe(w)));
    if (total > 10) lines.push(`  … and ${total - 10} more (see --format json)`);
  }
  if (report.rejected.length > 0) {
    lines.push('');
    lines.push(st.bold(`Rejected rows (${report.rejected.length})`));
    for (const r of report.rejected.slice(0, 20)) lines.push(`  ${logSafe(r.file)}:${r.line}: ${logSafe(r.reason)}`);
    if (report.rejected.length > 20) lines.push(`  … and ${report.rejected.length - 20} more`);
  }
  // Last, where a terminal or a CI log ends: the verdict the exit code gives, and why.
  const v = reportVerdict(report);
  lines.push('');
  const lenient = v.failed || (s.nonCompliant === 0 && s.unknown === 0 && s.rejectedRows === 0) ? [] : lenience(v.policy);
  lines.push(v.failed ? st.red.bold(`Policy failed (exit ${v.exitCode}): ${logSafe(v.reasons.join('; '))}`) : st.green(`Policy passed (exit ${v.exitCode})`) + (lenient.length ? st.dim(` (${lenient.join('; ')})`) : ''));
  return lines.join('\n') + '\n';
};
