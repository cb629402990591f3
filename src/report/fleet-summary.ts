import { checkTitle } from '../evaluation/checks.js';
import type { Finding, HostResult, HostStatus } from '../evaluation/types.js';
import type { OsInfo } from '../inventory/types.js';
import { SEVERITIES, SEVERITY_RANK, type Severity } from '../rules/types.js';
import { terminalSafe } from './sanitize.js';
import type { AuditReport } from './types.js';

/**
 * The fleet at a glance, for the human formats (table, markdown, html): how compliant each site and
 * product is, what fails, and which few actions would remove the most failing findings.
 * A pure function of the audit result. Values are raw (inventory text included): each renderer
 * escapes for its own output.
 */

export interface GroupCompliance {
  /** Site name or product label ("(no site)", "(unrecognised OS)" when missing). */
  name: string;
  hosts: number;
  compliant: number;
  nonCompliant: number;
  unknown: number;
  /** Percent compliant, one decimal, rounded down (so 100 only when every host complies); null for no hosts. */
  compliance: number | null;
}

export interface RuleFailures {
  ruleId: string;
  title: string;
  severity: Severity;
  fail: number;
  unknown: number;
  warn: number;
  waived: number;
  pass: number;
  notApplicable: number;
}

export interface RemediationAction {
  /** The action in words, with its host count: "Upgrade or retire 48 Windows XP hosts". */
  text: string;
  kind: 'upgrade-or-retire' | 'remediate';
  /** Product label the action is about ("Windows 10 22H2"). */
  product: string;
  ruleIds: string[];
  hosts: number;
  /** Failing findings the action removes. */
  findings: number;
  /** Worst severity among those findings. */
  severity: Severity;
}

export interface FleetSummary {
  hosts: number;
  compliant: number;
  nonCompliant: number;
  unknown: number;
  compliance: number | null;
  /** Worst first (most non-compliant hosts). Empty when the report carries no hosts (streaming). */
  bySite: GroupCompliance[];
  byProduct: GroupCompliance[];
  byRule: RuleFailures[];
  failuresBySeverity: Record<Severity, number>;
  /** Ranked by failing findings removed, then text. Empty when the report carries no hosts. */
  topRemediations: RemediationAction[];
}


export const NO_SITE = '(no site)';
export const UNRECOGNISED_OS = '(unrecognised OS)';
export const NO_OS_DATA = '(no OS data)';

/** Floor to one decimal: rounding would show "100.0%" for 1999 of 2000 hosts, which overstates compliance. */
export function compliancePercent(compliant: number, hosts: number): number | null {
  if (hosts === 0) return null;
  return Math.floor((1000 * compliant) / hosts) / 10;
}

/**
 * A share of hosts as every format prints it: floored as compliancePercent, and "<0.1%" rather than
 * "0.0%" for a share that is not nothing (one failing host in 2,000 is not none).
 */
export function sharePercent(n: number, of: number): string {
  const p = compliancePercent(n, of);
  if (p === null) return '–';
  return p === 0 && n > 0 ? '<0.1%' : `${p.toFixed(1)}%`;
}

/** Product name for grouping: canonical product, or a marker when the OS was not recognised. */
export function productName(os: OsInfo): string {
  if (os.product) return os.product;
  return os.raw ? UNRECOGNISED_OS : NO_OS_DATA;
}

/** Product with its release ("Windows 10 22H2"): end of support and fixes often differ per release. */
export function productLabel(os: OsInfo): string {
  return os.product && os.release ? `${os.product} ${os.release}` : productName(os);
}

