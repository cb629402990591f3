/**
 * OS-EOS for SUSE Linux Enterprise Server (per service pack, LTSS as the paid extension), Oracle Linux
 * (Premier / Extended Support), Amazon Linux (AMI 2018.03, 2, 2023) and CentOS Stream, at the day
 * before, the day of and the day after each end. A SLES host whose inventory gives no service pack is
 * judged against every service pack of its release: never a pass on a guess.
 */
import type { Finding } from '../../../src/evaluation/types.js';
import type { OsInput } from '../../../src/inventory/normalise-os.js';
import { loadRules } from '../../../src/rules/load-rules.js';
import type { LoadedRule } from '../../../src/rules/types.js';
import { osFinding } from '../../helpers/hosts.js';

let loaded: LoadedRule[];

beforeAll(async () => {
  loaded = await loadRules([]);
});

function eos(os: OsInput, asOf: string, esu?: string): Finding {
  return osFinding(loaded, os, asOf, { ruleId: 'OS-EOS', esu });
}

/** The status on the day before, the day of and the day after `end` (warnings counted as in support). */
function around(os: OsInput, end: string, esu?: string): string[] {
  const d = new Date(`${end}T00:00:00Z`);
  const day = (n: number): string => new Date(d.getTime() + n * 86_400_000).toISOString().slice(0, 10);
  return [-1, 0, 1].map((n) => eos(os, day(n), esu).status);
}

describe('SUSE Linux Enterprise Server', () => {
  const SP5 = { osName: 'SUSE Linux Enterprise Server 15 SP5' };

  test('15 SP5: general support ends 2024-12-31, LTSS 2027-12-31', () => {
    expect(around(SP5, '2024-12-31')).toEqual(['warn', 'warn', 'fail']);
    expect(eos(SP5, '2024-06-01').status).toBe('pass');
    expect(around(SP5, '2027-12-31', 'yes')).toEqual(['warn', 'warn', 'fail']);
    const f = eos(SP5, '2026-11-25');
    expect(f.status).toBe('fail');
    expect(f.evidence[0]).toContain('SUSE Linux Enterprise Server 15 SP5: support ended 2024-12-31');
    expect(f.evidence[0]).toContain('available until 2027-12-31');
    expect(eos(SP5, '2026-11-25', 'yes').status).toBe('pass');
  });

  test('12 SP5 ("SLES 12 SP5"): general support ends 2024-10-31, LTSS 2027-10-31', () => {
    const h = { osName: 'SLES 12 SP5' };
    expect(around(h, '2024-10-31')).toEqual(['warn', 'warn', 'fail']);
    expect(around(h, '2027-10-31', 'yes')).toEqual(['warn', 'warn', 'fail']);
  });

  test('11 SP4: general support ended 2019-03-31, LTSS 2022-03-31', () => {
    const h = { osName: 'SUSE Linux Enterprise Server 11 SP4' };
    expect(around(h, '2019-03-31')).toEqual(['warn', 'warn', 'fail']);
    expect(around(h, '2022-03-31', 'yes')).toEqual(['warn', 'warn', 'fail']);
  });

  test('os-release ID and VERSION_ID ("sles", "15.4") is 15 SP4: LTSS ends 2026-12-31', () => {
    const h = { osName: 'sles', osVersion: '15.4' };
    expect(eos(h, '2026-11-25').evidence[0]).toContain('SUSE Linux Enterprise Server 15 SP4');
    expect(around(h, '2026-12-31', 'yes')).toEqual(['warn', 'warn', 'fail']);
    expect(eos(h, '2026-11-25').status).toBe('fail');
  });

  test('15 SP7 is supported to 2031-07-31', () => {
    const h = { osName: 'SUSE Linux Enterprise Server 15 SP7' };
    expect(eos(h, '2026-11-25').status).toBe('pass');
    expect(around(h, '2031-07-31')).toEqual(['warn', 'warn', 'fail']);
  });

  test('15 without a service pack: unknown while any service pack of 15 is supported, never a pass', () => {
    const h = { osName: 'SUSE Linux Enterprise Server 15' };
    for (const asOf of ['2020-06-01', '2026-11-25', '2031-07-31']) {
      const f = eos(h, asOf);
      expect([asOf, f.status]).toEqual([asOf, 'unknown']);
      expect(f.decidedBy).toBe('release-unknown');
    }
    // Before SP1 came out, 15 could only be 15 GA.
    expect(eos(h, '2019-06-01').status).toBe('pass');
    // After every listed service pack has ended, the data (checked 2026-11-25) may lack a newer one: still not judged.
    const after = eos(h, '2031-08-01');
    expect(after.status).toBe('unknown');
    expect(after.evidence[0]).toContain('a newer one');
  });

  test('11 without a service pack fails: every service pack of 11 has ended', () => {
    const f = eos({ osName: 'SUSE Linux Enterprise Server 11' }, '2026-11-25');
    expect(f.status).toBe('fail');
    expect(f.evidence[0]).toContain('every possible version gives the same verdict');
  });

  test('a release or service pack the data does not list is never judged by another release\'s row', () => {
    // SLES 16 and a service pack that does not exist: not a 15 row's pass or fail.
    expect(eos({ osName: 'SUSE Linux Enterprise Server 16.0' }, '2026-11-25').status).toBe('unknown');
    const sp9 = eos({ osName: 'SUSE Linux Enterprise Server 15 SP9' }, '2026-11-25');
    expect(sp9.status).toBe('unknown');
    // The service pack is what no row lists, not the release.
    expect(sp9.evidence[0]).toMatch(/^release 15 SP9 is in no row of the lifecycle data/);
  });

  test('SLES for SAP Applications has a lifecycle of its own: unknown, not judged as SLES', () => {
    const f = eos({ osName: 'SUSE Linux Enterprise Server for SAP Applications 15 SP5' }, '2026-11-25');
    expect(f.status).toBe('unknown');
  });
});

