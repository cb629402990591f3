/**
 * Device-management and fleet exports: Windows Update for Business reports (UCClient,
 * UCClientUpdateStatus), a sheet's column of missing updates, Red Hat Satellite, SUSE Manager, Landscape,
 * Lansweeper's Linux assets, Kandji.
 */
import { compileRuleSet, evaluateHost } from '../../../src/evaluation/evaluate-host.js';
import type { Finding } from '../../../src/evaluation/types.js';
import { mapColumns } from '../../../src/inventory/fields.js';
import { HostBuilder, osInputFromFields } from '../../../src/inventory/hosts.js';
import { readKbStatus } from '../../../src/inventory/kb-status.js';
import { normaliseOs } from '../../../src/inventory/normalise-os.js';
import type { InventoryRecord } from '../../../src/inventory/types.js';
import { loadRules } from '../../../src/rules/load-rules.js';
import type { LoadedRule } from '../../../src/rules/types.js';

const mapped = (headers: string[]) => {
  const m = mapColumns(headers);
  return Object.fromEntries(Object.entries(m.fields).map(([f, i]) => [f, headers[i as number]]));
};

describe('Windows Update for Business reports', () => {
  test('UCClientUpdateStatus: the update (UpdateKBNumber), its state (ClientState), the build and its revision are mapped; TargetKBNumber is not', () => {
    const f = mapped(['TimeGenerated [UTC]', 'AzureADDeviceId', 'DeviceName', 'OSBuild', 'OSRevisionNumber', 'OSVersion', 'ClientState', 'ClientSubstate', 'TargetBuild', 'TargetKBNumber', 'UpdateCategory', 'UpdateKBNumber']);
    expect(f).toMatchObject({ hostname: 'DeviceName', os_build: 'OSBuild', os_revision: 'OSRevisionNumber', os_version: 'OSVersion', kb_status: 'ClientState', kb: 'UpdateKBNumber', mdm_managed: 'AzureADDeviceId' });
    expect(Object.values(f)).not.toContain('TargetKBNumber');
    expect(Object.values(f)).not.toContain('TargetBuild');
  });

  test('UCClient: OSBuild (the whole version) is the build, OSBuildNumber is not taken over it, OSRevisionNumber is the revision', () => {
    const f = mapped(['DeviceName', 'AzureADDeviceID', 'OSBuild', 'OSBuildNumber', 'OSEdition', 'OSRevisionNumber', 'OSSecurityUpdateStatus', 'OSVersion']);
    expect(f).toMatchObject({ os_build: 'OSBuild', os_revision: 'OSRevisionNumber', os_version: 'OSVersion', os_edition: 'OSEdition' });
    expect(mapped(['DeviceName', 'OSBuildNumber'])).toMatchObject({ os_build: 'OSBuildNumber' });
  });

  test.each([
    ['UCClient', { os_version: '22H2', os_build: '10.0.19045.4291', os_revision: '4291', os_edition: 'Enterprise' }, { product: 'Windows 10', release: '22H2', build: 19045, revision: 4291 }],
    ['UCClientUpdateStatus', { os_version: '1909', os_build: '18363.657', os_revision: '657' }, { product: 'Windows 10', release: '1909', build: 18363, revision: 657 }],
    ['Windows 11', { os_version: '23H2', os_build: '22631.4460' }, { product: 'Windows 11', release: '23H2', build: 22631, revision: 4460 }],
  ])('%s: a feature update as OSVersion and the build as OSBuild are read as Windows', (_, fields, expected) => {
    expect(normaliseOs(osInputFromFields({ ...fields, mdm_managed: '' }))).toMatchObject({ family: 'windows', server: false, ...expected });
  });

  test('a build that is not of the release named, or a bare build without a release, is not guessed to be Windows', () => {
    expect(normaliseOs(osInputFromFields({ os_version: '22H2', os_build: '18363.657' })).product).toBeNull();
    expect(normaliseOs(osInputFromFields({ os_build: '19045.4291' })).product).toBeNull();
    expect(normaliseOs(osInputFromFields({ os_version: '22H2', os_build: '23F79' })).product).toBeNull();
  });

  test.each([
    ['Installed', 'installed'],
    ['UpdateInstalled', 'installed'],
    ['Installing', 'not-installed'],
    ['InstallStart', 'not-installed'],
    ['DownloadStart', 'not-installed'],
    ['OfferReceived', 'not-installed'],
    ['OfferReady', 'not-installed'],
    ['Failed', 'not-installed'],
    ['InstallFailed', 'not-installed'],
    ['RestartRequired', 'not-installed'],
    ['Cancelled', 'not-installed'],
    // Installed, but not in effect before the restart, or a state not known: neither counted nor missing.
    ['InstallComplete', 'unclear'],
    ['RestartInitiated', 'unclear'],
  ])('ClientState %s: %s', (state, reading) => {
    expect(readKbStatus(state, { ClientState: state }, true)).toBe(reading);
  });
});

