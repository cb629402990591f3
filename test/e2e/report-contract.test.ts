/**
 * End to end: what the report formats promise one another and the report schema. The JSON report with
 * a baseline validates; every format prints the same compliance share; the fail-closed checks
 * (COVERAGE, DATA-CONFLICT) are listed wherever rules are; a machine on two entries of a streamed
 * inventory compares with its own report as unchanged.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { fixture, ROOT, runCli } from '../helpers/cli.js';
import { tempDir, writeTemp } from '../helpers/tmp.js';

const AS_OF = '2026-11-25';
const dir = tempDir('patchaudit-report-contract-');
const ajv = new Ajv2020.default({ allErrors: true, strict: true });
const validateReport = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, 'schema/report.schema.json'), 'utf8')));

describe('the JSON report with --baseline', () => {
  test('validates against schema/report.schema.json, with every comparison list', () => {
    const oct = path.join(dir, 'oct.json');
    expect(runCli(['audit', fixture('baseline', 'fleet-2026-10.csv'), '--as-of', AS_OF, '-o', `json=${oct}`]).code).toBe(1);
    const r = runCli(['audit', fixture('baseline', 'fleet-2026-11.csv'), '--as-of', AS_OF, '--baseline', oct, '-f', 'json']);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc.baseline).sort()).toEqual(['hostsAdded', 'hostsRemoved', 'newFailures', 'newUnknownHosts', 'noLongerFailing', 'resolved']);
    expect(doc.baseline.newFailures.length).toBeGreaterThan(0);
    const ok = validateReport(doc);
    expect(validateReport.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });
});

describe('the compliance share', () => {
  // 1,999 supported, patched machines and one Windows XP machine: 99.95% compliant.
  const rows = ['Hostname,OS Name,OS Version,Site'];
  for (let i = 0; i < 1999; i++) rows.push(`W11-${String(i).padStart(4, '0')},Microsoft Windows 11 Enterprise,10.0.26100.7171,Main`);
  rows.push('XP-0001,Microsoft Windows XP Professional,5.1.2600 Service Pack 3 Build 2600,Main');
  const file = writeTemp(dir, 'share.csv', rows.join('\r\n') + '\r\n');

  test.each([
    ['table', /\(99\.9% compliant\)/],
    ['markdown', /compliant \(99\.9%\)\*\*/],
    ['html', /data-metric="compliant"><div class="c-title">Compliant<\/div><div class="value">99\.9%</],
  ])('%s: 99.9%% compliant, never rounded up to 100.0%%', (format, headline) => {
    const r = runCli(['audit', file, '--as-of', AS_OF, '-f', format]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(headline);
    // Only the Windows 11 group (1,999 of 1,999) is whole.
    for (const line of r.stdout.split('\n').filter((l) => l.includes('100.0%'))) expect(line).toMatch(/1999\/1999|1,999 of 1,999|width:100\.0%|\| Windows 11 \| 1999 \| 1999 \|/);
  });

  test('one failing host in 2,000 is not shown as 0.0% of hosts', () => {
    const r = runCli(['audit', file, '--as-of', AS_OF, '-f', 'html']);
    expect(r.stdout).toContain('&lt;0.1% of hosts');
    expect(r.stdout).not.toContain('<0.1%');
  });
});

describe('the fail-closed checks', () => {
  // A Mac (no Windows rule covers it) and a machine whose two rows disagree about its OS.
  const file = writeTemp(
    dir,
    'checks.csv',
    [
      'Hostname,OS Name,OS Version',
      'MAC-0001,macOS Sonoma,14.5',
      'PC-0002,Microsoft Windows 10 Enterprise,10.0.19045.6456',
      'PC-0002,Microsoft Windows 7 Enterprise,6.1.7601',
      'PC-0003,Microsoft Windows 11 Enterprise,10.0.26100.7171',
    ].join('\r\n') + '\r\n',
  );

  test('are counted in JSON, and listed after the rules by the table, Markdown, JUnit and SARIF', () => {
    const json = JSON.parse(runCli(['audit', file, '--as-of', AS_OF, '-r', 'win-eos', '-f', 'json']).stdout);
    expect(json.summary.byRule.COVERAGE).toMatchObject({ unknown: 1 });
    expect(json.summary.byRule['DATA-CONFLICT']).toMatchObject({ unknown: 1 });
    const table = runCli(['audit', file, '--as-of', AS_OF, '-r', 'win-eos', '-f', 'table']).stdout;
    const ruleRows = table.split('\n').filter((l) => /^ {2}(WIN-EOS|COVERAGE|DATA-CONFLICT) /.test(l));
    expect(ruleRows.map((l) => l.trim().split(/\s+/).slice(0, 4))).toEqual([
      ['WIN-EOS', 'high', '0', '1'],
      ['COVERAGE', 'info', '0', '1'],
      ['DATA-CONFLICT', 'info', '0', '1'],
    ]);
    const markdown = runCli(['audit', file, '--as-of', AS_OF, '-r', 'win-eos', '-f', 'markdown']).stdout;
    expect(markdown).toMatch(/\| COVERAGE \|/);
    expect(markdown).toMatch(/\| DATA-CONFLICT \|/);
    const junit = runCli(['audit', file, '--as-of', AS_OF, '-r', 'win-eos', '-f', 'junit']).stdout;
    expect(junit).toContain('Inventory rows for the host contradict each other');
    const sarif = JSON.parse(runCli(['audit', file, '--as-of', AS_OF, '-r', 'win-eos', '-f', 'sarif']).stdout);
    const rules = sarif.runs[0].tool.driver.rules as { id: string; shortDescription: { text: string }; fullDescription?: { text: string } }[];
    const conflict = rules.find((r) => r.id === 'DATA-CONFLICT')!;
    expect(conflict.shortDescription.text).toMatch(/^Inventory rows for the host contradict each other/);
    expect(conflict.fullDescription?.text).toMatch(/cannot be judged/);
  });
});

