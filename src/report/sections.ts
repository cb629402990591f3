import { FAIL_CLOSED_CHECKS } from '../evaluation/checks.js';
import type { HostResult } from '../evaluation/types.js';
import { SEVERITY_RANK } from '../rules/types.js';
import type { AuditReport, ReporterContext } from './types.js';

/**
 * The lifecycle timeline, waiver housekeeping and baseline comparison as titled plain-text lists,
 * shared by the human formats (table, Markdown); each format escapes and styles the lines itself.
 */
export interface TextSection {
  title: string;
  lines: string[];
}

export function timelineSection(report: AuditReport): TextSection | null {
  const t = report.timeline;
  if (!t) return null;
  const lines = [`${'product'.padEnd(32)} ${['≤30d', '≤90d', '≤180d', '≤365d'].map((x) => x.padStart(6)).join(' ')}`];
  for (const r of t.rows) lines.push(`${r.product.padEnd(32)} ${[r.within[30], r.within[90], r.within[180], r.within[365]].map((n) => String(n).padStart(6)).join(' ')}`);
  lines.push(`${'all products'.padEnd(32)} ${[t.totals[30], t.totals[90], t.totals[180], t.totals[365]].map((n) => String(n).padStart(6)).join(' ')}`);
  if (t.rows.length === 0) lines.splice(0, lines.length, `no host reaches end of support in the 365 days after ${t.asOf}`);
  return { title: `End of support in the next 30/90/180/365 days (hosts, cumulative, as of ${t.asOf})`, lines };
}

export function waiverSection(report: AuditReport): TextSection | null {
  const w = report.waivers;
  if (!w) return null;
  const lines: string[] = [];
  for (const x of w.expired) lines.push(`expired ${x.entry.expires}: ${x.path} (${x.entry.owner}) ${x.entry.reason} — no longer applies${x.matched ? `; ${x.matched} finding(s) would match` : ''}`);
  for (const x of w.unused) lines.push(`unused: ${x.path} (${x.entry.owner}) ${x.entry.reason} — matches no finding`);
  for (const x of w.expiring) lines.push(`expiring in ${x.daysLeft} day(s) (${x.entry.expires}): ${x.path} (${x.entry.owner}) ${x.entry.reason}`);
  if (lines.length === 0) lines.push('all waivers current and in use');
  return { title: 'Waivers', lines };
}

export function baselineSection(report: AuditReport): TextSection | null {
  const b = report.baseline;
  if (!b) return null;
  const cap = (items: string[]) => (items.length > 20 ? [...items.slice(0, 20), `… and ${items.length - 20} more`] : items);
  return {
    title: 'Since the baseline',
    lines: [
      `${b.newFailures.length} new failing finding(s)${b.newFailures.length ? ': ' : ''}${cap(b.newFailures.map((x) => `${x.hostname} ${x.ruleId}`)).join(', ')}`,
      `${b.resolved.length} resolved${b.resolved.length ? ': ' : ''}${cap(b.resolved.map((x) => `${x.hostname} ${x.ruleId}`)).join(', ')}`,
      ...(b.noLongerFailing.length ? [`${b.noLongerFailing.length} no longer failing but not fixed (now unknown, waived or not checked): ${cap(b.noLongerFailing.map((x) => `${x.hostname} ${x.ruleId} (${x.status})`)).join(', ')}`] : []),
      `${b.hostsAdded.length} host(s) added${b.hostsAdded.length ? ': ' : ''}${cap(b.hostsAdded).join(', ')}`,
      `${b.hostsRemoved.length} host(s) removed${b.hostsRemoved.length ? ': ' : ''}${cap(b.hostsRemoved).join(', ')}`,
    ],
  };
}

const LISTED_STATUSES = new Set(['fail', 'unknown', 'warn', 'waived']);

/**
 * The hosts the human formats list: every host with --show all; with --show failing, those with a
 * finding to act on at or above --min-severity. A fail-closed check (DATA-CONFLICT, COVERAGE) has no
 * severity of its own and fails the run whatever the threshold, so it is always listed.
 */
export function listedHosts(report: AuditReport, ctx: ReporterContext): HostResult[] {
  if (ctx.show === 'all') return report.hosts;
  const min = SEVERITY_RANK[ctx.minSeverity];
  return report.hosts.filter((h) => h.findings.some((f) => LISTED_STATUSES.has(f.status) && (SEVERITY_RANK[f.severity] >= min || (f.status === 'unknown' && f.ruleId in FAIL_CLOSED_CHECKS))));
}
