/**
 * Findings are memoised per distinct (OS, KBs that matter, fields rules read). Whatever the order hosts
 * come in, each host's findings must be exactly those it gets evaluated alone: evidence names the host's
 * own updates (including those newer than the rollup catalog), in its own order.
 */
import { compileRuleSet, evaluateHost, type CompiledRuleSet } from '../../../src/evaluation/evaluate-host.js';
import { normaliseOs } from '../../../src/inventory/normalise-os.js';
import type { Host } from '../../../src/inventory/types.js';
import { loadRules } from '../../../src/rules/load-rules.js';
import type { LoadedRule } from '../../../src/rules/types.js';

const CTX = { asOf: '2026-11-25', warnDays: 90 };

const OSES = [
  { osName: 'Microsoft Windows 7 Enterprise', osVersion: '6.1.7601', servicePack: 'Service Pack 1' },
  { osName: 'Microsoft Windows Server 2012 R2 Standard', osVersion: '6.3.9600' },
  { osName: 'Microsoft Windows Server 2008 R2 Standard', osVersion: '6.1.7601', servicePack: 'Service Pack 1' },
  { osName: 'Microsoft Windows XP Professional', osVersion: '5.1.2600', servicePack: 'Service Pack 3' },
  { osName: 'Microsoft Windows 10 Enterprise', osVersion: '10.0.14393' },
].map((o) => normaliseOs(o));

// Fixes, rollups, a fix for another product, old unrelated updates, and updates newer than any catalog.
const KBS = ['KB4012212', 'KB4012215', 'KB4012213', 'KB4012598', 'KB4499175', 'KB4013429', 'KB2999226', 'KB976902', 'KB3125574', 'KB5094858', 'KB5086441', 'KB5097129', 'KB5099999', 'KB5082154'];

function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

function hosts(n: number): Host[] {
  const rand = random(7);
  const out: Host[] = [];
  for (let i = 0; i < n; i++) {
    const kbs: string[] = [];
    for (const kb of KBS) if (rand() < 0.3) kbs.push(kb);
    // The same updates in another order.
    if (rand() < 0.5) kbs.reverse();
    out.push({
      hostname: `H-${i}`,
      key: `h-${i}`,
      sources: [{ file: 'fleet.csv', line: i + 2 }],
      os: OSES[i % OSES.length],
      kbs: new Set(kbs),
      kbEvidence: rand() < 0.9,
      fields: { hostname: `H-${i}`, esu: rand() < 0.2 ? 'Yes' : '' },
      columns: {},
    });
  }
  return out;
}

let rules: LoadedRule[];
beforeAll(async () => {
  rules = await loadRules([]);
});

test('memoised findings are each host\'s own, in any order of hosts', () => {
  const shared: CompiledRuleSet = compileRuleSet(rules, CTX);
  const all = hosts(600);
  let gaps = 0;
  for (const h of all) {
    const memoised = evaluateHost(h, shared).findings;
    const alone = evaluateHost(h, compileRuleSet(rules, CTX)).findings;
    expect({ host: h.hostname, findings: memoised }).toEqual({ host: h.hostname, findings: alone });
    for (const f of memoised) {
      if (f.decidedBy !== 'catalog-gap') continue;
      gaps++;
      // Only this host's updates are named.
      for (const kb of f.evidence[0].match(/KB\d+/g) ?? []) expect(h.kbs.has(kb)).toBe(true);
    }
  }
  // The memo was used (far fewer distinct keys than hosts), and the case that leaked before is covered.
  expect(shared.memoSize).toBeLessThan(all.length);
  expect(gaps).toBeGreaterThan(20);
});

test('field values in the key cannot run into each other, whatever characters cells hold', () => {
  const shared = compileRuleSet(rules, { asOf: '2025-06-01', warnDays: 90 });
  const os = normaliseOs({ osName: 'Microsoft Windows Server 2012 R2 Standard', osVersion: '6.3.9600' });
  const host = (name: string, srv: string, esu: string): Host => ({
    hostname: name,
    key: name.toLowerCase(),
    sources: [{ file: 'fleet.csv', line: 2 }],
    os,
    kbs: new Set(['KB4012213']),
    kbEvidence: true,
    fields: { hostname: name, srv_sys_version: srv, esu },
    columns: {},
  });
  // The same characters split differently between two fields: only PC-B is enrolled in ESU.
  const b = host('PC-B', '', 'yes\u0001');
  const a = host('PC-A', '\u0001yes', '');
  const eos = (h: Host, set: CompiledRuleSet) => evaluateHost(h, set).findings.find((f) => f.ruleId === 'WIN-EOS')!;
  expect(eos(b, shared).status).toBe('pass');
  expect(eos(a, shared)).toEqual(eos(a, compileRuleSet(rules, { asOf: '2025-06-01', warnDays: 90 })));
  expect(eos(a, shared).status).toBe('fail');
});

test('rules judge a host by the KBs that can matter exactly as by all its KBs', () => {
  for (const h of hosts(300)) {
    const set = compileRuleSet(rules, CTX);
    // No KB list given: each rule looks at every installed update.
    const byAll = set.rules.map((r) => r.evaluate(h));
    const got = evaluateHost(h, set).findings.filter((f) => f.ruleId !== 'COVERAGE');
    expect({ host: h.hostname, findings: got }).toEqual({ host: h.hostname, findings: byAll });
  }
});
