/**
 * The key facts of every built-in pack, pinned as verdicts: synthetic hosts (OS strings as real
 * exports write them) go through normaliseOs + compileRuleSet/evaluateHost, and each expected
 * verdict is derived from /work/shared/research/windows-facts.md (section noted per row) or, for
 * OS-EOS, from the pack's cited lifecycle sources. If a row here fails, the engine or the pack
 * data disagrees with the fact: fix the data or the engine, not the expectation.
 */
import { compileRuleSet, evaluateHost, type CompiledRuleSet } from '../../../src/evaluation/evaluate-host.js';
import type { Finding, FindingStatus } from '../../../src/evaluation/types.js';
import { normaliseOs, type OsInput } from '../../../src/inventory/normalise-os.js';
import type { CanonicalField, Host } from '../../../src/inventory/types.js';
import { loadRules } from '../../../src/rules/load-rules.js';
import type { LoadedRule } from '../../../src/rules/types.js';

const AS_OF = '2026-11-25';
const WARN_DAYS = 90;

type RuleId = 'MS17-010' | 'WIN-EOS' | 'CVE-2019-0708' | 'CVE-2020-0796' | 'OS-EOS';

let loaded: LoadedRule[];
const sets = new Map<string, CompiledRuleSet>();

beforeAll(async () => {
  loaded = await loadRules([]);
});

function ruleSet(asOf: string): CompiledRuleSet {
  let s = sets.get(asOf);
  if (!s) {
    s = compileRuleSet(loaded, { asOf, warnDays: WARN_DAYS });
    sets.set(asOf, s);
  }
  return s;
}

/**
 * A host as the inventory reader would build it. `kbs: null` = no installed-updates column at all
 * (kbEvidence false); `kbs: []` = the column exists but is empty for this host.
 */
function makeHost(os: OsInput, kbs: string[] | null, fields: Partial<Record<CanonicalField, string>> = {}): Host {
  const columns: Record<string, string> = Object.create(null);
  if (os.osName !== undefined) columns['OS Name'] = os.osName;
  if (os.osVersion !== undefined) columns['OS Version'] = os.osVersion;
  if (kbs !== null) columns['Installed KBs'] = kbs.join('; ');
  if (fields.esu !== undefined) columns['ESU'] = fields.esu;
  return {
    hostname: 'TEST-HOST',
    key: 'test-host',
    sources: [{ file: 'synthetic.csv', line: 2 }],
    os: normaliseOs(os),
    kbs: new Set(kbs ?? []),
    kbEvidence: kbs !== null,
    fields: { hostname: 'TEST-HOST', os_name: os.osName, os_version: os.osVersion, ...fields },
    columns,
  };
}

function findingFor(host: Host, ruleId: RuleId, asOf = AS_OF): Finding {
  const result = evaluateHost(host, ruleSet(asOf));
  const f = result.findings.find((x) => x.ruleId === ruleId);
  if (!f) throw new Error(`no ${ruleId} finding`);
  return f;
}

// ---------------------------------------------------------------------------------------------
// OS strings (captions/versions as WMI, systeminfo and hand-made sheets write them)

const OS = {
  xpSp3: { osName: 'Microsoft Windows XP Professional', osVersion: '5.1.2600', servicePack: 'Service Pack 3' },
  xpSp2x86: { osName: 'Microsoft Windows XP Professional', osVersion: '5.1.2600', servicePack: 'Service Pack 2', arch: '32-bit' },
  xpX64Sp2: { osName: 'Microsoft Windows XP Professional x64 Edition', osVersion: '5.2.3790', servicePack: 'Service Pack 2' },
  ws2003Sp1: { osName: 'Microsoft Windows Server 2003 Standard Edition', osVersion: '5.2.3790', servicePack: 'Service Pack 1' },
  ws2003Sp2: { osName: 'Microsoft Windows Server 2003 Standard Edition', osVersion: '5.2.3790', servicePack: 'Service Pack 2' },
  // 2003 R2 is named only by its caption; it is the same OS as 2003 (windows-facts.md §1.2, §2.1).
  ws2003r2Sp2: { osName: 'Microsoft(R) Windows(R) Server 2003 R2, Enterprise x64 Edition', osVersion: '5.2.3790', servicePack: 'Service Pack 2' },
  vista6001: { osName: 'Microsoft Windows Vista Business', osVersion: '6.0.6001' },
  vista6002: { osName: 'Microsoft Windows Vista Business', osVersion: '6.0.6002', servicePack: 'Service Pack 2' },
  ws2008Sp2: { osName: 'Microsoft Windows Server 2008 Standard', osVersion: '6.0.6002', servicePack: 'Service Pack 2' },
  win7Sp1: { osName: 'Microsoft Windows 7 Enterprise', osVersion: '6.1.7601', servicePack: 'Service Pack 1' },
  win7Rtm: { osName: 'Microsoft Windows 7 Enterprise', osVersion: '6.1.7600' },
  win8: { osName: 'Microsoft Windows 8 Pro', osVersion: '6.2.9200' },
  ws2012: { osName: 'Microsoft Windows Server 2012 Standard', osVersion: '6.2.9200' },
  win81: { osName: 'Microsoft Windows 8.1 Pro', osVersion: '6.3.9600' },
  ws2012r2: { osName: 'Microsoft Windows Server 2012 R2 Standard', osVersion: '6.3.9600' },
  ws2016: { osName: 'Microsoft Windows Server 2016 Standard', osVersion: '10.0.14393' },
  ws2019: { osName: 'Microsoft Windows Server 2019 Datacenter', osVersion: '10.0.17763' },
  ws2022: { osName: 'Microsoft Windows Server 2022 Standard', osVersion: '10.0.20348' },
  ws2025: { osName: 'Microsoft Windows Server 2025 Datacenter', osVersion: '10.0.26100' },
  ubuntu2204: { osName: 'Ubuntu 22.04.4 LTS', osVersion: '22.04' },
} satisfies Record<string, OsInput>;

const win10 = (edition: string, version: string): OsInput => ({ osName: `Microsoft Windows 10 ${edition}`, osVersion: version });
const win11 = (edition: string, version: string): OsInput => ({ osName: `Microsoft Windows 11 ${edition}`.trim(), osVersion: version });

/** [label, OS strings, installed KBs (null = no KB column), extra fields, expected product, expected verdict, evidence pattern?] */
type Row = [string, OsInput, string[] | null, Partial<Record<CanonicalField, string>>, string | null, FindingStatus, RegExp?];

function runTable(ruleId: RuleId, rows: Row[], asOf = AS_OF): void {
  // Rows are wrapped so that a missing evidence pattern is not mistaken for jest's `done` callback.
  test.each(rows.map((r) => [r[0], r] as const))(`${ruleId}: %s`, (_label, [, os, kbs, fields, product, expected, evidence]) => {
    const host = makeHost(os, kbs, fields);
    expect(host.os.product).toBe(product);
    const f = findingFor(host, ruleId, asOf);
    expect({ status: f.status, evidence: f.evidence }).toEqual(expect.objectContaining({ status: expected }));
    if (evidence) expect(f.evidence.join(' | ')).toMatch(evidence);
  });
}

