/**
 * End of support when the inventory leaves the edition or the release open (windows-facts.md §2.2,
 * §2.3): the host is judged against every lifecycle row it could be on, and gets a verdict only when
 * they all agree. Never the verdict of the row whose support lasts longest.
 */
import type { Finding } from '../../../src/evaluation/types.js';
import type { OsInput } from '../../../src/inventory/normalise-os.js';
import { osFinding } from '../../helpers/hosts.js';
import { loadRules } from '../../../src/rules/load-rules.js';
import type { EndOfSupportRule, LoadedRule } from '../../../src/rules/types.js';

let loaded: LoadedRule[];

beforeAll(async () => {
  loaded = await loadRules([]);
});

function eos(os: OsInput, asOf: string, opts: { esu?: string; rules?: LoadedRule[]; ruleId?: string } = {}): Finding {
  return osFinding(opts.rules ?? loaded, os, asOf, opts);
}

describe('Pro Education in any language is in the Home/Pro group (§2.2)', () => {
  test.each([
    ['fr', 'Microsoft Windows 11 Professionnel Éducation'],
    ['ru', 'Майкрософт Windows 11 Pro для образовательных учреждений'],
    ['zh', 'Microsoft Windows 11 专业教育版'],
    ['en', 'Microsoft Windows 11 Pro Education'],
  ])('%s Windows 11 24H2 Pro Education: Home/Pro support ended 2026-10-13', (_l, osName) => {
    const f = eos({ osName, osVersion: '10.0.26100.4349' }, '2026-11-25');
    expect(f.status).toBe('fail');
    expect(f.evidence.join(' ')).toMatch(/24H2 \(Home\/Pro\): support ended 2026-10-13/);
  });

  test('fr Windows 10 21H2 Professionnel Éducation: ended 2023-06-13 (Enterprise/Education would run to 2024-06-11)', () => {
    const f = eos({ osName: 'Microsoft Windows 10 Professionnel Éducation', osVersion: '10.0.19044' }, '2024-01-01');
    expect(f.status).toBe('fail');
    expect(f.evidence.join(' ')).toMatch(/2023-06-13/);
  });

  test('fr Windows 10 21H2 Éducation (no Pro) stays Enterprise/Education', () => {
    expect(eos({ osName: 'Microsoft Windows 10 Éducation', osVersion: '10.0.19044' }, '2024-01-01').status).toBe('pass');
  });

  test('an edition that names both groups is judged against both: unknown, not the later date', () => {
    const f = eos({ osName: 'Windows 11 Enterprise', osVersion: '10.0.26100', edition: 'Professional' }, '2026-11-25');
    expect(f.status).toBe('unknown');
    expect(f.evidence.join(' ')).toMatch(/2026-10-13.*2027-10-12/);
  });

  test('an unknown word beside Education: unknown, not Enterprise/Education', () => {
    expect(eos({ osName: 'Microsoft Windows 11 Profi Education', osVersion: '10.0.26100' }, '2026-11-25').status).toBe('unknown');
  });
});

