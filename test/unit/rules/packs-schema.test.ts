/**
 * Data checks for the built-in rule packs and the rollup catalog: schema validity, provenance
 * (every row names a source), well-formed dates and KB ids, row ordering (no entry is shadowed
 * by an earlier one), coverage of every Windows product, and a few pinned facts.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020Import from 'ajv/dist/2020.js';
import type {
  EndOfSupportRule,
  HostMatch,
  LifecycleEntry,
  PatchRule,
  PatchTarget,
  Rule,
  RulePack,
} from '../../../src/rules/types.js';
import { OTHER_PRODUCTS, WINDOWS_PRODUCTS } from '../../../src/inventory/products.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const packsDir = join(root, 'src/rules/packs');
const schemaPath = join(root, 'schema/rules.schema.json');
const catalogPath = join(root, 'src/rules/data/rollup-catalog.json');

const readJson = (p: string): unknown => JSON.parse(readFileSync(p, 'utf8'));

const EXPECTED_PACKS = ['cve-2019-0708.json', 'cve-2020-0796.json', 'ms17-010.json', 'os-eos.json', 'win-eos.json'];
const packFiles = readdirSync(packsDir)
  .filter((f) => f.endsWith('.json'))
  .sort();
const packs: Record<string, RulePack> = Object.fromEntries(
  packFiles.map((f) => [f, readJson(join(packsDir, f)) as RulePack]),
);
const allRules: Rule[] = Object.values(packs).flatMap((p) => p.rules);
const ruleById = (id: string): Rule => {
  const r = allRules.find((x) => x.id === id);
  if (!r) throw new Error(`rule ${id} not found`);
  return r;
};
const patchRule = (id: string): PatchRule => ruleById(id) as PatchRule;
const eosRule = (id: string): EndOfSupportRule => ruleById(id) as EndOfSupportRule;


// ---------------------------------------------------------------------------------------------
// Helpers

interface TestHost {
  family?: string;
  product?: string;
  release?: string;
  editionClass?: string;
  build?: number;
  server?: boolean;
  arch?: string;
  servicePack?: number;
}

const asArray = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

/** Data-level HostMatch semantics: every given key must match; an unknown host value never matches. */
function matches(m: HostMatch, h: TestHost): boolean {
  for (const [key, want] of Object.entries(m) as [keyof HostMatch, unknown][]) {
    if (key === 'minBuild') {
      if (h.build === undefined || h.build < (want as number)) return false;
    } else if (key === 'maxBuild') {
      if (h.build === undefined || h.build > (want as number)) return false;
    } else {
      const have = h[key as keyof TestHost];
      if (have === undefined || !asArray(want as unknown).includes(have)) return false;
    }
  }
  return true;
}

/** A host built from a match row's own values (first of each list, the bound of a range). */
function hostFromMatch(m: HostMatch): TestHost {
  const h: TestHost = {};
  for (const [key, want] of Object.entries(m)) {
    if (key === 'minBuild' || key === 'maxBuild') h.build = want as number;
    else (h as Record<string, unknown>)[key] = asArray(want as unknown)[0];
  }
  return h;
}

const isCalendarDate = (s: string): boolean => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
};
const KB_RE = /^KB\d{6,7}$/;