const none = {};
const esu = { esu: 'Yes' };

// ---------------------------------------------------------------------------------------------

describe('MS17-010 (windows-facts.md §1.2, §5.1)', () => {
  runTable('MS17-010', [
    // XP SP3 x86: KB4012598 (out-of-band, May 2017).
    ['XP SP3 with KB4012598', OS.xpSp3, ['KB4012598'], none, 'Windows XP', 'pass', /KB4012598/],
    ['XP SP3 without KB4012598', OS.xpSp3, ['KB2347290', 'KB958644'], none, 'Windows XP', 'fail'],
    // KB4012598 targets XP SP3 x86 only; no update for SP2 x86 (fail closed even with the KB listed).
    ['XP SP2 x86 (no fix exists), even with KB4012598 listed', OS.xpSp2x86, ['KB4012598'], none, 'Windows XP', 'fail', /service pack 2 is below SP3/],
    // XP Professional x64 Edition SP2: KB4012598.
    ['XP x64 SP2 with KB4012598', OS.xpX64Sp2, ['KB4012598'], none, 'Windows XP', 'pass'],
    ['XP x64 SP2 without KB4012598', OS.xpX64Sp2, ['KB2536276'], none, 'Windows XP', 'fail'],
    // Server 2003: KB4012598 needs SP2.
    ['Server 2003 SP1 (below SP2), even with KB4012598 listed', OS.ws2003Sp1, ['KB4012598'], none, 'Windows Server 2003', 'fail', /below SP2/],
    ['Server 2003 SP2 with KB4012598', OS.ws2003Sp2, ['KB4012598'], none, 'Windows Server 2003', 'pass'],
    ['Server 2003 R2 SP2 with KB4012598', OS.ws2003r2Sp2, ['KB4012598'], none, 'Windows Server 2003 R2', 'pass', /KB4012598/],
    ['Server 2003 R2 SP2 without KB4012598', OS.ws2003r2Sp2, ['KB4500331'], none, 'Windows Server 2003 R2', 'fail'],
    // Vista: KB4012598 needs SP2 (build 6002).
    ['Vista SP1 (6001), even with KB4012598 listed', OS.vista6001, ['KB4012598'], none, 'Windows Vista', 'fail', /below SP2/],
    ['Vista SP2 (6002) with KB4012598', OS.vista6002, ['KB4012598'], none, 'Windows Vista', 'pass'],
    // Server 2008 SP2: KB4012598 or KB4018466 (supersedes it); no rollup is documented to contain it.
    ['Server 2008 SP2 with KB4018466', OS.ws2008Sp2, ['KB4018466'], none, 'Windows Server 2008', 'pass', /KB4018466/],
    ['Server 2008 SP2 with only the June 2019 Monthly Rollup KB4503273', OS.ws2008Sp2, ['KB4503273'], none, 'Windows Server 2008', 'fail'],
    // Windows 7 SP1: SO KB4012212, MR KB4012215, later MRs (KB4015549, KB4019264, ...); not April SO KB4015546.
    ['Windows 7 SP1 with KB4012212 (March 2017 security-only)', OS.win7Sp1, ['KB4012212'], none, 'Windows 7', 'pass'],
    ['Windows 7 SP1 with KB4012215 (March 2017 Monthly Rollup)', OS.win7Sp1, ['KB4012215'], none, 'Windows 7', 'pass'],
    ['Windows 7 SP1 with only KB4015549 (April 2017 Monthly Rollup)', OS.win7Sp1, ['KB4015549'], none, 'Windows 7', 'pass'],
    ['Windows 7 SP1 with only KB4019264 (May 2017 Monthly Rollup)', OS.win7Sp1, ['KB4019264'], none, 'Windows 7', 'pass'],
    ['Windows 7 SP1 with only KB4534310 (January 2020 Monthly Rollup)', OS.win7Sp1, ['KB4534310'], none, 'Windows 7', 'pass', /KB4534310/],
    ['Windows 7 SP1 with only KB4015546 (April 2017 security-only: no fix)', OS.win7Sp1, ['KB4015546'], none, 'Windows 7', 'fail', /KB4015546/],
    ['Windows 7 SP1, no installed-updates column', OS.win7Sp1, null, none, 'Windows 7', 'unknown'],
    ['Windows 7 SP1, installed-updates column empty', OS.win7Sp1, [], none, 'Windows 7', 'fail'],
    ['Windows 7 RTM (7600, below SP1), even with KB4012212 listed', OS.win7Rtm, ['KB4012212'], none, 'Windows 7', 'fail', /below SP1/],
    // Server 2012: KB4012214 / KB4012217; KB4012213 is the 8.1 / 2012 R2 update.
    ['Server 2012 with KB4012213 (the 8.1 / 2012 R2 KB)', OS.ws2012, ['KB4012213'], none, 'Windows Server 2012', 'fail'],
    ['Server 2012 with KB4012214', OS.ws2012, ['KB4012214'], none, 'Windows Server 2012', 'pass'],
    ['Windows 8.1 with KB4012213', OS.win81, ['KB4012213'], none, 'Windows 8.1', 'pass'],
    ['Windows 8 RTM with KB4012598', OS.win8, ['KB4012598'], none, 'Windows 8', 'pass'],
    // Windows 10 / Server 2016: minimum build revisions 10240.17319, 10586.839, 14393.953.
    ['Windows 10 1507 at 10240.17318', win10('Enterprise', '10.0.10240.17318'), null, none, 'Windows 10', 'fail'],
    ['Windows 10 1507 at 10240.17319', win10('Enterprise', '10.0.10240.17319'), null, none, 'Windows 10', 'pass'],
    ['Windows 10 1511 at 10586.839', win10('Pro', '10.0.10586.839'), null, none, 'Windows 10', 'pass'],
    ['Windows 10 1607 at 14393.447', win10('Enterprise', '10.0.14393.447'), null, none, 'Windows 10', 'fail'],
    ['Windows 10 1607 at 14393.953', win10('Enterprise', '10.0.14393.953'), null, none, 'Windows 10', 'pass'],
    ['Windows 10 Enterprise 2016 LTSB at 14393.447', win10('Enterprise 2016 LTSB', '10.0.14393.447'), ['KB4013429'], none, 'Windows 10', 'fail', /pending restart/],
    ['Server 2016 without a revision, KB4013429 installed', OS.ws2016, ['KB4013429'], none, 'Windows Server 2016', 'pass'],
    ['Server 2016 without a revision and without a KB column', OS.ws2016, null, none, 'Windows Server 2016', 'unknown'],
    // 1703 and later, Windows 11, Server 2019 and later: not affected.
    ['Windows 10 1703 (15063)', win10('Pro', '10.0.15063.0'), null, none, 'Windows 10', 'not-applicable'],
    ['Windows 10 22H2 (19045)', win10('Enterprise', '10.0.19045.6456'), null, none, 'Windows 10', 'not-applicable'],
    ['Windows 11 23H2', win11('Pro', '10.0.22631.4460'), null, none, 'Windows 11', 'not-applicable'],
    ['Server 2019', OS.ws2019, null, none, 'Windows Server 2019', 'not-applicable'],
    ['Server 2022', OS.ws2022, null, none, 'Windows Server 2022', 'not-applicable'],
    ['Server 2025', OS.ws2025, null, none, 'Windows Server 2025', 'not-applicable'],
    ['Ubuntu 22.04 (Linux)', OS.ubuntu2204, null, none, 'Ubuntu', 'not-applicable'],
  ]);
});

