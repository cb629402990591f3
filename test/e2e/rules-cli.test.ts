/**
 * `patchaudit rules list|show|validate` and `audit --rules FILE`, through the built CLI (dist/).
 * Expected problems for the invalid fixtures: fixtures/rules/invalid/README.md.
 */
import { compareVerdicts } from '../helpers/verdicts.js';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fixture, ROOT, runCli } from '../helpers/cli.js';
import { tempDir, writeTemp } from '../helpers/tmp.js';

const CUSTOM = 'fixtures/rules/custom-rules.yaml';
const INVENTORY = 'fixtures/rules/custom-inventory.csv';
const AS_OF = ['--as-of', '2026-11-25'];
const BUILTIN_IDS = ['MS17-010', 'WIN-EOS', 'CVE-2019-0708', 'CVE-2020-0796', 'OS-EOS'];

/** A stack-trace line, as Node prints them. */
const STACK_LINE = /^ {4}at /m;

interface PackFile {
  pack: string;
  rules: { id: string; severity: string; kind: string }[];
}
const packs: PackFile[] = ['ms17-010', 'win-eos', 'cve-2019-0708', 'cve-2020-0796', 'os-eos'].map(
  (name) => JSON.parse(readFileSync(path.join(ROOT, 'src/rules/packs', `${name}.json`), 'utf8')) as PackFile,
);
const builtinRules = packs.flatMap((p) => p.rules.map((r) => ({ ...r, pack: p.pack })));

/** The path (or line) each invalid fixture's error must name on stderr. */
const INVALID_PATHS: Record<string, string | RegExp> = {
  'alias-bomb.yaml': /alias/i,
  'bad-date.yaml': 'rules[0].lifecycle[0].end',
  'bad-kb.json': 'rules[0].targets[0].kbs[0]',
  'bad-published-date.json': 'rules[0].published.date',
  'bad-released-date.yaml': 'rules[0].lifecycle[0].released',
  'bad-semver-range.yaml': 'rules[0].range',
  'custom-tag.yaml': /line 11: .*js\/function/,
  'deep-nesting.json': 'rules[0]',
  'duplicate-ids.yaml': 'rules[1].id',
  'duplicate-key.yaml': /line 10: /,
  'empty.yaml': 'file is empty',
  'min-revision-without-build.json': 'rules[0].targets[0].match.build',
  'missing-id.json': 'rules[0].id',
  'no-evidence.yaml': 'rules[0].targets[0]',
  'not-yaml.yaml': /line 1: /,
  'released-after-end.json': 'rules[0].lifecycle[0].released',
  'typo-rule-property.yaml': 'rules[0].referneces',
  'typo-target-property.yaml': 'rules[0].targets[0].notFixedby',
  'unknown-kind.yaml': 'rules[0].kind',
  'unknown-severity.yaml': 'rules[0].severity',
};
const invalidFiles = readdirSync(fixture('rules', 'invalid'))
  .filter((f) => f !== 'README.md')
  .sort();

interface JsonReport {
  asOf: string;
  rules: { id: string; pack: string; origin: string; severity: string; kind: string }[];
  summary: { hosts: number; compliant: number; nonCompliant: number; unknown: number; rejectedRows: number };
  hosts: { hostname: string; status: string; os: { product: string | null; release: string | null }; findings: { ruleId: string; status: string; evidence: string[] }[] }[];
  rejected: unknown[];
}

interface Sidecar {
  asOf: string;
  file: string;
  rules: string[];
  hosts: Record<string, Record<string, string | null>>;
  rejected: unknown[];
  counts: { hosts: number; rejected: number; 'non-compliant': number; compliant: number; unknown: number };
}
const sidecar = JSON.parse(readFileSync(fixture('rules', 'custom-inventory.expected.json'), 'utf8')) as Sidecar;

function audit(args: string[]): { code: number | null; report: JsonReport; stderr: string } {
  const r = runCli(['audit', INVENTORY, '--format', 'json', ...AS_OF, ...args]);
  let report: JsonReport;
  try {
    report = JSON.parse(r.stdout) as JsonReport;
  } catch {
    throw new Error(`no JSON report (exit ${r.code}): ${r.stderr}`);
  }
  return { code: r.code, report, stderr: r.stderr };
}

