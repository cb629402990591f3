import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fixture, runCli } from '../helpers/cli.js';
import { tempDir, writeTemp } from '../helpers/tmp.js';

const dir = tempDir('patchaudit-e2e-');
const AS_OF = ['--as-of', '2026-11-25'];

function json(stdout: string) {
  return JSON.parse(stdout);
}

describe('patchaudit audit (end to end)', () => {
  test('JSON report on stdout only, contract fields present, exit 1 on a non-compliant fleet', () => {
    const r = runCli(['audit', fixture('sample-trust-inventory.csv'), '--format', 'json', ...AS_OF]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const doc = json(r.stdout);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.tool.name).toBe('patchaudit');
    expect(doc.asOf).toBe('2026-11-25');
    expect(doc.rules.map((x: { id: string }) => x.id)).toEqual(['MS17-010', 'WIN-EOS', 'CVE-2019-0708', 'CVE-2020-0796', 'OS-EOS']);
    for (const rule of doc.rules) {
      expect(rule.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(rule.dataAsOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    const s = doc.summary;
    expect(s.hosts).toBe(doc.hosts.length);
    expect(s.compliant + s.nonCompliant + s.unknown).toBe(s.hosts);
    expect(s.rejectedRows).toBe(doc.rejected.length);
    expect(s.rowsAudited + s.rejectedRows).toBe(s.rowsRead);
    for (const h of doc.hosts) {
      expect(h.sources[0].line).toBeGreaterThan(1);
      expect(['compliant', 'non-compliant', 'unknown']).toContain(h.status);
      for (const f of h.findings) expect(Array.isArray(f.evidence)).toBe(true);
    }
  });

  test('rejected rows are reported with file and line; --allow-unknown does not fail on them', () => {
    const inv = writeTemp(dir, 'rej.csv', 'Hostname,OS Name,OS Version,Installed KBs\nPC-01,Windows 10 Enterprise,10.0.19045.6036,\n,Windows 7 Enterprise,6.1.7601,KB4012212\nPC-03,Windows 11 Enterprise,10.0.26100.4349,\n');
    const r = runCli(['audit', inv, '--format', 'json', ...AS_OF]);
    const doc = json(r.stdout);
    expect(doc.rejected).toEqual([{ file: inv, line: 3, reason: 'no hostname' }]);
    expect(r.code).toBe(1);
    const allowed = runCli(['audit', inv, '--format', 'json', '--allow-unknown', '--rules', 'WIN-EOS', ...AS_OF]);
    expect(json(allowed.stdout).summary.rejectedRows).toBe(1);
    // Windows 10 22H2 (edition Enterprise) ended 2025-10-14: fails WIN-EOS (high) → still 1.
    expect(allowed.code).toBe(1);
    const none = runCli(['audit', inv, '--format', 'json', '--allow-unknown', '--fail-on', 'none', ...AS_OF]);
    expect(none.code).toBe(0);
  });

  test('CSV report: the rejected row is a row of its own, after the hosts, so the rows account for the input', () => {
    const inv = writeTemp(dir, 'rej-csv.csv', 'Hostname,OS Name,OS Version,Installed KBs\nPC-01,Windows 10 Enterprise,10.0.19045.6036,\n,Windows 7 Enterprise,6.1.7601,KB4012212\nPC-03,Windows 11 Enterprise,10.0.26100.4349,\n');
    const r = runCli(['audit', inv, '--format', 'csv', ...AS_OF]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\r\n');
    expect(lines[0].split(',')[1]).toBe('host_status');
    const last = lines[lines.length - 1].split(',');
    expect(last.slice(0, 4)).toEqual(['', 'rejected', '', 'rejected']);
    expect(last).toContain('no hostname');
    expect(last).toContain(inv);
    expect(last).toContain('3');
    expect(lines.filter((l) => l.includes(',rejected,'))).toHaveLength(1);
    // Both hosts are there too.
    expect(new Set(lines.slice(1, -1).map((l) => l.split(',')[0]))).toEqual(new Set(['PC-01', 'PC-03']));
  });

  test('a compliant inventory exits 0', () => {
    const inv = writeTemp(dir, 'ok.csv', 'Device name,OS version,SkuFamily\nLAP-01,10.0.26100.4349,Enterprise\nLAP-02,10.0.26200.7000,Professional\n');
    const r = runCli(['audit', inv, '--format', 'json', ...AS_OF]);
    const doc = json(r.stdout);
    expect(doc.hosts.map((h: { status: string }) => h.status)).toEqual(['compliant', 'compliant']);
    expect(r.code).toBe(0);
  });

  test('unknown hosts fail the run unless --allow-unknown', () => {
    const inv = writeTemp(dir, 'unk.csv', 'Hostname,OS Name\nMYSTERY-01,Solaris-ish thing\nLAP-02,Windows 11 Enterprise 10.0.26100\n');
    const r = runCli(['audit', inv, '--format', 'json', ...AS_OF]);
    const doc = json(r.stdout);
    const mystery = doc.hosts.find((h: { hostname: string }) => h.hostname === 'MYSTERY-01');
    expect(mystery.status).toBe('unknown');
    expect(mystery.os.raw).toBe('Solaris-ish thing');
    expect(r.code).toBe(1);
    expect(runCli(['audit', inv, '--format', 'json', '--allow-unknown', ...AS_OF]).code).toBe(0);
  });

  test('stdin with "-"', () => {
    const r = runCli(['audit', '-', '--format', 'json', ...AS_OF], { input: 'Hostname,OS Name,OS Version,Installed KBs\nPC-9,Microsoft Windows 7 Enterprise ,6.1.7601 Service Pack 1 Build 7601,KB4012212\n' });
    const doc = json(r.stdout);
    expect(doc.hosts[0].sources).toEqual([{ file: '-', line: 2 }]);
    expect(doc.hosts[0].findings.find((f: { ruleId: string }) => f.ruleId === 'MS17-010').status).toBe('pass');
  });

  test('table output: summary, worst first, no colour when not a TTY', () => {
    const r = runCli(['audit', fixture('sample-trust-inventory.csv'), ...AS_OF]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Summary/);
    expect(r.stdout).toMatch(/Rows read \d+: \d+ audited \+ \d+ rejected/);
    expect(r.stdout).not.toMatch(/\x1b\[/);
    const firstRow = r.stdout.split('\n').find((l) => /^(non-compliant|unknown|compliant) /.test(l));
    expect(firstRow).toMatch(/^non-compliant/);
    const coloured = runCli(['audit', fixture('sample-trust-inventory.csv'), ...AS_OF], { env: { FORCE_COLOR: '1' } });
    expect(coloured.stdout).toMatch(/\x1b\[/);
  });

  test('--map names a column; --explain shows evidence', () => {
    const inv = writeTemp(dir, 'map.csv', 'Asset Tag,Windows,Build String\nTAG-1,Windows 7 Professional,6.1.7601\n');
    const r = runCli(['audit', inv, '--map', 'hostname=Asset Tag', '--map', 'os_name=Windows', '--map', 'os_version=Build String', '--explain', '--format', 'table', ...AS_OF]);
    expect(r.stdout).toMatch(/TAG-1/);
    expect(r.stdout).toMatch(/no installed-updates list/);
    expect(r.stdout).toMatch(/support ended 2020-01-14/);
  });

  test.each([
    [['audit', 'does-not-exist.csv'], /does-not-exist\.csv: no such file/],
    [['audit', '__EMPTY__'], /file is empty/],
    [['audit', '__NOHOST__'], /no hostname column/],
    [['audit', '__NOHOST__', '--rules', '__BADRULES__'], /rules\[0\]/],
    [['audit', '__NOHOST__', '--as-of', '2026-02-30'], /--as-of/],
    [['audit', '__NOHOST__', '--format', 'pdf'], /format/],
    [['audit'], /missing required argument/],
    [['frobnicate'], /unknown command/],
    [['audit', '__NOHOST__', '__NOHOST__'], /nohost\.csv: the same input as .*nohost\.csv; give each inventory once/],
    [['audit', '__DIR__', '__NOHOST__'], /nohost\.csv: already read as part of the folder .*; give each inventory once/],
    [['audit', '__NOHOST__', '__DIR__'], /nohost\.csv: already read as part of the folder .*; give each inventory once/],
    [['audit', '__NOHOST__', '--bogus'], /^patchaudit: error: unknown option '--bogus' \(run patchaudit --help for usage\)\n$/],
    [['audit', '__NOHOST__', '--warn-days', '99999999999999999999'], /--warn-days "99999999999999999999": at most 36500/],
  ])('exit 2 with a one-line message: %j', (args, message) => {
    const empty = writeTemp(dir, 'empty.csv', '');
    const nohost = writeTemp(dir, 'nohost.csv', 'OS Name,OS Version\nWindows 7,6.1.7601\n');
    const bad = writeTemp(dir, 'bad-rules.yaml', 'pack: broken\nversion: "1.0.0"\ndataAsOf: "2026-11-25"\nrules:\n  - id: X\n    kind: patch\n    title: t\n    severity: catastrophic\n    remediation: r\n    targets: []\n');
    const real = (args as string[]).map((a) => (a === '__EMPTY__' ? empty : a === '__NOHOST__' ? nohost : a === '__BADRULES__' ? bad : a === '__DIR__' ? dir : a));
    const r = runCli(real);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  test('--output writes a second report atomically and refuses to overwrite an input', () => {
    const out = path.join(dir, 'out', 'audit.json');
    const r = runCli(['audit', fixture('sample-trust-inventory.csv'), '--output', `json=${out}`, '--quiet', ...AS_OF]);
    expect(r.code).toBe(1);
    expect(JSON.parse(readFileSync(out, 'utf8')).schemaVersion).toBe(1);
    const inv = writeTemp(dir, 'self.csv', 'Hostname,OS Name\nA,Windows 7\n');
    const refuse = runCli(['audit', inv, '--output', `json=${inv}`, ...AS_OF]);
    expect(refuse.code).toBe(2);
    expect(refuse.stderr).toMatch(/refusing to overwrite an input/);
  });

  test('npm start equivalent: demo exits 0', () => {
    const r = runCli(['audit', fixture('sample-trust-inventory.csv'), '--fail-on', 'none', '--allow-unknown']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/hosts audited/);
  });

  test('byte-identical output for the same inputs and --as-of', () => {
    const a = runCli(['audit', fixture('sample-trust-inventory.csv'), '--format', 'json', ...AS_OF]);
    const b = runCli(['audit', fixture('sample-trust-inventory.csv'), '--format', 'json', ...AS_OF]);
    expect(a.stdout).toBe(b.stdout);
    writeFileSync(path.join(dir, 'unused'), '');
  });
});
