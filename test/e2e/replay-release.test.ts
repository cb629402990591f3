/**
 * `audit --as-of` on an inventory newer than the audit date, through the built CLI: a host whose OS
 * release came out after the audit date (Windows 11, Windows 10 22H2, Server 2022, Ubuntu 22.04 on
 * WannaCry day, 2017-05-12) is unknown for end of support, with the release date in the evidence;
 * hosts whose release was out keep their verdicts. Release dates: windows-facts.md §2 and the
 * sources the os-eos pack cites.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { fixture, ROOT, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

interface JsonFinding {
  ruleId: string;
  status: string;
  evidence: string[];
  decidedBy: string;
  remediation: string | null;
  endDate?: string;
}
interface JsonHost {
  hostname: string;
  status: string;
  os: { product: string | null; release: string | null; build: number | null; editionClass: string | null };
  findings: JsonFinding[];
}
interface JsonReport {
  asOf: string;
  summary: { hosts: number; unknown: number; byRule: Record<string, { unknown: number; pass: number; fail: number }> };
  hosts: JsonHost[];
}

const ajv = new Ajv2020.default({ allErrors: true, strict: true });
const validateReport = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, 'schema/report.schema.json'), 'utf8')));

const eosFinding = (h: JsonHost): JsonFinding => h.findings.find((f) => f.ruleId === 'WIN-EOS' && f.status !== 'not-applicable') ?? h.findings.find((f) => f.ruleId === 'OS-EOS')!;

/**
 * Independent of the packs: was the host's OS release out after 2017-05-12? (Windows 10 1703, build
 * 15063, came out 2017-04; 1709, build 16299, 2017-10-17; Ubuntu 17.10, macOS 10.13 and RHEL 8 later.)
 */
function releasedAfterWannaCryDay(os: JsonHost['os']): boolean {
  switch (os.product) {
    case 'Windows 11':
    case 'Windows Server 2019':
    case 'Windows Server 2022':
    case 'Windows Server 2025':
      return true;
    case 'Windows 10':
      return (os.build ?? 0) >= 16299;
    case 'Ubuntu':
      return Number(os.release) >= 17.1;
    case 'Red Hat Enterprise Linux':
      return Number(os.release) >= 8;
    case 'macOS':
      return Number(os.release) >= 11 || Number(os.release?.split('.')[1]) >= 13;
    default:
      return false;
  }
}

describe('audit --as-of 2017-05-12 of the sample trust inventory (taken in 2026)', () => {
  const r = runCli(['audit', fixture('sample-trust-inventory.csv'), '--as-of', '2017-05-12', '--format', 'json']);
  const doc = JSON.parse(r.stdout) as JsonReport;

  test('exit 1 (unknown hosts fail closed), nothing on stderr, a report that validates against the schema', () => {
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const ok = validateReport(doc);
    expect(ok ? [] : validateReport.errors).toEqual([]);
    expect(doc.asOf).toBe('2017-05-12');
  });

  test('exactly the hosts whose release came out later are unknown (not-yet-released), with both dates in the evidence', () => {
    const later = doc.hosts.filter((h) => h.os.product !== null && releasedAfterWannaCryDay(h.os));
    const flagged = doc.hosts.filter((h) => eosFinding(h).decidedBy === 'not-yet-released');
    expect(flagged.map((h) => h.hostname).sort()).toEqual(later.map((h) => h.hostname).sort());
    expect(later.length).toBeGreaterThan(80);
    for (const h of flagged) {
      const f = eosFinding(h);
      expect({ host: h.hostname, status: f.status, hostStatus: h.status }).toEqual({ host: h.hostname, status: 'unknown', hostStatus: h.status === 'non-compliant' ? 'non-compliant' : 'unknown' });
      expect(f.evidence[0]).toMatch(/ was released (\d{4}-\d{2}-\d{2}), after the audit date 2017-05-12: the inventory is newer than the audit date/);
      const released = /was released (\d{4}-\d{2}-\d{2})/.exec(f.evidence[0])![1]!;
      expect(released > '2017-05-12').toBe(true);
      expect(f.remediation).toMatch(/after the audit date/);
    }
    // The counts say so: the unknowns are visible in the summary.
    expect(doc.summary.byRule['WIN-EOS']!.unknown + doc.summary.byRule['OS-EOS']!.unknown).toBeGreaterThanOrEqual(flagged.length);
  });

  test('a Windows 11 host names its feature update and release date; a Windows 10 22H2 host likewise', () => {
    const w11 = doc.hosts.find((h) => h.os.product === 'Windows 11' && h.os.release === '24H2')!;
    expect(eosFinding(w11).evidence[0]).toMatch(/^Windows 11 24H2 \((Home\/Pro|Enterprise\/Education)\) was released 2024-10-01, after the audit date 2017-05-12/);
    const w10 = doc.hosts.find((h) => h.os.product === 'Windows 10' && h.os.release === '22H2')!;
    expect(eosFinding(w10).evidence[0]).toMatch(/^Windows 10 22H2 \((Home\/Pro|Enterprise\/Education)\) was released 2022-10-18, after the audit date 2017-05-12/);
  });

  test('hosts whose release was out keep their verdicts: Windows 7 supported, XP ended', () => {
    const w7 = doc.hosts.filter((h) => h.os.product === 'Windows 7' && h.os.editionClass === null);
    expect(w7.length).toBeGreaterThan(50);
    for (const h of w7) expect([h.hostname, eosFinding(h).status, eosFinding(h).evidence[0]]).toEqual([h.hostname, 'pass', 'Windows 7: supported until 2020-01-14']);
    const xp = doc.hosts.filter((h) => h.os.product === 'Windows XP');
    expect(xp.length).toBeGreaterThan(10);
    for (const h of xp) expect([h.hostname, eosFinding(h).status]).toEqual([h.hostname, 'fail']);
  });
});