describe('release not in the inventory: every feature update of the edition counts (§2.2, §2.3)', () => {
  test('Windows 10 Enterprise, no build, 2024-01-01: 1507 had ended, 22H2 had not: unknown', () => {
    const f = eos({ osName: 'Windows 10 Enterprise' }, '2024-01-01');
    expect(f.status).toBe('unknown');
    expect(f.decidedBy).toBe('release-unknown');
    expect(f.evidence.join(' ')).toMatch(/2017-05-09/);
    expect(f.evidence.join(' ')).toMatch(/2025-10-14/);
    expect(f.remediation).toMatch(/build or version/);
  });

  test('Windows 11 Enterprise, no build, 2026-11-25: unknown (as Windows 10 before its end)', () => {
    expect(eos({ osName: 'Windows 11 Enterprise' }, '2026-11-25').status).toBe('unknown');
  });

  test('Windows 10 Pro and Enterprise, no build, after 2025-10-14: every release has ended: fail', () => {
    for (const osName of ['Windows 10 Pro', 'Windows 10 Enterprise']) {
      const f = eos({ osName }, '2026-11-25');
      expect(f.status).toBe('fail');
      expect(f.evidence.join(' ')).toMatch(/22H2 .*support ended 2025-10-14/);
      expect(f.remediation).toMatch(/build or version/);
    }
  });

  test('Windows 10, no build, enrolled in ESU: only 22H2 has ESU, so the release decides: unknown', () => {
    expect(eos({ osName: 'Windows 10 Enterprise' }, '2026-11-25', { esu: 'Yes' }).status).toBe('unknown');
  });

  test('Windows 10, no build and no edition, 2026-11-25: LTSC releases still run: unknown', () => {
    expect(eos({ osName: 'Windows 10' }, '2026-11-25').status).toBe('unknown');
  });

  test('Windows 10 Enterprise LTSC without a year or build: every LTSB/LTSC counts', () => {
    expect(eos({ osName: 'Windows 10 Enterprise LTSC' }, '2024-01-01').status).toBe('pass');
    expect(eos({ osName: 'Windows 10 Enterprise LTSC' }, '2026-11-25').status).toBe('unknown');
  });

  test('every release in the data supported: the verdict is given, with the first end date', () => {
    const f = eos({ osName: 'Windows 11 Enterprise' }, '2024-01-01');
    expect(f.status).toBe('pass');
    expect(f.endDate).toBe('2024-10-08');
  });

  test('every release in the data ended, but after the data was checked: a newer one may exist: unknown', () => {
    // Windows 11 Home/Pro 26H1 ends 2028-03-14, after the pack's data (2026-11-25).
    const f = eos({ osName: 'Windows 11 Pro' }, '2029-01-01');
    expect(f.status).toBe('unknown');
    expect(f.evidence.join(' ')).toMatch(/newer one/);
  });

  test('a known build is still judged by its own row', () => {
    expect(eos({ osName: 'Windows 10 Enterprise', osVersion: '10.0 (19045)' }, '2024-01-01').status).toBe('pass');
    expect(eos({ osName: 'Windows 10 Enterprise', osVersion: '10.0 (19044)' }, '2024-07-01').status).toBe('fail');
  });

  test('the same rule for any product with releases: a distribution without its version', () => {
    expect(eos({ osName: 'Debian GNU/Linux' }, '2026-11-25', { ruleId: 'OS-EOS' }).status).toBe('unknown');
    const pack: LoadedRule = {
      pack: 'test',
      packVersion: '1',
      dataAsOf: '2030-01-01',
      origin: 'test',
      rule: {
        id: 'OLD-EOS',
        kind: 'end-of-support',
        title: 'old',
        severity: 'high',
        remediation: 'upgrade',
        lifecycle: [
          { match: { product: 'Debian', release: '9' }, name: 'Debian 9', end: '2022-07-01', source: 'test' },
          { match: { product: 'Debian', release: '10' }, name: 'Debian 10', end: '2024-06-30', source: 'test' },
        ],
      } satisfies EndOfSupportRule,
    };
    expect(eos({ osName: 'Debian GNU/Linux' }, '2023-01-01', { rules: [pack], ruleId: 'OLD-EOS' }).status).toBe('unknown');
    expect(eos({ osName: 'Debian GNU/Linux' }, '2025-01-01', { rules: [pack], ruleId: 'OLD-EOS' }).status).toBe('fail');
    expect(eos({ osName: 'Debian GNU/Linux' }, '2021-01-01', { rules: [pack], ruleId: 'OLD-EOS' }).status).toBe('pass');
    // The same rows checked before Debian 10 ended: a newer release may be supported.
    expect(eos({ osName: 'Debian GNU/Linux' }, '2025-01-01', { rules: [{ ...pack, dataAsOf: '2024-01-01' }], ruleId: 'OLD-EOS' }).status).toBe('unknown');
  });
});

describe('a build no lifecycle row lists (pre-release, typo, newer than the data): judged as an open release', () => {
  test('Windows 10 Pro 10.0.21390 and 10.0.19046: every Home/Pro release has ended, so it fails', () => {
    for (const osVersion of ['10.0.21390', '10.0.19046']) {
      const f = eos({ osName: 'Microsoft Windows 10 Pro', osVersion }, '2026-11-25');
      expect(f.status).toBe('fail');
      expect(f.evidence[0]).toMatch(/^build \d+ is in no row of the lifecycle data; every possible version gives the same verdict/);
    }
  });

  test('Windows 11 Pro build 29000: releases still supported and ended ones disagree, so unknown (never the longest support)', () => {
    const f = eos({ osName: 'Microsoft Windows 11 Pro', osVersion: '10.0.29000.1' }, '2026-11-25');
    expect(f.status).toBe('unknown');
    expect(f.evidence[0]).toMatch(/^build 29000 is in no row of the lifecycle data, and the end of support depends on it/);
  });
});

describe('a release the data does not list never passes', () => {
  test.each([
    ['Rocky Linux 7', { osName: 'Rocky Linux 7', osVersion: '7' }, 'OS-EOS'],
    ['Windows 11 Enterprise LTSC on build 22000 (never an LTSC release)', { osName: 'Microsoft Windows 11 Enterprise LTSC', osVersion: '10.0.22000.1' }, 'WIN-EOS'],
  ])('%s: unknown, not the verdict of the listed releases', (_name, os, ruleId) => {
    const f = eos(os, '2026-11-25', { ruleId });
    expect(f.status).toBe('unknown');
    expect(f.evidence[0]).toMatch(/the data does not list may have ended: not judged/);
  });
});