describe('a column of missing updates', () => {
  let rules: LoadedRule[];
  beforeAll(async () => {
    rules = await loadRules(['ms17-010', 'cve-2019-0708']);
  });
  const row = (line: number, fields: InventoryRecord['fields'], columns: Record<string, string>): InventoryRecord => ({ source: { file: 'ward7.csv', line }, fields, columns });
  const W7 = { hostname: 'WARD7-PC01', os_name: 'Microsoft Windows 7 Professional', os_version: '6.1.7601', service_pack: 'Service Pack 1' };
  const findings = (b: HostBuilder): Map<string, Finding> =>
    new Map(evaluateHost(b.build(), compileRuleSet(rules, { asOf: '2026-11-25', warnDays: 90 })).findings.map((f) => [f.ruleId, f]));

  test('is mapped as such, never as an installed list', () => {
    for (const h of ['Missing KBs', 'Outstanding patches', 'KBs to install', 'Missing Updates', 'Pending updates']) {
      expect(mapped(['Hostname', 'OS Name', h])).toEqual({ hostname: 'Hostname', os_name: 'OS Name', kb_missing: h });
    }
    expect(mapped(['Hostname', 'Installed KBs', 'Missing KBs'])).toEqual({ hostname: 'Hostname', kb_list: 'Installed KBs', kb_missing: 'Missing KBs' });
  });

  test('a fix it names fails, quoting the column; a fix it does not name stays unknown; nothing it names is installed', () => {
    const b = HostBuilder.fromRecord('WARD7-PC01', row(2, { ...W7, kb_missing: 'KB4499175' }, { Hostname: 'WARD7-PC01', 'Missing KBs': 'KB4499175' }));
    const host = b.build();
    expect(host.kbEvidence).toBe(false);
    expect(host.kbs.size).toBe(0);
    const by = findings(HostBuilder.fromRecord('WARD7-PC01', row(2, { ...W7, kb_missing: 'KB4499175' }, { Hostname: 'WARD7-PC01', 'Missing KBs': 'KB4499175' })));
    expect(by.get('CVE-2019-0708')).toMatchObject({ status: 'fail', decidedBy: 'kb' });
    expect(by.get('CVE-2019-0708')!.evidence).toEqual(['KB4499175, an update that contains the fix, is listed as missing (no installed-updates list)', 'KB4499175 is listed as missing (column "Missing KBs"): not counted as installed']);
    expect(by.get('MS17-010')).toMatchObject({ status: 'unknown', decidedBy: 'none' });
  });

  test('beside an installed list, an update installed there stays installed, whichever row comes first', () => {
    const missing = row(2, { ...W7, kb_missing: 'KB4012212, KB4499175' }, { Hostname: 'WARD7-PC01', 'Missing KBs': 'KB4012212, KB4499175' });
    const installed = row(3, { hostname: 'WARD7-PC01', kb_list: 'KB4012212' }, { Hostname: 'WARD7-PC01', 'Installed KBs': 'KB4012212' });
    for (const [first, second] of [[missing, installed], [installed, missing]]) {
      const b = HostBuilder.fromRecord('WARD7-PC01', first);
      b.add(second);
      const by = findings(b);
      expect(by.get('MS17-010')!.status).toBe('pass');
      expect(by.get('CVE-2019-0708')!.status).toBe('fail');
    }
  });
});