describe('a machine on two entries of a streamed inventory', () => {
  test('compared with its own report: nothing new, nothing resolved, exit 0 with --fail-on-new', () => {
    // Past the 5,000 hosts kept for merging, a repeated hostname is audited as a second entry: here
    // once failing (Windows 7) and once passing (Windows 11).
    const rows = ['Hostname,OS Name,OS Version'];
    for (let i = 0; i < 5200; i++) rows.push(`H${String(i).padStart(5, '0')},Microsoft Windows 7 Enterprise,6.1.7601 Service Pack 1 Build 7601`);
    rows.push('h00002,Microsoft Windows 11 Enterprise,10.0.26100.7171');
    const file = writeTemp(dir, 'streamed.csv', rows.join('\n') + '\n');
    const base = path.join(dir, 'streamed.json');
    const first = runCli(['audit', file, '--as-of', AS_OF, '-o', `json=${base}`, '-f', 'json']);
    expect(first.code).toBe(1);
    expect(JSON.parse(first.stdout).summary.hosts).toBe(5201);
    const again = runCli(['audit', file, '--as-of', AS_OF, '--baseline', base, '--fail-on-new', '-f', 'json']);
    const doc = JSON.parse(again.stdout);
    expect(doc.baseline).toMatchObject({ newFailures: [], resolved: [], noLongerFailing: [], hostsAdded: [], hostsRemoved: [] });
    expect(again.code).toBe(0);
  });
});

describe('colour flags on the other commands', () => {
  const sample = fixture('sample-trust-inventory.csv');
  test.each([
    ['inspect', ['inspect', sample]],
    ['rules list', ['rules', 'list']],
  ])('%s: --color forces colour, --no-color turns FORCE_COLOR off', (_name, args) => {
    const on = runCli([...args, '--color']);
    expect(on.code).toBe(0);
    expect(on.stdout).toContain('\x1b[');
    const off = runCli([...args, '--no-color'], { env: { FORCE_COLOR: '1', NO_COLOR: '' } });
    expect(off.code).toBe(0);
    expect(off.stdout).not.toContain('\x1b[');
    expect(runCli(args, { env: { FORCE_COLOR: '1', NO_COLOR: '' } }).stdout).toContain('\x1b[');
  });
});

describe('--max-file-size on standard input', () => {
  test('an input smaller than the first read (64 KiB) is checked too', () => {
    const csv = readFileSync(fixture('sample-trust-inventory.csv'));
    const r = runCli(['audit', '-', '--max-file-size', '1000', '--as-of', AS_OF], { input: csv });
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 2, stdout: '', stderr: 'patchaudit: error: -: input is over the limit of 1000 bytes (--max-file-size)\n' });
  });
});

describe('--show failing with --min-severity', () => {
  test('a host that cannot be judged only through a fail-closed check (COVERAGE) is still listed, in the table and the HTML', () => {
    const inv = writeTemp(dir, 'cov-mix.csv', 'Hostname,OS Name,OS Version,Site\r\nW7-X,Microsoft Windows 7 Enterprise,6.1.7601,HQ\r\nMAC-01,macOS,15.1,HQ\r\nW11-OK,Microsoft Windows 11 Enterprise,10.0.26100.4349,HQ\r\n');
    const args = ['audit', inv, '-r', 'ms17-010,win-eos', '--show', 'failing', '--min-severity', 'high', '--as-of', AS_OF, '--no-color'];
    const table = runCli([...args, '-q']).stdout;
    expect(table).toMatch(/^unknown +MAC-01 /m);
    expect(table).not.toMatch(/W11-OK/);
    const html = runCli([...args, '-f', 'html']).stdout;
    expect(html).toContain('MAC-01');
  });
});

describe('placeholder hostnames', () => {
  test('"-", "N/A" and "unknown" are no names: their rows are rejected, not merged into one made-up machine', () => {
    const inv = writeTemp(dir, 'placeholder-names.csv', 'Hostname,OS Name,OS Version\r\nPC-01,Microsoft Windows 11 Enterprise,10.0.26100.4349\r\n-,Microsoft Windows 7 Enterprise,6.1.7601\r\nN/A,Microsoft Windows 7 Enterprise,6.1.7601\r\nunknown,Microsoft Windows XP Professional,5.1.2600\r\n');
    const doc = JSON.parse(runCli(['audit', inv, '--as-of', AS_OF, '-f', 'json']).stdout);
    expect(doc.hosts.map((h: { hostname: string }) => h.hostname)).toEqual(['PC-01']);
    expect(doc.rejected.map((r: { line: number; reason: string }) => [r.line, r.reason])).toEqual([[3, 'no hostname'], [4, 'no hostname'], [5, 'no hostname']]);
    expect(doc.summary.rowsAudited + doc.summary.rejectedRows).toBe(doc.summary.rowsRead);
  });
});
