import { promises as fsp } from 'node:fs';
import { AuditError } from '../errors.js';
import { hostKey } from '../inventory/hosts.js';
import type { Finding } from './types.js';

/** The parts of an earlier JSON report that a comparison needs. */
export interface BaselineHost {
  hostname: string;
  /** ruleId → finding status. */
  findings: Map<string, string>;
}

export interface Baseline {
  file: string;
  asOf: string | null;
  hosts: Map<string, BaselineHost>;
}

export interface BaselineComparison {
  /** Failing before, passing (or no longer applicable) now. */
  resolved: { hostname: string; ruleId: string }[];
  /** Failing before, unknown or waived now: not fixed, not failing either. */
  noLongerFailing: { hostname: string; ruleId: string; status: string }[];
  hostsAdded: string[];
  hostsRemoved: string[];
  /** Failing findings now that did not fail before. */
  newFailures: { hostname: string; ruleId: string; severity: string }[];
  /** Hosts added since the baseline that cannot be judged (unknown). */
  newUnknownHosts: string[];
}

export class BaselineError extends AuditError {}

/** Read a JSON report written by `audit --format json` (schemaVersion 1). */
export async function loadBaseline(file: string): Promise<Baseline> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (err) {
    throw new BaselineError(`${file}: cannot read baseline (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return parseBaseline(file, text);
}

export function parseBaseline(file: string, text: string): Baseline {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new BaselineError(`${file}: not a patchaudit JSON report (invalid JSON: ${(err as Error).message.split('\n')[0]})`);
  }
  const d = doc as { schemaVersion?: unknown; hosts?: unknown; asOf?: unknown };
  if (!d || typeof d !== 'object' || Array.isArray(d)) throw new BaselineError(`${file}: not a patchaudit JSON report (expected an object)`);
  if (d.schemaVersion === undefined) throw new BaselineError(`${file}: not a patchaudit JSON report (no schemaVersion; write one with "patchaudit audit --format json")`);
  if (d.schemaVersion !== 1) {
    throw new BaselineError(`${file}: report schema version ${JSON.stringify(d.schemaVersion ?? null)} is not supported (this patchaudit reads version 1)`);
  }
  if (!Array.isArray(d.hosts)) throw new BaselineError(`${file}: not a patchaudit JSON report (no "hosts" list)`);
  const hosts = new Map<string, BaselineHost>();
  d.hosts.forEach((h: unknown, i: number) => {
    const host = h as { hostname?: unknown; findings?: unknown };
    if (!host || typeof host.hostname !== 'string' || !Array.isArray(host.findings)) throw new BaselineError(`${file}: hosts[${i}] is not a host entry (needs hostname and findings)`);
    const findings = new Map<string, string>();
    for (const f of host.findings as { ruleId?: unknown; status?: unknown }[]) {
      if (f && typeof f.ruleId === 'string' && typeof f.status === 'string') findings.set(f.ruleId, f.status);
    }
    hosts.set(hostKey(host.hostname), { hostname: host.hostname, findings });
  });
  return { file, asOf: typeof d.asOf === 'string' ? d.asOf : null, hosts };
}

/** Compares hosts one by one as they are evaluated, then lists what disappeared. */
export class BaselineTracker {
  private seen = new Set<string>();
  readonly comparison: BaselineComparison = { resolved: [], noLongerFailing: [], hostsAdded: [], hostsRemoved: [], newFailures: [], newUnknownHosts: [] };

  constructor(private readonly baseline: Baseline) {}

  /** Mark each failing finding new or existing; record resolved findings and added hosts. */
  markHost(hostname: string, findings: Finding[]): void {
    const key = hostKey(hostname);
    this.seen.add(key);
    const before = this.baseline.hosts.get(key);
    if (!before) {
      this.comparison.hostsAdded.push(hostname);
      if (findings.some((f) => f.status === 'unknown') && !findings.some((f) => f.status === 'fail')) this.comparison.newUnknownHosts.push(hostname);
    }
    for (const f of findings) {
      if (f.status === 'fail') {
        f.change = before?.findings.get(f.ruleId) === 'fail' ? 'existing' : 'new';
        if (f.change === 'new') this.comparison.newFailures.push({ hostname, ruleId: f.ruleId, severity: f.severity });
      }
    }
    if (before) {
      for (const [ruleId, status] of before.findings) {
        if (status !== 'fail') continue;
        const now = findings.find((f) => f.ruleId === ruleId);
        if (now?.status === 'fail') continue;
        if (now && (now.status === 'unknown' || now.status === 'waived')) this.comparison.noLongerFailing.push({ hostname, ruleId, status: now.status });
        else this.comparison.resolved.push({ hostname, ruleId });
      }
    }
  }

  finish(): BaselineComparison {
    for (const [key, h] of this.baseline.hosts) if (!this.seen.has(key)) this.comparison.hostsRemoved.push(h.hostname);
    const byName = (a: { hostname: string; ruleId?: string }, b: { hostname: string; ruleId?: string }) =>
      a.hostname.localeCompare(b.hostname) || (a.ruleId ?? '').localeCompare(b.ruleId ?? '');
    this.comparison.resolved.sort(byName);
    this.comparison.noLongerFailing.sort(byName);
    this.comparison.newUnknownHosts.sort((a, b) => a.localeCompare(b));
    this.comparison.newFailures.sort(byName);
    this.comparison.hostsAdded.sort((a, b) => a.localeCompare(b));
    this.comparison.hostsRemoved.sort((a, b) => a.localeCompare(b));
    return this.comparison;
  }
}
