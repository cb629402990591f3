/**
 * One machine described by several rows (several files, a folder of exports, one long file): rows
 * that disagree about the OS make it unknown with DATA-CONFLICT whatever their order; rows that agree
 * in substance are merged into one OS, also whatever their order.
 */
import { compileRuleSet, evaluateHost } from '../../../src/evaluation/evaluate-host.js';
import { HostGrouper } from '../../../src/inventory/host-grouper.js';
import type { CanonicalField, Host, InventoryRecord, RejectedRow } from '../../../src/inventory/types.js';
import { loadRules } from '../../../src/rules/load-rules.js';
import type { LoadedRule } from '../../../src/rules/types.js';

type Row = [file: string, line: number, fields: Partial<Record<CanonicalField, string>>];

function record([file, line, fields]: Row): InventoryRecord {
  const columns: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries(fields)) columns[k] = v ?? '';
  return { source: { file, line }, fields: { hostname: 'PC-01', ...fields }, columns };
}

function group(rows: Row[]): { host: Host; warnings: string[] } {
  const warnings: string[] = [];
  const rejected: RejectedRow[] = [];
  const g = new HostGrouper({ warn: (w) => warnings.push(w), reject: (r) => rejected.push(r) });
  for (const r of rows) g.addRecord('PC-01', record(r));
  expect(g.builders.size).toBe(1);
  return { host: [...g.builders.values()][0].build(), warnings };
}

let loaded: LoadedRule[];
beforeAll(async () => {
  loaded = await loadRules([]);
});

const AD_W11: Row = ['ad.csv', 2, { os_name: 'Windows 11 Enterprise', os_version: '10.0 (26100)' }];
const SCCM_W7: Row = ['sccm.csv', 2, { os_name: 'Microsoft Windows 7 Enterprise ', os_version: '6.1.7601', os_build: '7601', service_pack: 'Service Pack 1', product_type: '1' }];
const SI_W10: Row = ['PC-01.txt', 2, { os_name: 'Microsoft Windows 10 Enterprise', os_version: '10.0.19045 N/A Build 19045' }];
const AD_W10: Row = ['ad.csv', 7, { os_name: 'Windows 10 Enterprise', os_version: '10.0 (19045)' }];
const AD_W10_NOBUILD: Row = ['ad.csv', 9, { os_name: 'Windows 10 Enterprise' }];
const SCCM_W10_19044: Row = ['sccm.csv', 4, { os_name: 'Microsoft Windows 10 Enterprise', os_version: '10.0.19044' }];

describe('sources that disagree about the OS', () => {
  test.each([
    ['AD first', [AD_W11, SCCM_W7]],
    ['SCCM first', [SCCM_W7, AD_W11]],
  ])('Windows 11 in AD, Windows 7 in SCCM (%s): unknown with DATA-CONFLICT, same verdicts', (_l, rows) => {
    const { host, warnings } = group(rows as Row[]);
    expect(host.os.product).toBeNull();
    expect(host.conflicts).toHaveLength(1);
    const evidence = host.conflicts![0];
    expect(evidence).toMatch(/ad\.csv:2 says "Windows 11 Enterprise 10\.0 \(26100\)" \(Windows 11 24H2 build 26100\)/);
    expect(evidence).toMatch(/sccm\.csv:2 says "Microsoft Windows 7 Enterprise 6\.1\.7601" \(Windows 7 SP1 build 7601\)/);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^PC-01: conflicting OS data: .*the host is unknown until the sources agree$/);
    const result = evaluateHost(host, compileRuleSet(loaded, { asOf: '2026-11-25', warnDays: 90 }));
    expect(result.status).toBe('unknown');
    expect(result.findings.find((f) => f.ruleId === 'DATA-CONFLICT')).toMatchObject({ status: 'unknown', evidence: [evidence] });
    expect(result.findings.filter((f) => f.ruleId !== 'DATA-CONFLICT').map((f) => f.status)).toEqual(['unknown', 'unknown', 'unknown', 'unknown', 'not-applicable']);
  });

  test('an old enrolment beside the current one (Intune re-enrolment): still a conflict, with both last-seen dates named', () => {
    const current: Row = ['intune.csv', 2, { os_name: 'Windows', os_version: '10.0.26100.4349', last_seen: '2026-11-24', mdm_managed: 'Intune' }];
    const stale: Row = ['intune.csv', 3, { os_name: 'Windows', os_version: '10.0.19045.3803', last_seen: '2025-03-02', mdm_managed: 'Intune' }];
    const { host, warnings } = group([current, stale]);
    expect(host.os.product).toBeNull();
    expect(host.conflicts![0]).toMatch(/intune\.csv:2 says "Windows 10\.0\.26100\.4349" \(Windows 11 24H2 build 26100, last seen 2026-11-24\), intune\.csv:3 says "Windows 10\.0\.19045\.3803" \(Windows 10 22H2 build 19045, last seen 2025-03-02\)/);
    expect(warnings[0]).toMatch(/last seen 2025-03-02/);
    // Without dates the message stays as it was.
    const undated = group([AD_W11, SCCM_W7]);
    expect(undated.host.conflicts![0]).not.toMatch(/last seen/);
  });

  test('the same product on two builds (21H2 and 22H2) disagrees', () => {
    const { host } = group([SI_W10, SCCM_W10_19044]);
    expect(host.os.product).toBeNull();
    expect(host.conflicts![0]).toMatch(/different releases/);
  });

  test('a reading without a build does not hide two readings with different builds', () => {
    for (const rows of [
      [AD_W10_NOBUILD, SI_W10, SCCM_W10_19044],
      [SCCM_W10_19044, AD_W10_NOBUILD, SI_W10],
    ]) {
      const { host } = group(rows);
      expect(host.os.product).toBeNull();
      expect(host.conflicts).toHaveLength(1);
    }
  });
});

