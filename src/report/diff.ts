import type { DiffResult } from '../evaluation/diff.js';
import { csvCell } from './csv.js';
import { escapeMarkdown } from './markdown.js';
import { terminalSafe } from './sanitize.js';

export type DiffFormat = 'table' | 'json' | 'markdown' | 'csv';
export const DIFF_FORMATS: DiffFormat[] = ['table', 'json', 'markdown', 'csv'];

/** Render a report comparison in one of the diff formats. */
export function renderDiff(d: DiffResult, format: DiffFormat): string {
  if (format === 'json') return JSON.stringify({ schemaVersion: 1, ...d }, null, 2) + '\n';
  if (format === 'csv') {
    const rows = ['change,hostname,ruleId,from,to'];
    for (const x of d.newFailures) rows.push(['new-failure', csvCell(x.hostname), csvCell(x.ruleId), '', 'fail'].join(','));
    for (const x of d.newUnknown) rows.push(['new-unknown', csvCell(x.hostname), csvCell(x.ruleId), csvCell(x.from === 'absent' ? '' : x.from), 'unknown'].join(','));
    for (const x of d.resolved) rows.push(['resolved', csvCell(x.hostname), csvCell(x.ruleId), 'fail', ''].join(','));
    for (const x of d.changed) rows.push(['changed', csvCell(x.hostname), csvCell(x.ruleId), csvCell(x.from), csvCell(x.to)].join(','));
    for (const h of d.hostsAdded) rows.push(['host-added', csvCell(h), '', '', ''].join(','));
    for (const h of d.hostsRemoved) rows.push(['host-removed', csvCell(h), '', '', ''].join(','));
    return rows.join('\r\n') + '\r\n';
  }
  const md = format === 'markdown';
  const esc = md ? (t: string) => escapeMarkdown(t) : terminalSafe;
  const out: string[] = [];
  out.push(md ? `## patchaudit: changes from ${d.old.asOf ?? '?'} to ${d.new.asOf ?? '?'}` : `patchaudit diff: ${terminalSafe(d.old.file)} (${d.old.asOf ?? '?'}, ${d.old.hosts} hosts) → ${terminalSafe(d.new.file)} (${d.new.asOf ?? '?'}, ${d.new.hosts} hosts)`);
  out.push('');
  const section = (title: string, items: string[]) => {
    out.push(md ? `### ${title} (${items.length})` : `${title} (${items.length})`);
    for (const i of items.slice(0, md ? 100 : items.length)) out.push(md ? `- ${i}` : `  ${i}`);
    if (md && items.length > 100) out.push(`- … and ${items.length - 100} more`);
    out.push('');
  };
  section('New failures', d.newFailures.map((x) => `${esc(x.hostname)} ${esc(x.ruleId)}`));
  section('Cannot be judged now', d.newUnknown.map((x) => `${esc(x.hostname)} ${esc(x.ruleId)}${x.from === 'absent' ? '' : `: ${esc(x.from)} → unknown`}`));
  section('Resolved', d.resolved.map((x) => `${esc(x.hostname)} ${esc(x.ruleId)}`));
  section('Other changes', d.changed.map((x) => `${esc(x.hostname)} ${esc(x.ruleId)}: ${esc(x.from)} → ${esc(x.to)}`));
  section('Hosts added', d.hostsAdded.map(esc));
  section('Hosts removed', d.hostsRemoved.map(esc));
  return out.join('\n');
}