/** Plain code-unit comparison: localeCompare would depend on the ICU data of the machine. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function groupBy(hosts: HostResult[], key: (h: HostResult) => string): GroupCompliance[] {
  const groups = new Map<string, GroupCompliance>();
  for (const h of hosts) {
    const name = key(h);
    let g = groups.get(name);
    if (!g) {
      g = { name, hosts: 0, compliant: 0, nonCompliant: 0, unknown: 0, compliance: null };
      groups.set(name, g);
    }
    g.hosts++;
    const st: HostStatus = h.status;
    if (st === 'compliant') g.compliant++;
    else if (st === 'non-compliant') g.nonCompliant++;
    else g.unknown++;
  }
  const out = [...groups.values()];
  for (const g of out) g.compliance = compliancePercent(g.compliant, g.hosts);
  // Worst first: where the work is. Ties by size then name keep the order stable.
  return out.sort((a, b) => b.nonCompliant - a.nonCompliant || b.unknown - a.unknown || b.hosts - a.hosts || cmp(a.name, b.name));
}

function ruleRows(report: AuditReport): RuleFailures[] {
  const rows: RuleFailures[] = [];
  const seen = new Set<string>();
  for (const l of report.rules) {
    const c = report.summary.byRule[l.rule.id];
    seen.add(l.rule.id);
    rows.push({
      ruleId: l.rule.id,
      title: l.rule.title,
      severity: l.rule.severity,
      fail: c?.fail ?? 0,
      unknown: c?.unknown ?? 0,
      warn: c?.warn ?? 0,
      waived: c?.waived ?? 0,
      pass: c?.pass ?? 0,
      notApplicable: c?.notApplicable ?? 0,
    });
  }
  // The fail-closed checks the evaluator adds (DATA-CONFLICT, COVERAGE) come after, by id.
  for (const id of Object.keys(report.summary.byRule).filter((i) => !seen.has(i)).sort(cmp)) {
    const c = report.summary.byRule[id];
    rows.push({ ruleId: id, title: checkTitle(id), severity: 'info', fail: c.fail, unknown: c.unknown, warn: c.warn, waived: c.waived, pass: c.pass, notApplicable: c.notApplicable });
  }
  return rows;
}

const IMPERATIVE = /^(?:install|fix|upgrade|apply|update|enable|disable|remove|replace|retire|patch|set|add|deploy|migrate|uninstall|configure|enrol|enroll|move)\b/i;

/** Drop the sentence's end and a trailing "and reboot": the count reads after the action, not after the reboot. */
function trimAction(s: string): string {
  return s.replace(/[.!?]+$/, '').replace(/,?\s+(?:and|then)\s+(?:restart|reboot)(?:\s+the\s+(?:machine|host|computer))?$/i, '');
}

/**
 * The action a remediation asks for: its first sentence that is an instruction ("Install …",
 * "Retire …"), cut at a semicolon, or null when no sentence is one.
 */
