import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

interface JsonHost {
  hostname: string;
  status: string;
  os: { product: string | null; editionClass: string | null };
  findings: { ruleId: string; status: string; evidence: string[] }[];
}

function audit(args: string[]): { code: number | null; hosts: JsonHost[]; warnings: string[] } {
  const r = runCli(['audit', ...args, '--format', 'json']);
  expect(r.stderr).toBe('');
  const doc = JSON.parse(r.stdout);
  return { code: r.code, hosts: doc.hosts, warnings: doc.warnings };
}

const dir = tempDir('patchaudit-os-judgement-');
const file = (name: string, text: string): string => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('CLI: what the OS strings let the audit decide', () => {
  test('replayed on WannaCry day (--as-of 2017-05-12), flaws made public later do not count', () => {
    const csv = file(
      'wannacry-day.csv',
      'Hostname,OS Name,OS Version,Service Pack,Installed KBs\r\n' +
        'NGH-W7-0001,Microsoft Windows 7 Enterprise,6.1.7601,Service Pack 1,KB4012212\r\n' +
        'NGH-W7-0002,Microsoft Windows 7 Enterprise,6.1.7601,Service Pack 1,KB3212646\r\n' +
        'NGH-XP-0003,Microsoft Windows XP Professional,5.1.2600,Service Pack 3,KB4012598\r\n' +
        'NGH-SV-0004,Microsoft(R) Windows(R) Server 2003 R2 Standard Edition,5.2.3790,Service Pack 2,KB2868626\r\n',
    );
    const { hosts, code } = audit([csv, '--as-of', '2017-05-12']);
    const verdicts = Object.fromEntries(hosts.map((h) => [h.hostname, [h.status, ...h.findings.map((f) => `${f.ruleId}:${f.status}`)].join(' ')]));
    expect(verdicts).toEqual({
      'NGH-W7-0001': 'compliant MS17-010:pass WIN-EOS:pass CVE-2019-0708:not-applicable CVE-2020-0796:not-applicable OS-EOS:not-applicable',
      'NGH-W7-0002': 'non-compliant MS17-010:fail WIN-EOS:pass CVE-2019-0708:not-applicable CVE-2020-0796:not-applicable OS-EOS:not-applicable',
      'NGH-XP-0003': 'non-compliant MS17-010:pass WIN-EOS:fail CVE-2019-0708:not-applicable CVE-2020-0796:not-applicable OS-EOS:not-applicable',
      'NGH-SV-0004': 'non-compliant MS17-010:fail WIN-EOS:fail CVE-2019-0708:not-applicable CVE-2020-0796:not-applicable OS-EOS:not-applicable',
    });
    expect(code).toBe(1);
    const bluekeep = hosts[0]!.findings.find((f) => f.ruleId === 'CVE-2019-0708')!;
    expect(bluekeep.evidence).toEqual(['CVE-2019-0708 was made public on 2019-05-14, after the audit date 2017-05-12']);
  });

  test('Windows 11 Pro Education with a French or Russian caption fails WIN-EOS as Home/Pro 24H2', () => {
    const csv = file(
      'proedu.csv',
      'Hostname,OS Name,OS Version\r\nFR-W11-PROEDU,Microsoft Windows 11 Professionnel Éducation,10.0.26100.4349\r\nRU-W11-PROEDU,Майкрософт Windows 11 Pro для образовательных учреждений,10.0.26100.4349\r\n',
    );
    const { hosts } = audit([csv, '-r', 'win-eos', '--as-of', '2026-11-25']);
    for (const h of hosts) {
      expect({ host: h.hostname, status: h.status, editionClass: h.os.editionClass }).toEqual({ host: h.hostname, status: 'non-compliant', editionClass: 'consumer' });
      expect(h.findings[0].evidence.join(' ')).toMatch(/24H2 \(Home\/Pro\): support ended 2026-10-13/);
    }
  });

  test('Windows 10 and Windows 11 without a build are judged alike: unknown while some release is supported', () => {
    const csv = file('nobuild.csv', 'Hostname,Operating System\r\nW10-NOBUILD,Windows 10 Enterprise\r\nW11-NOBUILD,Windows 11 Enterprise\r\n');
    const at = (asOf: string) => Object.fromEntries(audit([csv, '-r', 'win-eos', '--as-of', asOf]).hosts.map((h) => [h.hostname, h.status]));
    expect(at('2024-01-01')).toEqual({ 'W10-NOBUILD': 'unknown', 'W11-NOBUILD': 'compliant' });
    expect(at('2025-06-01')).toEqual({ 'W10-NOBUILD': 'unknown', 'W11-NOBUILD': 'unknown' });
    expect(at('2026-11-25')).toEqual({ 'W10-NOBUILD': 'non-compliant', 'W11-NOBUILD': 'unknown' });
  });

  test('two files disagreeing about a host: unknown with DATA-CONFLICT, whatever the argument order', () => {
    const ad = file('ad.csv', '"Name","OperatingSystem","OperatingSystemVersion"\r\n"CONF-01","Windows 11 Enterprise","10.0 (26100)"\r\n"AGREE-01","Windows 10 Enterprise","10.0 (19045)"\r\n');
    const sccm = file('sccm.csv', 'Name0,Caption0,Version0,BuildNumber0,CSDVersion0,ProductType0\r\nCONF-01,Microsoft Windows 7 Enterprise ,6.1.7601,7601,Service Pack 1,1\r\nAGREE-01,Microsoft Windows 10 Enterprise,10.0.19045,19045,,1\r\n');
    const runs = [audit([ad, sccm, '--as-of', '2026-11-25']), audit([sccm, ad, '--as-of', '2026-11-25'])];
    for (const { hosts, warnings } of runs) {
      const conf = hosts.find((h) => h.hostname === 'CONF-01')!;
      expect(conf.status).toBe('unknown');
      expect(conf.os.product).toBeNull();
      const dc = conf.findings.find((f) => f.ruleId === 'DATA-CONFLICT')!;
      expect(dc.status).toBe('unknown');
      expect(dc.evidence.join(' ')).toContain(`${ad}:2 says "Windows 11 Enterprise 10.0 (26100)"`);
      expect(dc.evidence.join(' ')).toContain(`${sccm}:2 says "Microsoft Windows 7 Enterprise 6.1.7601"`);
      expect(warnings.filter((w) => /conflicting OS data/.test(w)).map((w) => w.slice(0, 9))).toEqual(['CONF-01: ']);
      const agree = hosts.find((h) => h.hostname === 'AGREE-01')!;
      expect(agree.findings.some((f) => f.ruleId === 'DATA-CONFLICT')).toBe(false);
      expect(agree.os.product).toBe('Windows 10');
    }
    const strip = (hs: JsonHost[]) => hs.map((h) => ({ host: h.hostname, status: h.status, findings: h.findings.map((f) => [f.ruleId, f.status]) }));
    expect(strip(runs[0].hosts)).toEqual(strip(runs[1].hosts));
  });

  test('names the NT version must not override, embedded and home-server SKUs, Hyper-V Server and Defender platforms', () => {
    const csv = file(
      'skus.csv',
      'Hostname,OS Name,OS Version,Service Pack,Installed KBs\r\n' +
        'HCI-NODE1,Microsoft Azure Stack HCI,10.0.20348.1850,,\r\n' +
        'APPLIANCE1,Contoso StorageOS,10.0.20348.1850,,\r\n' +
        'WES7-01,Microsoft Windows Embedded Standard,6.1.7601,Service Pack 1,KB4012215 KB4499164\r\n' +
        'WE8S-01,Microsoft Windows Embedded 8 Standard,6.2.9200,,KB4012217\r\n' +
        'WHS2011,Windows Home Server 2011,6.1.7601,Service Pack 1,KB4012215 KB4499164\r\n' +
        'HV2019,Microsoft Hyper-V Server 2019,10.0.17763.5000,,\r\n',
    );
    const { hosts } = audit([csv, '--as-of', '2020-06-01']);
    const by = Object.fromEntries(hosts.map((h) => [h.hostname, h]));
    const rule = (h: string, id: string) => by[h]!.findings.find((f) => f.ruleId === id)!;
    expect(by['HCI-NODE1']!.status).toBe('unknown');
    expect(by['HCI-NODE1']!.os.product).toBeNull();
    expect(by['APPLIANCE1']!.status).toBe('unknown');
    expect(by['WES7-01']!.os.editionClass).toBe('embedded-standard-7');
    expect(rule('WES7-01', 'WIN-EOS').status).toBe('pass');
    expect(rule('WES7-01', 'WIN-EOS').evidence.join(' ')).toMatch(/Windows Embedded Standard 7: supported until 2020-10-13/);
    expect(rule('WE8S-01', 'WIN-EOS').status).toBe('pass');
    expect(rule('WE8S-01', 'MS17-010').status).toBe('unknown');
    expect(rule('WHS2011', 'WIN-EOS').evidence.join(' ')).toMatch(/Windows Home Server 2011: support ended 2016-04-12/);
    expect(by['HV2019']!.os.product).toBe('Windows Server 2019');
    expect(rule('HV2019', 'WIN-EOS').status).toBe('pass');

    const mde = file('mde.csv', 'Device Name,Domain,OS Platform,OS Version,OS Build,Health State\r\nM02,corp,WindowsServer2019,1809,17763,Active\r\nM10,corp,Windows10,1607,14393,Active\r\n');
    const m = Object.fromEntries(audit([mde, '-r', 'win-eos', '--as-of', '2026-11-25']).hosts.map((h) => [h.hostname, h.os.product]));
    expect(m).toEqual({ M02: 'Windows Server 2019', M10: 'Windows 10' });
  });

  test('XP-based embedded devices (systeminfo /fo csv) are judged by their own lifecycles: Standard 2009 to 2019-01-08, WEPOS to 2016-04-12', () => {
    const csv = file(
      'embedded-systeminfo.csv',
      '"Host Name","OS Name","OS Version","OS Manufacturer","OS Configuration","OS Build Type","Registered Owner","Registered Organization","Product ID","Original Install Date","System Boot Time","System Manufacturer","System Model","System Type","Processor(s)","BIOS Version","Windows Directory","System Directory","Boot Device","System Locale","Input Locale","Time Zone","Total Physical Memory","Available Physical Memory","Virtual Memory: Max Size","Virtual Memory: Available","Virtual Memory: In Use","Page File Location(s)","Domain","Logon Server","Hotfix(s)","Network Card(s)"\r\n' +
        '"NGH-TC-0412","Microsoft Windows Embedded Standard","5.1.2600 Service Pack 3 Build 2600","Microsoft Corporation","Member Workstation","Uniprocessor Free","NWHT IT","Northgate & Westmoor Hospitals NHS Trust","55274-OEM-7112847-20386","3/8/2011, 9:41:17 AM","3 Days, 2 Hours, 10 Minutes, 44 Seconds","Hewlett-Packard","HP t5740 Thin Client","X86-based PC","1 Processor(s) Installed.,[01]: x86 Family 6 Model 28 Stepping 10 GenuineIntel ~1662 Mhz","HPQOEM - 20090716","C:\\WINDOWS","C:\\WINDOWS\\system32","\\Device\\HarddiskVolume1","en-gb;English (United Kingdom)","en-gb;English (United Kingdom)","(UTC) Dublin, Edinburgh, Lisbon, London","1,014 MB","612 MB","2,048 MB","1,931 MB","117 MB","N/A","NWHT","\\\\NWHT-DC01","3 Hotfix(s) Installed.,[01]: KB2686509,[02]: KB3126587,[03]: KB4012598","1 NIC(s) Installed.,[01]: Broadcom NetLink (TM) Gigabit Ethernet"\r\n' +
        '"NGH-POS-0031","Microsoft Windows Embedded for Point of Service","5.1.2600 Service Pack 3 Build 2600","Microsoft Corporation","Member Workstation","Uniprocessor Free","NWHT Catering","Northgate & Westmoor Hospitals NHS Trust","76487-OEM-0027453-70514","11/19/2009, 2:05:48 PM","0 Days, 6 Hours, 31 Minutes, 5 Seconds","NCR","RealPOS 70XRT","X86-based PC","1 Processor(s) Installed.,[01]: x86 Family 6 Model 13 Stepping 8 GenuineIntel ~1600 Mhz","NCR    - 1072","C:\\WINDOWS","C:\\WINDOWS\\system32","\\Device\\HarddiskVolume1","en-gb;English (United Kingdom)","en-gb;English (United Kingdom)","(UTC) Dublin, Edinburgh, Lisbon, London","1,015 MB","498 MB","2,440 MB","2,004 MB","436 MB","C:\\pagefile.sys","NWHT","\\\\NWHT-DC02","3 Hotfix(s) Installed.,[01]: KB2347290,[02]: KB3139940,[03]: KB4012598","1 NIC(s) Installed.,[01]: Intel(R) PRO/100 VE Network Connection"\r\n' +
        '"NGH-TC-0455","Microsoft Windows Embedded Standard","6.1.7601 Service Pack 1 Build 7601","Microsoft Corporation","Member Workstation","Multiprocessor Free","NWHT IT","Northgate & Westmoor Hospitals NHS Trust","00371-OEM-9311845-41820","5/14/2013, 11:02:36 AM","1 Days, 0 Hours, 47 Minutes, 19 Seconds","Hewlett-Packard","HP t510 Flexible Thin Client","X86-based PC","1 Processor(s) Installed.,[01]: x86 Family 6 Model 28 Stepping 10 GenuineIntel ~1000 Mhz","HPQOEM - 20121220","C:\\Windows","C:\\Windows\\system32","\\Device\\HarddiskVolume1","en-gb;English (United Kingdom)","en-gb;English (United Kingdom)","(UTC) Dublin, Edinburgh, Lisbon, London","2,023 MB","1,204 MB","2,023 MB","1,103 MB","920 MB","N/A","NWHT","\\\\NWHT-DC01","3 Hotfix(s) Installed.,[01]: KB2533552,[02]: KB976902,[03]: KB4012215","1 NIC(s) Installed.,[01]: Realtek PCIe GBE Family Controller"\r\n',
    );
    const verdicts = (asOf: string): Record<string, string> => {
      const { hosts } = audit([csv, '--as-of', asOf]);
      return Object.fromEntries(hosts.map((h) => [h.hostname, [h.os.product, h.os.editionClass ?? '-', ...h.findings.filter((f) => f.ruleId === 'MS17-010' || f.ruleId === 'WIN-EOS').map((f) => `${f.ruleId}:${f.status}`)].join(' ')]));
    };
    expect(verdicts('2017-06-01')).toEqual({
      'NGH-TC-0412': 'Windows Embedded Standard 2009 - MS17-010:pass WIN-EOS:pass',
      'NGH-POS-0031': 'Windows Embedded for Point of Service - MS17-010:pass WIN-EOS:fail',
      'NGH-TC-0455': 'Windows 7 embedded-standard-7 MS17-010:pass WIN-EOS:pass',
    });
    // The day after Standard 2009's own end.
    expect(verdicts('2019-01-09')['NGH-TC-0412']).toBe('Windows Embedded Standard 2009 - MS17-010:pass WIN-EOS:fail');
    const { hosts } = audit([csv, '-r', 'win-eos', '--as-of', '2017-06-01']);
    const evidence = Object.fromEntries(hosts.map((h) => [h.hostname, h.findings[0]!.evidence.join(' | ')]));
    expect(evidence['NGH-TC-0412']).toMatch(/^Windows Embedded Standard 2009: supported until 2019-01-08/);
    expect(evidence['NGH-POS-0031']).toMatch(/^Windows Embedded for Point of Service \(WEPOS\): support ended 2016-04-12 \(415 days before 2017-06-01\)/);
  });

  test('an OS name and a version that name different Windows products: unknown with a note quoting both; an agent version is ignored', () => {
    const csv = file(
      'conflicts.csv',
      'Hostname,Operating System,Version,ESU,Installed KBs\r\n' +
        'PC-V01,Microsoft Windows 7 Enterprise,10.0.19045,Yes,KB5044273\r\n' +
        'PC-V04,Microsoft Windows Server 2008 R2 Standard,10.0.20348,,\r\n' +
        'PC-V05,Microsoft Windows XP Professional,10.0.22631,,\r\n' +
        'PC-V07,Microsoft Windows Server 2016 Standard,10.0.17763,,\r\n' +
        'PC-T04,Windows 10 Pro,6.1.3,,KB5044273\r\n' +
        'PC-V03,Microsoft Windows Server 2019 Standard,6.2.5.4,,KB5044277\r\n' +
        'PC-W11,Microsoft Windows 10 Enterprise,10.0.26100.4349,,\r\n',
    );
    const r = runCli(['audit', csv, '--as-of', '2026-11-25', '--format', 'json', '--allow-unknown', '--fail-on', 'none']);
    expect(r.stderr).toBe('');
    const hosts: (JsonHost & { os: { notes: string[]; product: string | null } })[] = JSON.parse(r.stdout).hosts;
    const by = Object.fromEntries(hosts.map((h) => [h.hostname, h]));
    for (const id of ['PC-V01', 'PC-V04', 'PC-V05', 'PC-V07']) {
      expect({ id, status: by[id]!.status, product: by[id]!.os.product }).toEqual({ id, status: 'unknown', product: null });
      expect(by[id]!.findings.filter((f) => f.ruleId !== 'OS-EOS').every((f) => f.status === 'unknown')).toBe(true);
    }
    expect(by['PC-V01']!.os.notes.join(' ')).toMatch(/name "Microsoft Windows 7 Enterprise" is Windows 7 \(NT 6\.1\) but version "10\.0\.19045" is NT 10\.0 \(Windows 10 22H2\)/);
    expect(by['PC-V07']!.os.notes.join(' ')).toMatch(/name says Windows Server 2016 but build 17763 is Windows Server 2019/);
    const t04 = by['PC-T04']!;
    expect(t04.os.product).toBe('Windows 10');
    expect(t04.os.notes.join(' ')).toMatch(/version "6\.1\.3" cannot be the version of Windows 10/);
    expect(t04.findings.find((f) => f.ruleId === 'CVE-2019-0708')!.status).toBe('not-applicable');
    expect(t04.findings.find((f) => f.ruleId === 'MS17-010')!.status).not.toBe('fail');
    expect(by['PC-V03']!.os.product).toBe('Windows Server 2019');
    expect(by['PC-V03']!.status).toBe('compliant');
    expect(by['PC-W11']!.os.product).toBe('Windows 11');
  });

  test('ReleaseId 2009 without a build leaves the Windows 10 release open; a build decides it', () => {
    const csv = file(
      'releaseid.csv',
      'Hostname,OS Name,ReleaseId,Build,ESU\r\nRI-01,Microsoft Windows 10 Enterprise,2009,19045,Yes\r\nRI-02,Microsoft Windows 10 Enterprise,2009,,Yes\r\nRI-03,Microsoft Windows 10 Enterprise,22H2,,Yes\r\n',
    );
    const { hosts } = audit([csv, '-r', 'win-eos', '--as-of', '2026-11-25', '--allow-unknown', '--fail-on', 'none']);
    const by = Object.fromEntries(hosts.map((h) => [h.hostname, h]));
    expect(Object.fromEntries(hosts.map((h) => [h.hostname, h.status]))).toEqual({ 'RI-01': 'compliant', 'RI-02': 'unknown', 'RI-03': 'compliant' });
    expect(by['RI-02']!.findings[0]!.evidence.join(' ')).not.toMatch(/20H2 \(Enterprise\/Education\): support ended/);
  });

  test('admin shorthands read as their product', () => {
    const csv = file(
      'shorthands.csv',
      'Hostname,OS Name\r\nS1,W10 Pro 21H2\r\nS2,Win10 Enterprise\r\nS3,Server 2012R2\r\nS4,Windows Server 2019 Std\r\nS5,Win 2k8 R2\r\nS6,W2K12R2\r\nS7,W2K16\r\nS8,W2K19\r\nS9,Windows 10 Pro N\r\nS10,Windows 10 Pro KN\r\n',
    );
    const { hosts } = audit([csv, '-r', 'win-eos', '--as-of', '2026-11-25', '--allow-unknown', '--fail-on', 'none']);
    expect(Object.fromEntries(hosts.map((h) => [h.hostname, h.os.product]))).toEqual({
      S1: 'Windows 10',
      S2: 'Windows 10',
      S3: 'Windows Server 2012 R2',
      S4: 'Windows Server 2019',
      S5: 'Windows Server 2008 R2',
      S6: 'Windows Server 2012 R2',
      S7: 'Windows Server 2016',
      S8: 'Windows Server 2019',
      S9: 'Windows 10',
      S10: 'Windows 10',
    });
    const status = Object.fromEntries(hosts.map((h) => [h.hostname, h.status]));
    expect(status).toMatchObject({ S1: 'non-compliant', S3: 'non-compliant', S5: 'non-compliant', S7: 'compliant', S8: 'compliant' });
    // Server 2016 ends 2027-01-12, within the 90-day warning window: a warn finding on a compliant host.
    expect(hosts.find((h) => h.hostname === 'S7')!.findings[0]!.status).toBe('warn');
  });
});

