/**
 * Rules-file loading: the example custom rules file loads; every fixture in fixtures/rules/invalid/
 * is refused with a RulesFileError whose problems name the right path; the published JSON Schema
 * (checked directly with ajv 2020) agrees with the loader; hostile YAML/JSON is refused quickly;
 * and the error-path helpers (jsonPointerToPath, ajvProblems) behave.
 *
 * Expected problems per fixture are listed in fixtures/rules/invalid/README.md.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020Import from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';
import { RulesFileError } from '../../../src/errors.js';
import {
  ajvProblems,
  BUILTIN_PACKS,
  jsonPointerToPath,
  loadRules,
  loadRulesFile,
  MAX_POLICY_FILE_BYTES,
  readPolicyFile,
  validateRulePack,
} from '../../../src/rules/load-rules.js';
import type { MinVersionRule, PatchRule, EndOfSupportRule } from '../../../src/rules/types.js';
import { tempDir, writeTemp } from '../../helpers/tmp.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const rulesDir = join(root, 'fixtures/rules');
const invalidDir = join(rulesDir, 'invalid');
const customRules = join(rulesDir, 'custom-rules.yaml');
const schemaPath = join(root, 'schema/rules.schema.json');

/**
 * Where each invalid fixture is refused and the problem that must be reported.
 * parse = before validation (not YAML/JSON, empty, hostile); schema = by the JSON Schema;
 * semantic = by the loader's extra checks (real dates, semver ranges, duplicate ids).
 * `problem`: a string must start one of the problems; a RegExp must match one.
 */
type Stage = 'parse' | 'schema' | 'semantic';
const INVALID: Record<string, { stage: Stage; problem: string | RegExp }> = {
  'unknown-severity.yaml': { stage: 'schema', problem: 'rules[0].severity: expected one of "critical", "high", "medium", "low", "info"' },
  'missing-id.json': { stage: 'schema', problem: 'rules[0].id: is required' },
  'unknown-kind.yaml': { stage: 'schema', problem: 'rules[0].kind: expected one of "patch", "end-of-support", "min-version"' },
  'typo-target-property.yaml': { stage: 'schema', problem: 'rules[0].targets[0].notFixedby: unknown property' },
  // The typo'd key must be named, as it is for targets (additionalProperties) one level down.
  'typo-rule-property.yaml': { stage: 'schema', problem: 'rules[0].referneces: unknown property' },
  'bad-date.yaml': { stage: 'semantic', problem: 'rules[0].lifecycle[0].end: "2026-02-30" is not a real date' },
  'bad-kb.json': { stage: 'schema', problem: 'rules[0].targets[0].kbs[0]: must match pattern' },
  'bad-published-date.json': { stage: 'semantic', problem: 'rules[0].published.date: "2021-06-31" is not a real date' },
  'bad-released-date.yaml': { stage: 'semantic', problem: 'rules[0].lifecycle[0].released: "2021-02-29" is not a real date' },
  'released-after-end.json': { stage: 'semantic', problem: 'rules[0].lifecycle[0].released: 2026-06-30 is after end 2019-03-01' },
  'bad-semver-range.yaml': { stage: 'semantic', problem: 'rules[0].range: ">=1.x.y.z" is not a valid semver range' },
  // One problem naming the choice, not one "is required" line per kind of evidence.
  'no-evidence.yaml': { stage: 'schema', problem: 'rules[0].targets[0]: needs one of noFix, kbs, rollups, minRevision, fileVersion' },
  'min-revision-without-build.json': { stage: 'schema', problem: 'rules[0].targets[0].match.build: is required' },
  'duplicate-ids.yaml': { stage: 'semantic', problem: 'rules[1].id: duplicate rule id "TL-AGENT"' },
  // YAML syntax errors: the "path" is the line.
  'duplicate-key.yaml': { stage: 'parse', problem: /^line 10: .*unique/i },
  'not-yaml.yaml': { stage: 'parse', problem: /^line 1: / },
  'empty.yaml': { stage: 'parse', problem: 'file is empty' },
  'alias-bomb.yaml': { stage: 'parse', problem: /alias/i },
  'deep-nesting.json': { stage: 'schema', problem: 'rules[0]: expected object' },
  // A tag the loader does not know must be refused, not silently read as a plain string.
  'custom-tag.yaml': { stage: 'parse', problem: /^line 11: .*js\/function/ },
};

