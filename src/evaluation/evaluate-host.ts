import type { Host } from '../inventory/types.js';
import { SEVERITIES, type LoadedRule } from '../rules/types.js';
import { compileRule, type CompiledRule, type EvaluationContext } from './evaluate-rules.js';
import { ruleTraits, scoreHost, type RuleTraits } from './risk.js';
import type { WaiverSet } from './waivers.js';
import type { AuditSummary, Finding, HostResult, HostStatus, RuleCounts } from './types.js';

/** Rules compiled once for a run, with what the risk score needs to know about them. */
export interface CompiledRuleSet {
  rules: CompiledRule[];
  traits: Map<string, RuleTraits>;
  ctx: EvaluationContext;
  waivers: WaiverSet | null;
}

export function compileRuleSet(loaded: LoadedRule[], ctx: EvaluationContext, waivers: WaiverSet | null = null): CompiledRuleSet {
  const rules = loaded.map((l) => compileRule(l, ctx));
  const traits = new Map(rules.map((r) => [r.rule.id, ruleTraits(r.rule.tags, r.rule.id, r.rule.title)]));
  return { rules, traits, ctx, waivers };
}

/** Host status: non-compliant if any finding fails, else unknown if any is unknown (or no rule applies), else compliant. */
export function hostStatus(findings: Finding[]): HostStatus {
  let unknown = false;
  let applicable = false;
  for (const f of findings) {
    if (f.status === 'fail') return 'non-compliant';
    if (f.status === 'unknown') unknown = true;
    if (f.status !== 'not-applicable') applicable = true;
  }
  if (unknown || !applicable) return 'unknown';
  return 'compliant';
}

export function evaluateHost(host: Host, set: CompiledRuleSet): HostResult {
  const findings = set.rules.map((r) => r.evaluate(host));
  if (findings.length > 0 && findings.every((f) => f.status === 'not-applicable')) {
    // Fail closed: a host no rule can judge is not compliant, it is unknown.
    findings.push({
      ruleId: 'COVERAGE',
      status: 'unknown',
      severity: 'info',
      evidence: [`no rule covers ${host.os.product ?? 'this OS'}; nothing was checked`],
      remediation: 'Audit this host with rules for its platform (--rules FILE).',
      decidedBy: 'coverage',
    });
  }
  set.waivers?.apply(host, findings);
  return finishHost(host, findings, set);
}

/** Status, risk and display fields for a host whose findings are final (after waivers). */
export function finishHost(host: Host, findings: Finding[], set: CompiledRuleSet): HostResult {
  return {
    hostname: host.hostname,
    sources: host.sources,
    os: host.os,
    status: hostStatus(findings),
    findings,
    risk: scoreHost(host, findings, set.traits),
    site: host.fields.site || null,
    lastPatchDate: host.fields.last_patch_date || null,
    kbCount: host.kbs.size,
    columns: host.columns,
    host,
  };
}

const STATUS_ORDER: Record<HostStatus, number> = { 'non-compliant': 0, unknown: 1, compliant: 2 };

/** Worst first: risk score, then status, then hostname (stable and deterministic). */
export function compareHostResults(a: HostResult, b: HostResult): number {
  return b.risk.score - a.risk.score || STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || (a.hostname < b.hostname ? -1 : a.hostname > b.hostname ? 1 : 0);
}

function emptyCounts(): RuleCounts {
  return { pass: 0, fail: 0, warn: 0, unknown: 0, notApplicable: 0, waived: 0 };
}

/** Running totals, updated host by host so streaming outputs need not keep hosts. */
export class SummaryBuilder {
  readonly summary: AuditSummary;

  constructor(ruleIds: string[]) {
    this.summary = {
      hosts: 0,
      compliant: 0,
      nonCompliant: 0,
      unknown: 0,
      rejectedRows: 0,
      rowsRead: 0,
      rowsAudited: 0,
      byRule: Object.fromEntries(ruleIds.map((id) => [id, emptyCounts()])),
      failuresBySeverity: Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as AuditSummary['failuresBySeverity'],
    };
  }

  addHost(h: HostResult): void {
    const s = this.summary;
    s.hosts++;
    if (h.status === 'compliant') s.compliant++;
    else if (h.status === 'non-compliant') s.nonCompliant++;
    else s.unknown++;
    for (const f of h.findings) {
      const c = (s.byRule[f.ruleId] ??= emptyCounts());
      if (f.status === 'not-applicable') c.notApplicable++;
      else c[f.status]++;
      if (f.status === 'fail') s.failuresBySeverity[f.severity]++;
    }
  }
}