describe('WIN-EOS at 2026-11-25, warn 90 days (windows-facts.md §2)', () => {
  runTable('WIN-EOS', [
    ['Windows XP (ended 2014-04-08)', OS.xpSp3, null, none, 'Windows XP', 'fail', /2014-04-08/],
    ['Windows Server 2003 R2 (ended 2015-07-14)', OS.ws2003r2Sp2, null, none, 'Windows Server 2003 R2', 'fail', /2015-07-14/],
    ['Windows 7 (ended 2020-01-14)', OS.win7Sp1, null, none, 'Windows 7', 'fail', /2020-01-14/],
    ['Windows 7 with ESU (ESU Y3 ended 2023-01-10)', OS.win7Sp1, null, esu, 'Windows 7', 'fail', /2023-01-10/],
    ['Server 2012 R2 with ESU (ESU Y3 ended 2026-10-13)', OS.ws2012r2, null, esu, 'Windows Server 2012 R2', 'fail', /2026-10-13/],
    ['Server 2016 (ends 2027-01-12, 48 days away)', OS.ws2016, null, none, 'Windows Server 2016', 'warn', /2027-01-12/],
    ['Windows 10 22H2 Enterprise (ended 2025-10-14)', win10('Enterprise', '10.0.19045.6456'), null, none, 'Windows 10', 'fail', /2025-10-14/],
    ['Windows 10 22H2 Enterprise with ESU (commercial ESU to 2028-10-10)', win10('Enterprise', '10.0.19045.6456'), null, esu, 'Windows 10', 'pass', /2028-10-10/],
    ['Windows 10 22H2 Pro (ended 2025-10-14)', win10('Pro', '10.0.19045.6456'), null, none, 'Windows 10', 'fail', /2025-10-14/],
    ['Windows 10 Enterprise LTSC 2019 (1809, to 2029-01-09)', win10('Enterprise LTSC 2019', '10.0.17763.7314'), null, none, 'Windows 10', 'pass', /2029-01-09/],
    ['Windows 10 Enterprise 2016 LTSB (ended 2026-10-13)', win10('Enterprise 2016 LTSB', '10.0.14393.8066'), null, none, 'Windows 10', 'fail', /2026-10-13/],
    ['Windows 10 Enterprise LTSC 2021 (ends 2027-01-12, 48 days away)', win10('Enterprise LTSC 2021', '10.0.19044.6332'), null, none, 'Windows 10', 'warn', /2027-01-12/],
    ['Windows 10 IoT Enterprise LTSC 2021 (to 2032-01-13)', win10('IoT Enterprise LTSC 2021', '10.0.19044.6332'), null, none, 'Windows 10', 'pass', /2032-01-13/],
    ['Windows 11 23H2 Pro (ended 2025-11-11)', win11('Pro', '10.0.22631.4460'), null, none, 'Windows 11', 'fail', /2025-11-11/],
    ['Windows 11 23H2 Enterprise (ended 2026-11-10)', win11('Enterprise', '10.0.22631.4460'), null, none, 'Windows 11', 'fail', /2026-11-10/],
    ['Windows 11 24H2 Pro (ended 2026-10-13)', win11('Pro', '10.0.26100.4349'), null, none, 'Windows 11', 'fail', /2026-10-13/],
    ['Windows 11 24H2 Enterprise (to 2027-10-12)', win11('Enterprise', '10.0.26100.4349'), null, none, 'Windows 11', 'pass', /2027-10-12/],
    ['Windows 11 25H2 Pro (to 2027-10-12)', win11('Pro', '10.0.26200.6899'), null, none, 'Windows 11', 'pass', /2027-10-12/],
    ['Windows 11 26H2 Pro (to 2028-10-10)', win11('Pro', '10.0.26300.9457'), null, none, 'Windows 11', 'pass', /26H2 \(Home\/Pro\): supported until 2028-10-10/],
    ['Windows 11 26H2 Enterprise (to 2029-10-09)', win11('Enterprise', '10.0.26300.9457'), null, none, 'Windows 11', 'pass', /2029-10-09/],
    // Home/Pro ended 2026-10-13, Enterprise runs to 2027-10-12: without the edition it cannot be decided.
    ['Windows 11 24H2, edition unknown', win11('', '10.0.26100.4349'), null, none, 'Windows 11', 'unknown'],
    ['Windows 11 Enterprise LTSC 2024 (to 2029-10-09)', win11('Enterprise LTSC', '10.0.26100.4349'), null, none, 'Windows 11', 'pass', /2029-10-09/],
    ['Windows 11 IoT Enterprise LTSC 2024 (to 2034-10-10)', win11('IoT Enterprise LTSC', '10.0.26100.4349'), null, none, 'Windows 11', 'pass', /2034-10-10/],
    ['Windows 10 1809 Enterprise, not LTSC (ended 2021-05-11)', win10('Enterprise', '10.0.17763.7314'), null, none, 'Windows 10', 'fail', /2021-05-11/],
    ['Windows 8.1 (ended 2023-01-10)', OS.win81, null, none, 'Windows 8.1', 'fail', /2023-01-10/],
    ['Server 2008 R2 with ESU (ESU Y3 ended 2023-01-10)', { osName: 'Microsoft Windows Server 2008 R2 Standard', osVersion: '6.1.7601' }, null, esu, 'Windows Server 2008 R2', 'fail', /2023-01-10/],
    ['Server 2012 without ESU (ended 2023-10-10)', OS.ws2012, null, none, 'Windows Server 2012', 'fail', /2023-10-10/],
    ['Server 2019 (to 2029-01-09)', OS.ws2019, null, none, 'Windows Server 2019', 'pass', /2029-01-09/],
    ['Server 2022 (to 2031-10-14)', OS.ws2022, null, none, 'Windows Server 2022', 'pass', /2031-10-14/],
    ['Server 2025 (to 2034-11-14)', OS.ws2025, null, none, 'Windows Server 2025', 'pass', /2034-11-14/],
    ['Ubuntu 22.04 (not Windows)', OS.ubuntu2204, null, none, 'Ubuntu', 'not-applicable'],
  ]);
});