const invalidFiles = readdirSync(invalidDir)
  .filter((f) => f !== 'README.md')
  .sort();

function matchesProblem(problems: string[], want: string | RegExp): boolean {
  return problems.some((p) => (typeof want === 'string' ? p.startsWith(want) : want.test(p)));
}

async function rejection(file: string): Promise<RulesFileError> {
  try {
    await loadRulesFile(file);
  } catch (err) {
    if (err instanceof RulesFileError) return err;
    throw new Error(`${file}: threw ${(err as Error)?.constructor?.name} instead of RulesFileError: ${String(err)}`);
  }
  throw new Error(`${file}: was accepted`);
}

/** The fixture parsed independently of the loader (JSON.parse / yaml core schema). */
function parseIndependently(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  return file.endsWith('.json') ? JSON.parse(text) : parseYaml(text, { schema: 'core' });
}

// ajv/dist/2020.js is CommonJS: the class is on `.default` under NodeNext typing.
const Ajv2020 = Ajv2020Import.default;
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
const validateSchema = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);

// ---------------------------------------------------------------------------------------------

describe('fixtures/rules/custom-rules.yaml', () => {
  test('loads: header, three rules of the three kinds', async () => {
    const pack = await loadRulesFile(customRules);
    expect(pack.pack).toBe('trust-local');
    expect(pack.version).toBe('1.0.0');
    expect(pack.dataAsOf).toBe('2026-11-20');
    expect(pack.sources?.map((s) => s.id)).toEqual(['CAB-2026-118', 'EDR-BASELINE', 'EXAMPLEVIEW-CERT']);
    expect(pack.rules.map((r) => [r.id, r.kind])).toEqual([
      ['TL-KB9900123', 'patch'],
      ['TL-EDR-AGENT', 'min-version'],
      ['TL-VIEWER-EOS', 'end-of-support'],
    ]);
    const patch = pack.rules[0] as PatchRule;
    expect(patch.targets[0]).toEqual(expect.objectContaining({ kbs: ['KB9900123'], minRevision: 6601, match: { product: 'Windows 10', build: 19045 } }));
    const agent = pack.rules[1] as MinVersionRule;
    expect([agent.field, agent.range, agent.whenMissing]).toEqual(['Agent Version', '>=7.4.0', 'fail']);
    const eos = pack.rules[2] as EndOfSupportRule;
    // Quoted dates stay strings (YAML core schema has no timestamps anyway).
    expect(eos.lifecycle.map((e) => e.end)).toEqual(['2026-06-30', '2030-12-31', '2026-12-31', '2028-06-30']);
    expect(await validateRulePack(pack)).toEqual([]);
  });

  test('combines with built-in packs; the same file twice is loaded once; a clashing id is refused', async () => {
    const both = await loadRules(['ms17-010,' + customRules]);
    expect(both.map((l) => [l.rule.id, l.origin])).toEqual([
      ['MS17-010', 'builtin:ms17-010'],
      ['TL-KB9900123', customRules],
      ['TL-EDR-AGENT', customRules],
      ['TL-VIEWER-EOS', customRules],
    ]);
    expect(both[1]).toEqual(expect.objectContaining({ pack: 'trust-local', packVersion: '1.0.0', dataAsOf: '2026-11-20' }));
    expect((await loadRules([customRules, customRules])).length).toBe(3);

    const dir = tempDir();
    const copy = writeTemp(dir, 'copy.yaml', readFileSync(customRules));
    const err = await loadRules([customRules, copy]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RulesFileError);
    expect((err as RulesFileError).problems).toEqual([`rules[0].id: rule id "TL-KB9900123" is already defined by ${customRules}`]);
  });
});