describe('CLI: VMware ESXi hosts in an inventory', () => {
  test('judged by OS-EOS per release (General Support, not Technical Guidance); phones stay unknown', () => {
    // A Lansweeper-style asset list with the hypervisors beside the Windows servers.
    const csv = file(
      'hypervisors.csv',
      'AssetName,AssetType,OS,Version,IPAddress\r\n' +
        'SAH-ESX-01,VMware Guest,VMware ESXi 6.7.0 build-8169922,,10.40.0.11\r\n' +
        'SAH-ESX-02,VMware Guest,VMware ESXi 7.0.3 build-21930508,,10.40.0.12\r\n' +
        'WCH-ESX-01,VMware Guest,VMware ESXi,8.0.2,10.60.0.11\r\n' +
        'WCH-ESX-02,VMware Guest,VMware ESXi,,10.60.0.12\r\n' +
        'THQ-IPH-0011,Mobile,iOS 17.5,,\r\n',
    );
    const verdict = (asOf: string) => {
      const { hosts } = audit([csv, '--as-of', asOf]);
      return Object.fromEntries(hosts.map((h) => [h.hostname, `${h.status} ${h.findings.find((f) => f.ruleId === 'OS-EOS')!.status}`]));
    };
    expect(verdict('2026-11-25')).toEqual({
      'SAH-ESX-01': 'non-compliant fail',
      'SAH-ESX-02': 'non-compliant fail',
      'WCH-ESX-01': 'compliant pass',
      // No version: 8.0 is supported, the rest are not, so the release decides.
      'WCH-ESX-02': 'unknown unknown',
      'THQ-IPH-0011': 'unknown unknown',
    });
    // 7.0: the last day of General Support, then the day after.
    expect(verdict('2025-10-02')['SAH-ESX-02']).toBe('compliant warn');
    expect(verdict('2025-10-03')['SAH-ESX-02']).toBe('non-compliant fail');
    // 6.7 in 2021: within the extended General Support.
    expect(verdict('2021-12-01')['SAH-ESX-01']).toBe('compliant pass');
  });
});