function verdict(report: JsonReport, hostname: string, ruleId: string): string | undefined {
  const h = report.hosts.find((x) => x.hostname === hostname);
  if (!h) throw new Error(`${hostname} not in the report`);
  return h.findings.find((f) => f.ruleId === ruleId)?.status;
}

// ---------------------------------------------------------------------------------------------

describe('rules list', () => {
  test('table: every built-in rule with its severity and pack', () => {
    const r = runCli(['rules', 'list']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^ID\s+SEVERITY\s+PACK\s+TITLE\s+APPLIES TO/);
    expect(builtinRules.map((x) => x.id)).toEqual(BUILTIN_IDS);
    for (const rule of builtinRules) {
      const line = lines.find((l) => l.startsWith(rule.id + ' '));
      expect(line).toBeDefined();
      expect(line!.split(/\s+/).slice(0, 3)).toEqual([rule.id, rule.severity, rule.pack]);
    }
    expect(lines.find((l) => l.startsWith('MS17-010 '))).toMatch(/\bcritical\b/);
    expect(lines.find((l) => l.startsWith('WIN-EOS '))).toMatch(/\bhigh\b/);
  });

  test('--format json parses and lists the five built-in rules', () => {
    const r = runCli(['rules', 'list', '--format', 'json']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as { id: string; severity: string; kind: string; pack: string; version: string; dataAsOf: string; appliesTo: string[] }[];
    expect(list.map((x) => x.id)).toEqual(BUILTIN_IDS);
    for (const rule of builtinRules) {
      expect(list.find((x) => x.id === rule.id)).toEqual(
        expect.objectContaining({ severity: rule.severity, kind: rule.kind, pack: rule.pack, version: expect.stringMatching(/^\d+\.\d+\.\d+/), dataAsOf: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) }),
      );
    }
    expect(list.find((x) => x.id === 'MS17-010')!.appliesTo).toEqual(expect.arrayContaining(['Windows XP', 'Windows 7', 'Windows Server 2008 R2']));
  });

  test('--rules FILE lists the custom rules', () => {
    const r = runCli(['rules', 'list', '--rules', CUSTOM, '--format', 'json']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as { id: string; pack: string; kind: string; appliesTo: string[] }[];
    expect(list.map((x) => [x.id, x.kind, x.pack])).toEqual([
      ['TL-KB9900123', 'patch', 'trust-local'],
      ['TL-EDR-AGENT', 'min-version', 'trust-local'],
      ['TL-VIEWER-EOS', 'end-of-support', 'trust-local'],
    ]);
  });
});

describe('rules show', () => {
  test('MS17-010: KBs and the source of each row', () => {
    const r = runCli(['rules', 'show', 'MS17-010']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^MS17-010: /);
    expect(r.stdout).toContain('KB4012212');
    expect(r.stdout).toContain('KB4012598');
    expect(r.stdout).toMatch(/^ {6}source: \S.*windows-facts\.md/m);
    expect(r.stdout).toContain('severity critical');
  });

  test('lookup is case-insensitive', () => {
    const r = runCli(['rules', 'show', 'ms17-010']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^MS17-010: /);
  });

  test('a patch rule shows when its flaw was made public, and the platforms without confirmed data', () => {
    const r = runCli(['rules', 'show', 'MS17-010', '--no-color']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  made public 2017-03-14 (an audit dated earlier finds it not applicable)\n    source: windows-facts.md §1.1');
    expect(r.stdout).toMatch(/ {2}no confirmed data \(unknown\):\n {4}- Windows 8 \(embedded-8-standard\): /);
  });

  test('WIN-EOS: each lifecycle entry shows its release date with its end dates', () => {
    const r = runCli(['rules', 'show', 'WIN-EOS', '--no-color']);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toContain('  lifecycle (an audit dated before a release finds its hosts unknown: the inventory is newer than the audit date):\n');
    expect(r.stdout).toContain('    - Windows 11 21H2 (Home/Pro): released 2021-10-04, end 2023-10-10\n');
    expect(r.stdout).toContain('    - Windows 7: released 2009-08-07, mainstream 2015-01-13, end 2020-01-14, ESU 2023-01-10\n');
    expect(r.stdout).toContain('    - Windows Server 2022: released 2021-08-18, mainstream 2026-10-13, end 2031-10-14\n');
    // The date's source is cited with the row's other sources.
    expect(r.stdout).toMatch(/- Windows Server 2022: .*\n {6}source: .*released 2021-08-18: .*2021-11-02/);
    const json = JSON.parse(runCli(['rules', 'show', 'WIN-EOS', '--format', 'json']).stdout) as { rule: { lifecycle: { name: string; released?: string }[] } };
    expect(json.rule.lifecycle.find((e) => e.name === 'Windows 10 22H2 (Home/Pro)')?.released).toBe('2022-10-18');
  });

  test('an end-of-support rule without release dates shows its lifecycle as before', () => {
    const r = runCli(['rules', 'show', 'TL-VIEWER-EOS', '--rules', CUSTOM]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  lifecycle:\n    - ExampleView 8 image (Windows 10 Enterprise LTSC 2019): end 2026-06-30\n');
  });

  test('WIN-EOS --format json: lifecycle entries, each with a source', () => {
    const r = runCli(['rules', 'show', 'WIN-EOS', '--format', 'json']);
    expect(r.code).toBe(0);
    const shown = JSON.parse(r.stdout) as { pack: string; origin: string; rule: { id: string; kind: string; lifecycle: { name: string; end: string; esuEnd?: string; source: string; match: Record<string, unknown> }[] } };
    expect(shown.pack).toBe('win-eos');
    expect(shown.origin).toBe('builtin:win-eos');
    expect(shown.rule.kind).toBe('end-of-support');
    expect(shown.rule.lifecycle.length).toBeGreaterThan(20);
    expect(shown.rule.lifecycle.filter((e) => typeof e.source !== 'string' || e.source.trim() === '')).toEqual([]);
    const xp = shown.rule.lifecycle.find((e) => e.match.product === 'Windows XP');
    expect(xp).toEqual(expect.objectContaining({ end: '2014-04-08' }));
    // The Windows 7 row itself, not those of the SKUs built on it (Embedded Standard 7, POSReady 7, Thin PC).
    const w7 = shown.rule.lifecycle.find((e) => e.match.product === 'Windows 7' && e.match.editionClass === undefined);
    expect(w7).toEqual(expect.objectContaining({ end: '2020-01-14', esuEnd: '2023-01-10' }));
  });

  test('a custom rule with --rules FILE', () => {
    const r = runCli(['rules', 'show', 'TL-EDR-AGENT', '--rules', CUSTOM]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`pack trust-local 1.0.0 (data as of 2026-11-20; ${CUSTOM})`);
    expect(r.stdout).toContain('field Agent Version must satisfy >=7.4.0; missing → fail');
  });

  test('an unknown rule id exits 2 with a one-line message', () => {
    const r = runCli(['rules', 'show', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/no rule "nope"/);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });
});

describe('rules validate', () => {
  test(`${CUSTOM} is valid (exit 0)`, () => {
    const r = runCli(['rules', 'validate', CUSTOM]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${CUSTOM}: valid (3 rules)\n`);
    expect(r.stderr).toBe('');
  });

  test('every invalid fixture has an expected path here', () => {
    expect(invalidFiles).toEqual(Object.keys(INVALID_PATHS).sort());
  });

  test.each(invalidFiles)('invalid/%s exits 2; stderr names the file and the path, no stack trace', (name) => {
    const file = `fixtures/rules/invalid/${name}`;
    const r = runCli(['rules', 'validate', file]);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
    expect(r.stderr).not.toMatch(STACK_LINE);
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.startsWith(`${file}: `)).toBe(true);
    const want = INVALID_PATHS[name]!;
    const named = lines.some((l) => {
      const rest = l.slice(file.length + 2);
      return typeof want === 'string' ? rest.startsWith(want) : want.test(rest);
    });
    if (!named) throw new Error(`${name}: stderr does not name ${want}:\n${r.stderr}`);
  });

  test('several files: valid ones on stdout, problems on stderr, exit 2 if any is invalid', () => {
    const bad = 'fixtures/rules/invalid/unknown-severity.yaml';
    const r = runCli(['rules', 'validate', CUSTOM, bad]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe(`${CUSTOM}: valid (3 rules)\n`);
    expect(r.stderr).toContain(`${bad}: rules[0].severity: `);
  });

  test('a missing file exits 2 without a stack trace', () => {
    const r = runCli(['rules', 'validate', 'fixtures/rules/no-such-file.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^fixtures\/rules\/no-such-file\.yaml: /);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });
});

describe(`audit ${INVENTORY} --rules ${CUSTOM}`, () => {
  let run: ReturnType<typeof audit>;
  beforeAll(() => {
    run = audit(['--rules', CUSTOM]);
  });

  test('the report carries the custom rules with their origin', () => {
    expect(run.stderr).toBe('');
    expect(run.report.asOf).toBe(sidecar.asOf);
    expect(run.report.rules.map((r) => r.id)).toEqual(sidecar.rules);
    expect(new Set(run.report.rules.map((r) => `${r.pack} ${r.origin}`))).toEqual(new Set([`trust-local ${CUSTOM}`]));
    // High-severity failures: exit 1 with the default --fail-on high.
    expect(run.code).toBe(1);
  });

  test('every verdict and host status is as in custom-inventory.expected.json', () => {
    const problems = compareVerdicts(sidecar.hosts, run.report.hosts, { isRule: (k) => sidecar.rules.includes(k), absent: 'missing' });
    expect(problems).toEqual([]);
    expect(run.report.hosts.map((h) => h.hostname).sort()).toEqual(Object.keys(sidecar.hosts).sort());
  });

  test('counts and rejected rows', () => {
    const s = run.report.summary;
    expect({ hosts: s.hosts, rejected: s.rejectedRows, 'non-compliant': s.nonCompliant, compliant: s.compliant, unknown: s.unknown }).toEqual(sidecar.counts);
    expect(run.report.rejected).toEqual(sidecar.rejected);
  });
});

describe('custom rules combined with built-in packs', () => {
  test('--rules ms17-010,FILE audits with MS17-010 and the three custom rules', () => {
    const { report, stderr } = audit(['--rules', `ms17-010,${CUSTOM}`]);
    expect(stderr).toBe('');
    expect(report.rules.map((r) => [r.id, r.origin])).toEqual([
      ['MS17-010', 'builtin:ms17-010'],
      ['TL-KB9900123', CUSTOM],
      ['TL-EDR-AGENT', CUSTOM],
      ['TL-VIEWER-EOS', CUSTOM],
    ]);
    for (const h of report.hosts) {
      const ids = h.findings.map((f) => f.ruleId).filter((id) => id !== 'COVERAGE');
      expect(ids).toEqual(['MS17-010', 'TL-KB9900123', 'TL-EDR-AGENT', 'TL-VIEWER-EOS']);
      // Adding a pack does not change the custom verdicts.
      for (const id of sidecar.rules) expect(`${h.hostname} ${id} ${verdict(report, h.hostname, id)}`).toBe(`${h.hostname} ${id} ${sidecar.hosts[h.hostname]![id]}`);
    }
    // Windows 10 22H2 / Windows 11 / LTSC 2019 (build 17763) and later: not affected by MS17-010 (windows-facts.md §1.2).
    for (const name of ['NGH-RAD-VW01', 'SAH-RAD-VW07', 'WCH-RAD-MOD01', 'KMU-US-VW01', 'THQ-PACS-01']) {
      expect(`${name} ${verdict(report, name, 'MS17-010')}`).toBe(`${name} not-applicable`);
    }
  });

  test('--rules win-eos --rules FILE (repeated option) adds Microsoft lifecycle verdicts', () => {
    const { report } = audit(['--rules', 'win-eos', '--rules', CUSTOM]);
    expect(report.rules.map((r) => r.id)).toEqual(['WIN-EOS', ...sidecar.rules]);
    // windows-facts.md §2: 22H2 ended 2025-10-14 (no ESU column); Windows 11 23H2 Home/Pro ended 2025-11-11;
    // 24H2 Enterprise runs to 2027-10-12; LTSC 2019 to 2029-01-09; IoT LTSC 2021 to 2032-01-13.
    expect(verdict(report, 'SAH-RAD-VW07', 'WIN-EOS')).toBe('fail');
    expect(verdict(report, 'HRI-RAD-VW04', 'WIN-EOS')).toBe('fail');
    expect(verdict(report, 'KMU-US-VW01', 'WIN-EOS')).toBe('fail');
    expect(verdict(report, 'NGH-RAD-VW01', 'WIN-EOS')).toBe('pass');
    expect(verdict(report, 'WCH-RAD-MOD01', 'WIN-EOS')).toBe('pass');
    expect(verdict(report, 'HRI-RAD-VW03', 'WIN-EOS')).toBe('pass');
    expect(report.hosts.find((h) => h.hostname === 'SAH-RAD-VW07')!.status).toBe('non-compliant');
  });

  test('an invalid rules file stops the audit with exit 2 and names the problem', () => {
    const bad = 'fixtures/rules/invalid/bad-kb.json';
    const r = runCli(['audit', INVENTORY, '--rules', `ms17-010,${bad}`, ...AS_OF]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${bad}: rules[0].targets[0].kbs[0]`);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });
});

describe('a min-version rule whose column the inventory lacks', () => {
  // A mistyped header ("Agent Versoin") is no column at all, not an empty cell: whenMissing must not
  // make every host not applicable (or failed) on its say-so; the hosts are unknown, and the run fails.
  const rules = writeTemp(
    tempDir(),
    'typo.yaml',
    'pack: t\nversion: 1.0.0\ndataAsOf: "2026-11-20"\nrules:\n  - id: T-AGENT\n    kind: min-version\n    title: Agent too old\n    severity: high\n    remediation: Upgrade\n    field: Agent Versoin\n    range: ">=7.4.0"\n    whenMissing: not-applicable\n',
  );

  test('is unknown on every host, beside the built-in rules, and the run fails', () => {
    const r = runCli(['audit', INVENTORY, '--rules', `builtin,${rules}`, ...AS_OF, '-f', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as JsonReport;
    for (const h of report.hosts) {
      const f = h.findings.find((x) => x.ruleId === 'T-AGENT')!;
      expect(`${h.hostname} ${f.status} ${f.evidence[0]}`).toBe(`${h.hostname} unknown the inventory has no Agent Versoin column for this host`);
      expect(h.status).not.toBe('compliant');
    }
  });

  test('an empty cell in an existing column still follows whenMissing', () => {
    const fixed = writeTemp(tempDir(), 'ok.yaml', readFileSync(rules, 'utf8').replace('Agent Versoin', 'Agent Version'));
    const r = runCli(['audit', INVENTORY, '--rules', fixed, ...AS_OF, '-f', 'json']);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.hosts.find((h) => h.hostname === 'HRI-RAD-VW04')!.findings.find((f) => f.ruleId === 'T-AGENT')!.status).toBe('not-applicable');
    expect(report.hosts.find((h) => h.hostname === 'NGH-RAD-VW01')!.findings.find((f) => f.ruleId === 'T-AGENT')!.status).toBe('pass');
  });
});

describe('rules validate names the line of each problem', () => {
  test('schema and loader problems end with the line; exit 2', () => {
    const r = runCli(['rules', 'validate', 'fixtures/rules/invalid/unknown-severity.yaml', 'fixtures/rules/invalid/bad-date.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('fixtures/rules/invalid/unknown-severity.yaml: rules[0].severity: expected one of "critical", "high", "medium", "low", "info" (line 9)\n');
    expect(r.stderr).toContain('fixtures/rules/invalid/bad-date.yaml: rules[0].lifecycle[0].end: "2026-02-30" is not a real date (line 14)\n');
    expect(r.stderr).not.toMatch(STACK_LINE);
  });
});