describe('fixtures/rules/invalid/', () => {
  test('has at least 10 fixtures, YAML and JSON, each with an expectation here', () => {
    expect(invalidFiles.length).toBeGreaterThanOrEqual(10);
    expect(invalidFiles.some((f) => f.endsWith('.json'))).toBe(true);
    expect(invalidFiles.some((f) => f.endsWith('.yaml'))).toBe(true);
    expect(invalidFiles).toEqual(Object.keys(INVALID).sort());
  });

  test('the README lists every fixture', () => {
    const readme = readFileSync(join(invalidDir, 'README.md'), 'utf8');
    expect(invalidFiles.filter((f) => !readme.includes(`\`${f}\``))).toEqual([]);
  });

  test.each(invalidFiles)('%s is refused with a RulesFileError naming the right path', async (name) => {
    const file = join(invalidDir, name);
    const err = await rejection(file);
    expect(err.file).toBe(file);
    expect(err.exitCode).toBe(2);
    expect(err.problems.length).toBeGreaterThan(0);
    expect(err.message.startsWith(`${file}: `)).toBe(true);
    const want = INVALID[name]!.problem;
    if (!matchesProblem(err.problems, want)) {
      throw new Error(`${name}: no problem ${typeof want === 'string' ? `starting "${want}"` : `matching ${want}`}; got ${JSON.stringify(err.problems)}`);
    }
  });

  test('a problem never carries a stack trace or a multi-line message', async () => {
    for (const name of invalidFiles) {
      const err = await rejection(join(invalidDir, name)).catch(() => null);
      for (const p of err?.problems ?? []) {
        expect(p).not.toMatch(/\n|^\s+at /);
      }
    }
  });
});

describe('the JSON Schema and the loader agree', () => {
  test('the schema accepts custom-rules.yaml', () => {
    const ok = validateSchema(parseIndependently(customRules));
    expect(ok ? [] : validateSchema.errors).toEqual([]);
  });

  test.each([...BUILTIN_PACKS])('the schema and the loader accept the built-in pack %s', async (name) => {
    const data = JSON.parse(readFileSync(join(root, 'src/rules/packs', `${name}.json`), 'utf8'));
    const ok = validateSchema(data);
    expect(ok ? [] : validateSchema.errors).toEqual([]);
    expect(await validateRulePack(data)).toEqual([]);
  });

  const bySchema = invalidFiles.filter((f) => INVALID[f]!.stage === 'schema');
  const byLoaderOnly = invalidFiles.filter((f) => INVALID[f]!.stage === 'semantic');

  test.each(bySchema)('%s: the schema rejects it, with the problems the loader reports', async (name) => {
    const file = join(invalidDir, name);
    const data = parseIndependently(file);
    expect(validateSchema(data)).toBe(false);
    // The loader's messages are ajvProblems() over the same errors: same list, same order.
    const fromSchema = ajvProblems(validateSchema.errors ?? []);
    const err = await rejection(file);
    expect(err.problems).toEqual(fromSchema);
  });

  test.each(byLoaderOnly)('%s: well-formed for the schema, refused by the loader check the schema cannot express', async (name) => {
    const file = join(invalidDir, name);
    const ok = validateSchema(parseIndependently(file));
    expect(ok ? [] : validateSchema.errors).toEqual([]);
    const err = await rejection(file);
    expect(matchesProblem(err.problems, INVALID[name]!.problem)).toBe(true);
  });
});

