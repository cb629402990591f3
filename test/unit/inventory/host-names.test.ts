/**
 * Rows of several inputs joined into machines by name: names that are one machine join (an AD account's
 * `$`, invisible characters), names that may be two machines (two domains, two serial numbers) make the
 * host unknown with DATA-CONFLICT, and neither depends on the order of the rows.
 */
import { compileRuleSet, evaluateHost } from '../../../src/evaluation/evaluate-host.js';
import { HostGrouper } from '../../../src/inventory/host-grouper.js';
import { hostKey, machineName, namesNoMachine, serialKey } from '../../../src/inventory/hosts.js';
import type { CanonicalField, Host, InventoryRecord } from '../../../src/inventory/types.js';
import { loadRules } from '../../../src/rules/load-rules.js';
import type { LoadedRule } from '../../../src/rules/types.js';

type Row = [name: string, file: string, line: number, fields: Partial<Record<CanonicalField, string>>];

function record([name, file, line, fields]: Row): InventoryRecord {
  const columns: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries(fields)) columns[k] = v ?? '';
  return { source: { file, line }, fields: { hostname: name, ...fields }, columns };
}

function group(rows: Row[]): { hosts: Host[]; warnings: string[] } {
  const warnings: string[] = [];
  const g = new HostGrouper({ warn: (w) => warnings.push(w), reject: () => undefined });
  for (const r of rows) g.addRecord(r[0], record(r));
  return { hosts: [...g.builders.values()].map((b) => b.build()), warnings };
}

