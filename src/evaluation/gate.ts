import { SEVERITIES, type Severity } from '../rules/types.js';
import type { AuditSummary } from './types.js';

export interface GatePolicy {
  /** Fail on a failing finding at or above this severity; 'none' never fails on findings. */
  failOn: Severity | 'none';
  /** Do not fail on unknown hosts or rejected rows. */
  allowUnknown: boolean;
}

export interface GateResult {
  failed: boolean;
  reasons: string[];
}

/** Decide whether the audit fails the policy (exit code 1). */
export function evaluateGate(summary: AuditSummary, policy: GatePolicy): GateResult {
  const reasons: string[] = [];
  if (policy.failOn !== 'none') {
    const threshold = SEVERITIES.indexOf(policy.failOn);
    const failing = SEVERITIES.filter((_, i) => i <= threshold).reduce((n, s) => n + summary.failuresBySeverity[s], 0);
    if (failing > 0) reasons.push(`${failing} failing finding${failing === 1 ? '' : 's'} at or above ${policy.failOn}`);
  }
  if (!policy.allowUnknown) {
    if (summary.unknown > 0) reasons.push(`${summary.unknown} host${summary.unknown === 1 ? '' : 's'} could not be judged (unknown)`);
    if (summary.rejectedRows > 0) reasons.push(`${summary.rejectedRows} row${summary.rejectedRows === 1 ? '' : 's'} rejected`);
  }
  return { failed: reasons.length > 0, reasons };
}