describe('lifecycle `released`', () => {
  const pack = (entry: Record<string, unknown>) => ({
    pack: 'p',
    version: '1.0.0',
    dataAsOf: '2026-11-20',
    rules: [{ id: 'X-EOS', kind: 'end-of-support', title: 't', severity: 'high', remediation: 'r', lifecycle: [{ match: { product: 'Windows 11' }, name: 'W11', end: '2031-10-14', source: 's', ...entry }] }],
  });

  test('optional: an entry without it is valid (rules files written before the field keep working)', async () => {
    expect(await validateRulePack(pack({}))).toEqual([]);
    expect(await validateRulePack(pack({ released: '2021-10-04' }))).toEqual([]);
    // The release day may be the last day of support (a one-day release), never after it.
    expect(await validateRulePack(pack({ released: '2031-10-14' }))).toEqual([]);
  });

  test('a value that is not YYYY-MM-DD is refused by the schema, with its path', async () => {
    for (const released of ['04.10.2021', '2021-10-4', '2021-10-04T00:00:00Z']) {
      expect(await validateRulePack(pack({ released }))).toEqual([expect.stringMatching(/^rules\[0\]\.lifecycle\[0\]\.released: must match pattern /)]);
    }
    expect(await validateRulePack(pack({ released: 20211004 }))).toEqual(['rules[0].lifecycle[0].released: expected string']);
  });

  test('a released date after mainstreamEnd or end is refused, naming the field and both dates', async () => {
    expect(await validateRulePack(pack({ released: '2032-01-01' }))).toEqual(['rules[0].lifecycle[0].released: 2032-01-01 is after end 2031-10-14']);
    expect(await validateRulePack(pack({ released: '2027-01-01', mainstreamEnd: '2026-10-13' }))).toEqual(['rules[0].lifecycle[0].released: 2027-01-01 is after mainstreamEnd 2026-10-13']);
  });
});

describe('hostile input', () => {
  beforeAll(async () => {
    // Compile the loader's schema validator first so the timings below measure only the file.
    await loadRulesFile(customRules);
  });

  async function timed(file: string): Promise<{ ms: number; outcome: unknown }> {
    const t0 = performance.now();
    const outcome = await loadRulesFile(file).catch((e: unknown) => e);
    return { ms: performance.now() - t0, outcome };
  }

  test('the alias bomb is refused within 1 s, without expanding it', async () => {
    const { ms, outcome } = await timed(join(invalidDir, 'alias-bomb.yaml'));
    expect(outcome).toBeInstanceOf(RulesFileError);
    expect((outcome as RulesFileError).problems.join(' ')).toMatch(/alias/i);
    expect(ms).toBeLessThan(1000);
  });

  test('10,000 nested JSON arrays are refused within 1 s', async () => {
    const { ms, outcome } = await timed(join(invalidDir, 'deep-nesting.json'));
    expect(outcome).toBeInstanceOf(RulesFileError);
    expect(ms).toBeLessThan(1000);
  });

  test('10,000 nested YAML flow sequences are refused within 1 s, as a RulesFileError', async () => {
    const dir = tempDir();
    const file = writeTemp(dir, 'deep.yaml', 'pack: deep\nrules: ' + '['.repeat(10_000) + ']'.repeat(10_000) + '\n');
    const { ms, outcome } = await timed(file);
    expect(outcome).toBeInstanceOf(RulesFileError);
    expect(ms).toBeLessThan(1000);
  });

  test('a file over the size limit is refused before it is read', async () => {
    const dir = tempDir();
    const file = writeTemp(dir, 'huge.yaml', Buffer.alloc(MAX_POLICY_FILE_BYTES + 1, 0x20));
    const err = await readPolicyFile(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RulesFileError);
    expect((err as RulesFileError).problems[0]).toMatch(/over the limit/);
  });

  test('a folder, a missing file and a BOM-only file are RulesFileErrors', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'bom.yaml'), '\uFEFF\n  \n');
    for (const [file, re] of [
      [join(dir, 'sub'), /folder/],
      [join(dir, 'missing.yaml'), /./],
      [join(dir, 'bom.yaml'), /empty/],
    ] as const) {
      const err = await readPolicyFile(file).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RulesFileError);
      expect((err as RulesFileError).problems[0]).toMatch(re);
    }
  });
});

