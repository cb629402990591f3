/**
 * End to end: how CI systems read the reports. A run that fails shows it in every report (SARIF
 * results, JUnit failures, the Markdown's first line), JUnit judges each finding as the exit code does,
 * SARIF alerts keep their identity on GitHub across exports, and the table printed to a job log cannot
 * run GitHub Actions workflow commands.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { fixture, runCli, type CliResult } from '../helpers/cli.js';
import { tempDir, writeTemp } from '../helpers/tmp.js';

const AS_OF = '2026-11-25';
const dir = tempDir('patchaudit-ci-reports-');

const HEADER = 'Hostname,OS Name,OS Version,Installed KBs,Site';
const W11 = 'Microsoft Windows 11 Enterprise,10.0.26100.7171';
const csv = (rows: string[]) => [HEADER, ...rows].join('\r\n') + '\r\n';

/** Run the audit in the temp folder, so inventory paths are relative (%SRCROOT% in SARIF). */
function audit(args: string[], asOf = AS_OF): CliResult {
  return runCli(['audit', ...args, '--as-of', asOf, '-q'], { cwd: dir });
}

interface Sarif {
  results: {
    ruleId: string;
    ruleIndex: number;
    level: string;
    locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } }; logicalLocations: { name: string }[] }[]; partialFingerprints: Record<string, string>; properties: Record<string, unknown> }[];
  tool: { driver: { rules: { id: string; name: string; defaultConfiguration: { level: string }; properties: Record<string, unknown> }[] } };
}
const sarifRun = (r: CliResult): Sarif => JSON.parse(r.stdout).runs[0];

