import { evaluateGate, findingFailsGate, rejectedRowsFailGate, staleWaiversFailGate } from '../evaluation/gate.js';
import type { Finding, HostResult } from '../evaluation/types.js';
import { hostKey } from '../inventory/hosts.js';
import type { AuditReport, GateVerdict } from './types.js';

/**
 * The gate's verdict as reports use it: the run's exit code and reasons, and which findings, rejected rows
 * and waivers made it fail, so a CI system reading only one report judges the run as the exit code does.
 */
export interface ReportVerdict extends GateVerdict {
  failed: boolean;
  /** Whether this finding of this host counts against the policy. */
  findingFails(host: HostResult, finding: Finding): boolean;
  /** Rejected rows fail the run (and there are some). */
  rejectedRowsFail: boolean;
  /** Expired or unused waivers fail the run (and there are some). */
  staleWaiversFail: boolean;
  /** Expired, then unused waivers. */
  staleWaivers: NonNullable<AuditReport['waivers']>['unused'];
}

export function reportVerdict(report: AuditReport): ReportVerdict {
  const staleWaivers = report.waivers ? [...report.waivers.expired, ...report.waivers.unused] : [];
  const gate: GateVerdict = report.gate ?? defaultGate(report, staleWaivers.length);
  const { policy } = gate;
  const newUnknown = policy.failOnNew ? new Set((report.baseline?.newUnknownHosts ?? []).map(hostKey)) : null;
  return {
    ...gate,
    failed: gate.exitCode !== 0,
    findingFails: (h, f) => findingFailsGate(f, policy, newUnknown !== null && f.status === 'unknown' && newUnknown.has(hostKey(h.hostname))),
    rejectedRowsFail: rejectedRowsFailGate(policy) && report.summary.rejectedRows > 0,
    staleWaiversFail: staleWaiversFailGate(policy) && staleWaivers.length > 0,
    staleWaivers,
  };
}

/** A report made without the CLI's verdict: the default policy at its --fail-on. */
function defaultGate(report: AuditReport, staleWaivers: number): GateVerdict {
  const policy = { failOn: report.failOn, allowUnknown: false };
  const r = evaluateGate({ summary: report.summary, staleWaivers }, policy);
  return { exitCode: r.failed ? 1 : 0, reasons: r.reasons, policy };
}

/**
 * What the policy lets pass without failing the run, for a passing verdict's reader ("Policy passed" on a
 * fleet of failing hosts under --fail-on none must not read as a clean fleet).
 */
export function lenience(policy: GateVerdict['policy']): string[] {
  const out: string[] = [];
  if (policy.failOn === 'none') out.push('--fail-on none: failing findings do not fail the run');
  else if (policy.failOn !== 'info' && policy.failOn !== 'low') out.push(`--fail-on ${policy.failOn}: failing findings below ${policy.failOn} do not fail the run`);
  if (policy.allowUnknown) out.push('--allow-unknown: unknown hosts and rejected rows do not fail the run');
  if (policy.failOnNew) out.push('--fail-on-new: only failures new since the baseline fail the run');
  return out;
}
