/**
 * A host whose rows disagree (two machines under one name, a wide file with two different rows for one
 * machine) gets the DATA-CONFLICT check; a patch or version check that would pass on its merged rows is
 * unknown, since the fix may be another machine's. Fails and end-of-support verdicts stand.
 */
import { CONFLICTED_PASS, compileRuleSet, evaluateHost } from '../../../src/evaluation/evaluate-host.js';
import { normaliseOs } from '../../../src/inventory/normalise-os.js';
import type { Host } from '../../../src/inventory/types.js';
import { loadRules } from '../../../src/rules/load-rules.js';
import type { LoadedRule } from '../../../src/rules/types.js';

const CTX = { asOf: '2026-11-25', warnDays: 90 };
const W7 = normaliseOs({ osName: 'Microsoft Windows 7 Enterprise', osVersion: '6.1.7601', servicePack: 'Service Pack 1' });
const S2016 = normaliseOs({ osName: 'Microsoft Windows Server 2016 Standard', osVersion: '10.0.14393' });

function host(os: Host['os'], kbs: string[], conflicts?: string[]): Host {
  return {
    hostname: 'WARD7-PC01',
    key: 'ward7-pc01',
    sources: [{ file: 'a.csv', line: 2 }, { file: 'b.csv', line: 7 }],
    os,
    kbs: new Set(kbs),
    kbEvidence: true,
    fields: { hostname: 'WARD7-PC01' },
    columns: {},
    ...(conflicts ? { conflicts } : {}),
  };
}

let rules: LoadedRule[];
beforeAll(async () => {
  rules = await loadRules([]);
});

const verdicts = (h: Host) => {
  const set = compileRuleSet(rules, CTX);
  return Object.fromEntries(evaluateHost(h, set).findings.map((f) => [f.ruleId, f.status]));
};

describe('a host whose rows disagree', () => {
  const conflict = ['WARD7-PC01: the sources name two machines (a.csv:2 gives serial number "5CG1111AAA", b.csv:7 gives "5CG2222BBB")'];

  test('patch checks that would pass are unknown, naming why; fails and end of support stand', () => {
    const set = compileRuleSet(rules, CTX);
    const r = evaluateHost(host(W7, ['KB4012212', 'KB4499175'], conflict), set);
    const by = Object.fromEntries(r.findings.map((f) => [f.ruleId, f]));
    expect(by['MS17-010'].status).toBe('unknown');
    expect(by['MS17-010'].decidedBy).toBe('conflict');
    expect(by['MS17-010'].evidence[0]).toBe(CONFLICTED_PASS);
    // What it would have passed on is still said.
    expect(by['MS17-010'].evidence.slice(1).join(' ')).toMatch(/KB4012212/);
    expect(by['CVE-2019-0708'].status).toBe('unknown');
    expect(by['WIN-EOS'].status).toBe('fail');
    expect(by['DATA-CONFLICT'].status).toBe('unknown');
    expect(r.status).toBe('non-compliant');
    // A fail stands: neither machine's rows hold the fix.
    expect(verdicts(host(W7, ['KB2534111'], conflict))['MS17-010']).toBe('fail');
  });

  test('an end-of-support pass stands (the rows agree on the OS); the host is never compliant', () => {
    const set = compileRuleSet(rules, CTX);
    const r = evaluateHost(host(S2016, ['KB4013429'], conflict), set);
    const by = Object.fromEntries(r.findings.map((f) => [f.ruleId, f.status]));
    expect(by['WIN-EOS']).toBe('warn');
    expect(by['MS17-010']).toBe('unknown');
    expect(r.status).toBe('unknown');
  });

  test('the same host without the conflict passes, and the shared findings are not changed by a conflicted one', () => {
    const set = compileRuleSet(rules, CTX);
    const before = evaluateHost(host(W7, ['KB4012212', 'KB4499175']), set);
    evaluateHost(host(W7, ['KB4012212', 'KB4499175'], conflict), set);
    const after = evaluateHost(host(W7, ['KB4012212', 'KB4499175']), set);
    for (const r of [before, after]) {
      const by = Object.fromEntries(r.findings.map((f) => [f.ruleId, f.status]));
      expect([by['MS17-010'], by['CVE-2019-0708'], by['DATA-CONFLICT']]).toEqual(['pass', 'pass', undefined]);
    }
  });
});
