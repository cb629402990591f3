import { auditJson, type JsonFinding, type JsonHost } from '../helpers/cli.js';
import { tempDir, writeTemp } from '../helpers/tmp.js';

// Update-state columns of patch tools (Configuration Manager, WSUS) and machine ids (Kaseya VSA), through
// the built CLI as a user runs it.
const dir = tempDir('patchaudit-e2e-states-');

function ms17By(doc: { hosts: JsonHost[] }): Map<string, JsonFinding> {
  return new Map(doc.hosts.map((h) => [h.hostname, h.findings.find((f) => f.ruleId === 'MS17-010')!]));
}

const W7_SO = 'March 2017 Security Only Quality Update for Windows 7 for x64-based Systems (KB4012212)';
const W7_MR = 'March 2017 Security Monthly Quality Rollup for Windows 7 for x64-based Systems (KB4012215)';

describe('update states (end to end)', () => {
  test('Configuration Manager v_UpdateComplianceStatus.Status: 0 (detection state unknown) and 1 (not required) make the check unknown, naming the state; 2 fails; 3 passes', () => {
    const inv = writeTemp(
      dir,
      'cm-update-compliance.csv',
      'Netbios_Name0,Caption0,Version0,CSDVersion0,BulletinID,ArticleID,Title,Status\r\n' +
        `RAD-WS-101,Microsoft Windows 7 Enterprise ,6.1.7601,Service Pack 1,MS17-010,4012212,${W7_SO},1\r\n` +
        `RAD-WS-102,Microsoft Windows 7 Enterprise ,6.1.7601,Service Pack 1,MS17-010,4012212,${W7_SO},0\r\n` +
        `RAD-WS-103,Microsoft Windows 7 Enterprise ,6.1.7601,Service Pack 1,MS17-010,4012212,${W7_SO},2\r\n` +
        `RAD-WS-104,Microsoft Windows 7 Enterprise ,6.1.7601,Service Pack 1,MS17-010,4012212,${W7_SO},3\r\n` +
        // Not required because the monthly rollup that contains it is installed.
        `RAD-WS-105,Microsoft Windows 7 Enterprise ,6.1.7601,Service Pack 1,MS17-010,4012212,${W7_SO},1\r\n` +
        `RAD-WS-105,Microsoft Windows 7 Enterprise ,6.1.7601,Service Pack 1,,4012215,${W7_MR},3\r\n`,
    );
    const r = auditJson([inv, '-r', 'ms17-010']);
    expect(r.code).toBe(0);
    const by = ms17By(r.doc);
    expect(['RAD-WS-101', 'RAD-WS-102', 'RAD-WS-103', 'RAD-WS-104', 'RAD-WS-105'].map((h) => by.get(h)!.status)).toEqual(['unknown', 'unknown', 'fail', 'pass', 'pass']);
    expect(by.get('RAD-WS-101')!.decidedBy).toBe('kb-state');
    expect(by.get('RAD-WS-101')!.evidence).toContain('KB4012212 is listed as status "1 (not required, or not applicable)", not read as installed: not counted as installed');
    expect(by.get('RAD-WS-102')!.evidence).toContain('KB4012212 is listed as status "0 (detection state unknown)", not read as installed: not counted as installed');
    expect(by.get('RAD-WS-103')!.evidence).toContain('KB4012212 is listed as "2": not counted as installed');
  });

  test('WSUS SummarizationState is read: only 4 (installed) counts; 2, 3 (downloaded) and 6 (pending reboot) fail, 0 and 1 are unknown', () => {
    const ad = writeTemp(
      dir,
      'ad-computers.csv',
      '"Name","DNSHostName","OperatingSystem","OperatingSystemVersion","OperatingSystemServicePack","Enabled"\r\n' +
        ['01', '02', '03', '04', '05', '06'].map((n) => `"WARD7-PC${n}","ward7-pc${n}.nwht.nhs.uk","Windows 7 Enterprise","6.1 (7601)","Service Pack 1","True"\r\n`).join(''),
    );
    const row = (n: string, title: string, kb: string, state: number) => `ward7-pc${n}.nwht.nhs.uk,${title},MS17-010,${kb},2017-03-14 18:05:12.000,${state}\r\n`;
    const wsus = writeTemp(
      dir,
      'susdb-update-status.csv',
      'ComputerName,UpdateTitle,SecurityBulletin,KnowledgebaseArticle,ArrivalDate,SummarizationState\r\n' +
        row('01', W7_SO, '4012212', 1) +
        row('01', W7_MR, '4012215', 4) +
        row('02', W7_SO, '4012212', 2) +
        row('03', W7_SO, '4012212', 0) +
        row('04', W7_SO, '4012212', 3) +
        row('05', W7_SO, '4012212', 6) +
        row('06', W7_SO, '4012212', 5),
    );
    const r = auditJson([ad, wsus, '-r', 'ms17-010']);
    expect(r.code).toBe(0);
    const by = ms17By(r.doc);
    expect(['01', '02', '03', '04', '05', '06'].map((n) => by.get(`WARD7-PC${n}`)!.status)).toEqual(['pass', 'fail', 'unknown', 'fail', 'fail', 'fail']);
    expect(r.doc.rejected).toEqual([]);
  });

  test('Configuration Manager "Compliance 5 - Specific computer": Installed beside Required, as "*" marks or Yes/No', () => {
    const marks = writeTemp(
      dir,
      'compliance5-collection.csv',
      'Netbios_Name0,Caption0,Version0,UpdateClassification,BulletinID,ArticleID,Title,Targeted,Installed,IsRequired,Deadline\r\n' +
        // Required and not installed: a blank Installed beside a '*' in IsRequired.
        `RAD-WS-014,Microsoft Windows 7 Enterprise ,6.1.7601,Security Updates,MS17-010,4012212,${W7_SO},*,,*,3/28/2017 11:00:00 PM\r\n` +
        // Neither: not required (the rollup containing it is installed).
        `RAD-WS-015,Microsoft Windows 7 Enterprise ,6.1.7601,Security Updates,MS17-010,4012212,${W7_SO},*,,,\r\n` +
        `RAD-WS-015,Microsoft Windows 7 Enterprise ,6.1.7601,Security Updates,,4012215,${W7_MR},*,*,,3/28/2017 11:00:00 PM\r\n` +
        // Neither, and nothing else: not required, or detection state unknown.
        `RAD-WS-016,Microsoft Windows 7 Enterprise ,6.1.7601,Security Updates,MS17-010,4012212,${W7_SO},,,,\r\n`,
    );
    const r1 = auditJson([marks, '-r', 'ms17-010']);
    expect(r1.code).toBe(0);
    const by1 = ms17By(r1.doc);
    expect(['RAD-WS-014', 'RAD-WS-015', 'RAD-WS-016'].map((h) => by1.get(h)!.status)).toEqual(['fail', 'pass', 'unknown']);
    expect(by1.get('RAD-WS-014')!.evidence).toContain('KB4012212 is listed as "Required: *, Installed: (blank)": not counted as installed');
    expect(by1.get('RAD-WS-016')!.evidence).toContain('KB4012212 is listed as status "Required: (blank), Installed: (blank)", not read as installed: not counted as installed');

    const os = writeTemp(
      dir,
      'cm-operating-system.csv',
      'Netbios_Name0,Caption0,Version0,CSDVersion0\r\n' + ['201', '202', '203'].map((n) => `CARD-WS-${n},Microsoft Windows 8.1 Enterprise,6.3.9600,\r\n`).join(''),
    );
    const title = 'March 2017 Security Only Quality Update for Windows 8.1 for x64-based Systems (KB4012213)';
    const yesNo = writeTemp(
      dir,
      'compliance5-yes-no.csv',
      'Computer Name,Bulletin ID,Article ID,Title,Required,Installed\r\n' +
        `CARD-WS-201,MS17-010,4012213,${title},No,No\r\n` +
        `CARD-WS-202,MS17-010,4012213,${title},Yes,No\r\n` +
        `CARD-WS-203,MS17-010,4012213,${title},No,Yes\r\n`,
    );
    const r2 = auditJson([os, yesNo, '-r', 'ms17-010']);
    expect(r2.code).toBe(0);
    const by2 = ms17By(r2.doc);
    expect(['CARD-WS-201', 'CARD-WS-202', 'CARD-WS-203'].map((h) => by2.get(h)!.status)).toEqual(['unknown', 'fail', 'pass']);
    expect(by2.get('CARD-WS-201')!.evidence).toContain('KB4012213 is listed as status "Required: No, Installed: No", not read as installed: not counted as installed');
  });

  test('an update history from the Windows Update Agent (Title, numeric Operation and ResultCode): succeeded counts, failed does not, an uninstallation takes it away', () => {
    const os = writeTemp(
      dir,
      'win32-os.csv',
      '"CSName","Caption","Version","BuildNumber","CSDVersion","ServicePackMajorVersion","OSArchitecture"\r\n' +
        ['07', '08', '09'].map((n) => `"THEATRE-PC${n}","Microsoft Windows 7 Enterprise ","6.1.7601","7601","Service Pack 1","1","64-bit"\r\n`).join(''),
    );
    const history = writeTemp(
      dir,
      'wu-history.csv',
      '"PSComputerName","Date","Operation","ResultCode","HResult","Title"\r\n' +
        `"THEATRE-PC07","3/22/2017 2:14:09 AM","1","2","0","${W7_MR}"\r\n` +
        `"THEATRE-PC08","3/22/2017 2:14:09 AM","1","4","-2145124329","${W7_MR}"\r\n` +
        `"THEATRE-PC09","4/2/2017 9:40:51 AM","2","2","0","${W7_MR}"\r\n`,
    );
    const r = auditJson([os, history, '-r', 'ms17-010']);
    expect(r.code).toBe(0);
    const by = ms17By(r.doc);
    expect(['THEATRE-PC07', 'THEATRE-PC08', 'THEATRE-PC09'].map((h) => by.get(h)!.status)).toEqual(['pass', 'fail', 'fail']);
    expect(by.get('THEATRE-PC08')!.evidence).toContain('KB4012215 is listed as "4 (failed)": not counted as installed');
    expect(by.get('THEATRE-PC09')!.evidence).toContain('KB4012215 is listed as "Uninstallation": not counted as installed');
    expect(r.doc.warnings).toEqual([]);
  });

  test('a scanner\'s findings (Qualys) name missing updates in their Title: never read as installed', () => {
    const inv = writeTemp(
      dir,
      'qualys-host-detections.csv',
      '"IP","Network","DNS","NetBIOS","Tracking Method","OS","IP Status","QID","Title","Vuln Status","Type","Severity","Port","Protocol","FQDN","SSL","First Detected","Last Detected","Times Detected","Date Last Fixed","CVE ID","Vendor Reference","Bugtraq ID","CVSS3"\r\n' +
        '"10.20.7.15","Global Default Network","ward7-pc01.nwht.nhs.uk","WARD7-PC01","IP","Windows 7 Professional 64 bit Edition Service Pack 1","host scanned, found vuln","91345","Microsoft Windows SMB Server Security Update (MS17-010) (KB4012212)","Active","Vuln","5","","","ward7-pc01.nwht.nhs.uk","","03/20/2017 08:02:11","11/20/2026 08:02:11","120","","CVE-2017-0143","KB4012212","96703","8.1"\r\n' +
        '"10.20.7.16","Global Default Network","ward7-pc02.nwht.nhs.uk","WARD7-PC02","IP","Windows 7 Professional 64 bit Edition Service Pack 1","host scanned, found vuln","91534","Microsoft Windows Security Update for May 2019 (KB4499175)","Active","Vuln","5","","","ward7-pc02.nwht.nhs.uk","","05/20/2019 08:02:11","11/20/2026 08:02:11","80","","CVE-2019-0708","KB4499175","108273","9.8"\r\n',
    );
    const r = auditJson([inv]);
    expect(r.code).toBe(0);
    for (const h of r.doc.hosts as JsonHost[]) {
      for (const rule of ['MS17-010', 'CVE-2019-0708']) expect(h.findings.find((f) => f.ruleId === rule)!.status).not.toBe('pass');
    }
  });

  test('Kaseya VSA: the Machine ID ("machine.group.org") names the machine, shown whole; one name in two machine groups is flagged, not compliant', () => {
    const inv = writeTemp(
      dir,
      'kaseya-patch-status.csv',
      'Machine ID,Operating System,OS Version,Last Check-in,KB Article,Update Classification,Patch Status\r\n' +
        'ward7-pc01.radiology.nhstrust,Windows 7 Professional,6.1.7601 Service Pack 1,2026-11-20 08:14:02,KB4012212,Security Update,Installed\r\n' +
        'ward7-pc01.cardiology.nhstrust,Windows 7 Professional,6.1.7601 Service Pack 1,2026-11-21 09:02:40,KB4012212,Security Update,Missing\r\n' +
        'theatre-pc02.surgery.nhstrust,Windows 7 Professional,6.1.7601 Service Pack 1,2026-11-22 10:00:00,KB4012215,Security Update,Installed\r\n' +
        'recep-pc03.outpatients.nhstrust,Windows 7 Professional,6.1.7601 Service Pack 1,2026-11-22 10:05:00,KB4012212,Security Update,Failed\r\n',
    );
    const r = auditJson([inv, '-r', 'ms17-010']);
    expect(r.stderr).not.toMatch(/no hostname column/);
    expect(r.code).toBe(0);
    const hosts: JsonHost[] = r.doc.hosts;
    expect(hosts.map((h) => h.hostname)).toEqual(['ward7-pc01.radiology.nhstrust', 'theatre-pc02.surgery.nhstrust', 'recep-pc03.outpatients.nhstrust']);
    const by = ms17By(r.doc);
    expect(by.get('theatre-pc02.surgery.nhstrust')!.status).toBe('pass');
    expect(by.get('recep-pc03.outpatients.nhstrust')!.status).toBe('fail');
    // The same machine name in two machine groups may be two machines: never reported compliant.
    const clash = hosts[0];
    expect(clash.status).not.toBe('compliant');
    expect(clash.findings.find((f) => f.ruleId === 'DATA-CONFLICT')?.evidence.join(' ')).toMatch(/ward7-pc01\.radiology\.nhstrust and ward7-pc01\.cardiology\.nhstrust/);
    // Every row audited: the second ward7-pc01 is in the first's host, and counted.
    expect(r.doc.summary).toMatchObject({ hosts: 3, rowsRead: 4, rowsAudited: 4, rejectedRows: 0 });
  });

  test('exports listing missing updates (findings, recommendations, a missing-patches list, a "Missing" group title) never pass a machine', () => {
    const mde = writeTemp(
      dir,
      'mde-software-vulnerabilities.csv',
      'DeviceId,DeviceName,OSPlatform,OSVersion,OSArchitecture,SoftwareVendor,SoftwareName,SoftwareVersion,CveId,VulnerabilitySeverityLevel,RecommendedSecurityUpdate,RecommendedSecurityUpdateId,KB\r\n' +
        '4f1c0a7d2b9e8c3f6a5d4e1b0c9a8f7e6d5c4b3a,wkst-0142.corp.contoso.com,Windows7,6.1.7601,x64,microsoft,windows_7,6.1.7601.23403,CVE-2017-0144,Critical,March 2017 Security Monthly Quality Rollup,4012215,KB4012215\r\n' +
        '4f1c0a7d2b9e8c3f6a5d4e1b0c9a8f7e6d5c4b3a,wkst-0142.corp.contoso.com,Windows7,6.1.7601,x64,microsoft,windows_7,6.1.7601.23403,CVE-2019-0708,Critical,May 2019 Security Monthly Quality Rollup,4499164,KB4499164\r\n' +
        '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b,srv-fs02.corp.contoso.com,WindowsServer2012R2,6.3.9600,x64,microsoft,windows_server_2012_r2,6.3.9600.18604,CVE-2017-0144,Critical,March 2017 Security Only Quality Update,4012213,KB4012213\r\n',
    );
    const cm = writeTemp(
      dir,
      'cm-required-updates.csv',
      'Name0,Caption0,Version0,CSDVersion0,ArticleID,BulletinID,Title\r\n' +
        `RAD-WS-014,Microsoft Windows 7 Enterprise,6.1.7601,Service Pack 1,4012212,MS17-010,${W7_SO}\r\n` +
        'RAD-WS-014,Microsoft Windows 7 Enterprise,6.1.7601,Service Pack 1,4499175,,2019-05 Security Only Quality Update for Windows 7 for x64-based Systems (KB4499175)\r\n' +
        'SRV-APP-01,Microsoft Windows Server 2008 R2 Enterprise,6.1.7601,Service Pack 1,4012212,MS17-010,March 2017 Security Only Quality Update for Windows Server 2008 R2 for x64-based Systems (KB4012212)\r\n',
    );
    const sheet = writeTemp(
      dir,
      'patch-tracker.csv',
      ',,,,Missing,\r\n' +
        'Hostname,OS Name,OS Version,Service Pack,KBs,Site\r\n' +
        'WARD7-PC01,Microsoft Windows 7 Professional,6.1.7601,Service Pack 1,"KB4012212, KB4499175",Radiology\r\n' +
        'FS-02,Microsoft Windows Server 2012 R2 Standard,6.3.9600,,KB4012213,Main\r\n' +
        'APP-01,Microsoft Windows Server 2008 R2 Enterprise,6.1.7601,Service Pack 1,KB4012215,Main\r\n',
    );
    const expected: [string, number, RegExp][] = [
      [mde, 1, /updates in column "KB" with no state for each, beside column "CveId"/],
      [cm, 1, /Configuration Manager's ArticleID with no Status column/],
      [sheet, 1, /the update column "KBs" is under the title "Missing"/],
    ];
    for (const [file, line, message] of expected) {
      const r = auditJson([file]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
      expect(r.stderr).toContain(`${file}:${line}: `);
      expect(r.stderr).toMatch(message);
    }

    // Words in a sheet's update cell that say the updates are to be installed.
    const cells = writeTemp(
      dir,
      'kbs-to-install.csv',
      'Hostname,OS Name,OS Version,Service Pack,Updates\r\n' +
        'WARD7-PC01,Microsoft Windows 7 Professional,6.1.7601,Service Pack 1,"To install: KB4012212, KB4499175"\r\n' +
        'APP-01,Microsoft Windows Server 2008 R2 Enterprise,6.1.7601,Service Pack 1,Recommended: KB4012215\r\n' +
        'FS-02,Microsoft Windows Server 2012 R2 Standard,6.3.9600,,Vulnerable: KB4012213\r\n' +
        'FS-03,Microsoft Windows Server 2012 R2 Standard,6.3.9600,,"KB4012213, KB4499175"\r\n',
    );
    const r = auditJson([cells]);
    expect(r.code).toBe(0);
    const statuses = new Map(r.doc.hosts.map((h: JsonHost) => [h.hostname, Object.fromEntries(h.findings.filter((f) => /^(?:MS17-010|CVE-2019-0708)$/.test(f.ruleId)).map((f) => [f.ruleId, f.status]))]));
    expect(Object.fromEntries(statuses)).toEqual({
      'WARD7-PC01': { 'MS17-010': 'fail', 'CVE-2019-0708': 'fail' },
      'APP-01': { 'MS17-010': 'fail', 'CVE-2019-0708': 'fail' },
      'FS-02': { 'MS17-010': 'fail', 'CVE-2019-0708': 'not-applicable' },
      'FS-03': { 'MS17-010': 'pass', 'CVE-2019-0708': 'not-applicable' },
    });
    expect(ms17By(r.doc).get('WARD7-PC01')!.evidence).toContain('KB4012212 is listed as "To install": not counted as installed');
    expect(ms17By(r.doc).get('APP-01')!.evidence).toContain('KB4012215 is listed as "Recommended": not counted as installed');
  });
});
