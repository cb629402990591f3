import { FAIL_CLOSED_CHECKS } from './checks.js';
import type { Host } from '../inventory/types.js';
import { SEVERITIES, type LoadedRule } from '../rules/types.js';
import { compileRule, hostCell, hostValue, type CompiledRule, type EvaluationContext } from './evaluate-rules.js';
import { ruleTraits, scoreHost, type RuleTraits } from './risk.js';
import type { WaiverSet } from './waivers.js';
import type { AuditSummary, Finding, HostResult, HostStatus, RuleCounts } from './types.js';

/** Rules compiled once for a run, with what the risk score needs to know about them. */
export interface CompiledRuleSet {
  rules: CompiledRule[];
  traits: Map<string, RuleTraits>;
  ctx: EvaluationContext;
  waivers: WaiverSet | null;
  /** Host fields any rule reads (besides OS and KBs): part of the memo key. */
  readsFields: string[];
  /** KBs any rule mentions (fix KBs, rollups, known non-fixes): only these can change a verdict… */
  relevantKbs: Set<string>;
  /** …besides a KB newer than a rollup catalog's data (above one of these numbers). */
  kbThresholds: number[];
  /** Findings per distinct (OS, relevant KBs, fields): fleets repeat the same few combinations. */
  memo: WeakMap<object, Map<string, Finding[]>>;
  memoSize: number;
  /** Whether a KB can change a verdict (see kbsThatMatter), per KB name: hosts list the same few thousand. */
  kbMatters: Map<string, boolean>;
}

export function compileRuleSet(loaded: LoadedRule[], ctx: EvaluationContext, waivers: WaiverSet | null = null): CompiledRuleSet {
  const rules = loaded.map((l) => compileRule(l, ctx));
  const traits = new Map(rules.map((r) => [r.rule.id, ruleTraits(r.rule.tags, r.rule.id, r.rule.title)]));
  const readsFields = new Set<string>();
  const relevantKbs = new Set<string>();
  const thresholds = new Set<number>();
  for (const r of rules) {
    for (const f of r.readsFields) readsFields.add(f);
    for (const kb of r.relevantKbs) relevantKbs.add(kb);
    for (const t of r.kbThresholds) thresholds.add(t);
  }
  return { rules, traits, ctx, waivers, readsFields: [...readsFields], relevantKbs, kbThresholds: [...thresholds].sort((a, b) => a - b), memo: new WeakMap(), memoSize: 0, kbMatters: new Map() };
}

const MEMO_LIMIT = 100_000;

/** The number of a KB name ("KB4012212" → 4012212) without a substring and Number() per KB. */
function kbNumber(kb: string): number {
  let n = 0;
  for (let i = 2; i < kb.length; i++) {
    const d = kb.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number(kb.slice(2));
    n = n * 10 + d;
  }
  return n;
}

/**
 * The host's KBs that can change a finding, in the host's order: those rules name, and those newer than a
 * rollup catalog's data, which a catalog-gap finding names ("KB5034441 is newer than the rollup catalog").
 * Rules look at no other KB (besides counting them all).
 */
function kbsThatMatter(host: Host, set: CompiledRuleSet): string[] {
  const out: string[] = [];
  if (host.kbs.size === 0) return out;
  const lowest = set.kbThresholds.length > 0 ? set.kbThresholds[0] : Infinity;
  const cache = set.kbMatters;
  for (const kb of host.kbs) {
    let matters = cache.get(kb);
    if (matters === undefined) {
      if (cache.size >= KB_CACHE_LIMIT) cache.clear();
      cache.set(kb, (matters = kbNumber(kb) > lowest || set.relevantKbs.has(kb)));
    }
    if (matters) out.push(kb);
  }
  return out;
}

const KB_CACHE_LIMIT = 100_000;

/**
 * What a host's findings depend on besides its OS: the KBs that matter, as themselves and in the host's
 * order (evidence lists them in that order), so findings from the memo never name another machine's
 * updates; and the fields rules read.
 */
