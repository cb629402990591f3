/**
 * jsonHostText builds a host's JSON from cached pieces (OS, findings shared between hosts): it must be
 * exactly JSON.stringify(jsonHost(h)), and the NDJSON line exactly its compact form, whoever shares what.
 */
import { auditToResult, runAudit } from '../../../src/audit.js';
import { loadWaivers } from '../../../src/evaluation/waivers.js';
import type { HostResult } from '../../../src/evaluation/types.js';
import { jsonHost, jsonHostText } from '../../../src/report/json.js';
import { loadRules } from '../../../src/rules/load-rules.js';
import { fixture } from '../../helpers/cli.js';

function compactExpected(h: HostResult): string {
  const full = jsonHost(h);
  return JSON.stringify({ type: 'host', ...full, risk: { score: h.risk.score }, findings: full.findings.filter((f) => f.status !== 'not-applicable') });
}

/** Hosts as reporters get them from the audit (runAudit: findings shared and frozen where they can be). */
async function hostsOf(inputs: string[], waiverFile?: string): Promise<HostResult[]> {
  const rules = await loadRules([]);
  const waivers = waiverFile ? await loadWaivers(waiverFile, rules.map((r) => r.rule.id), '2026-11-25', 90) : undefined;
  const hosts: HostResult[] = [];
  await runAudit({ inputs, rules, asOf: '2026-11-25', warnDays: 90, waivers }, (h) => {
    hosts.push(h);
  });
  return hosts;
}

test.each([
  ['a CSV fleet', [fixture('sample-trust-inventory.csv')], undefined],
  ['systeminfo exports', [fixture('exports/systeminfo')], undefined],
  ['waived findings (copies of shared ones)', [fixture('waivers/inventory.csv')], fixture('waivers/trust-waivers.yaml')],
])('host JSON from cached pieces is JSON.stringify of the host: %s', async (_name, inputs, waiverFile) => {
  const hosts = await hostsOf(inputs, waiverFile);
  expect(hosts.length).toBeGreaterThan(3);
  // Twice: the second time from the caches.
  for (let round = 0; round < 2; round++) {
    for (const h of hosts) {
      expect(jsonHostText(h)).toBe(JSON.stringify(jsonHost(h)));
      expect(jsonHostText(h, true, '{"type":"host",')).toBe(compactExpected(h));
    }
  }
});

test('cells short and long, plain or needing escapes, are written as JSON.stringify writes them', async () => {
  const [host] = await hostsOf([fixture('exports/systeminfo')]);
  const awkward = ['"', '\\', '\u0001', '\t', '\n', '\ud800', '\udc00x', '\u00e9', '\u4e3b', '\ud83d\ude00', '\u2028', 'KB4012212', ','];
  const cells: string[] = ['', 'x'.repeat(64), 'x'.repeat(65), 'y'.repeat(5000)];
  for (const a of awkward) for (const length of [1, 63, 64, 65, 200]) cells.push(('.' + a).repeat(length).slice(0, Math.max(length, a.length)), 'z'.repeat(length) + a);
  const columns: Record<string, string> = Object.create(null);
  cells.forEach((c, i) => (columns[`Cell ${i} \u00e9"`] = c));
  const h: HostResult = { ...host, columns };
  expect(jsonHostText(h)).toBe(JSON.stringify(jsonHost(h)));
  expect(jsonHostText(h, true, '{"type":"host",')).toBe(compactExpected(h));
});

test('findings that hosts share are frozen; waived ones are the host\'s own copies', async () => {
  const plain = await hostsOf([fixture('waivers/inventory.csv')]);
  const shared = plain.flatMap((h) => h.findings).filter((f) => Object.isFrozen(f));
  expect(shared.length).toBeGreaterThan(0);
  const waived = await hostsOf([fixture('waivers/inventory.csv')], fixture('waivers/trust-waivers.yaml'));
  const all = waived.flatMap((h) => h.findings);
  expect(all.some((f) => f.status === 'waived')).toBe(true);
  for (const f of all) expect(Object.isFrozen(f)).toBe(false);
});

test('the library\'s auditToResult gives every host findings of its own, free to change', async () => {
  const { hosts } = await auditToResult({ inputs: [fixture('waivers/inventory.csv')], rules: await loadRules([]), asOf: '2026-11-25', warnDays: 90 });
  const findings = hosts.flatMap((h) => h.findings);
  expect(findings.length).toBeGreaterThan(10);
  expect(new Set(findings).size).toBe(findings.length);
  expect(new Set(findings.map((f) => f.evidence)).size).toBe(findings.length);
  for (const f of findings) expect(Object.isFrozen(f)).toBe(false);
});
