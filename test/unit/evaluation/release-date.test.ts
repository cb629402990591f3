/**
 * End of support at an audit date before the host's OS release came out (--as-of replays with a
 * newer inventory). The lifecycle entry's `released` date (windows-facts.md §2; os-eos sources) says
 * the host could not run that release on the audit date: the inventory and the audit date disagree,
 * so the verdict is unknown (never the "supported" pass the end dates alone would give).
 */
import type { Finding } from '../../../src/evaluation/types.js';
import type { OsInput } from '../../../src/inventory/normalise-os.js';
import { loadBuiltinPack, loadRules } from '../../../src/rules/load-rules.js';
import type { EndOfSupportRule, LoadedRule } from '../../../src/rules/types.js';
import { osFinding } from '../../helpers/hosts.js';

let loaded: LoadedRule[];

beforeAll(async () => {
  loaded = await loadRules([]);
});

function eos(os: OsInput, asOf: string, opts: { esu?: string; rules?: LoadedRule[]; ruleId?: string } = {}): Finding {
  return osFinding(opts.rules ?? loaded, os, asOf, opts);
}

const WIN11_PRO = { osName: 'Microsoft Windows 11 Pro', osVersion: '10.0.22000.194' };
const WIN10_22H2_PRO = { osName: 'Microsoft Windows 10 Pro', osVersion: '10.0.19045.2006' };
const WIN7 = { osName: 'Microsoft Windows 7 Enterprise', osVersion: '6.1.7601' };

/** The built-in WIN-EOS rule with every `released` date taken out (as a user's rule file written before the field). */
function winEosWithoutReleaseDates(): LoadedRule[] {
  const pack = structuredClone(loadBuiltinPack('win-eos'));
  const rule = pack.rules[0] as EndOfSupportRule;
  for (const e of rule.lifecycle) delete e.released;
  return [{ rule, pack: pack.pack, packVersion: pack.version, dataAsOf: pack.dataAsOf, origin: 'test:win-eos-no-released', sources: pack.sources }];
}

describe('a host whose OS release came out after the audit date is unknown', () => {
  test('Windows 11 at --as-of 2017-05-12: unknown, with the release date and the audit date in the evidence', () => {
    const f = eos(WIN11_PRO, '2017-05-12');
    expect(f.status).toBe('unknown');
    expect(f.decidedBy).toBe('not-yet-released');
    expect(f.evidence).toEqual([
      'Windows 11 21H2 (Home/Pro) was released 2021-10-04, after the audit date 2017-05-12: the inventory is newer than the audit date, so support on that date cannot be judged',
    ]);
    // Unknown findings carry what to do; no end date (the host's support on that date is not known).
    expect(f.remediation).toMatch(/inventory .* after the audit date/);
    expect(f.endDate).toBeUndefined();
  });

  test('Windows 10 22H2 (build 19045) at 2017: a feature update that did not exist yet is unknown', () => {
    for (const osName of ['Microsoft Windows 10 Pro', 'Microsoft Windows 10 Enterprise']) {
      const f = eos({ ...WIN10_22H2_PRO, osName }, '2017-05-12');
      expect(f.status).toBe('unknown');
      expect(f.decidedBy).toBe('not-yet-released');
      expect(f.evidence.join(' ')).toMatch(/Windows 10 22H2 \((Home\/Pro|Enterprise\/Education)\) was released 2022-10-18, after the audit date 2017-05-12/);
    }
  });

  test('Windows 10 build 19045 with no edition in the inventory: every edition it could be came later: unknown', () => {
    const f = eos({ osName: 'Microsoft Windows 10', osVersion: '10.0.19045' }, '2017-05-12');
    expect(f.status).toBe('unknown');
    expect(f.decidedBy).toBe('not-yet-released');
    expect(f.evidence.join(' ')).toMatch(/every edition it could be was released after the audit date 2017-05-12 .*2022-10-18/);
  });

  test('Windows 11 with no build: every Windows 11 release came later: unknown, never a pass', () => {
    const f = eos({ osName: 'Microsoft Windows 11 Pro' }, '2017-05-12');
    expect(f.status).toBe('unknown');
    expect(f.decidedBy).toBe('not-yet-released');
    expect(f.evidence.join(' ')).toMatch(/every version it could be was released after the audit date 2017-05-12 \(the first, Windows 11 21H2 \(Home\/Pro\), 2021-10-04\)/);
  });

  test('servers and other families: Server 2022, Server 2019, Ubuntu 22.04 at 2017-05-12', () => {
    const s2022 = eos({ osName: 'Microsoft Windows Server 2022 Standard', osVersion: '10.0.20348.587' }, '2017-05-12');
    expect([s2022.status, s2022.decidedBy]).toEqual(['unknown', 'not-yet-released']);
    expect(s2022.evidence[0]).toMatch(/^Windows Server 2022 was released 2021-08-18, after the audit date 2017-05-12/);
    expect(eos({ osName: 'Microsoft Windows Server 2019 Standard', osVersion: '10.0.17763.1' }, '2017-05-12').decidedBy).toBe('not-yet-released');
    const ubuntu = eos({ osName: 'Ubuntu 22.04.4 LTS', osVersion: '22.04' }, '2017-05-12', { ruleId: 'OS-EOS' });
    expect([ubuntu.status, ubuntu.decidedBy]).toEqual(['unknown', 'not-yet-released']);
    expect(ubuntu.evidence[0]).toMatch(/^Ubuntu 22\.04 LTS \(Jammy Jellyfish\) was released 2022-04-21, after the audit date 2017-05-12/);
  });

  test('an ESU cell does not turn it into a pass', () => {
    expect(eos(WIN10_22H2_PRO, '2017-05-12', { esu: 'Enrolled Year 1' }).status).toBe('unknown');
  });
});

