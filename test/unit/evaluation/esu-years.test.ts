/**
 * Extended Security Updates bought a year at a time (windows-facts.md §2.1): a host whose ESU cell
 * names a year is covered to the end of that year, not to the end of the programme.
 */
import { compileRuleSet, evaluateHost } from '../../../src/evaluation/evaluate-host.js';
import { readEsu } from '../../../src/evaluation/evaluate-rules.js';
import type { Finding } from '../../../src/evaluation/types.js';
import { normaliseOs, type OsInput } from '../../../src/inventory/normalise-os.js';
import { syntheticHost } from '../../helpers/hosts.js';
import { loadBuiltinPack, loadRules, validateRulePack } from '../../../src/rules/load-rules.js';
import type { LoadedRule } from '../../../src/rules/types.js';

let loaded: LoadedRule[];

beforeAll(async () => {
  loaded = await loadRules([]);
});

function winEos(os: OsInput, esu: string, asOf: string): Finding {
  const f = evaluateHost(syntheticHost(os, esu), compileRuleSet(loaded, { asOf, warnDays: 30 })).findings.find((x) => x.ruleId === 'WIN-EOS');
  if (!f) throw new Error('no finding');
  return f;
}

const WIN10 = { osName: 'Microsoft Windows 10 Enterprise', osVersion: '10.0.19045.6456' };
const WIN7 = { osName: 'Microsoft Windows 7 Enterprise', osVersion: '6.1.7601', servicePack: 'Service Pack 1' };
const SRV2012 = { osName: 'Microsoft Windows Server 2012 R2 Standard', osVersion: '6.3.9600' };

describe('readEsu', () => {
  test.each([
    ['Yes', { enrolled: true, year: null, until: null }],
    ['Year 1', { enrolled: true, year: 1, until: null }],
    ['Y2', { enrolled: true, year: 2, until: null }],
    ['Enrolled - Year 3', { enrolled: true, year: 3, until: null }],
    ['Yes (Year 2)', { enrolled: true, year: 2, until: null }],
    ['Year 1-3', { enrolled: true, year: 3, until: null }],
    ['Years 1-3', { enrolled: true, year: 3, until: null }],
    ['Yr 2', { enrolled: true, year: 2, until: null }],
    ['Да', { enrolled: true, year: null, until: null }],
    ['是', { enrolled: true, year: null, until: null }],
    ['Sí', { enrolled: true, year: null, until: null }],
    ['Nope', { enrolled: null, year: null, until: null }],
    ['Enrolled until 2026-10-13', { enrolled: true, year: null, until: '2026-10-13' }],
    ['Yes, Year 2 to 2027-10-12', { enrolled: true, year: null, until: '2027-10-12' }],
    // The end date as UK, German and US sheets write it, or with a month name.
    ['Enrolled until 13/10/2026', { enrolled: true, year: null, until: '2026-10-13' }],
    ['Ja bis 13.10.2026', { enrolled: true, year: null, until: '2026-10-13' }],
    ['Yes until 10/13/2026', { enrolled: true, year: null, until: '2026-10-13' }],
    ['Yes (expires 13 Oct 2026)', { enrolled: true, year: null, until: '2026-10-13' }],
    ['Enrolled - Year 1 - expires Oct 13, 2026', { enrolled: true, year: null, until: '2026-10-13' }],
    // Both readings are possible: the cover ends at the earlier.
    ['Enrolled until 01/10/2026', { enrolled: true, year: null, until: '2026-01-10' }],
    // An ISO date with its time, year first with slashes or dots, a two-digit year after a month name:
    // the end date all the same (never the programme's end, nor the year named beside it).
    ['Yes until 2026-10-13T00:00:00Z', { enrolled: true, year: null, until: '2026-10-13' }],
    ['Yes (Year 3) 2026-10-13T00:00', { enrolled: true, year: null, until: '2026-10-13' }],
    ['Yes until 2026/10/13', { enrolled: true, year: null, until: '2026-10-13' }],
    ['Ja bis 2026.10.13', { enrolled: true, year: null, until: '2026-10-13' }],
    ['Yes until 13 Oct 26', { enrolled: true, year: null, until: '2026-10-13' }],
    ['Year 1 to 2', { enrolled: true, year: 2, until: null }],
    ['Y1+Y2', { enrolled: true, year: 2, until: null }],
    ['Year 1, Year 2', { enrolled: true, year: 2, until: null }],
    ['Year 2 (FY2027)', { enrolled: true, year: 2, until: null }],
    ['ESU=yes', { enrolled: true, year: null, until: null }],
    ['No', { enrolled: false, year: null, until: null }],
    // A yes undone by what follows it: expired, lapsed, not renewed, not begun.
    ['Yes (expired)', { enrolled: false, year: null, until: null, undone: 'expired' }],
    ['Enrolled - lapsed', { enrolled: false, year: null, until: null, undone: 'lapsed' }],
    ['Yes - not renewed', { enrolled: false, year: null, until: null, undone: 'not renewed' }],
    ['Yes (pending)', { enrolled: false, year: null, until: null, undone: 'pending' }],
    ['Licensed, not activated', { enrolled: false, year: null, until: null, undone: 'not activated' }],
    ['Year 2 - cancelled', { enrolled: false, year: null, until: null, undone: 'cancelled' }],
    ['Yes?', { enrolled: false, year: null, until: null, undone: '?' }],
    // An end date is not an undoing word.
    ['Enrolled - Year 2 (expires 2027-10-12)', { enrolled: true, year: null, until: '2027-10-12' }],
    ['', { enrolled: null, year: null, until: null }],
  ])('%j', (cell, want) => {
    expect(readEsu(cell)).toEqual(want);
  });
});