describe('Oracle Linux (Premier Support; Extended Support as the paid extension)', () => {
  test('7 ("Oracle Linux 7.9"): Premier ends 2024-12-01, Extended 2028-06-01', () => {
    const h = { osName: 'Oracle Linux 7.9' };
    expect(around(h, '2024-12-01')).toEqual(['warn', 'warn', 'fail']);
    expect(around(h, '2028-06-01', 'yes')).toEqual(['warn', 'warn', 'fail']);
  });

  test('8 ("Oracle Linux Server 8.9"): Premier ends 2029-07-01', () => {
    const h = { osName: 'Oracle Linux Server 8.9' };
    expect(eos(h, '2026-11-25').status).toBe('pass');
    expect(around(h, '2029-07-01')).toEqual(['warn', 'warn', 'fail']);
    expect(around(h, '2031-07-01', 'yes')).toEqual(['warn', 'warn', 'fail']);
  });

  test('6 and 9', () => {
    expect(around({ osName: 'Oracle Linux Server release 6.10' }, '2021-03-01')).toEqual(['warn', 'warn', 'fail']);
    expect(around({ osName: 'Oracle Linux Server release 6.10' }, '2024-12-01', 'yes')).toEqual(['warn', 'warn', 'fail']);
    expect(around({ osName: 'Oracle Linux Server 9.4' }, '2032-06-01')).toEqual(['warn', 'warn', 'fail']);
  });
});

describe('Amazon Linux', () => {
  test('Amazon Linux 2: ended 2026-06-30', () => {
    expect(around({ osName: 'Amazon Linux 2' }, '2026-06-30')).toEqual(['warn', 'warn', 'fail']);
    expect(eos({ osName: 'Amazon Linux 2' }, '2026-11-25').status).toBe('fail');
  });

  test('Amazon Linux 2023: supported to 2029-06-30', () => {
    expect(eos({ osName: 'Amazon Linux 2023' }, '2026-11-25').status).toBe('pass');
    expect(around({ osName: 'Amazon Linux 2023' }, '2029-06-30')).toEqual(['warn', 'warn', 'fail']);
  });

  test('Amazon Linux AMI 2018.03: maintenance support ended 2023-12-31', () => {
    expect(around({ osName: 'Amazon Linux AMI 2018.03' }, '2023-12-31')).toEqual(['warn', 'warn', 'fail']);
  });

  test('an older Amazon Linux AMI version is never a pass', () => {
    expect(eos({ osName: 'Amazon Linux AMI', osVersion: '2017.09' }, '2022-01-01').status).toBe('unknown');
  });
});

describe('CentOS Stream', () => {
  test('9: ends 2027-05-31; 10: ends 2030-01-01', () => {
    expect(around({ osName: 'CentOS Stream 9' }, '2027-05-31')).toEqual(['warn', 'warn', 'fail']);
    expect(around({ osName: 'CentOS Stream 10' }, '2030-01-01')).toEqual(['warn', 'warn', 'fail']);
  });
});