function instruction(text: string): string | null {
  const sentences = text.replace(/\s+/g, ' ').trim().split(/(?<=[.!?])\s+(?=[A-Z(])/);
  for (const s of sentences) if (IMPERATIVE.test(s)) return trimAction(s.split(';')[0].trim());
  return null;
}

/** "Install KB4012212 … on 34 Windows 7 hosts (MS17-010)", or "On 4 Windows XP hosts (MS17-010): No update exists …" when no sentence is a plain instruction. */
function remediationText(remediation: string | null, ruleId: string, hosts: number, product: string): string {
  const where = plural(hosts, `${product} host`);
  if (!remediation) return `Fix ${ruleId} on ${where}`;
  const action = instruction(remediation);
  if (action) return `${action} on ${where} (${ruleId})`;
  const first = remediation.replace(/\s+/g, ' ').trim().split(/(?<=[.!?])\s+(?=[A-Z(])/)[0];
  return `On ${where} (${ruleId}): ${trimAction(first)}`;
}

interface ActionAcc {
  kind: RemediationAction['kind'];
  product: string;
  remediation: string | null;
  ruleIds: Set<string>;
  hosts: Set<HostResult>;
  findings: number;
  severity: Severity;
}

/**
 * Group the failing findings into actions. A host failing an end-of-support rule is counted under
 * "Upgrade or retire" for its product, and that one action removes every failing finding of the
 * host (an upgraded or retired machine fails nothing). Each failing patch finding is also counted
 * under its own fix (rule, product/release, remediation text), because patching is the faster step
 * on a machine that cannot be replaced this week; so the two kinds of action overlap by design and
 * their counts are each "what this action alone removes".
 */
function remediations(report: AuditReport): RemediationAction[] {
  const eosRules = new Set(report.rules.filter((l) => l.rule.kind === 'end-of-support').map((l) => l.rule.id));
  const acc = new Map<string, ActionAcc>();
  const add = (key: string, init: () => ActionAcc, host: HostResult, ruleIds: string[], findings: Finding[]) => {
    let a = acc.get(key);
    if (!a) {
      a = init();
      acc.set(key, a);
    }
    a.hosts.add(host);
    for (const id of ruleIds) a.ruleIds.add(id);
    a.findings += findings.length;
    for (const f of findings) if (SEVERITY_RANK[f.severity] > SEVERITY_RANK[a.severity]) a.severity = f.severity;
  };

  for (const h of report.hosts) {
    const failing = h.findings.filter((f) => f.status === 'fail');
    if (failing.length === 0) continue;
    const label = productLabel(h.os);
    const eos = failing.filter((f) => eosRules.has(f.ruleId));
    if (eos.length > 0) {
      add(`eos\u0000${label}`, () => ({ kind: 'upgrade-or-retire', product: label, remediation: null, ruleIds: new Set(), hosts: new Set(), findings: 0, severity: 'info' }), h, eos.map((f) => f.ruleId), failing);
    }
    for (const f of failing) {
      if (eosRules.has(f.ruleId)) continue;
      const key = `fix\u0000${f.ruleId}\u0000${label}\u0000${f.remediation ?? ''}`;
      add(key, () => ({ kind: 'remediate', product: label, remediation: f.remediation, ruleIds: new Set(), hosts: new Set(), findings: 0, severity: 'info' }), h, [f.ruleId], [f]);
    }
  }

  const actions: RemediationAction[] = [...acc.values()].map((a) => {
    const ruleIds = [...a.ruleIds].sort(cmp);
    const n = a.hosts.size;
    const text = a.kind === 'upgrade-or-retire' ? `Upgrade or retire ${plural(n, `${a.product} host`)}` : remediationText(a.remediation, ruleIds[0], n, a.product);
    return { text, kind: a.kind, product: a.product, ruleIds, hosts: n, findings: a.findings, severity: a.severity };
  });
  // Most findings removed first; equal counts by text so the ranking never depends on input order.
  return actions.sort((a, b) => b.findings - a.findings || b.hosts - a.hosts || cmp(a.text, b.text));
}

export function fleetSummary(report: AuditReport): FleetSummary {
  const s = report.summary;
  const failuresBySeverity = Object.fromEntries(SEVERITIES.map((sev) => [sev, s.failuresBySeverity[sev] ?? 0])) as Record<Severity, number>;
  return {
    hosts: s.hosts,
    compliant: s.compliant,
    nonCompliant: s.nonCompliant,
    unknown: s.unknown,
    compliance: compliancePercent(s.compliant, s.hosts),
    bySite: groupBy(report.hosts, (h) => (h.site && h.site.trim() ? h.site : NO_SITE)),
    byProduct: groupBy(report.hosts, (h) => productName(h.os)),
    byRule: ruleRows(report),
    failuresBySeverity,
    topRemediations: remediations(report),
  };
}

export interface SummarySection {
  title: string;
  lines: string[];
}

export interface SummaryTextOptions {
  /** Escape applied to every line for the target format (escapeHtml, a Markdown escape, ...); default terminalSafe. */
  escape?: (s: string) => string;
  /** Most items per list (sites, products, remediations); default 10. */
  limit?: number;
}

/**
 * The summary as titled plain-text lists. Lines contain no markup of their own, so a renderer only
 * has to escape them (the escape is applied to the whole line, inventory text included) and wrap
 * them in its list syntax.
 */
export function fleetSummarySections(summary: FleetSummary, opts: SummaryTextOptions = {}): SummarySection[] {
  const esc = opts.escape ?? terminalSafe;
  const limit = opts.limit ?? 10;
  const sections: SummarySection[] = [];
  const more = (n: number, what: string) => `… and ${n} more ${what}`;

  sections.push({
    title: 'Compliance',
    lines: [
      `${plural(summary.hosts, 'host')}: ${summary.compliant} compliant (${sharePercent(summary.compliant, summary.hosts)}), ${summary.nonCompliant} non-compliant, ${summary.unknown} unknown`,
    ].map(esc),
  });

  const sev = SEVERITIES.filter((x) => summary.failuresBySeverity[x] > 0).map((x) => `${x} ${summary.failuresBySeverity[x]}`);
  sections.push({
    title: 'Failures by rule',
    lines: [
      ...summary.byRule.filter((r) => r.fail + r.unknown + r.warn + r.waived > 0).map((r) => `${r.ruleId} (${r.severity}): ${r.fail} fail, ${r.unknown} unknown, ${r.warn} warn, ${r.waived} waived`),
      `By severity: ${sev.length > 0 ? sev.join(', ') : 'no failing findings'}`,
    ].map(esc),
  });

  if (summary.topRemediations.length > 0) {
    const top = summary.topRemediations.slice(0, limit).map((a) => `${a.text}: removes ${plural(a.findings, 'failing finding')}`);
    if (summary.topRemediations.length > limit) top.push(more(summary.topRemediations.length - limit, 'actions'));
    sections.push({ title: 'Top remediations', lines: top.map(esc) });
  }

  const groupLines = (groups: GroupCompliance[], what: string) => {
    const lines = groups.slice(0, limit).map((g) => `${g.name}: ${sharePercent(g.compliant, g.hosts)} compliant (${g.compliant}/${g.hosts}; ${g.nonCompliant} non-compliant, ${g.unknown} unknown)`);
    if (groups.length > limit) lines.push(more(groups.length - limit, what));
    return lines.map(esc);
  };
  if (summary.bySite.length > 0) sections.push({ title: 'By site', lines: groupLines(summary.bySite, 'sites') });
  if (summary.byProduct.length > 0) sections.push({ title: 'By product', lines: groupLines(summary.byProduct, 'products') });
  return sections;
}

/** The sections as an indented plain-text block (for the terminal table and text logs). */
export function renderFleetSummaryText(summary: FleetSummary, opts: SummaryTextOptions = {}): string {
  const out: string[] = [];
  for (const sec of fleetSummarySections(summary, opts)) {
    out.push(sec.title);
    for (const l of sec.lines) out.push(`  - ${l}`);
  }
  return out.join('\n') + '\n';
}
