import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fixture, runCli } from '../helpers/cli.js';
import { tempDir, writeTemp } from '../helpers/tmp.js';

/**
 * Several exports audited together (an OS list and an updates list, folders of per-host files from two
 * trusts): one machine's updates never pass another machine of the same short name, and neither the
 * order of the inputs nor --workers changes a verdict.
 */
const dir = tempDir('patchaudit-e2e-multi-');
const BASE = ['--as-of', '2026-11-25', '--format', 'json', '--fail-on', 'none', '--allow-unknown'];

interface Finding {
  ruleId: string;
  status: string;
}
interface HostDoc {
  hostname: string;
  status: string;
  findings: Finding[];
}

function audit(args: string[]) {
  const r = runCli(['audit', ...args, ...BASE]);
  expect({ code: r.code, stderr: r.stderr.includes('Error') ? r.stderr : '' }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(r.stdout) as { hosts: HostDoc[]; warnings: string[]; summary: { hosts: number; unknown: number; compliant: number; rowsRead: number; rowsAudited: number; rejectedRows: number } };
}

/** Each host's status and findings, by name: what must not change with the order of the inputs or the threads. */
const verdicts = (doc: { hosts: HostDoc[] }) => Object.fromEntries(doc.hosts.map((h) => [h.hostname.toLowerCase(), `${h.status} ${h.findings.map((f) => `${f.ruleId}:${f.status}`).join(' ')}`]));

const HOTFIX_HEADER = '"CSName","Description","HotFixID","InstalledBy","InstalledOn"\r\n';

describe('several inputs audited together (end to end)', () => {
  test("systeminfo folders of two trusts naming one short name: the patched machine's updates do not pass the other, whatever the order or threads", () => {
    // The same server name in two domains: the northgate one has the March 2017 update, the westmoor one
    // only January 2017's (before MS17-010).
    const text = readFileSync(fixture('exports', 'systeminfo', 'WCH-SV-2016-DC.txt'), 'latin1');
    const host = (domain: string, kbs: string[]) =>
      text
        .replace(/^Host Name: +WCH-SV-2016-DC/m, 'Host Name:                 NGH-SV-PAS01')
        .replace(/^Domain: +nwht\.local/m, `Domain:                    ${domain}`)
        .replace(/^Hotfix\(s\):[^\n]*\n(?: {27}\[\d+\]:[^\n]*\n)*/m, `Hotfix(s):                 ${kbs.length} Hotfix(s) Installed.\r\n${kbs.map((k, i) => `                           [0${i + 1}]: ${k}\r\n`).join('')}`);
    const north = path.join(dir, 'north');
    const south = path.join(dir, 'south');
    mkdirSync(north);
    mkdirSync(south);
    writeTemp(north, 'NGH-SV-PAS01.txt', host('northgate.nhs.uk', ['KB4013429', 'KB5094122']));
    writeTemp(south, 'NGH-SV-PAS01.txt', host('westmoor.nhs.uk', ['KB3213986']));
    // Each file alone: the northgate server passes MS17-010, the westmoor one fails.
    expect(verdicts(audit([north, '-r', 'ms17-010']))['ngh-sv-pas01']).toBe('compliant MS17-010:pass');
    expect(verdicts(audit([south, '-r', 'ms17-010']))['ngh-sv-pas01']).toBe('non-compliant MS17-010:fail');
    const first = audit([north, south]);
    expect(first.hosts).toHaveLength(1);
    expect(first.hosts[0].status).toBe('unknown');
    expect(first.hosts[0].findings.find((f) => f.ruleId === 'DATA-CONFLICT')?.status).toBe('unknown');
    expect(first.warnings.join('\n')).toMatch(/NGH-SV-PAS01 \(domain northgate\.nhs\.uk at .*north[/\\]NGH-SV-PAS01\.txt:2\) and NGH-SV-PAS01 \(domain westmoor\.nhs\.uk at .*south[/\\]NGH-SV-PAS01\.txt:2\) share a short name but not a domain/);
    for (const args of [[south, north], [north, south, '--workers', '0'], [south, north, '--workers', '2']]) expect(verdicts(audit(args))).toEqual(verdicts(first));
  });

  test('an updates export naming DOMAIN\\PC read before two exports of the name in two DNS domains: unknown in every order', () => {
    const hotfix = writeTemp(dir, 'hotfix-downlevel.csv', HOTFIX_HEADER + '"NORTHGATE\\NGH-SV-LAB01","Security Update","KB4013429","NT AUTHORITY\\SYSTEM","3/15/2017 12:00:00 AM"\r\n');
    const tanium = (name: string) => writeTemp(dir, `tanium-${name}.csv`, `Computer Name,Operating System,Installed Hotfixes\r\n${name},Windows Server 2016 Standard,"KB4013429\nKB4019472"\r\n`);
    const north = tanium('ngh-sv-lab01.northgate.nhs.uk');
    const west = tanium('ngh-sv-lab01.westmoor.nhs.uk');
    for (const order of [[hotfix, north, west], [hotfix, west, north], [north, hotfix, west], [west, north, hotfix]]) {
      const doc = audit(order);
      expect(doc.hosts.map((h) => h.status)).toEqual(['unknown']);
      expect(doc.hosts[0].findings.find((f) => f.ruleId === 'DATA-CONFLICT')?.status).toBe('unknown');
      expect(doc.warnings.join('\n')).toMatch(/ngh-sv-lab01\.\w+\.nhs\.uk and ngh-sv-lab01\.\w+\.nhs\.uk share a short name but not a domain/);
    }
  });

  test("an AD export of computer accounts (PC$) and Get-HotFix's CSName are one machine; a name with an invisible character pasted in is too", () => {
    // Get-ADComputer … | Select-Object @{n='ComputerName';e={$_.SamAccountName}}, OperatingSystem, …
    const ad = writeTemp(
      dir,
      'ad-accounts.csv',
      '#TYPE Selected.Microsoft.ActiveDirectory.Management.ADComputer\r\n' +
        '"ComputerName","OperatingSystem","OperatingSystemVersion","OperatingSystemServicePack","LastLogonDate","Enabled"\r\n' +
        '"NGH-SV-PACS04$","Windows Server 2016 Standard","10.0 (14393)","","14/11/2026 08:07:10","True"\r\n' +
        '"NGH-SV-PACS05$","Windows Server 2016 Standard","10.0 (14393)","","14/11/2026 08:07:10","True"\r\n',
    );
    const hotfix = writeTemp(dir, 'hotfix-accounts.csv', HOTFIX_HEADER + '"NGH-SV-PACS04","Security Update","KB4013429","NT AUTHORITY\\SYSTEM","3/15/2017 12:00:00 AM"\r\n"NGH-SV-PACS05\u200b","Security Update","KB4013429","NT AUTHORITY\\SYSTEM","3/15/2017 12:00:00 AM"\r\n');
    for (const order of [[ad, hotfix], [hotfix, ad]]) {
      const doc = audit([...order, '-r', 'ms17-010']);
      expect(doc.hosts.map((h) => `${h.status} ${h.findings.map((f) => `${f.ruleId}:${f.status}`).join(' ')}`)).toEqual(['compliant MS17-010:pass', 'compliant MS17-010:pass']);
      // The name as the first input gave it, an account's $ aside (invisible characters are kept, escaped).
      expect(doc.hosts.map((h) => h.hostname.replace('\u200b', '')).sort()).toEqual(['NGH-SV-PACS04', 'NGH-SV-PACS05']);
      expect(doc.summary.rowsAudited).toBe(4);
    }
  });

  test('Intune and Configuration Manager giving one device name two serial numbers (a rebuilt machine kept its name): unknown, both serials named, in either order', () => {
    const intune = writeTemp(
      dir,
      'intune-devices.csv',
      '\ufeffDevice ID,Device name,Serial number,Ownership,OS version,Primary user UPN,Last check-in,JoinType,Manufacturer,Model,Managed by,SkuFamily\r\n' +
        'e954df4c-6b95-44aa-a89b-5396a4382c11,NGH-LT-0331,5CG3301XYZ,Corporate,10.0.26100.6899,a.okafor@nwht.example,2026-11-24 06:41:10.0000000,Hybrid Azure AD joined,HP,EliteBook 840 G10,Intune,Enterprise\r\n',
    );
    const sccm = writeTemp(
      dir,
      'v_r_system.csv',
      'ResourceID,Name0,Netbios_Name0,Operating_System_Name_and0,BuildExt,Resource_Domain_OR_Workgr0,Last_Logon_Timestamp0,Client0,SerialNumber\r\n' +
        '16777220,NGH-LT-0331,NGH-LT-0331,Microsoft Windows NT Workstation 10.0,10.0.26100.1742,NORTHGATE,2025-01-09 08:14:55,1,5CG9120ABC\r\n',
    );
    const runs = [audit([intune, sccm]), audit([sccm, intune])];
    for (const doc of runs) {
      expect(doc.hosts.map((h) => h.status)).toEqual(['unknown']);
      expect(doc.hosts[0].findings.find((f) => f.ruleId === 'DATA-CONFLICT')?.status).toBe('unknown');
      expect(doc.warnings.join('\n')).toMatch(/NGH-LT-0331: two serial numbers for one name \(.*"5CG\w+", last seen 20\d\d-\d\d-\d\d.*"5CG\w+", last seen 20\d\d-\d\d-\d\d\)/);
    }
    expect(verdicts(runs[0])).toEqual(verdicts(runs[1]));
  });
});