/** The counts on <testsuites>, its attribute names, and per case its suite, name and first child element. */
function junit(xml: string) {
  const root = /<testsuites ([^>]*)>/.exec(xml)![1];
  const attrs = Object.fromEntries([...root.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
  const cases = [...xml.matchAll(/<testcase classname="patchaudit\.([^"]*)" name="([^"]*)" time="0"(\/>|>\n\s*<([\w-]+))/g)].map((m) => ({ suite: m[1], name: m[2], child: m[4] ?? null }));
  return { attrs, cases, failing: Number(attrs.failures) + Number(attrs.errors) };
}

describe('a run that fails on a rejected row alone', () => {
  const file = 'rejected.csv';
  writeTemp(dir, file, csv([`PC-OK,${W11},,Main`, `,${W11},,Main`]));

  test('SARIF has a REJECTED-ROW error at the row; JUnit an error; the Markdown says "Policy failed" first', () => {
    const sarif = audit([file, '-f', 'sarif']);
    expect(sarif.code).toBe(1);
    const run = sarifRun(sarif);
    expect(run.results.map((r) => [r.ruleId, r.level, r.locations[0].physicalLocation.artifactLocation.uri, r.locations[0].physicalLocation.region.startLine])).toEqual([['REJECTED-ROW', 'error', 'rejected.csv', 3]]);
    expect(run.tool.driver.rules[run.results[0].ruleIndex].properties['security-severity']).toBe('7.0');

    const j = audit([file, '-f', 'junit']);
    expect(j.code).toBe(1);
    expect(junit(j.stdout).attrs).toMatchObject({ failures: '0', errors: '1' });

    const md = audit([file, '-f', 'markdown']);
    expect(md.code).toBe(1);
    expect(md.stdout.split('\n')[0]).toBe('❌ Policy failed (exit 1): 1 row rejected.');
  });

  test('with --allow-unknown it passes, and every report agrees', () => {
    const sarif = audit([file, '-f', 'sarif', '--allow-unknown']);
    expect(sarif.code).toBe(0);
    expect(sarifRun(sarif).results).toEqual([]);
    const j = junit(audit([file, '-f', 'junit', '--allow-unknown']).stdout);
    expect(j.failing).toBe(0);
    expect(j.cases.find((c) => c.suite === 'REJECTED')!.child).toBe('system-out');
    expect(audit([file, '-f', 'markdown', '--allow-unknown']).stdout.split('\n')[0]).toBe('✅ Policy passed (exit 0).');
  });
});

describe('a run that fails on stale waivers alone (--fail-on-stale-waivers)', () => {
  // Every failure of these hosts is waived; waivers[3] has expired and waivers[4] matches nothing.
  const inventory = readFileSync(fixture('waivers', 'inventory.csv'), 'utf8').trimEnd().split(/\r?\n/);
  const keep = ['NGH-PACS-01', 'NGH-W11-0114', 'LAB-ANALYSER-01', 'LAB-ANALYSER-02', 'HRI-THEATRE-02', 'KMU-W10-0021'];
  writeTemp(dir, 'stale.csv', [inventory[0], ...inventory.slice(1).filter((l) => keep.includes(l.split(',')[0]))].join('\n') + '\n');
  const lineOf = (file: string, text: string) => readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;

  test.each([
    ['YAML', fixture('waivers', 'trust-waivers.yaml'), (f: string, host: string) => lineOf(f, `- hosts: [${host}]`)],
    // The entry's opening brace, two lines above its first host.
    ['JSON', fixture('waivers', 'trust-waivers.json'), (f: string, host: string) => lineOf(f, `"${host}"`) - 2],
  ])('%s: STALE-WAIVER results at each waiver, a STALE-WAIVERS suite, the verdict first in Markdown', (_, waivers, line) => {
    const plain = audit(['stale.csv', '--waivers', waivers, '-f', 'sarif']);
    expect(plain.code).toBe(0);
    // Only the waived findings (with their suppressions), no stale waiver.
    expect(new Set(sarifRun(plain).results.map((r) => r.properties.status))).toEqual(new Set(['waived']));

    const sarif = audit(['stale.csv', '--waivers', waivers, '--fail-on-stale-waivers', '-f', 'sarif']);
    expect(sarif.code).toBe(1);
    const results = sarifRun(sarif).results.filter((r) => r.ruleId === 'STALE-WAIVER');
    expect(results.map((r) => [r.ruleId, r.level, r.properties.waiver, r.properties.status, r.locations[0].physicalLocation.region.startLine])).toEqual([
      ['STALE-WAIVER', 'error', 'waivers[3]', 'expired', line(waivers, 'WCH-W7-0003')],
      ['STALE-WAIVER', 'error', 'waivers[4]', 'unused', line(waivers, 'SAH-OLD-SCANNER-01')],
    ]);
    expect(results[0].locations[0].physicalLocation.artifactLocation.uri).toMatch(/trust-waivers\.(yaml|json)$/);

    const j = audit(['stale.csv', '--waivers', waivers, '--fail-on-stale-waivers', '-f', 'junit']);
    expect(j.code).toBe(1);
    const stale = junit(j.stdout).cases.filter((c) => c.suite === 'STALE-WAIVERS');
    expect(stale.map((c) => [c.name.replace(/^.* /, ''), c.child])).toEqual([
      ['waivers[3]', 'failure'],
      ['waivers[4]', 'failure'],
    ]);
    expect(junit(j.stdout).failing).toBe(2);

    const md = audit(['stale.csv', '--waivers', waivers, '--fail-on-stale-waivers', '-f', 'markdown']);
    expect(md.stdout.split('\n')[0]).toBe('❌ Policy failed (exit 1): 2 expired or unused waivers.');
  });
});

describe('JUnit follows the policy: a failure or error exactly when the run fails', () => {
  writeTemp(
    dir,
    'mixed.csv',
    csv([
      // WIN-EOS fails (high), nothing critical.
      'SAH-W10-0054,Microsoft Windows 10 Enterprise,10.0.17763.1879,,St Aldhelm',
      `PC-OK,${W11},,Main`,
    ]),
  );
  writeTemp(dir, 'unknown.csv', csv([`PC-OK,${W11},,Main`, 'PC-TBC,TBC,,,Main']));
  // Windows 10 Enterprise LTSC 2021: support ends 2027-01-12, within the 90 warning days.
  writeTemp(dir, 'warn.csv', csv(['PC-LTSC,Microsoft Windows 10 Enterprise LTSC,10.0.19044.6691,,Main']));

  test.each([
    ['mixed.csv', []],
    ['mixed.csv', ['--fail-on', 'critical']],
    ['mixed.csv', ['--fail-on', 'none']],
    ['mixed.csv', ['--fail-on', 'medium']],
    ['unknown.csv', []],
    ['unknown.csv', ['--allow-unknown']],
    ['warn.csv', []],
  ])('%s %j', (file, flags) => {
    const r = audit([file as string, '-f', 'junit', ...(flags as string[])]);
    expect([0, 1]).toContain(r.code);
    expect({ exit: r.code, junitFails: junit(r.stdout).failing > 0 }).toEqual({ exit: r.code, junitFails: r.code === 1 });
  });

  test.each([
    ['mixed.csv', []],
    ['mixed.csv', ['--fail-on', 'critical']],
    ['unknown.csv', []],
    ['unknown.csv', ['--allow-unknown']],
  ])('JSON and NDJSON carry the verdict the exit code gives: %s %j', (file, flags) => {
    for (const format of ['json', 'ndjson']) {
      const r = audit([file as string, '-f', format, ...(flags as string[])]);
      const doc = JSON.parse(format === 'json' ? r.stdout : r.stdout.trimEnd().split('\n').pop()!);
      expect(doc.verdict.exitCode).toBe(r.code);
      expect(doc.verdict.passed).toBe(r.code === 0);
      expect(doc.verdict.reasons.length > 0).toBe(r.code === 1);
      expect(doc.verdict.policy.allowUnknown).toBe((flags as string[]).includes('--allow-unknown'));
    }
  });

  test('below --fail-on: the failing host is a passing case with the finding in system-out', () => {
    const r = audit(['mixed.csv', '-f', 'junit', '--fail-on', 'critical']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/<testcase classname="patchaudit\.WIN-EOS" name="SAH-W10-0054" time="0">\n\s*<system-out>failing \(high\), below --fail-on critical: does not fail the run\./);
  });

  test('--fail-on-new: only the new failures fail, and none when the baseline is the run itself', () => {
    const oct = audit([fixture('baseline', 'fleet-2026-10.csv'), '-f', 'json'], '2026-10-28');
    writeTemp(dir, 'oct.json', oct.stdout);
    const nov = fixture('baseline', 'fleet-2026-11.csv');
    const r = audit([nov, '--baseline', 'oct.json', '--fail-on-new', '-f', 'junit']);
    expect(r.code).toBe(1);
    const failing = junit(r.stdout).cases.filter((c) => c.child === 'failure' || c.child === 'error');
    expect(failing.map((c) => `${c.name} ${c.suite}`).sort()).toEqual(['WCH-W10-0201 MS17-010', 'WCH-W10-0201 WIN-EOS']);
    // The existing failures are still there, as passing cases.
    expect(r.stdout).toContain('already in the baseline (--fail-on-new): does not fail the run.');

    writeTemp(dir, 'nov.json', audit([nov, '-f', 'json']).stdout);
    const self = audit([nov, '--baseline', 'nov.json', '--fail-on-new', '-f', 'junit']);
    expect(self.code).toBe(0);
    expect(junit(self.stdout).failing).toBe(0);
  });
});

describe('JUnit for large fleets and strict readers', () => {
  test('no case for a not-applicable finding (as in the CSV), and no "skipped" on <testsuites>', () => {
    const sample = fixture('sample-trust-inventory.csv');
    const j = junit(audit([sample, '-f', 'junit']).stdout);
    expect(Object.keys(j.attrs)).toEqual(['name', 'tests', 'failures', 'errors', 'time']);
    const rows = parseCsv(audit([sample, '-f', 'csv']).stdout, { columns: true }) as Record<string, string>[];
    const findings = rows.filter((r) => r.status !== 'rejected' && r.rule_id !== '');
    expect(findings.length).toBeGreaterThan(100);
    expect(j.cases.filter((c) => c.suite !== 'REJECTED')).toHaveLength(findings.length);
  });
});

describe('SARIF on GitHub', () => {
  test('a host whose support ends soon (exit 0) is a note under RULE/ending-soon, which has no security-severity', () => {
    const r = audit(['warn.csv', '-f', 'sarif']);
    expect(r.code).toBe(0);
    const run = sarifRun(r);
    expect(run.results.length).toBeGreaterThan(0);
    for (const res of run.results) {
      expect(res.ruleId).toMatch(/\/ending-soon$/);
      expect(res.level).toBe('note');
      const rule = run.tool.driver.rules[res.ruleIndex];
      expect(rule.id).toBe(res.ruleId);
      expect(rule.defaultConfiguration.level).toBe('note');
      expect(rule.properties).not.toHaveProperty('security-severity');
    }
  });

  test('primaryLocationLineHash stays the same when rows move and a KB list grows', () => {
    const before = ['NGH-XP-01,Microsoft Windows XP Professional,5.1.2600 Service Pack 3,KB958644,North', 'NGH-W7-02,Microsoft Windows 7 Enterprise,6.1.7601 Service Pack 1,KB976902,North'];
    const after = [`NEW-01,${W11},,North`, 'NGH-XP-01,Microsoft Windows XP Professional,5.1.2600 Service Pack 3,KB958644; KB2347290,North', 'NGH-W7-02,Microsoft Windows 7 Enterprise,6.1.7601 Service Pack 1,KB976902; KB2999226,North'];
    writeTemp(dir, 'export-1.csv', csv(before));
    writeTemp(dir, 'export-2.csv', csv(after));
    const byKey = (file: string) => new Map(sarifRun(audit([file, '-f', 'sarif'])).results.map((r) => [`${r.locations[0].logicalLocations[0].name} ${r.ruleId}`, r]));
    const one = byKey('export-1.csv');
    const two = byKey('export-2.csv');
    expect(one.size).toBeGreaterThan(3);
    for (const [k, r] of one) {
      const again = two.get(k)!;
      expect(again.locations[0].physicalLocation.region.startLine).not.toBe(r.locations[0].physicalLocation.region.startLine);
      expect(again.partialFingerprints).toEqual(r.partialFingerprints);
      expect(r.partialFingerprints.primaryLocationLineHash).toMatch(/^[0-9a-f]{16}:1$/);
    }
  });
});

describe('workflow commands in the job log', () => {
  const rows = ['"::error::All-hosts-compliant",Microsoft Windows XP Professional,5.1.2600 Service Pack 3,,"x\n::warning::from a cell"', '"PC##[error]x",Microsoft Windows XP Professional,5.1.2600 Service Pack 3,,##[stop-commands]tok'];
  writeTemp(dir, 'ghcmd.csv', csv(rows));

  test('the table has no line starting with "::" and no "##[" anywhere; JSON and CSV keep the text as it was', () => {
    const table = audit(['ghcmd.csv', '--explain']);
    expect(table.code).toBe(1);
    const lines = table.stdout.split('\n');
    expect(lines.filter((l) => /^\s*::/.test(l))).toEqual([]);
    expect(lines.filter((l) => l.includes('##['))).toEqual([]);
    expect(table.stdout.replace(/\u2060/g, '')).toContain('##[stop-commands]tok: 0.0% compliant');

    const json = JSON.parse(audit(['ghcmd.csv', '-f', 'json']).stdout);
    expect(json.hosts.map((h: { hostname: string }) => h.hostname).sort()).toEqual(['::error::All-hosts-compliant', 'PC##[error]x']);
    expect(json.hosts.map((h: { site: string }) => h.site).sort()).toEqual(['##[stop-commands]tok', 'x\n::warning::from a cell']);
    const out = audit(['ghcmd.csv', '-f', 'csv']).stdout;
    expect(out).not.toContain('\u2060');
    expect(out).toContain('PC##[error]x');
  });
});