describe('CVE-2019-0708 BlueKeep (windows-facts.md §3.1, §5.3)', () => {
  runTable('CVE-2019-0708', [
    ['Windows 7 SP1 with KB4499175 (May 2019 security-only)', OS.win7Sp1, ['KB4499175'], none, 'Windows 7', 'pass'],
    ['Windows 7 SP1 with KB4499164 (May 2019 Monthly Rollup)', OS.win7Sp1, ['KB4499164'], none, 'Windows 7', 'pass'],
    ['Windows 7 SP1 with only KB4503292 (June 2019 Monthly Rollup)', OS.win7Sp1, ['KB4503292'], none, 'Windows 7', 'pass', /KB4503292/],
    ['Windows 7 SP1 with only KB4534310 (January 2020 Monthly Rollup)', OS.win7Sp1, ['KB4534310'], none, 'Windows 7', 'pass'],
    ['Windows 7 SP1 with nothing relevant', OS.win7Sp1, ['KB4012212'], none, 'Windows 7', 'fail'],
    ['Windows 7 SP1 with an empty installed-updates column', OS.win7Sp1, [], none, 'Windows 7', 'fail'],
    ['Server 2008 SP2 with KB4499180', OS.ws2008Sp2, ['KB4499180'], none, 'Windows Server 2008', 'pass'],
    ['Server 2008 SP2 with only KB4503273 (June 2019 Monthly Rollup)', OS.ws2008Sp2, ['KB4503273'], none, 'Windows Server 2008', 'pass'],
    ['XP SP3 with KB4500331', OS.xpSp3, ['KB4500331'], none, 'Windows XP', 'pass'],
    ['XP SP3 without KB4500331', OS.xpSp3, ['KB4012598'], none, 'Windows XP', 'fail'],
    ['Server 2003 SP2 with KB4500331', OS.ws2003Sp2, ['KB4500331'], none, 'Windows Server 2003', 'pass'],
    ['Server 2003 R2 SP2 with KB4500331', OS.ws2003r2Sp2, ['KB4500331'], none, 'Windows Server 2003 R2', 'pass'],
    ['Server 2003 R2 SP2 without KB4500331', OS.ws2003r2Sp2, ['KB4012598'], none, 'Windows Server 2003 R2', 'fail'],
    // Vista: affected (NSA list), no Microsoft fix found: always fail.
    ['Vista SP2 (no fix)', OS.vista6002, ['KB4500331', 'KB4499180'], none, 'Windows Vista', 'fail'],
    ['Windows 8.1 (not affected)', OS.win81, null, none, 'Windows 8.1', 'not-applicable'],
    ['Server 2012 (not affected)', OS.ws2012, null, none, 'Windows Server 2012', 'not-applicable'],
    ['Windows 10 22H2 (not affected)', win10('Enterprise', '10.0.19045.6456'), null, none, 'Windows 10', 'not-applicable'],
  ]);
});

describe('CVE-2020-0796 SMBGhost (windows-facts.md §3.2, §5.4)', () => {
  runTable('CVE-2020-0796', [
    ['Windows 10 1909 at 18363.719', win10('Enterprise', '10.0.18363.719'), null, none, 'Windows 10', 'fail'],
    ['Windows 10 1909 at 18363.720', win10('Enterprise', '10.0.18363.720'), null, none, 'Windows 10', 'pass'],
    ['Windows 10 1903 at 18362.720', win10('Pro', '10.0.18362.720'), null, none, 'Windows 10', 'pass'],
    ['Windows 10 1903 at 18362.657', win10('Pro', '10.0.18362.657'), null, none, 'Windows 10', 'fail'],
    ['Windows 10 1909 without a revision, KB4551762 installed', win10('Enterprise', '10.0.18363'), ['KB4551762'], none, 'Windows 10', 'pass'],
    // systeminfo gives no revision and lists only the newest cumulative update: one newer than the fix
    // (June 2020, KB4560960) may contain it, and no catalog of 1903/1909 updates says, so unknown.
    ['Windows 10 1909 without a revision, a later update only', win10('Enterprise', '10.0.18363'), ['KB4560960'], none, 'Windows 10', 'unknown', /KB4560960 is newer than the fix/],
    ['Windows 10 1903 without a revision, the March 2020 update before the fix', win10('Pro', '10.0.18362'), ['KB4540673'], none, 'Windows 10', 'fail'],
    ['Windows 10 1909 without a revision, empty update list', win10('Enterprise', '10.0.18363'), [], none, 'Windows 10', 'fail'],
    ['Windows 10 2004 (not affected)', win10('Enterprise', '10.0.19041.1415'), null, none, 'Windows 10', 'not-applicable'],
    ['Windows 10 1809 (not affected)', win10('Enterprise', '10.0.17763.1'), null, none, 'Windows 10', 'not-applicable'],
    ['Windows 11 (not affected)', win11('Enterprise', '10.0.22631.4460'), null, none, 'Windows 11', 'not-applicable'],
    ['Windows 7 (not affected)', OS.win7Sp1, null, none, 'Windows 7', 'not-applicable'],
    ['Windows Server 2003 R2 (not affected)', OS.ws2003r2Sp2, null, none, 'Windows Server 2003 R2', 'not-applicable'],
  ]);
});

// The revision where Windows and exports write it beside the build, without the NT version: it decides
// the build checks (windows-facts.md §1.2 14393.953; §3.2 18363.720), so a patched host is not failed or left unknown.
describe('build revisions written as "Build B.R", "OS Build B.R", "B.R" (windows-facts.md §1.2, §3.2)', () => {
  runTable('CVE-2020-0796', [
    ['Qualys "… Version 1909 Build 18363.1556", no update list', { osName: 'Windows 10 Enterprise 64 bit Edition Version 1909 Build 18363.1556' }, null, none, 'Windows 10', 'pass', /18363\.1556 ≥ 18363\.720/],
    ['"OS Build 18363.1556", a later update only', win10('Pro', 'OS Build 18363.1556'), ['KB5003169'], none, 'Windows 10', 'pass'],
    ['"18363.418", the October 2019 update', win10('Pro', '18363.418'), ['KB4517389'], none, 'Windows 10', 'fail', /18363\.418 < 18363\.720/],
    ['"10.0.18363 Build 18363.1556"', win10('Pro', '10.0.18363 Build 18363.1556'), ['KB5003169'], none, 'Windows 10', 'pass'],
  ]);
  runTable('MS17-010', [
    ['Server 2016 "Build 14393.7428", only a servicing stack update listed', { osName: 'Microsoft Windows Server 2016 Standard', osVersion: 'Build 14393.7428' }, ['KB5023788'], none, 'Windows Server 2016', 'pass', /14393\.7428 ≥ 14393\.953/],
    ['LTSB 2016 "14393.447"', { osName: 'Microsoft Windows 10 Enterprise 2016 LTSB', osVersion: '14393.447' }, ['KB3200970'], none, 'Windows 10', 'fail', /14393\.447 < 14393\.953/],
  ]);
});

test('CVE-2020-0796: hosts of one OS that differ only in an update newer than the fix are judged apart', () => {
  const os = win10('Enterprise', '10.0.18363');
  const set = compileRuleSet(loaded, { asOf: AS_OF, warnDays: WARN_DAYS });
  const status = (kbs: string[]): FindingStatus => evaluateHost(makeHost(os, kbs), set).findings.find((f) => f.ruleId === 'CVE-2020-0796')!.status;
  expect(status(['KB4540673'])).toBe('fail');
  expect(status(['KB4540673', 'KB4560960'])).toBe('unknown');
  expect(status(['KB4540673'])).toBe('fail');
});