function memoKey(host: Host, set: CompiledRuleSet, kbs: string[]): string {
  // One join, not a string grown KB by KB: the key is flat when the memo hashes it.
  let key = `${host.kbEvidence ? 1 : 0}|${host.kbs.size}|${kbs.length}|${kbs.join(',')}`;
  // The evidence of an unknown patch check names the update cell that was not a list.
  if (host.updatesUnread !== undefined) key += `|u${host.updatesUnread.length}:${host.updatesUnread}`;
  // Each value with its length: cells may hold any character, the separator included.
  for (const f of set.readsFields) {
    const v = hostCell(host, f);
    // An empty cell and a missing column give different verdicts (min-version rules).
    key += v === undefined ? '|-' : `|${v.length}:${v}`;
  }
  // Updates listed as not installed are named in the evidence of the rules they fix.
  if (host.kbsNotInstalled) {
    for (const [kb, says] of host.kbsNotInstalled) if (set.relevantKbs.has(kb)) key += `|!${kb}:${says.length}:${says}`;
  }
  return key;
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

/**
 * Evaluate one host. Findings come from the memo when the same OS, relevant KBs and fields were seen
 * before; they are then shared between hosts, so they are copied when something will change them
 * (waivers, or `mutable` for a baseline comparison).
 */
export function evaluateHost(host: Host, set: CompiledRuleSet, mutable = false): HostResult {
  const kbs = kbsThatMatter(host, set);
  const key = memoKey(host, set, kbs);
  let byOs = set.memo.get(host.os);
  if (!byOs) set.memo.set(host.os, (byOs = new Map()));
  let findings = byOs.get(key);
  if (!findings) {
    findings = computeFindings(host, set, kbs);
    if (set.memoSize >= MEMO_LIMIT) {
      set.memo = new WeakMap();
      set.memoSize = 0;
    }
    set.memo.get(host.os)?.set(key, findings) ?? set.memo.set(host.os, new Map([[key, findings]]));
    set.memoSize++;
  }
  if (set.waivers || mutable || host.conflicts) {
    findings = copyFindings(findings);
    if (host.conflicts) {
      // Fail closed: contradictory rows for one machine may hide or fake its state. A patch or version
      // check that passes may pass on another machine's updates or cells (two machines under one name):
      // it is unknown. (An end-of-support verdict rests on the OS, which the rows agree on, or it is
      // unknown already.)
      for (let i = 0; i < set.rules.length; i++) {
        const f = findings[i];
        if (f.status !== 'pass' || set.rules[i].rule.kind === 'end-of-support') continue;
        f.status = 'unknown';
        f.decidedBy = 'conflict';
        f.evidence.unshift(CONFLICTED_PASS);
      }
      findings.push({
        ruleId: 'DATA-CONFLICT',
        status: 'unknown',
        severity: 'info',
        evidence: host.conflicts,
        remediation: FAIL_CLOSED_CHECKS['DATA-CONFLICT'].remediation,
        decidedBy: 'conflict',
      });
    }
    set.waivers?.apply(host, findings);
  }
  return finishHost(host, findings, set);
}

/** What a check that would pass says on a host whose rows disagree. */
export const CONFLICTED_PASS = "this host's rows disagree (see DATA-CONFLICT), so what passes here may rest on another machine's data: not counted as a pass";

/** Findings of one's own to change: the memo's are shared between hosts, and frozen. */
export function copyFindings(findings: readonly Finding[]): Finding[] {
  return findings.map((f) => ({ ...f, evidence: [...f.evidence] }));
}

function computeFindings(host: Host, set: CompiledRuleSet, kbs: string[]): Finding[] {
  const findings = set.rules.map((r) => r.evaluate(host, kbs));
  if (findings.length > 0 && findings.every((f) => f.status === 'not-applicable')) {
    // Fail closed: a host no rule can judge is not compliant, it is unknown.
    findings.push({
      ruleId: 'COVERAGE',
      status: 'unknown',
      severity: 'info',
      evidence: [`no rule covers ${host.os.product ?? 'this OS'}; nothing was checked`],
      remediation: FAIL_CLOSED_CHECKS.COVERAGE.remediation,
      decidedBy: 'coverage',
    });
  }
  return findings;
}

/** Status, risk and display fields for a host whose findings are final (after waivers). */
export function finishHost(host: Host, findings: Finding[], set: CompiledRuleSet): HostResult {
  return {
    hostname: host.hostname,
    sources: host.sources,
    os: host.os,
    status: hostStatus(findings),
    findings,
    risk: memoRisk(host, findings, set),
    site: host.fields.site || null,
    lastPatchDate: host.fields.last_patch_date || null,
    kbCount: host.kbs.size,
    columns: host.columns,
    host,
  };
}

const riskMemo = new WeakMap<Finding[], Map<string, HostResult['risk']>>();

/** The risk score depends on the findings and three exposure cells: shared between hosts that agree. */
const NO_RISK: HostResult['risk'] = Object.freeze({ score: 0, factors: [] }) as HostResult['risk'];

function memoRisk(host: Host, findings: Finding[], set: CompiledRuleSet): HostResult['risk'] {
  // Nothing failing or unknown: no score, whatever the exposure.
  if (!findings.some((f) => f.status === 'fail' || f.status === 'unknown')) return NO_RISK;
  const key = `${hostValue(host, 'internet_facing')}\u0001${hostValue(host, 'smb1_enabled')}\u0001${hostValue(host, 'rdp_exposed')}\u0001${hostValue(host, 'criticality')}\u0001${hostValue(host, 'role')}`;
  let byKey = riskMemo.get(findings);
  if (!byKey) riskMemo.set(findings, (byKey = new Map()));
  let risk = byKey.get(key);
  if (!risk) {
    risk = scoreHost(host, findings, set.traits);
    if (byKey.size < 1000) byKey.set(key, risk);
  }
  return risk;
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
      nonCompliantPartlyUnknown: 0,
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
    else if (h.status === 'non-compliant') {
      s.nonCompliant++;
      if (h.findings.some((f) => f.status === 'unknown')) s.nonCompliantPartlyUnknown = (s.nonCompliantPartlyUnknown ?? 0) + 1;
    } else s.unknown++;
    for (const f of h.findings) {
      const c = (s.byRule[f.ruleId] ??= emptyCounts());
      if (f.status === 'not-applicable') c.notApplicable++;
      else c[f.status]++;
      if (f.status === 'fail') s.failuresBySeverity[f.severity]++;
    }
  }

  /** Add the host counts of another builder (a worker's share of the hosts). */
  merge(other: AuditSummary): void {
    const s = this.summary;
    s.hosts += other.hosts;
    s.compliant += other.compliant;
    s.nonCompliant += other.nonCompliant;
    s.unknown += other.unknown;
    s.nonCompliantPartlyUnknown = (s.nonCompliantPartlyUnknown ?? 0) + (other.nonCompliantPartlyUnknown ?? 0);
    for (const [id, c] of Object.entries(other.byRule)) {
      const t = (s.byRule[id] ??= emptyCounts());
      for (const k of Object.keys(c) as (keyof RuleCounts)[]) t[k] += c[k];
    }
    for (const [sev, n] of Object.entries(other.failuresBySeverity)) s.failuresBySeverity[sev as keyof AuditSummary['failuresBySeverity']] += n;
  }
}
