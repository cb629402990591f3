import { SEVERITIES, type Severity } from '../rules/types.js';
import type { AuditSummary } from './types.js';

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

/** Decide whether the audit fails the policy (exit code 1). */
export function evaluateGate(inputs: GateInputs, policy: GatePolicy): GateResult {
  const { summary } = inputs;
  const reasons: string[] = [];
  if (policy.failOnNew) {
    // Adopting on a dirty fleet: only regressions since the baseline fail the run.
    if (policy.failOn !== 'none') {
      const threshold = SEVERITIES.indexOf(policy.failOn);
      const n = (inputs.newFailures ?? []).filter((f) => SEVERITIES.indexOf(f.severity as Severity) <= threshold).length;
      if (n > 0) reasons.push(`${n} new failing finding${n === 1 ? '' : 's'} at or above ${policy.failOn} since the baseline`);
    }
    const unknownNew = inputs.newUnknownHosts?.length ?? 0;
    if (!policy.allowUnknown && unknownNew > 0) reasons.push(`${unknownNew} host${unknownNew === 1 ? '' : 's'} with checks that cannot be judged (unknown) since the baseline`);
    if (policy.failOnStaleWaivers && (inputs.staleWaivers ?? 0) > 0) reasons.push(`${inputs.staleWaivers} expired or unused waiver${inputs.staleWaivers === 1 ? '' : 's'}`);
    return { failed: reasons.length > 0, reasons };
  }
  if (policy.failOnStaleWaivers && (inputs.staleWaivers ?? 0) > 0) reasons.push(`${inputs.staleWaivers} expired or unused waiver${inputs.staleWaivers === 1 ? '' : 's'}`);
  if (policy.failOn !== 'none') {
    const threshold = SEVERITIES.indexOf(policy.failOn);
    const failing = SEVERITIES.filter((_, i) => i <= threshold).reduce((n, s) => n + summary.failuresBySeverity[s], 0);
    if (failing > 0) reasons.push(`${failing} failing finding${failing === 1 ? '' : 's'} at or above ${policy.failOn}`);
  }
  if (!policy.allowUnknown) {
    if (summary.unknown > 0) reasons.push(`${summary.unknown} host${summary.unknown === 1 ? '' : 's'} could not be judged (unknown)`);
    // A host failing a lesser check may still have checks the policy cares about that could not be
    // judged: it cannot pass on them, whatever else it fails.
    const partly = summary.nonCompliantPartlyUnknown ?? 0;
    if (partly > 0) reasons.push(`${partly} non-compliant host${partly === 1 ? ' has' : 's have'} checks that could not be judged (unknown)`);
    if (summary.rejectedRows > 0) reasons.push(`${summary.rejectedRows} row${summary.rejectedRows === 1 ? '' : 's'} rejected`);
  }
  return { failed: reasons.length > 0, reasons };
}