describe('OS-EOS at 2026-11-25 (dates from the pack sources: endoflife.date, distro-info-data)', () => {
  runTable('OS-EOS', [
    ['Ubuntu 18.04 (standard support ended 2023-05-31)', { osName: 'Ubuntu 18.04.6 LTS', osVersion: '18.04' }, null, none, 'Ubuntu', 'fail', /2023-05-31/],
    ['Ubuntu 22.04 (to 2027-06-01)', { osName: 'Ubuntu 22.04.4 LTS', osVersion: '22.04' }, null, none, 'Ubuntu', 'pass'],
    ['Ubuntu 24.04 (to 2029-05-31)', { osName: 'Ubuntu 24.04.1 LTS', osVersion: '24.04' }, null, none, 'Ubuntu', 'pass'],
    ['RHEL 7 (maintenance ended 2024-06-30)', { osName: 'Red Hat Enterprise Linux Server 7.9 (Maipo)', osVersion: '7.9' }, null, none, 'Red Hat Enterprise Linux', 'fail', /2024-06-30/],
    ['RHEL 9 (to 2032-05-31)', { osName: 'Red Hat Enterprise Linux 9.4 (Plow)', osVersion: '9.4' }, null, none, 'Red Hat Enterprise Linux', 'pass'],
    ['CentOS 7 (ended 2024-06-30)', { osName: 'CentOS Linux 7 (Core)', osVersion: '7.9.2009' }, null, none, 'CentOS', 'fail', /2024-06-30/],
    ['Debian 12 (LTS to 2028-06-30)', { osName: 'Debian GNU/Linux 12 (bookworm)', osVersion: '12' }, null, none, 'Debian', 'pass'],
    ['macOS 12 Monterey (ended 2024-09-16)', { osName: 'macOS', osVersion: '12.7.6' }, null, none, 'macOS', 'fail', /2024-09-16/],
    ['Windows 10 (not Linux/macOS)', win10('Enterprise', '10.0.19045.6456'), null, none, 'Windows 10', 'not-applicable'],
  ]);
});

describe('host status over all five rules', () => {
  test('a fully patched but unsupported Windows 7 is non-compliant; a patched Server 2022 is compliant', () => {
    const w7 = evaluateHost(makeHost(OS.win7Sp1, ['KB4012215', 'KB4534310']), ruleSet(AS_OF));
    expect(w7.findings.map((f) => [f.ruleId, f.status])).toEqual([
      ['MS17-010', 'pass'],
      ['WIN-EOS', 'fail'],
      ['CVE-2019-0708', 'pass'],
      ['CVE-2020-0796', 'not-applicable'],
      ['OS-EOS', 'not-applicable'],
    ]);
    expect(w7.status).toBe('non-compliant');
    const ws = evaluateHost(makeHost(OS.ws2022, []), ruleSet(AS_OF));
    expect(ws.status).toBe('compliant');
  });

  test('Server 2016 (warn only) is compliant: warn does not make a host non-compliant', () => {
    const r = evaluateHost(makeHost({ ...OS.ws2016, osVersion: '10.0.14393.7428' }, []), ruleSet(AS_OF));
    expect(r.findings.find((f) => f.ruleId === 'WIN-EOS')?.status).toBe('warn');
    expect(r.findings.find((f) => f.ruleId === 'MS17-010')?.status).toBe('pass');
    expect(r.status).toBe('compliant');
  });
});

describe('every Windows product the OS reader names has data in every Windows pack', () => {
  // One caption per product the reader can name. A product missing from a pack's matches makes every
  // such host `unknown` ("no … data"), as Server 2003 R2 once was: safe, but it hides a verdict the
  // data decide.
  const captions: [string, OsInput][] = [
    ['Windows 2000', { osName: 'Microsoft Windows 2000 Server', osVersion: '5.0.2195', servicePack: 'Service Pack 4' }],
    ['Windows XP', OS.xpSp3],
    ['Windows XP Embedded', { osName: 'Microsoft Windows XP Embedded', osVersion: '5.1.2600', servicePack: 'Service Pack 3' }],
    ['Windows Embedded for Point of Service', { osName: 'Microsoft Windows Embedded for Point of Service', osVersion: '5.1.2600', servicePack: 'Service Pack 3' }],
    ['Windows Embedded Standard 2009', { osName: 'Microsoft Windows Embedded Standard', osVersion: '5.1.2600', servicePack: 'Service Pack 3' }],
    ['Windows Embedded POSReady 2009', { osName: 'Windows Embedded POSReady 2009', osVersion: '5.1.2600', servicePack: 'Service Pack 3' }],
    ['Windows Server 2003', OS.ws2003Sp2],
    ['Windows Server 2003 R2', OS.ws2003r2Sp2],
    ['Windows Vista', OS.vista6002],
    ['Windows Server 2008', OS.ws2008Sp2],
    ['Windows 7', OS.win7Sp1],
    ['Windows Server 2008 R2', { osName: 'Microsoft Windows Server 2008 R2 Standard', osVersion: '6.1.7601', servicePack: 'Service Pack 1' }],
    ['Windows 8', OS.win8],
    ['Windows RT', { osName: 'Microsoft Windows RT', osVersion: '6.2.9200' }],
    ['Windows 8.1', OS.win81],
    ['Windows RT 8.1', { osName: 'Microsoft Windows RT 8.1', osVersion: '6.3.9600' }],
    ['Windows Server 2012', OS.ws2012],
    ['Windows Server 2012 R2', OS.ws2012r2],
    ['Windows 10', win10('Enterprise', '10.0.19045.6456')],
    ['Windows 11', win11('Enterprise', '10.0.26100.4349')],
    ['Windows Server', { osName: 'Windows Server Datacenter, version 1909', osVersion: '10.0.18363.1556' }],
    ['Windows Server 2016', OS.ws2016],
    ['Windows Server 2019', OS.ws2019],
    ['Windows Server 2022', OS.ws2022],
    ['Windows Server 2025', OS.ws2025],
  ];
  const windowsRules: RuleId[] = ['MS17-010', 'WIN-EOS', 'CVE-2019-0708', 'CVE-2020-0796'];

  test.each(captions)('%s', (product, os) => {
    const host = makeHost(os, []);
    expect(host.os.product).toBe(product);
    for (const asOf of ['2017-05-12', AS_OF]) {
      const noData = evaluateHost(host, ruleSet(asOf))
        .findings.filter((f) => windowsRules.includes(f.ruleId as RuleId) && f.decidedBy === 'no-data')
        .map((f) => `${f.ruleId} at ${asOf}: ${f.evidence.join(' ')}`);
      expect(noData).toEqual([]);
    }
  });
});