/** Every order of the rows. */
function orders<T>(xs: T[]): T[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => orders([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
}

let loaded: LoadedRule[];
beforeAll(async () => {
  loaded = await loadRules([]);
});
const verdicts = (host: Host) => evaluateHost(host, compileRuleSet(loaded, { asOf: '2026-11-25', warnDays: 90 })).findings.map((f) => `${f.ruleId}:${f.status}`);

const SERVER_2016 = { os_name: 'Microsoft Windows Server 2016 Standard', os_version: '10.0.14393' };

describe('names of one machine', () => {
  test.each([
    ['NGH-SV-PACS04$', 'ngh-sv-pacs04'],
    ['NORTHGATE\\NGH-SV-PACS04$', 'ngh-sv-pacs04'],
    ['NGH-SV-PACS05\u200b', 'ngh-sv-pacs05'],
    ['\ufeff NGH-SV-PACS05\u2060 ', 'ngh-sv-pacs05'],
    ['NGH-\u00adSV-PACS05.northgate.nhs.uk', 'ngh-sv-pacs05'],
    ['10.20.3.40', '10.20.3.40'],
    ['$', '$'],
  ])('%j has the key %j', (name, key) => {
    expect(hostKey(name)).toBe(key);
  });

  test('a name of invisible characters names no machine', () => {
    expect(namesNoMachine('\u200b')).toBe(true);
    expect(namesNoMachine(' \u200b\u200c ')).toBe(true);
    expect(namesNoMachine('NGH-SV-PACS05\u200b')).toBe(false);
  });

  test("an AD computer account's name (PC$) and a hotfix export's CSName are one machine, judged on both", () => {
    const { hosts } = group([
      ['NGH-SV-PACS04$', 'ad-computers.csv', 4, { ...SERVER_2016, serial: 'CZJ7120ABC' }],
      ['NGH-SV-PACS04', 'hotfix.csv', 4, { kb: 'KB4013429' }],
    ]);
    expect(hosts).toHaveLength(1);
    expect(hosts[0].hostname).toBe('NGH-SV-PACS04');
    expect(verdicts(hosts[0])).toContain('MS17-010:pass');
  });

  test.each([
    ['NGH-SV-PACS04$', 'NGH-SV-PACS04'],
    ['NORTHGATE\\NGH-SV-PACS04$', 'NORTHGATE\\NGH-SV-PACS04'],
    ['NGH-SV-PACS05\u200b', 'NGH-SV-PACS05\u200b'],
    ['ngh-sv-pacs05.northgate.nhs.uk', 'ngh-sv-pacs05.northgate.nhs.uk'],
    ['$', '$'],
  ])('%j is reported as %j', (name, shown) => {
    expect(machineName(name)).toBe(shown);
  });
});

describe('one short name in two domains', () => {
  const rows: Row[] = [
    ['NORTHGATE\\NGH-SV-LAB01', 'hotfix.csv', 2, { kb: 'KB4013429' }],
    ['ngh-sv-lab01.northgate.nhs.uk', 'tanium-north.csv', 2, { os_name: 'Windows Server 2016 Standard', kb_list: 'KB4013429' }],
    ['ngh-sv-lab01.westmoor.nhs.uk', 'tanium-west.csv', 2, { os_name: 'Windows Server 2016 Standard', kb_list: 'KB4013429' }],
  ];
  test.each(orders(rows).map((o) => [o.map((r) => r[1]).join(', '), o]))('%s: a down-level name first does not hide two DNS domains', (_l, order) => {
    const { hosts, warnings } = group(order as Row[]);
    expect(hosts).toHaveLength(1);
    expect(hosts[0].conflicts).toHaveLength(1);
    expect(hosts[0].conflicts![0]).toMatch(/ngh-sv-lab01\.(northgate|westmoor)\.nhs\.uk and ngh-sv-lab01\.(westmoor|northgate)\.nhs\.uk share a short name but not a domain/);
    expect(warnings).toHaveLength(1);
    expect(verdicts(hosts[0])).toContain('DATA-CONFLICT:unknown');
  });

  test('two down-level domains after a DNS name: still a conflict', () => {
    const { hosts } = group([
      ['ngh-sv-lab02.northgate.nhs.uk', 'ad.csv', 2, SERVER_2016],
      ['NORTHGATE\\NGH-SV-LAB02', 'hotfix-north.csv', 2, { kb: 'KB4013429' }],
      ['WESTMOOR\\NGH-SV-LAB02', 'hotfix-west.csv', 2, { kb: 'KB4013429' }],
    ]);
    expect(hosts[0].conflicts).toEqual([expect.stringContaining('NORTHGATE\\NGH-SV-LAB02 and WESTMOOR\\NGH-SV-LAB02 share a short name but not a domain')]);
  });

  test('a DNS name and a down-level name alone are not compared (ACME may be acme.local)', () => {
    const { hosts } = group([
      ['ngh-sv-lab03.northgate.nhs.uk', 'ad.csv', 2, SERVER_2016],
      ['NGHT\\NGH-SV-LAB03', 'hotfix.csv', 2, { kb: 'KB4013429' }],
    ]);
    expect(hosts[0].conflicts).toBeUndefined();
  });

  test('a DNS domain written before the name (northgate.nhs.uk\\PC) is compared with FQDNs, not with down-level names', () => {
    expect(
      group([
        ['NORTHGATE\\NGH-SV-LAB05', 'hotfix.csv', 2, { kb: 'KB4013429' }],
        ['northgate.nhs.uk\\NGH-SV-LAB05', 'agent.csv', 2, SERVER_2016],
      ]).hosts[0].conflicts,
    ).toBeUndefined();
    expect(
      group([
        ['westmoor.nhs.uk\\NGH-SV-LAB05', 'agent.csv', 2, SERVER_2016],
        ['ngh-sv-lab05.northgate.nhs.uk', 'tanium.csv', 2, { kb_list: 'KB4013429' }],
      ]).hosts[0].conflicts,
    ).toHaveLength(1);
  });

  test("a row's own FQDN beside a down-level name is compared with other FQDNs", () => {
    const { hosts } = group([
      ['NORTHGATE\\NGH-SV-LAB04', 'defender.csv', 2, { ...SERVER_2016, fqdn: 'ngh-sv-lab04.northgate.nhs.uk' }],
      ['ngh-sv-lab04.westmoor.nhs.uk', 'tanium.csv', 2, { kb_list: 'KB4013429' }],
    ]);
    expect(hosts[0].conflicts).toHaveLength(1);
  });

  const si = (domain: string, file: string, kbs: string): Row => ['NGH-SV-PAS01', file, 2, { os_name: 'Microsoft Windows Server 2016 Datacenter', os_version: '10.0.14393 N/A Build 14393', domain, kb_list: kbs }];
  test.each([
    ['north first', [si('northgate.nhs.uk', 'north/NGH-SV-PAS01.txt', '[01]: KB4013429'), si('westmoor.nhs.uk', 'south/NGH-SV-PAS01.txt', '[01]: KB3213986')]],
    ['south first', [si('westmoor.nhs.uk', 'south/NGH-SV-PAS01.txt', '[01]: KB3213986'), si('northgate.nhs.uk', 'north/NGH-SV-PAS01.txt', '[01]: KB4013429')]],
  ])("systeminfo files naming one short name in two domains (%s): one machine's updates do not pass the other", (_l, rows) => {
    const { hosts, warnings } = group(rows as Row[]);
    expect(hosts[0].conflicts).toHaveLength(1);
    expect(warnings[0]).toMatch(/NGH-SV-PAS01 \(domain (northgate|westmoor)\.nhs\.uk at (north|south)\/NGH-SV-PAS01\.txt:2\) and NGH-SV-PAS01 \(domain (westmoor|northgate)\.nhs\.uk at .*\) share a short name but not a domain/);
    // The northgate server's update would pass the merged host: on a conflicted host that is no pass.
    expect(verdicts(hosts[0])).toEqual(expect.arrayContaining(['MS17-010:unknown', 'DATA-CONFLICT:unknown']));
  });

  test('a one-word domain column (a workgroup, a NetBIOS or user domain) is not compared; the same DNS domain in any case is no conflict', () => {
    expect(group([si('WORKGROUP', 'a.txt', 'KB1'), si('NORTHGATE', 'b.txt', 'KB1')]).hosts[0].conflicts).toBeUndefined();
    expect(group([si('northgate.nhs.uk', 'a.txt', 'KB1'), si('NORTHGATE.NHS.UK', 'b.txt', 'KB1')]).hosts[0].conflicts).toBeUndefined();
  });
});

describe('one name, two serial numbers', () => {
  const intune: Row = ['NGH-LT-0331', 'intune.csv', 5, { os_name: 'Windows', os_version: '10.0.22631.4460', serial: '5CG3301XYZ', last_seen: '2026-11-24' }];
  const sccm: Row = ['NGH-LT-0331', 'v_r_system.csv', 9, { os_name: 'Microsoft Windows NT Workstation 10.0', os_version: '10.0.22631.4460', serial: '5CG9120ABC', last_seen: '2019-03-02' }];
  test.each([
    ['Intune first', [intune, sccm]],
    ['SCCM first', [sccm, intune]],
  ])('a rebuilt machine that kept its name (%s): unknown with DATA-CONFLICT naming both serials and last-seen dates', (_l, rows) => {
    const { hosts, warnings } = group(rows as Row[]);
    expect(hosts[0].conflicts).toHaveLength(1);
    expect(hosts[0].conflicts![0]).toContain('intune.csv:5');
    expect(hosts[0].conflicts![0]).toMatch(/"5CG3301XYZ", last seen 2026-11-24/);
    expect(hosts[0].conflicts![0]).toMatch(/"5CG9120ABC", last seen 2019-03-02/);
    expect(warnings).toHaveLength(1);
    expect(verdicts(hosts[0])).toContain('DATA-CONFLICT:unknown');
  });

  test('the same serial spaced or cased differently, a placeholder, or one source without a serial: no conflict', () => {
    const vm = (serial: string, file: string): Row => ['NGH-SV-VM07', file, 2, { ...SERVER_2016, serial }];
    expect(group([vm('VMware-42 1a 7c 3d 5e 6f 70 81-92 a3 b4 c5 d6 e7 f8 09', 'a.csv'), vm('vmware-421a7c3d5e6f7081-92a3b4c5d6e7f809', 'b.csv')]).hosts[0].conflicts).toBeUndefined();
    expect(group([vm('To be filled by O.E.M.', 'a.csv'), vm('CZJ7120ABC', 'b.csv'), vm('Default string', 'c.csv'), vm('', 'd.csv')]).hosts[0].conflicts).toBeUndefined();
    expect(serialKey('System Serial Number')).toBeNull();
    expect(serialKey('0')).toBeNull();
    expect(serialKey(' czj7120abc ')).toBe('CZJ7120ABC');
  });
});

describe('exposure fields', () => {
  test.each([
    ['yes first', ['Yes', 'No']],
    ['no first', ['No', 'Yes']],
  ])('SMBv1 reported enabled by one source and disabled by another (%s): enabled, whatever the order', (_l, [a, b]) => {
    const { hosts } = group([
      ['NGH-SV-PACS07', 'pdq.csv', 2, { ...SERVER_2016, smb1_enabled: a }],
      ['NGH-SV-PACS07', 'cmdb.csv', 2, { smb1_enabled: b, internet_facing: 'No' }],
    ]);
    expect(hosts[0].fields.smb1_enabled).toBe('Yes');
    expect(hosts[0].fields.internet_facing).toBe('No');
  });

  test.each([
    ['older first', ['2017-03-15', '2024-01-09']],
    ['newer first', ['2024-01-09', '2017-03-15']],
  ])('last patch and last seen dates of two sources (%s): the latest, whatever the order', (_l, [a, b]) => {
    const { hosts } = group([
      ['NGH-SV-PACS08', 'lansweeper.csv', 2, { ...SERVER_2016, last_patch_date: a, last_seen: b }],
      ['NGH-SV-PACS08', 'cmdb.csv', 2, { last_patch_date: b, last_seen: a }],
    ]);
    expect(hosts[0].fields.last_patch_date).toBe('2024-01-09');
    expect(hosts[0].fields.last_seen).toBe('2024-01-09');
  });
});