/** Every data row (target, notAffected entry, lifecycle entry) with a label for messages. */
function dataRows(): { label: string; row: { source?: unknown; match: HostMatch } }[] {
  const rows: { label: string; row: { source?: unknown; match: HostMatch } }[] = [];
  for (const rule of allRules) {
    if (rule.kind === 'patch') {
      rule.targets.forEach((t, i) => rows.push({ label: `${rule.id} targets[${i}]`, row: t }));
      (rule.notAffected ?? []).forEach((n, i) => rows.push({ label: `${rule.id} notAffected[${i}]`, row: n }));
    } else if (rule.kind === 'end-of-support') {
      rule.lifecycle.forEach((e, i) => rows.push({ label: `${rule.id} lifecycle[${i}] ${e.name}`, row: e }));
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------

describe('built-in rule packs', () => {
  test('all expected packs are present', () => {
    expect(packFiles).toEqual(expect.arrayContaining(EXPECTED_PACKS));
  });

  describe('schema', () => {
    // ajv/dist/2020.js is CommonJS: the ESM default import is module.exports (the class), which also
    // carries itself as `.default`; TypeScript (NodeNext) types the import as the module, so use `.default`.
    const Ajv2020 = Ajv2020Import.default;
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
    const validate = ajv.compile(readJson(schemaPath) as object);

    test.each(packFiles)('%s validates against schema/rules.schema.json', (file) => {
      const ok = validate(packs[file]);
      expect(ok ? [] : validate.errors).toEqual([]);
    });

    test('the schema rejects typos, bad KB ids, bad dates and unknown severities', () => {
      const base = packs['ms17-010.json']!;
      const mutate = (fn: (p: RulePack & { rules: PatchRule[] }) => void): boolean => {
        const copy = structuredClone(base) as RulePack & { rules: PatchRule[] };
        fn(copy);
        return validate(copy) as boolean;
      };
      expect(mutate(() => undefined)).toBe(true);
      expect(mutate((p) => ((p.rules[0]!.targets[0] as unknown as Record<string, unknown>)['kbz'] = ['KB4012212']))).toBe(false);
      expect(mutate((p) => (p.rules[0]!.targets.find((t) => t.kbs)!.kbs = ['4012212']))).toBe(false);
      expect(mutate((p) => (p.dataAsOf = '2026-13-01'))).toBe(false);
      expect(mutate((p) => ((p.rules[0] as unknown as Record<string, unknown>)['severity'] = 'urgent'))).toBe(false);
      expect(mutate((p) => (p.rules[0]!.targets[0]!.source = '  '))).toBe(false);
      expect(mutate((p) => ((p.rules[0] as unknown as Record<string, unknown>)['lifecycle'] = []))).toBe(false);
    });
  });

  test('each pack has version and dataAsOf', () => {
    for (const [file, pack] of Object.entries(packs)) {
      expect({ file, version: pack.version }).toEqual({ file, version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
      expect({ file, dataAsOf: isCalendarDate(pack.dataAsOf) }).toEqual({ file, dataAsOf: true });
    }
  });

  test('rule ids are unique across packs', () => {
    const ids = allRules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(['CVE-2019-0708', 'CVE-2020-0796', 'MS17-010', 'OS-EOS', 'WIN-EOS']);
  });

  test('every data row names a non-empty source', () => {
    const missing = dataRows()
      .filter(({ row }) => typeof row.source !== 'string' || row.source.trim() === '')
      .map(({ label }) => label);
    expect(missing).toEqual([]);
  });

  test('lifecycle dates are calendar dates in order mainstreamEnd <= end <= esuEnd', () => {
    const problems: string[] = [];
    for (const rule of allRules) {
      if (rule.kind !== 'end-of-support') continue;
      for (const e of rule.lifecycle) {
        for (const k of ['mainstreamEnd', 'end', 'esuEnd'] as const) {
          const v = e[k];
          if (v !== undefined && !isCalendarDate(v)) problems.push(`${e.name}: ${k} ${v}`);
        }
        if (e.mainstreamEnd && e.mainstreamEnd > e.end) problems.push(`${e.name}: mainstreamEnd after end`);
        if (e.esuEnd && e.esuEnd <= e.end) problems.push(`${e.name}: esuEnd not after end`);
      }
    }
    expect(problems).toEqual([]);
  });

  describe('release dates', () => {
    /** Entries whose sources give no release date (no release check is made for them). */
    // A built-in entry without one would count as released at any audit date (a replay's wrong pass).
    const NO_RELEASE_DATE: string[] = [];
    const lifecycleRows = (): LifecycleEntry[] => allRules.flatMap((r) => (r.kind === 'end-of-support' ? r.lifecycle : []));

    test('every entry has one', () => {
      expect(lifecycleRows().filter((e) => e.released === undefined).map((e) => e.name)).toEqual(NO_RELEASE_DATE);
    });

    test('every release date is a calendar date before its end dates', () => {
      const problems: string[] = [];
      for (const e of lifecycleRows()) {
        if (e.released === undefined) continue;
        if (!isCalendarDate(e.released)) problems.push(`${e.name}: released ${e.released}`);
        for (const k of ['mainstreamEnd', 'end', 'esuEnd', 'homeEsuEnd'] as const) {
          const v = e[k];
          if (v !== undefined && !(e.released < v)) problems.push(`${e.name}: released ${e.released} not before ${k} ${v}`);
        }
        for (const y of e.esuYears ?? []) if (!(e.released < y)) problems.push(`${e.name}: released ${e.released} not before ESU year end ${y}`);
      }
      expect(problems).toEqual([]);
    });

    test('every release date is cited in its row\'s source, as the row\'s other dates are', () => {
      expect(lifecycleRows().filter((e) => e.released !== undefined && !e.source.includes(`released ${e.released}: `)).map((e) => e.name)).toEqual([]);
    });

    test('Windows 10 and 11 feature updates come out in build order (26H1, a separate line for new devices, aside)', () => {
      const problems: string[] = [];
      for (const product of ['Windows 10', 'Windows 11']) {
        for (const editionClass of ['consumer', 'enterprise']) {
          const rows = eosRule('WIN-EOS')
            .lifecycle.filter((e) => e.match.product === product && e.match.editionClass === editionClass && typeof e.match.build === 'number' && e.match.build !== 28000)
            .sort((a, b) => (a.match.build as number) - (b.match.build as number));
          for (let i = 1; i < rows.length; i++) {
            if (rows[i].released! < rows[i - 1].released!) problems.push(`${rows[i].name} (${rows[i].released}) before ${rows[i - 1].name} (${rows[i - 1].released})`);
          }
          if (rows.length < 6) problems.push(`${product} ${editionClass}: only ${rows.length} rows`);
        }
      }
      expect(problems).toEqual([]);
    });

    test('pinned release dates (windows-facts.md §2; where sources disagree, the earlier)', () => {
      const released = (h: TestHost): string | undefined => {
        const e = eosRule('WIN-EOS').lifecycle.find((x) => matches(x.match, h));
        if (!e) throw new Error(`no lifecycle entry for ${JSON.stringify(h)}`);
        return e.released;
      };
      expect(released({ product: 'Windows 11', build: 22000, editionClass: 'consumer' })).toBe('2021-10-04');
      expect(released({ product: 'Windows 11', build: 22000, editionClass: 'enterprise' })).toBe('2021-10-04');
      expect(released({ product: 'Windows 11', build: 26100, editionClass: 'ltsc' })).toBe('2024-10-01');
      expect(released({ product: 'Windows 10', build: 19045, editionClass: 'consumer' })).toBe('2022-10-18');
      expect(released({ product: 'Windows 10', build: 10240, editionClass: 'enterprise' })).toBe('2015-07-29');
      expect(released({ product: 'Windows 10', build: 14393, editionClass: 'ltsc' })).toBe('2016-08-02');
      expect(released({ product: 'Windows 10', build: 19044, editionClass: 'ltsc' })).toBe('2021-11-16');
      // Server 2022: 2021-08-18 (release information, endoflife.date) vs 2021-11-02 (lifecycle data).
      expect(released({ product: 'Windows Server 2022', build: 20348 })).toBe('2021-08-18');
      // Server 2016: 2016-08-02 (release information) vs 2016-10-15 (lifecycle start).
      expect(released({ product: 'Windows Server 2016', build: 14393 })).toBe('2016-08-02');
      expect(released({ product: 'Windows Server 2025', build: 26100 })).toBe('2024-11-01');
      expect(released({ product: 'Windows XP', build: 2600 })).toBe('2001-10-25');
      expect(released({ product: 'Windows 7', build: 7601 })).toBe('2009-08-07');
      for (const [m, d] of [
        [{ product: 'Ubuntu', release: '22.04' }, '2022-04-21'],
        [{ product: 'Ubuntu', release: '6.06' }, '2006-06-01'],
        [{ product: 'Debian', release: '12' }, '2023-06-10'],
        [{ product: 'Red Hat Enterprise Linux', release: '9' }, '2022-05-18'],
        [{ product: 'macOS', release: '14' }, '2023-09-26'],
      ] as [TestHost, string][]) {
        expect([m, eosRule('OS-EOS').lifecycle.find((e) => matches(e.match, m))?.released]).toEqual([m, d]);
      }
    });
  });

  test('KB ids are well formed and never both fix and non-fix in one target', () => {
    const problems: string[] = [];
    for (const rule of allRules) {
      if (rule.kind !== 'patch') continue;
      rule.targets.forEach((t, i) => {
        for (const kb of [...(t.kbs ?? []), ...(t.notFixedBy ?? [])]) {
          if (!KB_RE.test(kb)) problems.push(`${rule.id} targets[${i}]: ${kb}`);
        }
        for (const kb of t.kbs ?? []) {
          if ((t.notFixedBy ?? []).includes(kb)) problems.push(`${rule.id} targets[${i}]: ${kb} in kbs and notFixedBy`);
        }
      });
    }
    expect(problems).toEqual([]);
  });

  test('no row is shadowed by an earlier row (first match wins)', () => {
    const problems: string[] = [];
    const check = (label: string, rows: { match: HostMatch }[]) => {
      rows.forEach((row, i) => {
        const host = hostFromMatch(row.match);
        const first = rows.findIndex((r) => matches(r.match, host));
        if (first !== i) problems.push(`${label}[${i}] is reached first by [${first}]`);
      });
    };
    for (const rule of allRules) {
      if (rule.kind === 'patch') check(`${rule.id} targets`, rule.targets);
      if (rule.kind === 'end-of-support') check(`${rule.id} lifecycle`, rule.lifecycle);
    }
    expect(problems).toEqual([]);
  });

  test('patch targets and not-affected rows never overlap', () => {
    const problems: string[] = [];
    for (const rule of allRules) {
      if (rule.kind !== 'patch') continue;
      for (const n of rule.notAffected ?? []) {
        const host = hostFromMatch(n.match);
        const t = rule.targets.findIndex((x) => matches(x.match, host));
        if (t >= 0) problems.push(`${rule.id}: not-affected ${JSON.stringify(n.match)} also matches targets[${t}]`);
      }
      for (const t of rule.targets) {
        const host = hostFromMatch(t.match);
        const n = (rule.notAffected ?? []).findIndex((x) => matches(x.match, host));
        if (n >= 0) problems.push(`${rule.id}: target ${JSON.stringify(t.match)} also matches notAffected[${n}]`);
      }
    }
    expect(problems).toEqual([]);
  });

  describe('coverage of every Windows product', () => {
    // Typical hosts per product: [product, build, editionClass?]
    const typical: TestHost[] = [
      { product: 'Windows 2000', build: 2195 },
      { product: 'Windows XP', build: 2600, servicePack: 3 },
      { product: 'Windows XP', build: 3790, servicePack: 2, arch: 'x64' },
      { product: 'Windows XP Embedded', build: 2600, servicePack: 3 },
      { product: 'Windows Embedded for Point of Service', build: 2600, servicePack: 3 },
      { product: 'Windows Embedded Standard 2009', build: 2600, servicePack: 3 },
      { product: 'Windows Embedded POSReady 2009', build: 2600, servicePack: 3 },
      { product: 'Windows Server 2003', build: 3790, servicePack: 2 },
      { product: 'Windows Server 2003 R2', build: 3790, servicePack: 2 },
      { product: 'Windows Vista', build: 6002, servicePack: 2 },
      { product: 'Windows Server 2008', build: 6003, servicePack: 2 },
      { product: 'Windows 7', build: 7601, servicePack: 1 },
      { product: 'Windows Server 2008 R2', build: 7601, servicePack: 1 },
      { product: 'Windows 8', build: 9200 },
      { product: 'Windows RT', build: 9200 },
      { product: 'Windows 8.1', build: 9600 },
      { product: 'Windows RT 8.1', build: 9600 },
      { product: 'Windows Server 2012', build: 9200 },
      { product: 'Windows Server 2012 R2', build: 9600 },
      ...[10240, 10586, 14393, 15063, 16299, 17134, 17763, 18362, 18363, 19041, 19042, 19043, 19044, 19045].flatMap(
        (build) => [
          { product: 'Windows 10', build, editionClass: 'consumer' },
          { product: 'Windows 10', build, editionClass: 'enterprise' },
        ],
      ),
      ...[10240, 14393, 17763, 19044].flatMap((build) => [
        { product: 'Windows 10', build, editionClass: 'ltsc' },
        { product: 'Windows 10', build, editionClass: 'iot-ltsc' },
      ]),
      ...[22000, 22621, 22631, 26100, 26200].flatMap((build) => [
        { product: 'Windows 11', build, editionClass: 'consumer' },
        { product: 'Windows 11', build, editionClass: 'enterprise' },
      ]),
      { product: 'Windows 11', build: 26100, editionClass: 'ltsc' },
      { product: 'Windows 11', build: 26100, editionClass: 'iot-ltsc' },
      { product: 'Windows Server 2016', build: 14393 },
      { product: 'Windows Server 2019', build: 17763 },
      { product: 'Windows Server 2022', build: 20348 },
      { product: 'Windows Server 2025', build: 26100 },
      ...[16299, 17134, 17763, 18362, 18363, 19041, 19042, 25398].map((build) => ({ product: 'Windows Server', build })),
      // SKUs built on a product, with a lifecycle of their own (OsInfo.editionClass).
      { product: 'Windows 7', build: 7601, servicePack: 1, editionClass: 'embedded-standard-7' },
      { product: 'Windows 7', build: 7601, servicePack: 1, editionClass: 'posready-7' },
      { product: 'Windows 7', build: 7601, servicePack: 1, editionClass: 'thin-pc' },
      { product: 'Windows 8', build: 9200, editionClass: 'embedded-8-standard' },
      { product: 'Windows 8.1', build: 9600, editionClass: 'embedded-8.1-industry' },
      { product: 'Windows Server 2003', build: 3790, servicePack: 2, editionClass: 'home-server' },
      { product: 'Windows Server 2008 R2', build: 7601, servicePack: 1, editionClass: 'home-server' },
    ];

    test('the typical hosts cover the whole product list', () => {
      expect(new Set(typical.map((h) => h.product))).toEqual(new Set(WINDOWS_PRODUCTS));
    });

    test.each(['MS17-010', 'CVE-2019-0708', 'CVE-2020-0796'])('%s has a target or not-affected row for every Windows host', (id) => {
      const rule = patchRule(id);
      const uncovered = typical
        .filter(
          (h) =>
            !rule.targets.some((t) => matches(t.match, h)) &&
            !(rule.notAffected ?? []).some((n) => matches(n.match, h)) &&
            !(rule.unconfirmed ?? []).some((n) => matches(n.match, h)),
        )
        .map((h) => JSON.stringify(h));
      expect(uncovered).toEqual([]);
      expect(rule.families).toEqual(['linux', 'macos', 'other']);
    });

    test('WIN-EOS has a lifecycle entry for every Windows host', () => {
      const rule = eosRule('WIN-EOS');
      const uncovered = typical.filter((h) => !rule.lifecycle.some((e) => matches(e.match, h))).map((h) => JSON.stringify(h));
      expect(uncovered).toEqual([]);
    });

    test('Windows 10/11 feature updates have both a consumer and an enterprise entry', () => {
      const rule = eosRule('WIN-EOS');
      const problems: string[] = [];
      for (const h of typical.filter((x) => x.editionClass === 'consumer')) {
        const other = { ...h, editionClass: 'enterprise' };
        const a = rule.lifecycle.find((e) => matches(e.match, h));
        const b = rule.lifecycle.find((e) => matches(e.match, other));
        if (!a || !b || a === b) problems.push(JSON.stringify(h));
      }
      expect(problems).toEqual([]);
    });

    test("a SKU with a lifecycle of its own gets its own WIN-EOS row, never its base product's", () => {
      const rule = eosRule('WIN-EOS');
      const skus = typical.filter((h) => h.editionClass && !['consumer', 'enterprise', 'ltsc', 'iot-ltsc'].includes(h.editionClass));
      expect(skus.length).toBe(7);
      const wrong = skus.filter((h) => rule.lifecycle.find((e) => matches(e.match, h))?.match.editionClass !== h.editionClass).map((h) => JSON.stringify(h));
      expect(wrong).toEqual([]);
    });

    test('every product string used by a pack is a canonical product', () => {
      const known = new Set<string>([...WINDOWS_PRODUCTS, ...OTHER_PRODUCTS]);
      const unknown = dataRows()
        .flatMap(({ label, row }) => (row.match.product ? asArray(row.match.product).map((p) => ({ label, p })) : []))
        .filter(({ p }) => !known.has(p))
        .map(({ label, p }) => `${label}: ${p}`);
      expect(unknown).toEqual([]);
    });
  });

  describe('pinned facts', () => {
    const lifecycleFor = (h: TestHost, id = 'WIN-EOS'): LifecycleEntry => {
      const e = eosRule(id).lifecycle.find((x) => matches(x.match, h));
      if (!e) throw new Error(`no lifecycle entry for ${JSON.stringify(h)}`);
      return e;
    };
    const targetFor = (id: string, h: TestHost): PatchTarget => {
      const t = patchRule(id).targets.find((x) => matches(x.match, h));
      if (!t) throw new Error(`no ${id} target for ${JSON.stringify(h)}`);
      return t;
    };

    test('MS17-010 rule metadata', () => {
      const r = patchRule('MS17-010');
      expect(r.severity).toBe('critical');
      expect(r.tags).toEqual(expect.arrayContaining(['wormable', 'known-exploited']));
      expect(r.cves).toEqual(['CVE-2017-0143', 'CVE-2017-0144', 'CVE-2017-0145', 'CVE-2017-0146', 'CVE-2017-0147', 'CVE-2017-0148']);
    });

    test('MS17-010 Windows 7 / 2008 R2 target', () => {
      for (const product of ['Windows 7', 'Windows Server 2008 R2']) {
        const t = targetFor('MS17-010', { product, build: 7601, servicePack: 1 });
        expect(t.kbs).toEqual(expect.arrayContaining(['KB4012212', 'KB4012215']));
        expect(t.notFixedBy).toContain('KB4015546');
        expect(t.rollups).toEqual({ family: 'win7-2008r2', fixMonth: '2017-03' });
        expect(t.minServicePack).toBe(1);
        expect(t.fileVersion?.fixes).toEqual([{ min: '6.1.7601.23689' }]);
      }
    });

    test('MS17-010 Server 2012 does not accept the 8.1 / 2012 R2 KBs', () => {
      const t = targetFor('MS17-010', { product: 'Windows Server 2012', build: 9200 });
      expect(t.kbs).toEqual(['KB4012214', 'KB4012217']);
      expect(t.kbs).not.toContain('KB4012213');
      expect(t.notFixedBy).toEqual(expect.arrayContaining(['KB4015548', 'KB4012213']));
      expect(t.rollups?.family).toBe('ws2012');
    });

    test('MS17-010 Server 2008 counts no rollups; Vista/2008 srv.sys by branch', () => {
      const t = targetFor('MS17-010', { product: 'Windows Server 2008', build: 6002, servicePack: 2 });
      expect(t.kbs).toEqual(['KB4012598', 'KB4018466']);
      expect(t.rollups).toBeUndefined();
      expect(t.minServicePack).toBe(2);
      expect(t.fileVersion?.fixes).toEqual([
        { min: '6.0.6002.19743', branchDigit: 1 },
        { min: '6.0.6002.24067', branchDigit: 2 },
      ]);
    });

    test('MS17-010 service-pack floors and no-fix platforms', () => {
      expect(targetFor('MS17-010', { product: 'Windows XP', build: 2600 }).minServicePack).toBe(3);
      expect(targetFor('MS17-010', { product: 'Windows XP', build: 3790 }).minServicePack).toBe(2);
      expect(targetFor('MS17-010', { product: 'Windows Server 2003', build: 3790 }).minServicePack).toBe(2);
      expect(targetFor('MS17-010', { product: 'Windows Vista', build: 6002 }).minServicePack).toBe(2);
      expect(targetFor('MS17-010', { product: 'Windows 2000' }).noFix).toBe(true);
      expect(targetFor('MS17-010', { product: 'Windows RT' }).noFix).toBe(true);
    });

    test('MS17-010 Windows 10 minimum revisions and not-affected builds', () => {
      expect(targetFor('MS17-010', { product: 'Windows 10', build: 10240 }).minRevision).toBe(17319);
      expect(targetFor('MS17-010', { product: 'Windows 10', build: 10586 }).minRevision).toBe(839);
      expect(targetFor('MS17-010', { product: 'Windows Server 2016', build: 14393 }).minRevision).toBe(953);
      const na = patchRule('MS17-010').notAffected ?? [];
      expect(na.some((n) => matches(n.match, { product: 'Windows 10', build: 15063 }))).toBe(true);
      expect(na.some((n) => matches(n.match, { product: 'Windows 10', build: 14393 }))).toBe(false);
    });

    test('BlueKeep and SMBGhost', () => {
      const w7 = targetFor('CVE-2019-0708', { product: 'Windows 7', build: 7601, servicePack: 1 });
      expect(w7.kbs).toEqual(['KB4499175', 'KB4499164']);
      expect(w7.rollups).toEqual({ family: 'win7-2008r2', fixMonth: '2019-05' });
      expect(targetFor('CVE-2019-0708', { product: 'Windows Server 2008', build: 6002 }).rollups).toEqual({
        family: 'ws2008',
        fixMonth: '2019-05',
      });
      expect(targetFor('CVE-2019-0708', { product: 'Windows Vista' }).noFix).toBe(true);
      expect(targetFor('CVE-2019-0708', { product: 'Windows XP', build: 2600 }).kbs).toEqual(['KB4500331']);
      const g = targetFor('CVE-2020-0796', { product: 'Windows 10', build: 18363 });
      expect(g.minRevision).toBe(720);
      expect(g.kbs).toEqual(['KB4551762']);
      expect(patchRule('CVE-2020-0796').targets).toHaveLength(1);
    });

    test('WIN-EOS dates', () => {
      expect(lifecycleFor({ product: 'Windows XP', build: 2600 }).end).toBe('2014-04-08');
      // XP-based embedded products, each on its own lifecycle (Microsoft lifecycle data and Embedded lifecycle FAQ).
      expect(lifecycleFor({ product: 'Windows XP Embedded', build: 2600 }).end).toBe('2016-01-12');
      expect(lifecycleFor({ product: 'Windows Embedded for Point of Service', build: 2600 })).toMatchObject({ released: '2005-06-06', mainstreamEnd: '2011-04-12', end: '2016-04-12' });
      expect(lifecycleFor({ product: 'Windows Embedded Standard 2009', build: 2600 })).toMatchObject({ mainstreamEnd: '2014-01-14', end: '2019-01-08' });
      expect(lifecycleFor({ product: 'Windows Embedded POSReady 2009', build: 2600 }).end).toBe('2019-04-09');
      for (const editionClass of ['consumer', 'enterprise']) {
        const e = lifecycleFor({ product: 'Windows 10', build: 19045, editionClass });
        expect(e.end).toBe('2025-10-14');
        expect(e.esuEnd).toBe('2028-10-10');
      }
      expect(lifecycleFor({ product: 'Windows 10', build: 19044, editionClass: 'consumer' }).esuEnd).toBeUndefined();
      expect(lifecycleFor({ product: 'Windows 10', build: 19044, editionClass: 'ltsc' }).end).toBe('2027-01-12');
      expect(lifecycleFor({ product: 'Windows 10', build: 19044, editionClass: 'iot-ltsc' }).end).toBe('2032-01-13');
      expect(lifecycleFor({ product: 'Windows 10', build: 17763, editionClass: 'ltsc' }).end).toBe('2029-01-09');
      expect(lifecycleFor({ product: 'Windows 11', build: 26100, editionClass: 'iot-ltsc' }).end).toBe('2034-10-10');
      expect(lifecycleFor({ product: 'Windows Server 2025', build: 26100 }).end).toBe('2034-11-14');
      expect(lifecycleFor({ product: 'Windows Server 2016', build: 14393 }).end).toBe('2027-01-12');
      expect(lifecycleFor({ product: 'Windows Server 2016', build: 14393 }).esuEnd).toBeUndefined();
      expect(lifecycleFor({ product: 'Windows 7', build: 7601 }).esuEnd).toBe('2023-01-10');
      expect(lifecycleFor({ product: 'Windows Server 2012 R2', build: 9600 }).esuEnd).toBe('2026-10-13');
    });

    test('OS-EOS release strings match the normaliser and pinned dates', () => {
      const rule = eosRule('OS-EOS');
      expect(rule.families).toEqual(['linux', 'macos', 'other']);
      const formats: Record<string, RegExp> = {
        Ubuntu: /^\d{1,2}\.\d{2}$/,
        Debian: /^\d+$/,
        'Red Hat Enterprise Linux': /^\d+$/,
        CentOS: /^\d+$/,
        'Rocky Linux': /^\d+$/,
        AlmaLinux: /^\d+$/,
        'Oracle Linux': /^\d+$/,
        'SUSE Linux Enterprise Server': /^\d+$/,
        'Amazon Linux': /^(?:2|20\d\d|201\d\.\d{2})$/,
        macOS: /^(?:10\.\d+|1[1-9]|[2-9]\d)$/,
        // major.minor, as the normaliser gives it ("6.7" of "VMware ESXi 6.7.0 build-8169922")
        'VMware ESXi': /^[5-9]\.\d$/,
      };
      const bad = rule.lifecycle
        .filter((e) => {
          const product = asArray(e.match.product ?? '')[0] ?? '';
          const re = formats[product];
          return !re || asArray(e.match.release ?? '').some((r) => !re.test(r));
        })
        .map((e) => e.name);
      expect(bad).toEqual([]);
      expect(lifecycleFor({ product: 'CentOS', release: '7' }, 'OS-EOS').end).toBe('2024-06-30');
      expect(lifecycleFor({ product: 'CentOS', release: '8' }, 'OS-EOS').end).toBe('2021-12-31');
      expect(lifecycleFor({ product: 'Red Hat Enterprise Linux', release: '7' }, 'OS-EOS').end).toBe('2024-06-30');
      expect(lifecycleFor({ product: 'Ubuntu', release: '20.04' }, 'OS-EOS').end).toBe('2025-05-29');
      expect(lifecycleFor({ product: 'Debian', release: '10' }, 'OS-EOS').end).toBe('2024-06-30');
      // ESXi: the end of General Support (Technical Guidance brings no security fixes).
      expect(lifecycleFor({ product: 'VMware ESXi', release: '7.0' }, 'OS-EOS').end).toBe('2025-10-02');
      expect(lifecycleFor({ product: 'VMware ESXi', release: '6.5' }, 'OS-EOS').end).toBe('2022-10-15');
      expect(lifecycleFor({ product: 'VMware ESXi', release: '8.0' }, 'OS-EOS')).toMatchObject({ released: '2022-10-11', end: '2027-10-11' });
      // SLES rows are per service pack; LTSS is the paid extension.
      const sles = (release: string, servicePack: number): LifecycleEntry => lifecycleFor({ product: 'SUSE Linux Enterprise Server', release, servicePack }, 'OS-EOS');
      expect([sles('11', 4).end, sles('11', 4).esuEnd]).toEqual(['2019-03-31', '2022-03-31']);
      expect([sles('12', 5).end, sles('12', 5).esuEnd]).toEqual(['2024-10-31', '2027-10-31']);
      expect([sles('15', 5).end, sles('15', 5).esuEnd]).toEqual(['2024-12-31', '2027-12-31']);
      expect([sles('15', 7).end, sles('15', 7).esuEnd]).toEqual(['2031-07-31', '2034-07-31']);
      const servicePacks = eosRule('OS-EOS')
        .lifecycle.filter((e) => e.match.product === 'SUSE Linux Enterprise Server')
        .map((e) => `${String(e.match.release)} SP${String(e.match.servicePack)}`);
      expect(servicePacks).toEqual([
        ...[0, 1, 2, 3, 4].map((n) => `11 SP${n}`),
        ...[0, 1, 2, 3, 4, 5].map((n) => `12 SP${n}`),
        ...[0, 1, 2, 3, 4, 5, 6, 7].map((n) => `15 SP${n}`),
      ]);
      const ol = (release: string): LifecycleEntry => lifecycleFor({ product: 'Oracle Linux', release }, 'OS-EOS');
      expect([ol('7').end, ol('7').esuEnd, ol('8').end, ol('9').end]).toEqual(['2024-12-01', '2028-06-01', '2029-07-01', '2032-06-01']);
      const al = (release: string): LifecycleEntry => lifecycleFor({ product: 'Amazon Linux', release }, 'OS-EOS');
      expect([al('2018.03').end, al('2').end, al('2023').end]).toEqual(['2023-12-31', '2026-06-30', '2029-06-30']);
    });
  });
});

describe('rollup catalog', () => {
  type Row = [string, string, string, string, string[], string | null, string | null, string[]];
  const catalog = readJson(catalogPath) as {
    source: string;
    dataAsOf: string;
    columns: string[];
    families: Record<string, Row[]>;
  };

  test('shape and row validity', () => {
    expect(catalog.source.length).toBeGreaterThan(0);
    expect(isCalendarDate(catalog.dataAsOf)).toBe(true);
    expect(catalog.columns).toEqual(['kb', 'month', 'kind', 'confidence', 'supersedes', 'build', 'released', 'flags']);
    const problems: string[] = [];
    let count = 0;
    for (const [family, rows] of Object.entries(catalog.families)) {
      for (const r of rows) {
        count++;
        const [kb, month, kind, confidence, supersedes, build, released, flags] = r;
        if (!KB_RE.test(kb)) problems.push(`${family} ${kb}: kb`);
        if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) problems.push(`${family} ${kb}: month`);
        if (!['monthly-rollup', 'security-only', 'preview-rollup', 'cumulative', 'standalone'].includes(kind)) problems.push(`${family} ${kb}: kind`);
        if (!['confirmed', 'secondary', 'inferred'].includes(confidence)) problems.push(`${family} ${kb}: confidence`);
        if (!supersedes.every((s) => KB_RE.test(s))) problems.push(`${family} ${kb}: supersedes`);
        if (build !== null && !/^\d+\.\d+$/.test(build)) problems.push(`${family} ${kb}: build`);
        if (released !== null && !isCalendarDate(released)) problems.push(`${family} ${kb}: released`);
        if (!Array.isArray(flags)) problems.push(`${family} ${kb}: flags`);
      }
    }
    expect(problems).toEqual([]);
    expect(count).toBe(1380);
  });

  test('every rollup family used by a pack exists and lists the fix KB in the fix month', () => {
    const problems: string[] = [];
    for (const rule of allRules) {
      if (rule.kind !== 'patch') continue;
      rule.targets.forEach((t, i) => {
        if (!t.rollups) return;
        const rows = catalog.families[t.rollups.family];
        if (!rows) {
          problems.push(`${rule.id} targets[${i}]: unknown family ${t.rollups.family}`);
          return;
        }
        const hit = rows.some(([kb, month]) => (t.kbs ?? []).includes(kb) && month === t.rollups!.fixMonth);
        if (!hit) problems.push(`${rule.id} targets[${i}]: no fix KB in ${t.rollups.family} ${t.rollups.fixMonth}`);
        for (const kb of t.notFixedBy ?? []) {
          const row = rows.find(([k]) => k === kb);
          if (row && row[2] !== 'security-only') problems.push(`${rule.id} targets[${i}]: notFixedBy ${kb} is a ${row[2]}`);
        }
      });
    }
    expect(problems).toEqual([]);
  });

  test('pinned catalog rows', () => {
    const find = (family: string, kb: string) => catalog.families[family]?.find((r) => r[0] === kb);
    expect(find('win7-2008r2', 'KB4012215')?.slice(1, 4)).toEqual(['2017-03', 'monthly-rollup', 'confirmed']);
    expect(find('win7-2008r2', 'KB4015546')?.[2]).toBe('security-only');
    expect(find('win10-1607-ws2016', 'KB4013429')?.[5]).toBe('14393.953');
    expect(find('win10-1507', 'KB4012606')?.[5]).toBe('10240.17319');
    expect(find('win7-2008r2', 'KB4524157')?.[7]).toContain('before-patch-tuesday');
    // KB4012213 is the 8.1 / 2012 R2 update: never in the Server 2012 family.
    expect(find('ws2012', 'KB4012213')).toBeUndefined();
  });
});