describe('an audit dated before a flaw was made public (--as-of replays)', () => {
  // MS17-010 2017-03-14, BlueKeep 2019-05-14, SMBGhost 2020-03-12 (each pack's `published`, with its source).
  const at = (os: OsInput, kbs: string[], ruleId: RuleId, asOf: string) => findingFor(makeHost(os, kbs), ruleId, asOf);

  test('on WannaCry day a Windows 7 with the March 2017 fix is compliant: BlueKeep and SMBGhost were not public yet', () => {
    const r = evaluateHost(makeHost(OS.win7Sp1, ['KB4012212']), ruleSet('2017-05-12'));
    expect(r.findings.map((f) => [f.ruleId, f.status])).toEqual([
      ['MS17-010', 'pass'],
      ['WIN-EOS', 'pass'],
      ['CVE-2019-0708', 'not-applicable'],
      ['CVE-2020-0796', 'not-applicable'],
      ['OS-EOS', 'not-applicable'],
    ]);
    expect(r.status).toBe('compliant');
    expect(r.findings[2]!.evidence).toEqual(['CVE-2019-0708 was made public on 2019-05-14, after the audit date 2017-05-12']);
  });

  test.each([
    ['MS17-010', 'Windows 7', OS.win7Sp1, '2017-03-13', 'not-applicable'],
    ['MS17-010', 'Windows 7', OS.win7Sp1, '2017-03-14', 'fail'],
    ['CVE-2019-0708', 'Windows 7', OS.win7Sp1, '2019-05-13', 'not-applicable'],
    ['CVE-2019-0708', 'Windows 7', OS.win7Sp1, '2019-05-14', 'fail'],
    ['CVE-2020-0796', 'Windows 10 1909', win10('Pro', '10.0.18363.719'), '2020-03-11', 'not-applicable'],
    ['CVE-2020-0796', 'Windows 10 1909', win10('Pro', '10.0.18363.719'), '2020-03-12', 'fail'],
  ] as const)('%s on %s at %s: %s', (ruleId, _label, os, asOf, expected) => {
    expect(at(os, [], ruleId, asOf).status).toBe(expected);
  });

  test('a rollup from after the audit date does not count: the inventory is newer than the date it is audited for', () => {
    const w7 = at(OS.win7Sp1, ['KB4534310'], 'MS17-010', '2017-05-12');
    expect(w7.status).toBe('fail');
    expect(w7.evidence.join(' | ')).toContain('KB4534310 (2020-01) came out after the audit date 2017-05-12: not counted');
    expect(at(OS.win7Sp1, ['KB4534310'], 'MS17-010', '2020-02-01').status).toBe('pass');
    expect(at(OS.win81, ['KB5022352'], 'MS17-010', '2017-05-12').status).toBe('fail');
    expect(at(OS.win81, ['KB5022352'], 'MS17-010', '2023-02-01').status).toBe('pass');
    // A running build from after the audit date is no evidence either.
    const w10 = at(win10('Enterprise', '10.0.14393.7000'), [], 'MS17-010', '2017-05-12');
    expect(w10.status).toBe('fail');
    expect(w10.evidence.join(' | ')).toMatch(/build 14393\.7000 came out after the audit date 2017-05-12 \(the newest out by 2017-05 is 14393\.\d+\): not counted/);
    expect(at(win10('Enterprise', '10.0.14393.1198'), [], 'MS17-010', '2017-05-12').status).toBe('pass');
    expect(at(win10('Enterprise', '10.0.14393.7000'), [], 'MS17-010', AS_OF).status).toBe('pass');
    // An update newer than the whole catalog cannot be a fix at a date inside the catalog's span either.
    expect(at(OS.win7Sp1, ['KB9999999'], 'MS17-010', '2017-05-12').status).toBe('fail');
  });

  test('an OS the rule has no data for stays unknown only once the flaw is public', () => {
    const os = { osName: 'Windows 10 Enterprise' };
    expect(at(os, [], 'CVE-2020-0796', '2020-03-11').status).toBe('not-applicable');
    expect(at(os, [], 'CVE-2020-0796', '2020-03-12').status).toBe('unknown');
  });
});

describe('SKUs with a lifecycle of their own, and names that are not Windows (MicrosoftDocs lifecycle data, win-eos.json [S5b])', () => {
  const wes7 = { osName: 'Microsoft Windows Embedded Standard', osVersion: '6.1.7601', servicePack: 'Service Pack 1' };
  const posready7 = { osName: 'Microsoft Windows Embedded POSReady 7', osVersion: '6.1.7601', servicePack: 'Service Pack 1' };
  const thinPc = { osName: 'Microsoft Windows Thin PC', osVersion: '6.1.7601', servicePack: 'Service Pack 1' };
  const we8s = { osName: 'Microsoft Windows Embedded 8 Standard', osVersion: '6.2.9200' };
  const we81i = { osName: 'Microsoft Windows Embedded 8.1 Industry Pro', osVersion: '6.3.9600' };
  const whs = { osName: 'Microsoft Windows Home Server', osVersion: '5.2.3790', servicePack: 'Service Pack 2' };
  const whs2011 = { osName: 'Windows Home Server 2011', osVersion: '6.1.7601', servicePack: 'Service Pack 1' };
  const verdict = (os: OsInput, asOf: string, fields: Partial<Record<CanonicalField, string>> = {}) => findingFor(makeHost(os, [], fields), 'WIN-EOS', asOf);

  test.each([
    // Between the base product's end and the SKU's own.
    ['Embedded Standard 7 after Windows 7 ended', wes7, '2020-06-01', 'pass', /Windows Embedded Standard 7: supported until 2020-10-13/],
    ['Embedded Standard 7 after its own end', wes7, '2020-10-14', 'fail', /support ended 2020-10-13/],
    ['POSReady 7 after Windows 7 ended', posready7, '2021-06-01', 'pass', /POSReady 7: supported until 2021-10-12/],
    ['POSReady 7 after its own end', posready7, '2021-10-13', 'fail', /ESU.*2024-10-08|2024-10-08/],
    ['Thin PC after Windows 7 ended', thinPc, '2021-06-01', 'pass', /Windows Thin PC: supported until 2021-10-12/],
    ['Thin PC after its end', thinPc, '2021-10-13', 'fail', /Windows Thin PC: support ended 2021-10-12/],
    ['Embedded 8 Standard after Windows 8 ended', we8s, '2022-06-01', 'pass', /Windows Embedded 8 Standard: supported until 2023-07-11/],
    ['Embedded 8 Standard after its end', we8s, '2023-07-12', 'fail', /support ended 2023-07-11/],
    ['Embedded 8.1 Industry after Windows 8.1 ended', we81i, '2023-03-01', 'pass', /8\.1 Industry.*supported until 2023-07-11/],
    ['Home Server before Server 2003 ended, after its own end', whs, '2014-06-01', 'fail', /Windows Home Server: support ended 2013-01-08/],
    ['Home Server 2011 before Server 2008 R2 ended', whs2011, '2018-01-01', 'fail', /Windows Home Server 2011: support ended 2016-04-12/],
  ] as const)('%s (%s)', (_label, os, asOf, expected, evidence) => {
    const f = verdict(os, asOf);
    expect(f.status).toBe(expected);
    expect(f.evidence.join(' | ')).toMatch(evidence);
  });

  test('POSReady 7 enrolled in ESU year 3 is covered to 2024-10-08, Embedded Standard 7 to 2023-10-10', () => {
    expect(verdict(posready7, '2024-06-01', { esu: 'Year 3' }).status).toBe('pass');
    expect(verdict(wes7, '2023-06-01', { esu: 'Year 3' }).status).toBe('pass');
    expect(verdict(wes7, '2023-10-11', { esu: 'Year 3' }).status).toBe('fail');
  });

  test('Embedded 8 Standard listing the Server 2012 MS17-010 updates: unknown (which update applies is not confirmed), not a confident fail', () => {
    const f = findingFor(makeHost(we8s, ['KB4012217']), 'MS17-010', '2022-06-01');
    expect(f.status).toBe('unknown');
    expect(f.evidence.join(' ')).toMatch(/Embedded 8 Standard is not confirmed/);
  });

  test('Embedded Standard 7 keeps the Windows 7 patch rules (same updates)', () => {
    expect(findingFor(makeHost(wes7, ['KB4012215']), 'MS17-010', '2022-06-01').status).toBe('pass');
    expect(findingFor(makeHost(wes7, ['KB4499164']), 'CVE-2019-0708', '2022-06-01').status).toBe('pass');
  });

  test('Hyper-V Server 2019 has the dates of Windows Server 2019', () => {
    const f = verdict({ osName: 'Microsoft Hyper-V Server 2019', osVersion: '10.0.17763.5000' }, '2026-11-25');
    expect(f.status).toBe('pass');
    expect(f.evidence.join(' ')).toMatch(/Windows Server 2019: supported until 2029-01-09/);
  });

  test.each([
    ['Azure Stack HCI 21H2 (build 20348, Windows Server 2022 by build)', { osName: 'Microsoft Azure Stack HCI', osVersion: '10.0.20348.1850' }],
    ['an unknown appliance with an NT-like version', { osName: 'Contoso StorageOS', osVersion: '10.0.20348.1850' }],
  ])('%s is unknown for every Windows rule, never compliant', (_label, os) => {
    const r = evaluateHost(makeHost(os, []), ruleSet(AS_OF));
    expect(r.status).toBe('unknown');
    for (const id of ['MS17-010', 'WIN-EOS', 'CVE-2019-0708', 'CVE-2020-0796'] as const) expect(findingFor(makeHost(os, []), id).status).toBe('unknown');
  });

  test('Raspbian 10 is judged as Debian 10 by OS-EOS', () => {
    const f = findingFor(makeHost({ osName: 'Raspbian GNU/Linux 10 (buster)' }, null), 'OS-EOS', '2026-11-25');
    expect(f.status).toBe('fail');
    expect(f.evidence.join(' ')).toMatch(/Debian 10/);
  });
});