describe('audit --as-of on a small inventory', () => {
  const dir = tempDir('patchaudit-replay-');
  const csv = path.join(dir, 'fleet-2024.csv');
  writeFileSync(
    csv,
    'Hostname,OS Name,OS Version\r\n' +
      'W11-01,Microsoft Windows 11 Pro,10.0.22000.2538\r\n' +
      'W7-01,Microsoft Windows 7 Enterprise,6.1.7601\r\n' +
      'W10-01,Microsoft Windows 10 Enterprise,10.0.19045.4412\r\n',
  );

  test('WannaCry day: Windows 11 and Windows 10 22H2 unknown, Windows 7 pass; exit 1, or 0 with --allow-unknown', () => {
    const r = runCli(['audit', csv, '-r', 'win-eos', '--as-of', '2017-05-12', '--format', 'json']);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 1, stderr: '' });
    const doc = JSON.parse(r.stdout) as JsonReport;
    const by = Object.fromEntries(doc.hosts.map((h) => [h.hostname, h.findings[0]!]));
    expect(by['W11-01']).toEqual({
      ruleId: 'WIN-EOS',
      status: 'unknown',
      severity: 'high',
      evidence: ['Windows 11 21H2 (Home/Pro) was released 2021-10-04, after the audit date 2017-05-12: the inventory is newer than the audit date, so support on that date cannot be judged'],
      remediation: expect.stringMatching(/inventory/),
      decidedBy: 'not-yet-released',
    });
    expect([by['W10-01']!.status, by['W10-01']!.decidedBy]).toEqual(['unknown', 'not-yet-released']);
    expect([by['W7-01']!.status, by['W7-01']!.evidence, by['W7-01']!.endDate]).toEqual(['pass', ['Windows 7: supported until 2020-01-14'], '2020-01-14']);
    expect(doc.summary.unknown).toBe(2);
    expect(runCli(['audit', csv, '-r', 'win-eos', '--as-of', '2017-05-12', '--allow-unknown', '--format', 'json']).code).toBe(0);
  });

  test('the table counts the unknowns; the CSV report carries the evidence', () => {
    const table = runCli(['audit', csv, '-r', 'win-eos', '--as-of', '2017-05-12', '--no-color']);
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(/^ {2}WIN-EOS +high +0 +2 +0 +0 +1 +0$/m);
    const out = runCli(['audit', csv, '-r', 'win-eos', '--as-of', '2017-05-12', '--format', 'csv']);
    expect(out.code).toBe(1);
    expect(out.stdout).toContain('was released 2021-10-04, after the audit date 2017-05-12');
  });

  test('on and after the release date the hosts are judged on their end dates', () => {
    const r = runCli(['audit', csv, '-r', 'win-eos', '--as-of', '2022-10-18', '--format', 'json']);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as JsonReport;
    expect(Object.fromEntries(doc.hosts.map((h) => [h.hostname, h.findings[0]!.status]))).toEqual({ 'W11-01': 'pass', 'W7-01': 'fail', 'W10-01': 'pass' });
  });
});