describe('released by the audit date: unchanged', () => {
  test('Windows 7 at 2017-05-12: pass, supported until 2020-01-14', () => {
    const f = eos(WIN7, '2017-05-12');
    expect([f.status, f.decidedBy, f.evidence]).toEqual(['pass', 'lifecycle', ['Windows 7: supported until 2020-01-14']]);
    expect(f.endDate).toBe('2020-01-14');
  });

  test('an audit date equal to the release date counts as released', () => {
    expect(eos(WIN11_PRO, '2021-10-04').status).toBe('pass');
    expect(eos(WIN11_PRO, '2021-10-03').status).toBe('unknown');
    expect(eos(WIN10_22H2_PRO, '2022-10-18').status).toBe('pass');
    expect(eos(WIN10_22H2_PRO, '2022-10-17').status).toBe('unknown');
  });

  test('where sources disagree, the earlier (availability) date is used: Server 2016, 2019, 2022', () => {
    // Server 2016: 2016-08-02 (release information) vs 2016-10-15 (lifecycle start).
    expect(eos({ osName: 'Microsoft Windows Server 2016 Standard', osVersion: '10.0.14393.10' }, '2016-08-02').status).toBe('pass');
    expect(eos({ osName: 'Microsoft Windows Server 2016 Standard', osVersion: '10.0.14393.10' }, '2016-08-01').status).toBe('unknown');
    // Server 2022: 2021-08-18 vs 2021-11-02.
    expect(eos({ osName: 'Microsoft Windows Server 2022 Standard', osVersion: '10.0.20348.169' }, '2021-09-01').status).toBe('pass');
    // Server 2019: RTM 17763.1 on 2018-10-02 vs the re-release 2018-11-13.
    expect(eos({ osName: 'Microsoft Windows Server 2019 Standard', osVersion: '10.0.17763.1' }, '2018-10-15').status).toBe('pass');
  });

  test('after its end of support a released host still fails (XP at 2017-05-12)', () => {
    const f = eos({ osName: 'Microsoft Windows XP Professional', osVersion: '5.1.2600' }, '2017-05-12');
    expect([f.status, f.decidedBy]).toEqual(['fail', 'lifecycle']);
  });
});

describe('an entry without a release date: no release check, as before', () => {
  test('the same rule with the release dates taken out passes Windows 11 at 2017 as it used to', () => {
    const rules = winEosWithoutReleaseDates();
    const f = eos(WIN11_PRO, '2017-05-12', { rules });
    expect([f.status, f.decidedBy, f.evidence]).toEqual(['pass', 'lifecycle', ['Windows 11 21H2 (Home/Pro): supported until 2023-10-10']]);
    expect(eos({ osName: 'Microsoft Windows 11 Pro' }, '2017-05-12', { rules }).status).toBe('pass');
  });

  test('every built-in entry has a date: Rocky Linux 10 at 2017-05-12 is unknown, not a pass', () => {
    const entry = (loadBuiltinPack('os-eos').rules[0] as EndOfSupportRule).lifecycle.find((e) => e.name === 'Rocky Linux 10')!;
    expect(entry.released).toBe('2025-06-01');
    expect(eos({ osName: 'Rocky Linux 10.0 (Red Quartz)', osVersion: '10.0' }, '2017-05-12', { ruleId: 'OS-EOS' }).status).toBe('unknown');
    expect(eos({ osName: 'Rocky Linux 10.0 (Red Quartz)', osVersion: '10.0' }, '2025-07-01', { ruleId: 'OS-EOS' }).status).toBe('pass');
  });
});

describe('what the inventory leaves open: releases that came later are not ones the host could run then', () => {
  test('Windows 10 Pro with no build at 2016-01-01: only 1507 and 1511 were out, both supported: pass', () => {
    const f = eos({ osName: 'Microsoft Windows 10 Pro' }, '2016-01-01');
    expect(f.status).toBe('pass');
    expect(f.evidence[0]).toMatch(/every possible version gives the same verdict \(12 rows released after the audit date not counted, e\.g\. Windows 10 1607 \(Home\/Pro\) was released 2016-08-02/);
  });

  test('Windows 10 Pro with no build at 2017-05-12: 1507 had ended, 1511 had not: unknown (release-unknown), later rows not counted', () => {
    const f = eos({ osName: 'Microsoft Windows 10 Pro' }, '2017-05-12');
    expect([f.status, f.decidedBy]).toEqual(['unknown', 'release-unknown']);
    expect(f.evidence[0]).toMatch(/1507 \(Home\/Pro\): support ended 2017-05-09/);
    expect(f.evidence[0]).not.toMatch(/22H2/);
    expect(f.evidence[0]).toMatch(/rows released after the audit date not counted/);
  });

  test('Windows 10 1703 with no edition, on a day only the Home/Pro release was out (2017-04-07): judged as Home/Pro', () => {
    const f = eos({ osName: 'Microsoft Windows 10', osVersion: '10.0.15063' }, '2017-04-07');
    expect(f.status).toBe('pass');
    expect(f.evidence.join(' ')).toMatch(/Windows 10 1703 \(Enterprise\/Education\) was released 2017-04-11.*Windows 10 1703 \(Home\/Pro\): supported until 2018-10-09/);
  });

  test('a build no row lists is still never passed (1 row out, the host\'s build unlisted)', () => {
    expect(eos({ osName: 'Microsoft Windows 10 Pro', osVersion: '10.0.10300' }, '2015-09-01').status).toBe('unknown');
  });
});
