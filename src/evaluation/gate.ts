import { SEVERITIES, type Severity } from '../rules/types.js';
import type { AuditSummary, Finding } from './types.js';

export interface GatePolicy {
  /** Fail on a failing finding at or above this severity; 'none' never fails on findings. */
  failOn: Severity | 'none';
  /** Do not fail on unknown hosts or rejected rows. */
  allowUnknown: boolean;
  /** With a baseline: fail only on failing findings that are new since it. */
  failOnNew?: boolean;
  /** Fail when a waiver expired or matched nothing. */
  failOnStaleWaivers?: boolean;
}

export interface GateInputs {
  summary: AuditSummary;
  newFailures?: { severity: string }[] | null;
  /** Hosts with a check that cannot be judged now and was not unknown in the baseline (added or changed). */
  newUnknownHosts?: string[] | null;
  staleWaivers?: number;
}

export interface GateResult {
  failed: boolean;
  reasons: string[];
}

/** A failing finding of this severity counts against the policy (at or above --fail-on). */
function atOrAbove(policy: GatePolicy, severity: string): boolean {
  const i = SEVERITIES.indexOf(severity as Severity);
  return policy.failOn !== 'none' && i >= 0 && i <= SEVERITIES.indexOf(policy.failOn);
}

/**
 * Whether one finding fails the run under the policy, for reports that show each finding as the gate
 * judges it (JUnit). `newUnknownHost`: with --fail-on-new, whether the host is one of the baseline
 * comparison's newUnknownHosts. evaluateGate counts with the same predicates, so the two agree.
 */
export function findingFailsGate(f: Pick<Finding, 'status' | 'severity' | 'change'>, policy: GatePolicy, newUnknownHost = false): boolean {
  if (f.status === 'fail') return atOrAbove(policy, f.severity) && (!policy.failOnNew || f.change === 'new');
  // Without a baseline every unknown finding counts: its host is unknown, or non-compliant with a
  // check that could not be judged (nonCompliantPartlyUnknown).
  if (f.status === 'unknown') return !policy.allowUnknown && (!policy.failOnNew || newUnknownHost);
  return false;
}

/** Whether rejected inventory rows fail the run (not with --allow-unknown, nor with --fail-on-new). */
export function rejectedRowsFailGate(policy: GatePolicy): boolean {
  return !policy.allowUnknown && !policy.failOnNew;
}

/** Whether expired or unused waivers fail the run (--fail-on-stale-waivers). */
export function staleWaiversFailGate(policy: GatePolicy): boolean {
  return Boolean(policy.failOnStaleWaivers);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Decide whether the audit fails the policy (exit code 1). */
export function evaluateGate(inputs: GateInputs, policy: GatePolicy): GateResult {
  const { summary } = inputs;
  const reasons: string[] = [];
  const stale = inputs.staleWaivers ?? 0;
  if (policy.failOnNew) {
    // Adopting on a dirty fleet: only regressions since the baseline fail the run.
    const n = (inputs.newFailures ?? []).filter((f) => findingFailsGate({ status: 'fail', severity: f.severity as Severity, change: 'new' }, policy)).length;
    if (n > 0) reasons.push(`${plural(n, 'new failing finding')} at or above ${policy.failOn} since the baseline`);
    const unknownNew = inputs.newUnknownHosts?.length ?? 0;
    if (unknownNew > 0 && findingFailsGate({ status: 'unknown', severity: 'info' }, policy, true)) reasons.push(`${plural(unknownNew, 'host')} with checks that cannot be judged (unknown) since the baseline`);
    if (staleWaiversFailGate(policy) && stale > 0) reasons.push(`${plural(stale, 'expired or unused waiver')}`);
    return { failed: reasons.length > 0, reasons };
  }
  if (staleWaiversFailGate(policy) && stale > 0) reasons.push(`${plural(stale, 'expired or unused waiver')}`);
  const failing = SEVERITIES.filter((s) => findingFailsGate({ status: 'fail', severity: s }, policy)).reduce((n, s) => n + summary.failuresBySeverity[s], 0);
  if (failing > 0) reasons.push(`${plural(failing, 'failing finding')} at or above ${policy.failOn}`);
  if (findingFailsGate({ status: 'unknown', severity: 'info' }, policy)) {
    if (summary.unknown > 0) reasons.push(`${plural(summary.unknown, 'host')} could not be judged (unknown)`);
    // A host failing a lesser check may still have checks the policy cares about that could not be
    // judged: it cannot pass on them, whatever else it fails.
    const partly = summary.nonCompliantPartlyUnknown ?? 0;
    if (partly > 0) reasons.push(`${partly} non-compliant host${partly === 1 ? ' has' : 's have'} checks that could not be judged (unknown)`);
  }
  if (rejectedRowsFailGate(policy) && summary.rejectedRows > 0) reasons.push(`${plural(summary.rejectedRows, 'row')} rejected`);
  return { failed: reasons.length > 0, reasons };
}