describe('jsonPointerToPath', () => {
  test.each([
    ['', '(root)'],
    ['/rules', 'rules'],
    ['/rules/0', 'rules[0]'],
    ['/rules/2/appliesTo/product', 'rules[2].appliesTo.product'],
    ['/rules/0/targets/3/kbs/1', 'rules[0].targets[3].kbs[1]'],
    ['/sources/0/url', 'sources[0].url'],
    ['/a~1b/c~0d', 'a/b.c~d'],
    ['/0/x', '[0].x'],
  ])('%j → %s', (pointer, path) => {
    expect(jsonPointerToPath(pointer)).toBe(path);
  });
});

describe('ajvProblems', () => {
  const e = (instancePath: string, keyword: string, params: Record<string, unknown> = {}, message?: string) => ({ instancePath, keyword, params, message });

  test('required, additionalProperties, enum, type and const get readable messages', () => {
    expect(
      ajvProblems([
        e('', 'required', { missingProperty: 'pack' }, "must have required property 'pack'"),
        e('/rules/0', 'required', { missingProperty: 'id' }, "must have required property 'id'"),
        e('/rules/0/targets/0', 'additionalProperties', { additionalProperty: 'kbz' }, 'must NOT have additional properties'),
        e('', 'additionalProperties', { additionalProperty: 'rule' }, 'must NOT have additional properties'),
        e('/rules/0/severity', 'enum', { allowedValues: ['critical', 'high'] }, 'must be equal to one of the allowed values'),
        e('/rules/0', 'type', { type: 'object' }, 'must be object'),
        e('/rules/0/kind', 'const', { allowedValue: 'patch' }, 'must be equal to constant'),
        e('/rules/0/targets/0/kbs/0', 'pattern', { pattern: '^KB\\d{6,7}$' }, 'must match pattern "^KB\\d{6,7}$"'),
      ]),
    ).toEqual([
      'pack: is required',
      'rules[0].id: is required',
      'rules[0].targets[0].kbz: unknown property',
      'rule: unknown property',
      'rules[0].severity: expected one of "critical", "high"',
      'rules[0]: expected object',
      'rules[0].kind: expected "patch"',
      'rules[0].targets[0].kbs[0]: must match pattern "^KB\\d{6,7}$"',
    ]);
  });

  test('if/oneOf/anyOf wrappers are dropped (their branch errors say what is wrong) and duplicates merged', () => {
    expect(
      ajvProblems([
        e('/rules/0', 'if', { failingKeyword: 'then' }, 'must match "then" schema'),
        e('/rules/0/targets/0/match/build', 'type', { type: 'integer' }, 'must be integer'),
        e('/rules/0/targets/0/match/build', 'oneOf', {}, 'must match exactly one schema in oneOf'),
        e('/rules/0/targets/0', 'anyOf', {}, 'must match a schema in anyOf'),
        e('/rules/0/targets/0/match/build', 'type', { type: 'integer' }, 'must be integer'),
      ]),
    ).toEqual(['rules[0].targets[0].match.build: expected integer']);
  });

  test('unevaluatedProperties names the unknown property, like additionalProperties', () => {
    // Rules use allOf + unevaluatedProperties, so a typo at rule level is reported this way.
    expect(
      ajvProblems([e('/rules/0', 'unevaluatedProperties', { unevaluatedProperty: 'remediaton' }, 'must NOT have unevaluated properties')]),
    ).toEqual(['rules[0].remediaton: unknown property']);
  });

  test('validateRulePack reports every missing header key of an empty object', async () => {
    expect(await validateRulePack({})).toEqual(['pack: is required', 'version: is required', 'dataAsOf: is required', 'rules: is required']);
  });
});