describe('XP-based embedded products on their own lifecycles (win-eos.json [S5c][S5d][S5e])', () => {
  // As the devices brand themselves (winbrand.dll), with the systeminfo version line.
  const wes2009 = { osName: 'Microsoft Windows Embedded Standard', osVersion: '5.1.2600 Service Pack 3 Build 2600' };
  const wepos = { osName: 'Microsoft Windows Embedded for Point of Service', osVersion: '5.1.2600 Service Pack 3 Build 2600' };
  const wepos11 = { osName: 'WEPOS 1.1 with SP3', osVersion: '5.1.2600' };
  const xpe = { osName: 'Microsoft Windows XP Embedded', osVersion: '5.1.2600 Service Pack 3 Build 2600' };
  const eos = (os: OsInput, asOf: string): Finding => findingFor(makeHost(os, []), 'WIN-EOS', asOf);
  /** The WIN-EOS status on the day before, the day of and the day after `end` (90 warning days). */
  const around = (os: OsInput, end: string): string[] => {
    const d = new Date(`${end}T00:00:00Z`);
    const day = (n: number): string => new Date(d.getTime() + n * 86_400_000).toISOString().slice(0, 10);
    return [-1, 0, 1].map((n) => eos(os, day(n)).status);
  };

  test('Windows Embedded Standard 2009 is supported to 2019-01-08, not to XP Embedded\'s 2016-01-12', () => {
    expect(around(wes2009, '2019-01-08')).toEqual(['warn', 'warn', 'fail']);
    expect(eos(wes2009, '2016-01-13').status).toBe('pass');
    expect(eos(wes2009, '2017-06-01').evidence.join(' | ')).toMatch(/Windows Embedded Standard 2009: supported until 2019-01-08/);
    expect(eos(wes2009, '2019-01-09').evidence.join(' | ')).toMatch(/Windows Embedded Standard 2009: support ended 2019-01-08/);
    expect(eos({ osName: 'Windows Embedded Standard 2009' }, '2018-06-01').status).toBe('pass');
  });

  test('WEPOS is supported to 2016-04-12, not to Windows XP\'s 2014-04-08', () => {
    expect(around(wepos, '2016-04-12')).toEqual(['warn', 'warn', 'fail']);
    expect(around(wepos11, '2016-04-12')).toEqual(['warn', 'warn', 'fail']);
    expect(eos(wepos, '2014-04-09').status).toBe('pass');
    expect(eos(wepos, '2016-04-13').evidence.join(' | ')).toMatch(/Windows Embedded for Point of Service \(WEPOS\): support ended 2016-04-12/);
  });

  test('XP Embedded keeps its own 2016-01-12 end', () => {
    expect(around(xpe, '2016-01-12')).toEqual(['warn', 'warn', 'fail']);
  });

  test('an audit dated before a product came out cannot judge it (release dates 2008-10-15, 2005-06-06)', () => {
    expect(eos(wes2009, '2008-10-14').status).toBe('unknown');
    expect(eos(wes2009, '2008-10-15').status).toBe('pass');
    expect(eos(wepos, '2005-06-05').status).toBe('unknown');
  });

  test('MS17-010: only the installed KB4012598 counts (which update fixes these is unconfirmed); without it the host fails', () => {
    for (const os of [wes2009, wepos]) {
      expect(findingFor(makeHost(os, ['KB4012598']), 'MS17-010', '2017-06-01').status).toBe('pass');
      expect(findingFor(makeHost(os, ['KB4012212']), 'MS17-010', '2017-06-01').status).toBe('fail');
      expect(findingFor(makeHost(os, []), 'MS17-010', '2017-06-01').status).toBe('fail');
    }
    // WEPOS below SP3 has no update.
    const sp2 = findingFor(makeHost({ ...wepos, osVersion: '5.1.2600 Service Pack 2 Build 2600' }, ['KB4012598']), 'MS17-010', '2017-06-01');
    expect(sp2.status).toBe('fail');
  });

  test('BlueKeep: only the installed KB4500331 counts; SMBGhost does not apply', () => {
    for (const os of [wes2009, wepos]) {
      expect(findingFor(makeHost(os, ['KB4500331']), 'CVE-2019-0708', '2019-06-01').status).toBe('pass');
      expect(findingFor(makeHost(os, []), 'CVE-2019-0708', '2019-06-01').status).toBe('fail');
      expect(findingFor(makeHost(os, []), 'CVE-2020-0796', '2020-06-01').status).toBe('not-applicable');
    }
  });
});

