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
  /** The ids of the rules the baseline's audit ran (its report's `rules`); null when it does not list them. */
  ruleIds: string[] | null;
  hosts: Map<string, BaselineHost>;
}

/**
 * A warning when the baseline was made with other rules than this run's: its differences then come
 * partly from the rules, not the machines (a rule only in this run makes every failure of it "new").
 */
export function ruleSetWarning(baseline: Baseline, ruleIds: string[]): string | null {
  if (baseline.ruleIds === null) return null;
  const before = new Set(baseline.ruleIds.map((id) => id.toLowerCase()));
  const now = new Set(ruleIds.map((id) => id.toLowerCase()));
  const added = ruleIds.filter((id) => !before.has(id.toLowerCase()));
  const dropped = baseline.ruleIds.filter((id) => !now.has(id.toLowerCase()));
  if (added.length === 0 && dropped.length === 0) return null;
  const parts: string[] = [];
  if (added.length > 0) parts.push(`${added.join(', ')} ${added.length === 1 ? 'is' : 'are'} not in it (${added.length === 1 ? 'its' : 'their'} failures count as new)`);
  if (dropped.length > 0) parts.push(`${dropped.join(', ')} ${dropped.length === 1 ? 'was' : 'were'} not run now (${dropped.length === 1 ? 'its' : 'their'} earlier failures are "not checked", not resolved)`);
  return `${baseline.file}: the baseline was made with other rules than this audit: ${parts.join('; ')}`;
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
  /**
   * Hosts with a check that cannot be judged now and was not unknown in the baseline: added hosts, and
   * hosts whose checks became unknown (a compliant host whose OS now reads "TBC").
   */
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
    const key = hostKey(host.hostname);
    const seen = hosts.get(key);
    // One machine on two entries (a large inventory streamed with a repeated hostname): it is as bad as
    // its worst entry, so that no failure is hidden and none counts as new when audited again.
    if (seen) mergeWorst(seen.findings, findings);
    else hosts.set(key, { hostname: host.hostname, findings });
  });
  const rules = (doc as { rules?: unknown }).rules;
  const ruleIds = Array.isArray(rules) && rules.every((r) => r && typeof (r as { id?: unknown }).id === 'string') ? rules.map((r) => (r as { id: string }).id) : null;
  return { file, asOf: typeof d.asOf === 'string' ? d.asOf : null, ruleIds, hosts };
}

/** Finding statuses from worst to best, for merging a machine's entries. */
const STATUS_RANK: Record<string, number> = { fail: 5, unknown: 4, 'not-checked': 4, warn: 3, waived: 2, pass: 1, 'not-applicable': 0 };

/** Merge statuses into `into`, keeping the worse of the two per rule. */
function mergeWorst(into: Map<string, string>, from: Map<string, string>): void {
  for (const [ruleId, status] of from) {
    const had = into.get(ruleId);
    if (had === undefined || (STATUS_RANK[status] ?? 0) > (STATUS_RANK[had] ?? 0)) into.set(ruleId, status);
  }
}

/**
 * Compares hosts one by one as they are evaluated, then lists what disappeared. A machine audited as
 * several entries (a large inventory streamed with a repeated hostname) is compared as one: its worst
 * entry decides whether a baseline failure is resolved.
 */
export class BaselineTracker {
  private seen = new Set<string>();
  /** For machines that failed in the baseline: their statuses now (worst entry) of the rules that failed. */
  private nowOfFailed = new Map<string, { hostname: string; statuses: Map<string, string> }>();
  /** Host key and rule of each new failure listed (a repeated entry is not listed twice). */
  private listedNew = new Set<string>();
  /** Host keys listed in newUnknownHosts. */
  private listedUnknown = new Set<string>();
  readonly comparison: BaselineComparison = { resolved: [], noLongerFailing: [], hostsAdded: [], hostsRemoved: [], newFailures: [], newUnknownHosts: [] };

  constructor(private readonly baseline: Baseline) {}

  /** Mark each failing finding new or existing; record added hosts and what the baseline's failures are now. */
  markHost(hostname: string, findings: Finding[]): void {
    const key = hostKey(hostname);
    const again = this.seen.has(key);
    this.seen.add(key);
    const before = this.baseline.hosts.get(key);
    if (!before && !again) this.comparison.hostsAdded.push(hostname);
    if (!this.listedUnknown.has(key) && findings.some((f) => f.status === 'unknown' && (!before || before.findings.get(f.ruleId) !== 'unknown'))) {
      this.listedUnknown.add(key);
      this.comparison.newUnknownHosts.push(hostname);
    }
    for (const f of findings) {
      if (f.status === 'fail') {
        f.change = before?.findings.get(f.ruleId) === 'fail' ? 'existing' : 'new';
        if (f.change === 'new' && !this.listedNew.has(`${key}\n${f.ruleId}`)) {
          this.listedNew.add(`${key}\n${f.ruleId}`);
          this.comparison.newFailures.push({ hostname, ruleId: f.ruleId, severity: f.severity });
        }
      }
    }
    if (before) {
      const now = new Map<string, string>();
      for (const [ruleId, status] of before.findings) {
        // No finding of the rule: it was not run this time (another --rules): not checked, never resolved.
        if (status === 'fail') now.set(ruleId, findings.find((f) => f.ruleId === ruleId)?.status ?? 'not-checked');
      }
      if (now.size === 0) return;
      const had = this.nowOfFailed.get(key);
      if (had) mergeWorst(had.statuses, now);
      else this.nowOfFailed.set(key, { hostname, statuses: now });
    }
  }

  finish(): BaselineComparison {
    for (const { hostname, statuses } of this.nowOfFailed.values()) {
      for (const [ruleId, status] of statuses) {
        if (status === 'fail') continue;
        if (status === 'unknown' || status === 'waived' || status === 'not-checked') this.comparison.noLongerFailing.push({ hostname, ruleId, status });
        else this.comparison.resolved.push({ hostname, ruleId });
      }
    }
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