describe('rules that would silently never apply are refused', () => {
  const header = 'pack: t\nversion: 1.0.0\ndataAsOf: "2026-11-20"\nrules:\n';
  const base = '    title: T\n    severity: high\n    remediation: Fix it\n';
  const problemsOf = async (body: string): Promise<string[]> => {
    const file = writeTemp(tempDir(), 'r.yaml', header + body);
    const err = await loadRulesFile(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RulesFileError);
    return (err as RulesFileError).problems;
  };

  test('a product name no host can have is refused, with the name it is close to', async () => {
    const problems = await problemsOf(`  - id: T-A\n    kind: min-version\n${base}    field: Agent Version\n    range: ">=1.0.0"\n    appliesTo: { product: Windows11 }\n`);
    expect(problems).toEqual(['rules[0].appliesTo.product: "Windows11" matches no host: it is not a product name patchaudit gives (did you mean "Windows 11"?)']);
    const list = await problemsOf(`  - id: T-E\n    kind: end-of-support\n${base}    lifecycle:\n      - match: { product: [Windows 10, Ubuntu Linux] }\n        name: X\n        end: "2027-01-01"\n        source: s\n`);
    expect(list).toEqual([expect.stringMatching(/^rules\[0\]\.lifecycle\[0\]\.match\.product\[1\]: "Ubuntu Linux" matches no host: .*section 2/)]);
  });

  test('a release written as no host has it (lower case, blanks) is refused, with the spelling meant', async () => {
    const problems = await problemsOf(`  - id: T-A\n    kind: min-version\n${base}    field: Agent Version\n    range: ">=1.0.0"\n    appliesTo: { product: Windows 10, release: [22h2, " 22.04", 21H2] }\n`);
    expect(problems).toEqual([
      'rules[0].appliesTo.release[0]: "22h2" matches no host: releases are written as patchaudit gives them (did you mean "22H2"?)',
      'rules[0].appliesTo.release[1]: " 22.04" matches no host: releases are written as patchaudit gives them (did you mean "22.04"?)',
    ]);
  });

  test('a patch target whose family the rule\'s families makes not applicable is refused', async () => {
    const problems = await problemsOf(`  - id: T-P\n    kind: patch\n${base}    families: [windows]\n    targets:\n      - match: { product: Windows 11 }\n        kbs: [KB9900123]\n        source: s\n`);
    expect(problems).toEqual([expect.stringMatching(/^rules\[0\]\.targets\[0\]\.match: is about windows hosts, but rules\[0\]\.families \[windows\] makes them not applicable/)]);
  });

  test('an end-of-support entry for a family the rule does not cover is refused', async () => {
    const problems = await problemsOf(`  - id: T-E\n    kind: end-of-support\n${base}    families: [linux]\n    lifecycle:\n      - match: { product: Windows 10 }\n        name: X\n        end: "2027-01-01"\n        source: s\n`);
    expect(problems).toEqual([expect.stringMatching(/^rules\[0\]\.lifecycle\[0\]\.match: is about windows hosts, but rules\[0\]\.families \[linux\] leaves them out/)]);
  });

  test('rule ids that differ only in case are duplicates, in one file and across packs', async () => {
    const rule = (id: string) => `  - id: ${id}\n    kind: min-version\n${base}    field: Agent Version\n    range: ">=1.0.0"\n`;
    expect(await problemsOf(rule('T-A') + rule('t-a'))).toEqual(['rules[1].id: duplicate rule id "t-a" (same as "T-A" apart from case)']);
    const file = writeTemp(tempDir(), 'r.yaml', header + rule('ms17-010'));
    const err = await loadRules([`builtin,${file}`]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RulesFileError);
    expect((err as RulesFileError).problems).toEqual(['rules[0].id: rule id "ms17-010" is already defined by builtin:ms17-010 (as "MS17-010"; ids differ only in case)']);
  });

  test('each problem carries the line it is about, in YAML and in JSON', async () => {
    const yaml = await rejection(join(invalidDir, 'unknown-severity.yaml'));
    expect(yaml.located(0)).toBe('rules[0].severity: expected one of "critical", "high", "medium", "low", "info" (line 9)');
    const json = await rejection(join(invalidDir, 'bad-kb.json'));
    expect(json.located(0)).toMatch(/^rules\[0\]\.targets\[0\]\.kbs\[0\]: must match pattern .* \(line 15\)$/);
    // A missing key: the line of the mapping that lacks it.
    expect((await rejection(join(invalidDir, 'missing-id.json'))).located(0)).toBe('rules[0].id: is required (line 6)');
    expect(yaml.message).toContain('(line 9)');
  });
});
