import { parseBaseline, type Baseline } from './baseline.js';

export interface DiffResult {
  old: { file: string; asOf: string | null; hosts: number };
  new: { file: string; asOf: string | null; hosts: number };
  newFailures: { hostname: string; ruleId: string }[];
  /** Checks that cannot be judged now and could be before (or of an added host): they fail --fail-on-new. */
  newUnknown: { hostname: string; ruleId: string; from: string }[];
  resolved: { hostname: string; ruleId: string }[];
  hostsAdded: string[];
  hostsRemoved: string[];
  /** Findings whose status changed in any other way (e.g. pass → unknown). */
  changed: { hostname: string; ruleId: string; from: string; to: string }[];
}

/** Compare two JSON reports: the same comparison as `audit --baseline`, from saved reports. */
export function diffReports(oldFile: string, oldText: string, newFile: string, newText: string): DiffResult {
  const a: Baseline = parseBaseline(oldFile, oldText);
  const b: Baseline = parseBaseline(newFile, newText);
  const out: DiffResult = {
    old: { file: oldFile, asOf: a.asOf, hosts: a.hosts.size },
    new: { file: newFile, asOf: b.asOf, hosts: b.hosts.size },
    newFailures: [],
    newUnknown: [],
    resolved: [],
    hostsAdded: [],
    hostsRemoved: [],
    changed: [],
  };
  for (const [key, nh] of b.hosts) {
    const oh = a.hosts.get(key);
    if (!oh) {
      out.hostsAdded.push(nh.hostname);
      for (const [ruleId, st] of nh.findings) {
        if (st === 'fail') out.newFailures.push({ hostname: nh.hostname, ruleId });
        else if (st === 'unknown') out.newUnknown.push({ hostname: nh.hostname, ruleId, from: 'absent' });
      }
      continue;
    }
    const rules = new Set([...oh.findings.keys(), ...nh.findings.keys()]);
    for (const ruleId of rules) {
      const from = oh.findings.get(ruleId) ?? 'absent';
      const to = nh.findings.get(ruleId) ?? 'absent';
      if (from === to) continue;
      if (to === 'fail') out.newFailures.push({ hostname: nh.hostname, ruleId });
      else if (to === 'unknown') out.newUnknown.push({ hostname: nh.hostname, ruleId, from });
      // Resolved means fixed: fail → unknown (evidence lost), → waived, or → absent (the rule was not
      // run this time) is a change, not a fix.
      else if (from === 'fail' && to !== 'unknown' && to !== 'waived' && to !== 'absent') out.resolved.push({ hostname: nh.hostname, ruleId });
      else out.changed.push({ hostname: nh.hostname, ruleId, from, to });
    }
  }
  for (const [key, oh] of a.hosts) if (!b.hosts.has(key)) out.hostsRemoved.push(oh.hostname);
  const byName = (x: { hostname: string; ruleId?: string }, y: { hostname: string; ruleId?: string }) => x.hostname.localeCompare(y.hostname) || (x.ruleId ?? '').localeCompare(y.ruleId ?? '');
  out.newFailures.sort(byName);
  out.newUnknown.sort(byName);
  out.resolved.sort(byName);
  out.changed.sort(byName);
  out.hostsAdded.sort((x, y) => x.localeCompare(y));
  out.hostsRemoved.sort((x, y) => x.localeCompare(y));
  return out;
}