describe('sources that agree in substance', () => {
  test('systeminfo "Microsoft Windows 10 Enterprise" 10.0.19045 and AD "Windows 10 Enterprise" "10.0 (19045)": no conflict, no warning', () => {
    for (const rows of [
      [SI_W10, AD_W10],
      [AD_W10, SI_W10],
    ]) {
      const { host, warnings } = group(rows);
      expect(warnings).toEqual([]);
      expect(host.conflicts).toBeUndefined();
      expect(host.os).toMatchObject({ product: 'Windows 10', release: '22H2', build: 19045, editionClass: 'enterprise' });
    }
  });

  test('one source without the build: the build of the other, in either order', () => {
    const a = group([AD_W10_NOBUILD, SCCM_W10_19044]).host.os;
    const b = group([SCCM_W10_19044, AD_W10_NOBUILD]).host.os;
    expect(a).toMatchObject({ product: 'Windows 10', release: '21H2', build: 19044, editionClass: 'enterprise' });
    expect(b).toBe(a);
    const verdict = (os: Host) => evaluateHost(os, compileRuleSet(loaded, { asOf: '2024-01-01', warnDays: 90 })).status;
    expect(verdict(group([AD_W10_NOBUILD, SCCM_W10_19044]).host)).toBe('compliant');
    expect(verdict(group([SCCM_W10_19044, AD_W10_NOBUILD]).host)).toBe('compliant');
  });

  test('an Intune row (platform and SkuFamily only) adds the edition to a caption without one', () => {
    const caption: Row = ['si.csv', 2, { os_name: 'Microsoft Windows 10', os_version: '10.0.19044' }];
    const intune: Row = ['intune.csv', 3, { os_platform: 'Windows', os_version: '10.0.19044.3086', os_edition: 'Enterprise' }];
    for (const rows of [
      [caption, intune],
      [intune, caption],
    ]) {
      const { host, warnings } = group(rows);
      expect(warnings).toEqual([]);
      expect(host.os).toMatchObject({ product: 'Windows 10', build: 19044, revision: 3086, editionClass: 'enterprise' });
    }
  });

  test('editions of different servicing groups: the edition class is left open, not a conflict', () => {
    const pro: Row = ['si.csv', 2, { os_name: 'Microsoft Windows 10 Pro', os_version: '10.0.19044' }];
    const ent: Row = ['ad.csv', 2, { os_name: 'Windows 10 Enterprise', os_version: '10.0 (19044)' }];
    for (const rows of [
      [pro, ent],
      [ent, pro],
    ]) {
      const { host } = group(rows);
      expect(host.conflicts).toBeUndefined();
      expect(host.os).toMatchObject({ product: 'Windows 10', build: 19044, editionClass: null });
      // Home/Pro 21H2 ended 2023-06-13, Enterprise runs to 2024-06-11: cannot be decided.
      const f = evaluateHost(host, compileRuleSet(loaded, { asOf: '2024-01-01', warnDays: 90 })).findings.find((x) => x.ruleId === 'WIN-EOS');
      expect(f?.status).toBe('unknown');
    }
  });

  test('different build revisions: the later last-seen one, else the lower (fail closed)', () => {
    const older: Row = ['a.csv', 2, { os_name: 'Windows 10 Enterprise', os_version: '10.0.18363.700', last_seen: '2025-01-01' }];
    const newer: Row = ['b.csv', 2, { os_name: 'Windows 10 Enterprise', os_version: '10.0.18363.720', last_seen: '2025-02-01' }];
    expect(group([older, newer]).host.os.revision).toBe(720);
    expect(group([newer, older]).host.os.revision).toBe(720);
    const undated = (r: Row): Row => [r[0], r[1], { ...r[2], last_seen: '' }];
    expect(group([undated(older), undated(newer)]).host.os.revision).toBe(700);
    expect(group([undated(newer), undated(older)]).host.os.revision).toBe(700);
  });
});
