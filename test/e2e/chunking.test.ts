import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { auditToResult } from '../../src/audit.js';
import type { HostResult } from '../../src/evaluation/types.js';
import { loadRules } from '../../src/rules/load-rules.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * No corner cut for scale: the same hosts give the same verdicts whether one large file is streamed
 * (memoised evaluation, rows evaluated as read) or audited in small chunks held in memory.
 */
const PROFILES = [
  ['Microsoft Windows XP Professional', '5.1.2600', 'Service Pack 3', ['KB4012598', 'KB4500331', 'KB958644']],
  ['Microsoft Windows 7 Enterprise ', '6.1.7601', 'Service Pack 1', ['KB4012212', 'KB4015546', 'KB4019264', 'KB4534310', 'KB4499175']],
  ['Microsoft Windows Server 2012 R2 Standard', '6.3.9600', '', ['KB4012213', 'KB4015547', 'KB5031419', 'KB5099999']],
  ['Microsoft Windows 10 Enterprise', '10.0.14393.447', '', ['KB4013429']],
  ['Microsoft Windows 10 Enterprise', '10.0.14393.953', '', []],
  ['Microsoft Windows 10 Pro', '10.0.18363.719', '', ['KB4551762']],
  ['Microsoft Windows 11 Pro', '10.0.26100.4349', '', []],
  ['Microsoft Windows Server 2016 Datacenter', '10.0.14393', '', ['KB4015217']],
  ['Ubuntu 18.04.6 LTS', '18.04', '', []],
] as const;

function row(i: number): string {
  const p = PROFILES[i % PROFILES.length];
  // A deterministic, varied subset of KBs per host.
  const kbs = p[3].filter((_, k) => ((i >> k) & 1) === 1).join('; ');
  const esu = i % 11 === 0 ? 'yes' : '';
  return [`PC-${String(i).padStart(6, '0')}`, `"${p[0]}"`, p[1], p[2], `"${kbs}"`, esu, i % 5 === 0 ? 'Yes' : 'No'].join(',');
}

const HEADER = 'Hostname,OS Name,OS Version,Service Pack,Installed KBs,ESU,Internet Facing';

function verdicts(hosts: HostResult[]): Map<string, string> {
  return new Map(hosts.map((h) => [h.hostname, `${h.status} ${h.risk.score} ${h.findings.map((f) => `${f.ruleId}=${f.status}:${f.evidence.join('|')}`).join(' ')}`]));
}

test('a 12,000-host file streamed gives the same verdicts as the same hosts audited in chunks of 1,000', async () => {
  const dir = tempDir('patchaudit-chunks-');
  const n = 12_000;
  const all = [HEADER];
  for (let i = 0; i < n; i++) all.push(row(i));
  const whole = path.join(dir, 'whole.csv');
  writeFileSync(whole, all.join('\n') + '\n');
  const rules = await loadRules([]);
  const base = { rules, asOf: '2026-11-25', warnDays: 90 };

  // Streamed after the first 500 hosts, so most rows go through the streaming path.
  const streamed = await auditToResult({ ...base, inputs: [whole], streamAfterHosts: 500 });
  expect(streamed.summary.hosts).toBe(n);

  const chunked = new Map<string, string>();
  for (let c = 0; c < n; c += 1000) {
    const file = path.join(dir, `chunk-${c}.csv`);
    writeFileSync(file, [HEADER, ...all.slice(1 + c, 1 + c + 1000)].join('\n') + '\n');
    const r = await auditToResult({ ...base, inputs: [file] });
    for (const [k, v] of verdicts(r.hosts)) chunked.set(k, v);
  }
  const s = verdicts(streamed.hosts);
  expect(s.size).toBe(chunked.size);
  let differ = 0;
  for (const [k, v] of s) if (chunked.get(k) !== v) differ++;
  expect(differ).toBe(0);
}, 120_000);