describe('Windows 10 22H2 with ESU, audited 2026-11-25 (year 1 ended 2026-10-13)', () => {
  test('"Year 1": its year ended 2026-10-13, so the host fails, with the year in the evidence', () => {
    const f = winEos(WIN10, 'Year 1', '2026-11-25');
    expect(f.status).toBe('fail');
    expect(f.endDate).toBe('2026-10-13');
    expect(f.evidence[0]).toMatch(/Extended Security Updates year 1 also ended 2026-10-13 \(the programme runs to 2028-10-10/);
  });

  test('"Yes (expired)" and "Yes (pending)" are no enrolment: the host fails, and the evidence says which word undid the yes', () => {
    for (const [cell, word] of [['Yes (expired)', 'expired'], ['Yes (pending)', 'pending'], ['Enrolled - not renewed', 'not renewed']]) {
      const f = winEos(WIN10, cell, '2026-11-25');
      expect(f.status).toBe('fail');
      expect(f.evidence[0]).toContain(`(the ESU cell says "${word}", so the host is not read as enrolled)`);
    }
  });

  test('"Year 2": covered until 2027-10-12', () => {
    const f = winEos(WIN10, 'Y2', '2026-11-25');
    expect(f.status).toBe('pass');
    expect(f.endDate).toBe('2027-10-12');
    expect(f.evidence[0]).toMatch(/enrolled in Extended Security Updates year 2, which runs until 2027-10-12/);
  });

  test('enrolled without a year: to the end of the programme, as before', () => {
    const f = winEos(WIN10, 'Yes', '2026-11-25');
    expect(f.status).toBe('pass');
    expect(f.endDate).toBe('2028-10-10');
  });

  test('"Year 1" before its end: covered, and warned within the warning window', () => {
    expect(winEos(WIN10, 'Year 1', '2026-01-15').status).toBe('pass');
    expect(winEos(WIN10, 'Year 1', '2026-10-01').status).toBe('warn');
  });
});

describe('older programmes', () => {
  test('Windows 7 "Year 2" in 2022: covered to 2022-01-11, then not', () => {
    expect(winEos(WIN7, 'Year 2', '2021-06-01').status).toBe('pass');
    const after = winEos(WIN7, 'Year 2', '2022-06-01');
    expect(after.status).toBe('fail');
    expect(after.endDate).toBe('2022-01-11');
  });

  test('Server 2012 R2 "Year 3" ended 2026-10-13 with the programme', () => {
    const f = winEos(SRV2012, 'Year 3', '2026-11-25');
    expect(f.status).toBe('fail');
    expect(f.evidence[0]).toMatch(/year 3 also ended 2026-10-13; the programme ended 2026-10-13/);
  });
});

describe('esuYears in a rules file', () => {
  /** The built-in pack with Windows 7's ESU years replaced. */
  const pack = (esuYears: string[]) => {
    const p = structuredClone(loadBuiltinPack('win-eos')) as unknown as { rules: { lifecycle: { name: string; esuYears?: string[] }[] }[] };
    p.rules[0].lifecycle.find((e) => e.name === 'Windows 7')!.esuYears = esuYears;
    return p;
  };

  test('years must be in order, after the end of support, and end on esuEnd', async () => {
    expect(await validateRulePack(pack(['2021-01-12', '2022-01-11', '2023-01-10']))).toEqual([]);
    expect((await validateRulePack(pack(['2022-01-11', '2021-01-12', '2023-01-10']))).join('\n')).toMatch(/esuYears\[1\]: not after the year before/);
    expect((await validateRulePack(pack(['2019-10-08', '2023-01-10']))).join('\n')).toMatch(/esuYears\[0\]: not after end/);
    expect((await validateRulePack(pack(['2021-01-12', '2022-01-11']))).join('\n')).toMatch(/the last year must end on esuEnd/);
  });
});

describe('Windows 10 Home can have only consumer ESU (to 2027-10-12)', () => {
  const HOME = { osName: 'Microsoft Windows 10 Home', osVersion: '10.0.19045.6456' };
  const PRO = { osName: 'Microsoft Windows 10 Pro', osVersion: '10.0.19045.6456' };

  test('normaliseOs marks Home editions, in other languages too, and not Pro', () => {
    expect(normaliseOs(HOME).home).toBe(true);
    expect(normaliseOs({ osName: 'Microsoft Windows 10 Famille', osVersion: '10.0.19045' }).home).toBe(true);
    expect(normaliseOs({ osName: 'Microsoft Windows 10 Home Single Language', osVersion: '10.0.19045' }).home).toBe(true);
    expect(normaliseOs(PRO).home).toBeUndefined();
    expect(normaliseOs({ osName: 'Microsoft Windows 10 Enterprise', osVersion: '10.0.19045' }).home).toBeUndefined();
  });

  test('Home with ESU: covered until 2027-10-12, then fails; Pro with ESU runs on to 2028-10-10', () => {
    expect(winEos(HOME, 'Yes', '2027-06-01').status).toBe('pass');
    const after = winEos(HOME, 'Yes', '2028-01-15');
    expect(after.status).toBe('fail');
    expect(after.endDate).toBe('2027-10-12');
    expect(after.evidence[0]).toMatch(/consumer Extended Security Updates \(the only ESU for Home editions\) also ended 2027-10-12 \(the commercial programme, to 2028-10-10, is not for Home editions\)/);
    expect(winEos(PRO, 'Yes', '2028-01-15').status).toBe('pass');
  });

  test('a Home cell naming year 3 is still held to the consumer end; year 1 keeps its own, earlier end', () => {
    expect(winEos(HOME, 'Year 3', '2028-01-15').status).toBe('fail');
    const y1 = winEos(HOME, 'Year 1', '2026-11-25');
    expect(y1.status).toBe('fail');
    expect(y1.endDate).toBe('2026-10-13');
  });
});

describe('Home that cannot be ruled out', () => {
  test('edition unknown, ESU yes, after the consumer end: Home would have ended, Pro not, so unknown', () => {
    const f = winEos({ osName: 'Microsoft Windows 10', osVersion: '10.0.19045.6456' }, 'Yes', '2027-11-01');
    expect(f.status).toBe('unknown');
  });

  test.each([
    ['Home caption, Professional edition cell', { osName: 'Microsoft Windows 10 Home', osVersion: '10.0.19045.6456', edition: 'Professional' }],
    ['French Famille with Professionnel', { osName: 'Microsoft Windows 10 Famille Professionnel', osVersion: '10.0.19045.6456' }],
    ['Ukrainian Домашня', { osName: 'Microsoft Windows 10 Домашня', osVersion: '10.0.19045.6456' }],
  ])('%s: held to the consumer end', (_name, os) => {
    expect(winEos(os, 'Yes', '2027-11-01').status).toBe('fail');
  });
});

describe('an ESU cell naming the date its enrolment ends', () => {
  test('"Enrolled until 2026-10-13": covered to that date, not the end of the programme', () => {
    const f = winEos(WIN10, 'Enrolled until 2026-10-13', '2026-11-25');
    expect(f.status).toBe('fail');
    expect(f.endDate).toBe('2026-10-13');
    expect(f.evidence[0]).toMatch(/enrolled until 2026-10-13, as the inventory says\) also ended 2026-10-13 \(the programme runs to 2028-10-10: renewing would cover it\)/);
    expect(winEos(WIN10, 'Enrolled until 2027-10-12', '2026-11-25').status).toBe('pass');
  });

  test('an end date in UK, German or US form ends the cover too: past it, the host fails', () => {
    for (const cell of ['Enrolled until 13/10/2026', 'Ja bis 13.10.2026', 'Yes until 10/13/2026', 'Yes (expires 13 Oct 2026)']) {
      const f = winEos(WIN10, cell, '2026-11-25');
      expect([cell, f.status, f.endDate]).toEqual([cell, 'fail', '2026-10-13']);
    }
  });

  test('a date past the programme end changes nothing', () => {
    expect(winEos(WIN10, 'Yes until 2030-01-01', '2026-11-25').endDate).toBe('2028-10-10');
  });
});