describe('an OS name and numbers that disagree, agent versions, ReleaseId 2009 and admin shorthands (fail closed)', () => {
  const WINDOWS_RULES = ['MS17-010', 'WIN-EOS', 'CVE-2019-0708', 'CVE-2020-0796'] as const;

  test.each([
    ['Windows 7 Enterprise caption, Windows 10 version, ESU Yes', { osName: 'Microsoft Windows 7 Enterprise', osVersion: '10.0.19045' }, ['KB5044273'], esu],
    ['Server 2008 R2 caption, Server 2022 version', { osName: 'Microsoft Windows Server 2008 R2 Standard', osVersion: '10.0.20348' }, [], none],
    ['XP caption, Windows 11 version', { osName: 'Microsoft Windows XP Professional', osVersion: '10.0.22631' }, [], none],
    ['Windows 11 caption, Windows 10 build, ESU Yes', { osName: 'Microsoft Windows 11 Enterprise', osVersion: '10.0.19045.6456' }, [], esu],
    ['Server 2016 caption, Server 2019 build', { osName: 'Microsoft Windows Server 2016 Standard', osVersion: '10.0.17763.5830' }, [], none],
    ['Server 2022 caption, Windows 11 build', { osName: 'Windows Server 2022 Standard', osVersion: '10.0.22631.3880' }, [], none],
  ] as const)('%s: every Windows rule unknown, the host never compliant', (_label, os, kbs, fields) => {
    const host = makeHost(os, [...kbs], fields);
    expect(host.os.product).toBeNull();
    expect(evaluateHost(host, ruleSet(AS_OF)).status).toBe('unknown');
    for (const id of WINDOWS_RULES) expect(findingFor(host, id).status).toBe('unknown');
  });

  test('Windows 10 Pro with an agent version "6.1.3" is Windows 10: MS17-010 and BlueKeep do not fail as on Windows 7', () => {
    const host = makeHost({ osName: 'Windows 10 Pro', osVersion: '6.1.3' }, ['KB5044273']);
    expect(host.os.product).toBe('Windows 10');
    expect(findingFor(host, 'CVE-2019-0708').status).toBe('not-applicable');
    expect(findingFor(host, 'MS17-010').status).not.toBe('fail');
    expect(findingFor(host, 'WIN-EOS').status).toBe('fail');
  });

  test('Windows Server 2019 with an agent version "6.2.5.4" is judged by its name', () => {
    const host = makeHost({ osName: 'Microsoft Windows Server 2019 Standard', osVersion: '6.2.5.4' }, []);
    expect(host.os).toMatchObject({ product: 'Windows Server 2019', servicePack: null });
    expect(findingFor(host, 'WIN-EOS').status).toBe('pass');
    expect(findingFor(host, 'MS17-010').status).toBe('not-applicable');
  });

  test('a Windows 10 caption on a Windows 11 build is Windows 11 (the registry ProductName quirk)', () => {
    const host = makeHost({ osName: 'Microsoft Windows 10 Enterprise', osVersion: '10.0.26100.4349' }, null);
    expect(host.os.product).toBe('Windows 11');
    expect(findingFor(host, 'WIN-EOS').status).toBe('pass');
  });

  test('ReleaseId 2009 without a build: every release from 1507 to 22H2 is possible, so Enterprise with ESU is unknown, not 20H2 (ended 2023-05-09)', () => {
    const host = makeHost({ osName: 'Microsoft Windows 10 Enterprise', release: '2009' }, null, esu);
    expect(host.os).toMatchObject({ product: 'Windows 10', release: null });
    expect(findingFor(host, 'WIN-EOS').status).toBe('unknown');
    // With the build, the release is known: 22H2 with ESU passes.
    const built = makeHost({ osName: 'Microsoft Windows 10 Enterprise', release: '2009', build: '19045' }, null, esu);
    expect(built.os.release).toBe('22H2');
    expect(findingFor(built, 'WIN-EOS').status).toBe('pass');
  });

  test.each([
    ['W10 Pro 21H2 (ended 2023-06-13)', { osName: 'W10 Pro 21H2' }, 'Windows 10', 'fail'],
    ['Server 2012R2 with ESU (ESU Y3 ended 2026-10-13)', { osName: 'Server 2012R2' }, 'Windows Server 2012 R2', 'fail'],
    ['Win 2k8 R2 (ended 2020-01-14)', { osName: 'Win 2k8 R2' }, 'Windows Server 2008 R2', 'fail'],
    ['W2K12R2', { osName: 'W2K12R2' }, 'Windows Server 2012 R2', 'fail'],
    ['W2K16 (ends 2027-01-12)', { osName: 'W2K16' }, 'Windows Server 2016', 'warn'],
    ['W2K19 (to 2029-01-09)', { osName: 'W2K19' }, 'Windows Server 2019', 'pass'],
    ['Windows Server 2019 Std', { osName: 'Windows Server 2019 Std' }, 'Windows Server 2019', 'pass'],
    ['Windows 10 Pro N 22H2 (ended 2025-10-14)', { osName: 'Windows 10 Pro N', osVersion: '10.0.19045.6456' }, 'Windows 10', 'fail'],
    ['Windows 10 Pro KN 22H2 (ended 2025-10-14)', { osName: 'Windows 10 Pro KN', osVersion: '10.0.19045.6456' }, 'Windows 10', 'fail'],
  ] as const)('%s: WIN-EOS as its product', (_label, os, product, expected) => {
    const host = makeHost(os, null, _label.includes('ESU') ? esu : none);
    expect(host.os.product).toBe(product);
    expect(findingFor(host, 'WIN-EOS').status).toBe(expected);
  });
});

describe('MS17-010: the srv.sys version below the fix outweighs a listed update', () => {
  const win7 = { osName: 'Microsoft Windows 7 Enterprise', osVersion: '6.1.7601' };
  test('KB4012212 listed but srv.sys still 6.1.7601.17514: fail, with a pending-restart note', () => {
    const f = findingFor(makeHost(win7, ['KB4012212'], { srv_sys_version: '6.1.7601.17514' }), 'MS17-010');
    expect(f.status).toBe('fail');
    expect(f.decidedBy).toBe('file-version');
    expect(f.evidence).toEqual(['srv.sys 6.1.7601.17514 < 6.1.7601.23689', 'KB4012212 listed as installed, but srv.sys 6.1.7601.17514 is still below the fix (pending restart?)']);
  });
  test('KB4012212 listed and srv.sys at the fix: pass by the update; srv.sys alone at the fix: pass by the file', () => {
    expect(findingFor(makeHost(win7, ['KB4012212'], { srv_sys_version: '6.1.7601.23689' }), 'MS17-010')).toMatchObject({ status: 'pass', decidedBy: 'kb' });
    expect(findingFor(makeHost(win7, [], { srv_sys_version: '6.1.7601.23689' }), 'MS17-010')).toMatchObject({ status: 'pass', decidedBy: 'file-version' });
  });
});