describe('Linux and Apple fleet exports', () => {
  test.each([
    ['Satellite "CentOS_Stream 8"', { osName: 'CentOS_Stream 8' }, { product: 'CentOS', release: '8' }],
    ['Satellite "CentOS_Stream 9"', { osName: 'CentOS_Stream 9' }, { product: 'CentOS', release: '9' }],
    ['Satellite "OracleLinux 8.8"', { osName: 'OracleLinux 8.8' }, { product: 'Oracle Linux', release: '8' }],
    ['Satellite "RedHat 7.9"', { osName: 'RedHat 7.9' }, { product: 'Red Hat Enterprise Linux', release: '7' }],
    ['SUSE Manager OS + Release', { osName: 'SLES', release: '15.5' }, { product: 'SUSE Linux Enterprise Server', release: '15', servicePack: 5 }],
    ['a release cell beside Ubuntu', { osName: 'Ubuntu', release: '22.04' }, { product: 'Ubuntu', release: '22.04' }],
    ['a release cell beside RedHat', { osName: 'RedHat', release: '8.9' }, { product: 'Red Hat Enterprise Linux', release: '8' }],
    ['Landscape distribution', { edition: 'Ubuntu 22.04.4 LTS' }, { product: 'Ubuntu', release: '22.04' }],
    ['Lansweeper OS Linux + Distribution', { osName: 'Linux', osVersion: '7.9', edition: 'Red Hat Enterprise Linux Server' }, { product: 'Red Hat Enterprise Linux', release: '7' }],
    ['Kandji platform iPad', { osVersion: '17.6.1', platform: 'iPad' }, { product: 'iOS', release: '17' }],
  ])('%s', (_, input, expected) => {
    expect(normaliseOs(input)).toMatchObject(expected);
  });

  test.each([
    ['macOS 14', '14.5', '23F79', 'macOS', '14'],
    ['macOS 12', '12.7.6', '21H1320', 'macOS', '12'],
    ['macOS 10.15', '10.15.7', '19H2026', 'macOS', '10.15'],
    ['macOS 26', '26.1', '25B78', 'macOS', '26'],
    // An iOS build (iOS 17.5 is 21F79) or a build of another release: not a Mac.
    ['an iOS build', '17.5', '21F79', null, null],
    ['a build of another release', '14.5', '21F79', null, null],
  ])('Jamf Pro version and build without an OS name: %s', (_, version, build, product, release) => {
    expect(mapped(['Computer Name', 'Operating System Version', 'Operating System Build'])).toMatchObject({ os_version: 'Operating System Version', os_build: 'Operating System Build' });
    expect(normaliseOs({ osVersion: version, build })).toMatchObject({ product, release });
  });

  test('a bare release with nothing naming the distribution stays unknown', () => {
    expect(normaliseOs({ edition: '22.04' }).product).toBeNull();
    expect(normaliseOs({ osName: 'Linux', osVersion: '22.04' }).product).toBeNull();
  });

  test('Landscape\'s and Lansweeper\'s Distribution column is read as the distribution', () => {
    expect(mapped(['title', 'hostname', 'distribution', 'last_ping_time'])).toMatchObject({ os_edition: 'distribution' });
    expect(mapped(['AssetName', 'OS', 'OSVersion', 'Distribution'])).toMatchObject({ os_name: 'OS', os_version: 'OSVersion', os_edition: 'Distribution' });
  });
});
