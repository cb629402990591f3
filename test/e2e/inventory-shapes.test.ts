import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { tempDir, writeTemp } from '../helpers/tmp.js';

// Export shapes met in the field that were misread: each through the built CLI, as a user runs it.
const dir = tempDir('patchaudit-e2e-shapes-');
const AS_OF = ['--as-of', '2026-11-25'];

interface Finding {
  ruleId: string;
  status: string;
}
interface HostDoc {
  hostname: string;
  status: string;
  os: { product: string | null };
  findings: Finding[];
}

function audit(args: string[]) {
  const r = runCli(['audit', ...args, '-f', 'json', ...AS_OF]);
  const doc = r.stdout ? JSON.parse(r.stdout) : null;
  return { ...r, doc };
}

const ms17 = (h: HostDoc) => h.findings.find((f) => f.ruleId === 'MS17-010')?.status;

describe('export shapes (end to end)', () => {
  test('PowerShell update cells that are not the list (a type name, a list cut short) make the patch checks unknown, named in the evidence', () => {
    const inv = writeTemp(
      dir,
      'ps-objects.csv',
      'PSComputerName,OsName,OsVersion,OsHotFixes\n' +
        'PS-01,Microsoft Windows 7 Enterprise,6.1.7601,System.Object[]\n' +
        'PS-02,Microsoft Windows 7 Enterprise,6.1.7601,"{KB2479943, KB2491683, KB2506014, KB2506212...}"\n' +
        'PS-03,Microsoft Windows 7 Enterprise,6.1.7601,"{KB2479943, KB4012212}"\n' +
        'PS-04,Microsoft Windows 7 Enterprise,6.1.7601,"{KB2479943, KB2491683}"\n',
    );
    const r = audit([inv, '-r', 'ms17-010']);
    expect(r.code).toBe(1);
    const by = new Map<string, HostDoc & { findings: (Finding & { evidence: string[] })[] }>(r.doc.hosts.map((h: HostDoc) => [h.hostname, h]));
    expect(ms17(by.get('PS-01')!)).toBe('unknown');
    expect(by.get('PS-01')!.findings[0].evidence[0]).toMatch(/no installed-updates list.*"System\.Object\[\]" is the type name PowerShell writes for a list/);
    expect(ms17(by.get('PS-02')!)).toBe('unknown');
    expect(by.get('PS-02')!.findings[0].evidence[0]).toMatch(/is a list cut short/);
    // A whole list in PowerShell's braces is read as usual.
    expect(ms17(by.get('PS-03')!)).toBe('pass');
    expect(ms17(by.get('PS-04')!)).toBe('fail');
  });

  test('a list cut short: a fix among its whole entries passes; with another row\'s list, a fix not seen is unknown, not failed', () => {
    const inv = writeTemp(
      dir,
      'ps-cut.csv',
      'Computer,OsName,OsVersion,HotFixID\n' +
        'CUT-01,Microsoft Windows 7 Enterprise,6.1.7601,"{KB2479943, KB4012212, KB2506014, KB2506212...}"\n' +
        'CUT-02,Microsoft Windows 7 Enterprise,6.1.7601,KB2479943\n' +
        'CUT-02,Microsoft Windows 7 Enterprise,6.1.7601,KB4012212...\n' +
        'CUT-03,Microsoft Windows 7 Enterprise,6.1.7601,KB2479943\n',
    );
    const r = audit([inv, '-r', 'ms17-010']);
    const by = new Map<string, HostDoc & { findings: (Finding & { evidence: string[] })[] }>(r.doc.hosts.map((h: HostDoc) => [h.hostname, h]));
    expect(ms17(by.get('CUT-01')!)).toBe('pass');
    expect(ms17(by.get('CUT-02')!)).toBe('unknown');
    expect(by.get('CUT-02')!.findings[0].evidence[0]).toMatch(/none of the 1 installed update contains the fix, but the updates cell "KB4012212\.\.\." is a list cut short/);
    expect(ms17(by.get('CUT-03')!)).toBe('fail');
  });

  test('ManageEngine patch report: numeric Patch IDs beside KB-naming descriptions; a plain Status per patch', () => {
    const inv = writeTemp(
      dir,
      'me-patches.csv',
      'Computer Name,Domain,OS,Service Pack,Patch ID,Bulletin ID,Patch Description,Severity,Status,Installed Time\n' +
        'EC-WS-014,CORP,Windows 7 Professional Edition (x64),Service Pack 1,28213,MS17-010,2017-03 Security Monthly Quality Rollup for Windows 7 for x64-based Systems (KB4012215),Critical,Installed,Mar 18 2017 10:42 AM\n' +
        'EC-WS-015,CORP,Windows 7 Professional Edition (x64),Service Pack 1,28214,MS17-010,March 2017 Security Only Quality Update for Windows 7 for x64-based Systems (KB4012212),Critical,Missing,--\n' +
        'EC-SRV-002,CORP,Windows Server 2012 R2 Standard,,28301,MS17-010,2017-03 Security Monthly Quality Rollup for Windows Server 2012 R2 (KB4012216),Critical,Installed,Mar 20 2017 01:00 AM\n',
    );
    const r = audit([inv]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const by = new Map<string, HostDoc>(r.doc.hosts.map((h: HostDoc) => [h.hostname, h]));
    expect(ms17(by.get('EC-WS-014')!)).toBe('pass');
    expect(ms17(by.get('EC-WS-015')!)).toBe('fail');
    expect(ms17(by.get('EC-SRV-002')!)).toBe('pass');
  });

  test('one update per row with a status: installed words count; a state that cannot be read makes the check unknown, not a fail', () => {
    const inv = writeTemp(
      dir,
      'states.csv',
      'Hostname,Operating System,OS Version,KB Number,Status\n' +
        'FA-01,Microsoft Windows 7 Professional,6.1.7601,KB4012212,Patched\n' +
        'FA-02,Microsoft Windows 7 Professional,6.1.7601,KB4012212,Installiert\n' +
        'FA-03,Microsoft Windows 7 Professional,6.1.7601,KB4012212,Installed/Superseded\n' +
        'FA-04,Microsoft Windows 7 Professional,6.1.7601,KB4012212,Frobnicated\n' +
        'FA-05,Microsoft Windows 7 Professional,6.1.7601,KB4012212,APPROVED\n' +
        'FA-06,Microsoft Windows 7 Professional,6.1.7601,KB4012212,Testing\n',
    );
    const r = audit([inv, '-r', 'ms17-010']);
    const by = new Map<string, HostDoc>(r.doc.hosts.map((h: HostDoc) => [h.hostname, h]));
    expect(['FA-01', 'FA-02', 'FA-03', 'FA-04', 'FA-05', 'FA-06'].map((h) => ms17(by.get(h)!))).toEqual(['pass', 'pass', 'pass', 'unknown', 'fail', 'unknown']);
    const f4 = (by.get('FA-04') as unknown as { findings: { ruleId: string; evidence: string[]; decidedBy: string }[] }).findings[0];
    expect(f4.decidedBy).toBe('kb-state');
    expect(f4.evidence[0]).toBe('KB4012212, which would contain the fix, is listed with an update state that says neither installed nor missing (or that patchaudit cannot read): whether it is installed is not known');
  });

  test('a report of missing updates (its title says so, no state per update) is refused with the line, never read as installed', () => {
    const inv = writeTemp(
      dir,
      'me-missing.csv',
      'Report Name : Missing Patches - All Systems\nGenerated On : Nov 25 2026 09:12 AM\n' +
        'Computer Name,OS,Patch ID,Patch Description,Severity\n' +
        'EC-WS-014,Windows 7 Professional Edition (x64),28213,2017-03 Security Monthly Quality Rollup for Windows 7 for x64-based Systems (KB4012215),Critical\n',
    );
    const r = runCli(['audit', inv, '-f', 'json', ...AS_OF]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`patchaudit: error: ${inv}:1: a report of missing updates ("Report Name : Missing Patches - All Systems"): the updates it lists are not installed, and patchaudit reads installed updates; export the installed updates, or a report giving each update's status\n`);
    // A plain Status holding the machine's state ("Online") says nothing of the updates: still refused.
    const machineState = writeTemp(dir, 'missing-online.csv', 'Missing Patches Report\nComputer Name,Status,Operating System,OS Version,KB Number\nW7-M1,Online,Windows 7 Professional,6.1.7601,KB4012212\n');
    expect(runCli(['audit', machineState, '-f', 'json', ...AS_OF]).code).toBe(2);
    // Titles that mention missing updates for another reason, or an update column that says installed: read.
    for (const title of ['Installed updates (no missing patches found)', 'Patch compliance - 0 missing updates', 'Required updates: installed status']) {
      const f = writeTemp(dir, 'titled.csv', `${title}\nComputer Name,OS,KB Number\nEC-WS-014,Windows 7 Professional,KB4012215\n`);
      expect([title, runCli(['audit', f, '-f', 'json', '--fail-on', 'none', '--allow-unknown', ...AS_OF]).code]).toEqual([title, 0]);
    }
    const installedColumn = writeTemp(dir, 'titled2.csv', 'Hotfix inventory; Missing patches: see other tab\nComputer Name,OS,Installed KBs\nEC-WS-014,Windows 7 Professional,KB4012215\n');
    expect(runCli(['audit', installedColumn, '-f', 'json', '--fail-on', 'none', '--allow-unknown', ...AS_OF]).code).toBe(0);
    // With a state per update the same title is no obstacle: the states say what is installed.
    const withState = writeTemp(dir, 'me-both.csv', 'Report Name : Installed and Missing Patches\nComputer Name,OS,KB Number,Status\nEC-WS-014,Windows 7 Professional,KB4012215,Missing\n');
    const ok = audit([withState, '-r', 'ms17-010']);
    expect(ok.code).toBe(1);
    expect(ms17(ok.doc.hosts[0])).toBe('fail');
  });

  test('no updates column, and a build revision from after the audit date: the patch check is unknown, never "the list is empty"', () => {
    const inv = writeTemp(dir, 'rev-only.csv', 'Hostname,OS Name,OS Version\nR1,Windows 10 Enterprise 2016 LTSB,10.0.14393.2214\n');
    const r = runCli(['audit', inv, '-f', 'json', '-r', 'ms17-010', '--as-of', '2017-05-12']);
    const f = JSON.parse(r.stdout).hosts[0].findings[0];
    expect(f.status).toBe('unknown');
    expect(f.evidence[0]).toBe('no installed-updates list, no srv.sys version');
    expect(f.evidence.join(' ')).toMatch(/build 14393\.2214 came out after the audit date 2017-05-12/);
    // At today's date the revision decides.
    expect(JSON.parse(runCli(['audit', inv, '-f', 'json', '-r', 'ms17-010', ...AS_OF]).stdout).hosts[0].findings[0].status).toBe('pass');
  });

  test('a hospital spreadsheet saved as CSV: a Notes column titled in a merged cell above (empty header cell) and note lines in the name column', () => {
    const inv = writeTemp(
      dir,
      'tracker.csv',
      'Patch tracker - St Bride\'s,,,,Notes\n' +
        'Hostname,OS,OS Version,Installed KBs,\n' +
        'HSB-MRI-CON,Windows XP Embedded,5.1.2600,KB4012598,vendor support ends soon\n' +
        'HSB-PACS-WS2,Windows 7 Enterprise,6.1.7601,KB4012212,\n' +
        '** Ward 7 PCs below moved to new build Jun 2026 - see tab 2 **,,,,\n' +
        'Key: GREEN = patched; RED = action needed,,,,\n',
    );
    const r = audit([inv]);
    expect(r.doc.hosts.map((h: HostDoc) => h.hostname)).toEqual(['HSB-MRI-CON', 'HSB-PACS-WS2']);
    expect(r.doc.rejected.map((x: { line: number; reason: string }) => [x.line, x.reason.slice(0, 30)])).toEqual([
      [5, 'a note, not a machine name ("*'],
      [6, 'a note, not a machine name ("K'],
    ]);
    expect(r.doc.summary.rowsRead).toBe(4);
    expect((r.doc.hosts[0] as { columns: Record<string, string> }).columns['(column 5)']).toBe('vendor support ends soon');
  });

  test('"localhost" names no machine: rows of several machines reporting it are rejected, not merged into one host whose updates cover them all', () => {
    const inv = writeTemp(
      dir,
      'agents.csv',
      'Hostname,FQDN,OS,OS Version,Installed KBs\n' +
        'localhost,,Windows 7 Enterprise,6.1.7601,KB4012212\n' +
        'localhost,,Windows 7 Enterprise,6.1.7601,KB2506212\n' +
        '127.0.0.1,,Windows 7 Enterprise,6.1.7601,KB2506212\n' +
        'localhost,ward7-pc01.trust.nhs.uk,Windows 7 Enterprise,6.1.7601,KB2506212\n',
    );
    const r = audit([inv, '-r', 'ms17-010']);
    expect(r.code).toBe(1);
    // The FQDN names the machine where the hostname does not.
    expect(r.doc.hosts.map((h: HostDoc) => [h.hostname, ms17(h)])).toEqual([['ward7-pc01.trust.nhs.uk', 'fail']]);
    expect(r.doc.rejected.map((x: { line: number; reason: string }) => [x.line, x.reason])).toEqual([
      [2, expect.stringMatching(/^"localhost" is every machine's name for itself, not a machine name/)],
      [3, expect.stringMatching(/^"localhost" is every machine's name/)],
      [4, expect.stringMatching(/^"127\.0\.0\.1" is every machine's name/)],
    ]);
  });

  test('.NET\'s Environment.OSVersion ("Microsoft Windows NT 10.0.14393.0") and a bare ".0" give no build revision: the updates decide', () => {
    const inv = writeTemp(
      dir,
      'dotnet.csv',
      'Hostname,OS Name,OS Version,Installed KBs\n' +
        'SV16-03,Microsoft Windows Server 2016 Standard,Microsoft Windows NT 10.0.14393.0,KB5066836\n' +
        'RAD-09,Microsoft Windows 10 Enterprise,10.0.18363.0,KB4551762\n',
    );
    const r = audit([inv, '-r', 'ms17-010,cve-2020-0796']);
    const by = new Map<string, HostDoc>(r.doc.hosts.map((h: HostDoc) => [h.hostname, h]));
    expect(ms17(by.get('SV16-03')!)).toBe('pass');
    expect(by.get('RAD-09')!.findings.find((f) => f.ruleId === 'CVE-2020-0796')!.status).toBe('pass');
  });

  test('an "Installed" column of 1/0 (ConnectWise Automate\'s hotfix table) answers installed?', () => {
    const inv = writeTemp(dir, 'cwa.csv', 'Computer Name,OS,OS Version,HotFixID,Installed\nW7A,Windows 7 Professional,6.1.7601,KB4012212,0\nW7A,Windows 7 Professional,6.1.7601,KB4499175,1\n');
    const r = audit([inv, '-r', 'ms17-010,cve-2019-0708']);
    const h = r.doc.hosts[0] as HostDoc;
    expect(h.findings.map((f) => `${f.ruleId}:${f.status}`)).toEqual(['MS17-010:fail', 'CVE-2019-0708:pass']);
  });

  test('an update column of counts (Patches: 12) is not an empty list: patch checks unknown, and a warning says why', () => {
    const inv = writeTemp(dir, 'counts.csv', 'Name,OS,OS Version,Patches\nAX-02,Windows 7 Professional,6.1.7601,12\nAX-03,Windows 7 Professional,6.1.7601,0\n');
    const r = audit([inv]);
    expect(r.code).toBe(1);
    expect(r.doc.hosts.map((h: HostDoc) => ms17(h))).toEqual(['unknown', 'unknown']);
    expect(r.doc.warnings).toEqual([expect.stringContaining('column "Patches" holds numbers (counts), not lists of updates: not read; so the patch checks')]);
    // inspect says why the column is not read.
    expect(runCli(['inspect', inv]).stdout).toMatch(/Patches\s+→ \(counts of updates, not a list: not read\)/);
  });

  test('down-level names in two domains conflict; a domain-only column (SCCM Full_Domain_Name0) is no machine name; ESU "Yes" and "Enrolled" agree', () => {
    const nb = writeTemp(dir, 'netbios.csv', 'Computer,HotFixID,Caption\r\nNORTH\\SRV-01,KB4013429,Microsoft Windows Server 2016 Standard\r\nSOUTH\\SRV-01,KB3200970,Microsoft Windows Server 2016 Standard\r\n');
    const h = audit([nb]).doc.hosts as (HostDoc & { findings: Finding[] })[];
    expect(h).toHaveLength(1);
    expect(h[0]!.status).toBe('unknown');
    expect(h[0]!.findings.some((f) => f.ruleId === 'DATA-CONFLICT')).toBe(true);

    const sccm = writeTemp(dir, 'sccm-rsys.csv', 'Name0,Full_Domain_Name0,Operating_System_Name_and0,Build01\r\nPC-FIN-0012,CORP.ACME.COM,Microsoft Windows NT Workstation 10.0,10.0.26100\r\n');
    const ad = writeTemp(dir, 'ad-fin.csv', 'Name,DNSHostName,OperatingSystem,OperatingSystemVersion\r\nPC-FIN-0012,pc-fin-0012.corp.acme.com,Windows 11 Enterprise,10.0 (26100)\r\n');
    const both = audit([sccm, ad]).doc.hosts as (HostDoc & { findings: Finding[] })[];
    expect(both[0]!.findings.some((f) => f.ruleId === 'DATA-CONFLICT')).toBe(false);

    const yes = writeTemp(dir, 'esu-y1.csv', 'Hostname,OS Name,OS Version,ESU\r\nW10-ESU,Microsoft Windows 10 Enterprise,10.0.19045.6456,Yes\r\n');
    const enrolled = writeTemp(dir, 'esu-y2.csv', 'Hostname,OS Name,OS Version,ESU\r\nW10-ESU,Microsoft Windows 10 Enterprise,10.0.19045.6456,Enrolled\r\n');
    const esu = audit([yes, enrolled, '-r', 'win-eos']).doc.hosts as (HostDoc & { findings: Finding[] })[];
    expect(esu[0]!.findings.map((f) => `${f.ruleId}:${f.status}`)).toEqual(['WIN-EOS:pass']);
  });

  test('Graph managedDevice export (complianceState, azureADDeviceId, no managementAgent) is a device-management list', () => {
    const file = writeTemp(dir, 'graph-managed.csv', 'deviceName,operatingSystem,osVersion,lastSyncDateTime,complianceState,userPrincipalName,azureADDeviceId\r\nLAPTOP-12,Windows,10.0.14393.7428,2026-11-20T08:01:02Z,compliant,a@nwht.example,1c7d0000-9b1e-4c2a-8f3d-5e6f70810000\r\n');
    const hosts = audit([file, '-r', 'win-eos']).doc.hosts as HostDoc[];
    expect(hosts[0]!.os.product).toBe('Windows 10');
  });

  test('Excel in a European locale: rows padded past the header, a padded repeated header, a totals line, month-name dates', () => {
    const file = path.join(dir, 'excel-fr-padded.csv');
    writeFileSync(
      file,
      [
        'Nom du poste;Système;Version;Service Pack;Correctifs;Dernière mise à jour;Site',
        'FR-PC-001;Windows 7 Professionnel;6.1.7601;Service Pack 1;KB4012212 KB4499175;3 nov. 2026;Médecine;;',
        'Nom du poste;Système;Version;Service Pack;Correctifs;Dernière mise à jour;Site;;',
        'FR-PC-002;Windows 7 Professionnel;6.1.7601;Service Pack 1;KB4015546;Nov 5, 2026;Médecine;;',
        'Total : 2 postes;;;;;;;;',
        '',
      ].join('\r\n'),
    );
    const r = audit([file, '--map', 'kb_list=Correctifs', '--map', 'os_name=Système']);
    expect(r.doc.hosts.map((h: HostDoc) => h.hostname).sort()).toEqual(['FR-PC-001', 'FR-PC-002']);
    expect(r.doc.rejected).toEqual([{ file, line: 5, reason: 'a totals row ("Total : 2 postes"), not a machine' }]);
    expect(r.doc.summary.rowsAudited + r.doc.summary.rejectedRows).toBe(r.doc.summary.rowsRead);
  });

  test('names: DOMAIN\\PC is PC; the same short name in two domains is not merged silently; case alone is no conflict', () => {
    const os = writeTemp(dir, 'names-os.csv', 'Hostname,OS Name,OS Version,Service Pack\r\nPC-H01,Microsoft Windows 7 Enterprise,6.1.7601,Service Pack 1\r\nPC-9,Microsoft Windows 7 Enterprise,6.1.7601,Service Pack 1\r\npc-9,Microsoft Windows 7 Enterprise,6.1.7601,Service Pack 1\r\n');
    const kb = writeTemp(dir, 'names-kb.csv', 'Computer,HotFixID\r\nNWHT\\PC-H01,KB4012212\r\nNWHT\\PC-H01,KB4499175\r\n');
    const r = audit([os, kb]);
    const hosts = r.doc.hosts as (HostDoc & { findings: Finding[] })[];
    expect(hosts.map((h) => h.hostname).sort()).toEqual(['PC-9', 'PC-H01']);
    expect(ms17(hosts.find((h) => h.hostname === 'PC-H01')!)).toBe('pass');
    expect(hosts.find((h) => h.hostname === 'PC-9')!.findings.some((f) => f.ruleId === 'DATA-CONFLICT')).toBe(false);

    const north = writeTemp(dir, 'dom-north.csv', 'FQDN,OS Name,OS Version,Installed KBs\r\nsrv-03.north.trust.local,Microsoft Windows Server 2016 Standard,10.0.14393,KB4013429\r\n');
    const south = writeTemp(dir, 'dom-south.csv', 'FQDN,OS Name,OS Version,Installed KBs\r\nsrv-03.south.trust.local,Microsoft Windows Server 2016 Standard,10.0.14393,\r\n');
    const two = audit([north, south]);
    const h = (two.doc.hosts as (HostDoc & { findings: Finding[] })[])[0]!;
    expect(h.status).toBe('unknown');
    expect(h.findings.find((f) => f.ruleId === 'DATA-CONFLICT')?.status).toBe('unknown');
    expect(two.stderr + JSON.stringify(two.doc.warnings)).toContain('srv-03.north.trust.local and srv-03.south.trust.local share a short name but not a domain');
  });

  test('an ESU or srv.sys value two sources disagree about is not used, whatever the order', () => {
    const yes = writeTemp(dir, 'esu-yes.csv', 'Hostname,OS Name,OS Version,ESU\r\nESU-01,Microsoft Windows 10 Enterprise,10.0.19045.6456,Yes\r\n');
    const no = writeTemp(dir, 'esu-no.csv', 'Hostname,OS Name,OS Version,ESU\r\nESU-01,Microsoft Windows 10 Enterprise,10.0.19045.6456,No\r\n');
    for (const order of [[yes, no], [no, yes]]) {
      const hosts = audit([...order, '-r', 'win-eos']).doc.hosts as (HostDoc & { findings: Finding[] })[];
      expect(hosts[0]!.findings.map((f) => `${f.ruleId}:${f.status}`)).toEqual(['WIN-EOS:fail', 'DATA-CONFLICT:unknown']);
    }
  });

  test('update-state columns of compliance reports: "Compliance State", and "Installed" Yes/No beside "Required"', () => {
    const cs = writeTemp(dir, 'compliance-state.csv', 'Computer Name,Operating System,OS Version,Article ID,Compliance State\r\nSRV-CS-01,Microsoft Windows Server 2016 Standard,10.0.14393,4013429,Missing\r\nSRV-CS-02,Microsoft Windows Server 2016 Standard,10.0.14393,4013429,Installed\r\n');
    const c5 = writeTemp(dir, 'compliance5.csv', 'Computer Name,Operating System,OS Version,Article ID,Bulletin ID,Title,Required,Installed\r\nSRV-C5-01,Microsoft Windows Server 2016 Standard,10.0.14393,4013429,MS17-010,Cumulative Update for Windows Server 2016 (KB4013429),Yes,No\r\nSRV-C5-02,Microsoft Windows Server 2016 Standard,10.0.14393,4013429,MS17-010,Cumulative Update for Windows Server 2016 (KB4013429),No,Yes\r\n');
    const verdicts = (file: string) => Object.fromEntries((audit([file, '-r', 'ms17-010']).doc.hosts as HostDoc[]).map((h) => [h.hostname, ms17(h)]));
    expect(verdicts(cs)).toEqual({ 'SRV-CS-01': 'fail', 'SRV-CS-02': 'pass' });
    expect(verdicts(c5)).toEqual({ 'SRV-C5-01': 'fail', 'SRV-C5-02': 'pass' });
  });

  test('Tanium: a row per installed patch is one host with all its patches; rows that differ in the OS still conflict', () => {
    const file = path.join(dir, 'tanium-row-per-patch.csv');
    writeFileSync(
      file,
      [
        'Computer Name,Operating System,OS Version,Installed Hotfixes,Count',
        'ngh-w7-1400.nwht.local,Windows 7 Enterprise,6.1.7601,KB4012212,1',
        'ngh-w7-1400.nwht.local,Windows 7 Enterprise,6.1.7601,KB4499175,1',
        'ngh-w7-1402.nwht.local,Windows 7 Enterprise,6.1.7601,KB4012212,1',
        'ngh-w7-1402.nwht.local,Windows 10 Enterprise,10.0.19045.6456,KB4499175,1',
        '',
      ].join('\r\n'),
    );
    const r = audit([file]);
    const hosts = r.doc.hosts as HostDoc[];
    const verdicts = Object.fromEntries(hosts.map((h) => [h.hostname, h.findings.filter((f) => ['MS17-010', 'CVE-2019-0708', 'DATA-CONFLICT'].includes(f.ruleId)).map((f) => `${f.ruleId}:${f.status}`).join(' ')]));
    expect(verdicts['ngh-w7-1400.nwht.local']).toBe('MS17-010:pass CVE-2019-0708:pass');
    expect(verdicts['ngh-w7-1402.nwht.local']).toMatch(/DATA-CONFLICT:unknown/);
    expect(hosts.find((h) => h.hostname === 'ngh-w7-1402.nwht.local')!.status).toBe('unknown');
  });

  test('"OS" = "Windows" with no caption: a client only in a device-management list, unknown elsewhere', () => {
    const rows = ['NGH-LT-24031,Windows,10.0.14393.7428', 'NGH-SV-FS02,Windows,10.0.17763.8027'];
    // Intune's Graph export: managementAgent says the file lists enrolled devices (Intune does not enrol servers).
    const intune = path.join(dir, 'intune-graph-os-only.csv');
    writeFileSync(intune, ['DeviceName,managementAgent,OS,OSVersion', ...rows.map((r) => r.replace(',', ',mdm,'))].join('\r\n'));
    // A plain list with the same columns could hold Server 2016/2019, which share these builds.
    const plain = path.join(dir, 'plain-os-only.csv');
    writeFileSync(plain, ['Computer,OS,OS Version', ...rows].join('\r\n'));
    const products = (file: string) => Object.fromEntries((audit([file, '-r', 'win-eos']).doc.hosts as HostDoc[]).map((h) => [h.hostname, h.os.product]));
    expect(products(intune)).toEqual({ 'NGH-LT-24031': 'Windows 10', 'NGH-SV-FS02': 'Windows 10' });
    expect(products(plain)).toEqual({ 'NGH-LT-24031': null, 'NGH-SV-FS02': null });
  });

  test('update-compliance export (ArticleID + Status): a "Required" or failed update is not installed', () => {
    // Configuration Manager's update-compliance join: every update the machine should have, with its state.
    const file = path.join(dir, 'sccm-update-compliance.csv');
    writeFileSync(
      file,
      [
        'Name0,Caption0,Version0,CSDVersion0,ArticleID,BulletinID,Status',
        'NGH-SV-PACS01,Microsoft Windows Server 2012 R2 Standard,6.3.9600,,2919355,,Installed',
        'NGH-SV-PACS01,Microsoft Windows Server 2012 R2 Standard,6.3.9600,,4012216,MS17-010,Required',
        'NGH-W7-0112,Microsoft Windows 7 Enterprise ,6.1.7601,Service Pack 1,4012215,MS17-010,Failed',
        'NGH-W7-0112,Microsoft Windows 7 Enterprise ,6.1.7601,Service Pack 1,4499164,,Installed',
        'NGH-W7-0113,Microsoft Windows 7 Enterprise ,6.1.7601,Service Pack 1,4012215,MS17-010,3',
        'NGH-W7-0114,Microsoft Windows 7 Enterprise ,6.1.7601,Service Pack 1,4012215,MS17-010,2',
        '',
      ].join('\r\n'),
    );
    const r = audit([file, '-r', 'ms17-010', '--explain']);
    expect(r.stderr).toBe('');
    const hosts = r.doc.hosts as (HostDoc & { findings: (Finding & { evidence: string[] })[] })[];
    expect(Object.fromEntries(hosts.map((h) => [h.hostname, ms17(h)]))).toEqual({
      'NGH-SV-PACS01': 'fail',
      // The failed March 2017 rollup is replaced by the May 2019 rollup, which contains the fix.
      'NGH-W7-0112': 'pass',
      'NGH-W7-0113': 'pass',
      'NGH-W7-0114': 'fail',
    });
    const pacs = hosts.find((h) => h.hostname === 'NGH-SV-PACS01')!;
    expect(pacs.findings[0]!.evidence.join(' ')).toContain('KB4012216 is listed as "Required": not counted as installed');
    expect(r.code).toBe(1);
  });

  test('words in the update cell: "KB4012215 (failed)" or "Missing: …" is not installed', () => {
    const file = path.join(dir, 'hand-kept-kbs.csv');
    writeFileSync(
      file,
      'Hostname,OS Name,OS Version,Service Pack,Installed KBs\r\n' +
        'WCH-W7-0201,Microsoft Windows 7 Professional,6.1.7601,Service Pack 1,"KB4012215 (failed), KB3212646"\r\n' +
        'WCH-W7-0202,Microsoft Windows 7 Professional,6.1.7601,Service Pack 1,"Missing: KB4012212, KB4012215; Installed: KB3212646"\r\n' +
        'WCH-W7-0203,Microsoft Windows 7 Professional,6.1.7601,Service Pack 1,"KB3212646, KB4012215"\r\n',
    );
    const r = audit([file, '-r', 'ms17-010']);
    expect(Object.fromEntries((r.doc.hosts as HostDoc[]).map((h) => [h.hostname, ms17(h)]))).toEqual({
      'WCH-W7-0201': 'fail',
      'WCH-W7-0202': 'fail',
      'WCH-W7-0203': 'pass',
    });
  });

  test('PDQ Inventory database join: read without --map; a row id that looks like a KB number does not pass MS17-010', () => {
    const inv = writeTemp(
      dir,
      'pdq-sqlite-join.txt',
      'Name|OSName|OSVersion|OSServicePack|SMBv1Enabled|HotFixId|Name|Description|InstalledOn\n' +
        'PDQ-W7-01|Microsoft Windows 7 Enterprise|6.1.7601|Service Pack 1|1|1834|KB4012212|Security Update|2017-03-15 00:00:00\n' +
        'PDQ-W7-01|Microsoft Windows 7 Enterprise|6.1.7601|Service Pack 1|1|1835|KB4499175|Security Update|2019-05-15 00:00:00\n' +
        'PDQ-W7-02|Microsoft Windows 7 Enterprise|6.1.7601|Service Pack 1|1|4012215|KB976902|Update|2017-01-10 00:00:00\n',
    );
    const r = audit([inv, '-r', 'ms17-010']);
    expect(r.code).toBe(1);
    expect(r.doc.hosts.map((h: HostDoc) => [h.hostname, h.os.product, ms17(h)])).toEqual([
      ['PDQ-W7-01', 'Windows 7', 'pass'],
      ['PDQ-W7-02', 'Windows 7', 'fail'],
    ]);
    expect(r.doc.summary).toMatchObject({ rowsRead: 3, rowsAudited: 3, rejectedRows: 0 });
    // inspect says how it was read.
    const i = runCli(['inspect', inv]);
    expect(i.code).toBe(0);
    expect(i.stdout).toMatch(/HotFixId\s+→ \(kept, not used\)/);
    expect(i.stdout).toMatch(/Name\s+→ kb/);
    // Only row ids and no KB column: exit 2, one line naming file, line and column.
    const ids = writeTemp(dir, 'pdq-ids.txt', 'Name|OSName|OSVersion|HotFixId\nPDQ-1|Windows 7 Enterprise|6.1.7601|4012215\n');
    const bad = runCli(['audit', ids, ...AS_OF]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain(`${ids}:1: kb (column "HotFixId")`);
  });

  test('Get-HotFix > file.txt (console table, UTF-16): no phantom host from the dashes, merged with the OS export', () => {
    const os = writeTemp(
      dir,
      'os-one.csv',
      '"CSName","Caption","Version","BuildNumber","CSDVersion","ServicePackMajorVersion","OSArchitecture"\n"SRV-FILE01","Microsoft Windows Server 2008 R2 Enterprise ","6.1.7601","7601","Service Pack 1","1","64-bit"\n',
    );
    const table =
      '\r\nSource        Description      HotFixID      InstalledBy          InstalledOn\r\n' +
      '------        -----------      --------      -----------          -----------\r\n' +
      'SRV-FILE01    Security Update  KB4012212     NT AUTHORITY\\SYSTEM  3/15/2017 12:00:00 AM\r\n' +
      'SRV-FILE01    Update           KB4019264     ACME\\adm-jdoe        5/10/2017 12:00:00 AM\r\n\r\n\r\n';
    const hotfix = writeTemp(dir, 'gethotfix-console.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(table, 'utf16le')]));
    const r = audit([os, hotfix, '-r', 'ms17-010']);
    expect(r.doc.hosts.map((h: HostDoc) => [h.hostname, h.status])).toEqual([['SRV-FILE01', 'compliant']]);
    expect(r.doc.summary).toMatchObject({ rowsRead: 3, rowsAudited: 3, rejectedRows: 0 });
    expect(r.code).toBe(0);
  });

  test('a folder copied from Windows: desktop.ini and Thumbs.db are skipped with a warning; named alone they are still read', () => {
    const folder = path.join(dir, 'exports');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'inventory.csv'), 'Device name,OS version,SkuFamily\nLAP-01,10.0.26100.4349,Enterprise\n');
    writeFileSync(path.join(folder, 'desktop.ini'), '[.ShellClassInfo]\r\nIconResource=C:\\Windows\\System32\\imageres.dll,-3\r\n');
    writeFileSync(path.join(folder, 'Thumbs.db'), Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0, 1, 2, 3]));
    const r = audit([folder]);
    expect(r.code).toBe(0);
    expect(r.doc.hosts.map((h: HostDoc) => h.hostname)).toEqual(['LAP-01']);
    expect(r.doc.warnings).toEqual([`${folder}: skipped "Thumbs.db", "desktop.ini" (files Windows, Office or macOS keep in folders, not inventory exports)`]);
    const named = runCli(['audit', path.join(folder, 'desktop.ini'), ...AS_OF]);
    expect(named.code).toBe(2);
    expect(named.stderr).toContain('desktop.ini: no usable header row');
  });

  test('SCCM Caption0 + HotFixID0, AD lastLogonTimestamp and Excel rows of delimiters', () => {
    const ssrs = writeTemp(
      dir,
      'ssrs-caption-hotfix.csv',
      'Details_Table0_Netbios_Name0,Details_Table0_Caption0,Details_Table0_CSDVersion0,Details_Table0_HotFixID0,Details_Table0_InstalledOn0\nPC-FIN-0012,Microsoft Windows 7 Enterprise ,Service Pack 1,KB4012212,3/15/2017\nPC-FIN-0013,Microsoft Windows XP Professional,Service Pack 3,KB958644,3/15/2012\n',
    );
    const s = audit([ssrs, '-r', 'ms17-010']);
    expect(s.doc.hosts.map((h: HostDoc) => [h.hostname, h.os.product, ms17(h)])).toEqual([
      ['PC-FIN-0012', 'Windows 7', 'pass'],
      ['PC-FIN-0013', 'Windows XP', 'fail'],
    ]);
    const ad = writeTemp(dir, 'ad.csv', '"Name","OperatingSystem","OperatingSystemVersion","lastLogonTimestamp"\n"AD-01","Windows 11 Enterprise","10.0 (26100)","133765104000000000"\n"AD-02","Windows 11 Enterprise","10.0 (26100)","0"\n');
    expect(audit([ad]).doc.summary).toMatchObject({ rowsRead: 2, rowsAudited: 2, rejectedRows: 0 });
    const xl = writeTemp(dir, 'excel.csv', 'Device name,OS version,SkuFamily,,\r\nLAP-01,10.0.26100.4349,Enterprise,,\r\n,,,,\r\n,,,,\r\n');
    const x = audit([xl]);
    expect(x.doc.summary).toMatchObject({ rowsRead: 1, rowsAudited: 1, rejectedRows: 0 });
    expect(x.code).toBe(0);
  });
});

describe('CSV files edited by hand or appended (end to end)', () => {
  const sheetHead = 'Computer Name,Operating System,OS Version,Installed KBs\r\n';
  const sheetRow = (n: number, kbs: string) => `WKS-FIN-00${n},Microsoft Windows 7 Professional,6.1.7601,${kbs}\r\n`;

  test('a quote left open in an update list: the machine is not passed on the next rows\' updates, and the rows are rejected with their lines', () => {
    // WKS-FIN-002 has no MS17-010 fix; its list was typed with an opening quote only, and WKS-FIN-004's
    // with a closing one. Before: one row, WKS-FIN-002 passed on KB4012212 of WKS-FIN-003, and
    // WKS-FIN-003 and WKS-FIN-004 were not in the report.
    const inv = writeTemp(dir, 'hand-kept.csv', sheetHead + sheetRow(1, 'KB4012212') + sheetRow(2, '"KB3125574, KB2999226') + sheetRow(3, 'KB4012212') + sheetRow(4, 'KB4499175"') + sheetRow(5, 'KB4012212'));
    const r = audit([inv, '-r', 'ms17-010']);
    expect(r.code).toBe(1);
    expect(r.doc.hosts.map((h: HostDoc) => [h.hostname, ms17(h)])).toEqual([
      ['WKS-FIN-001', 'pass'],
      ['WKS-FIN-005', 'pass'],
    ]);
    expect(r.doc.summary).toMatchObject({ rowsRead: 3, rowsAudited: 2, rejectedRows: 1 });
    expect(r.doc.rejected).toEqual([
      {
        file: inv,
        line: 3,
        reason: 'lines 3-5 read as one row: a quoted cell (column "Installed KBs") runs over 3 lines and holds what look like rows of their own ("WKS-FIN-003,Microsoft Windows 7 Professi…"); a quote left open? Close it, or double the quotes inside the cell ("")',
      },
    ]);
  });

  test('a quote left open to the end of the file after a stray quote in an earlier row: exit 2 naming file and line, no report', () => {
    // Before: the error was lost once an earlier row had gone to the lenient reader; rows 3-5 vanished, exit 0.
    const inv = writeTemp(dir, 'open-to-end.csv', sheetHead + 'WKS-FIN-001,Microsoft Windows 7 "Professional",6.1.7601,KB4012212\r\n' + sheetRow(2, '"KB3125574') + sheetRow(3, 'KB4012212') + sheetRow(4, 'KB4499175'));
    const r = runCli(['audit', inv, '-f', 'json', '--fail-on', 'none', '--allow-unknown', ...AS_OF]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`patchaudit: error: ${inv}:3: unterminated quoted field (column "Installed KBs"): a quote opened there is never closed; close it, or double the quotes inside the cell ("")\n`);
  });

  test('two exports appended, the second with its columns in another order: each row read by its own header', () => {
    // Before: the second header was a host named "Computer Name", and WKS-FIN-002 passed MS17-010 on its
    // missing updates, read from the column the first header called installed.
    const inv = writeTemp(
      dir,
      'appended-reordered.csv',
      'Computer Name,Operating System,OS Version,Installed Updates,Missing Updates\r\n' +
        'WKS-FIN-001,Microsoft Windows 7 Professional,6.1.7601,"KB4012212, KB4499164",\r\n' +
        '\uFEFFComputer Name,Operating System,OS Version,Missing Updates,Installed Updates\r\n' +
        'WKS-FIN-002,Microsoft Windows 7 Professional,6.1.7601,"KB4012212, KB4499164",KB3125574\r\n',
    );
    const r = audit([inv, '-r', 'ms17-010']);
    expect(r.doc.hosts.map((h: HostDoc) => [h.hostname, ms17(h)]).sort()).toEqual([
      ['WKS-FIN-001', 'pass'],
      ['WKS-FIN-002', 'fail'],
    ]);
    expect(r.doc.summary).toMatchObject({ hosts: 2, rowsRead: 2, rowsAudited: 2, rejectedRows: 0 });
  });

  test('Excel\'s ="…" text cells name the same machine as another file\'s plain name', () => {
    // An OS export and a hotfix sheet kept in Excel, whose machine and KB cells were typed as ="…" to keep
    // them text. Before: two hosts, ="WKS-0042" (updates, no OS) and WKS-0042 (OS, no updates).
    const os = writeTemp(dir, 'os-ad.csv', '"Name","OperatingSystem","OperatingSystemVersion"\r\n"WKS-0042","Windows 7 Professional","6.1 (7601)"\r\n');
    const hotfix = writeTemp(dir, 'hotfix-sheet.csv', 'Computer Name,HotFixID,Installed On\r\n="WKS-0042",="KB4012212",\'14/03/2017\r\n="WKS-0042",="KB4499164",\'14/05/2019\r\n');
    const r = audit([os, hotfix, '-r', 'ms17-010,cve-2019-0708']);
    expect(r.doc.hosts.map((h: HostDoc) => [h.hostname, h.status, h.findings.map((f) => f.status)])).toEqual([['WKS-0042', 'compliant', ['pass', 'pass']]]);
    expect(r.doc.summary).toMatchObject({ rowsRead: 3, rowsAudited: 3, rejectedRows: 0 });
  });

  test('a KB number Excel wrote in scientific notation is a rejected row, not an update the machine lacks', () => {
    // Before: PC-FIN-0013's only update row read as no update, and MS17-010 failed without a word.
    const inv = writeTemp(
      dir,
      'sccm-saved-in-excel.csv',
      'Netbios_Name0,Caption0,CSDVersion0,ArticleID,InstalledOn0\r\n' +
        'PC-FIN-0012,Microsoft Windows 7 Enterprise,Service Pack 1,4012212,15/03/2017\r\n' +
        'PC-FIN-0013,Microsoft Windows 7 Enterprise,Service Pack 1,4.01E+06,15/03/2017\r\n',
    );
    const r = audit([inv, '-r', 'ms17-010']);
    expect(r.code).toBe(1);
    expect(r.doc.hosts.map((h: HostDoc) => [h.hostname, ms17(h)])).toEqual([['PC-FIN-0012', 'pass']]);
    expect(r.doc.rejected).toEqual([{ file: inv, line: 3, reason: expect.stringContaining('kb (column "ArticleID"): "4.01E+06" is a number Excel wrote in scientific notation') }]);
  });

  test('sqlcmd output: the rule under the header is no row, the row count a footer named as such', () => {
    // Before: the rule was a row rejected for "no hostname" and the count one rejected as "expected 4 fields, found 1".
    const inv = writeTemp(
      dir,
      'sccm-sqlcmd.csv',
      'Netbios_Name0   ,Caption0                        ,CSDVersion0   ,HotFixID0\r\n' +
        '----------------,--------------------------------,--------------,---------\r\n' +
        'PC-FIN-0012     ,Microsoft Windows 7 Enterprise  ,Service Pack 1,KB4012212\r\n' +
        '\r\n' +
        '(1 row affected)\r\n',
    );
    const r = audit([inv, '-r', 'ms17-010']);
    expect(r.doc.hosts.map((h: HostDoc) => [h.hostname, ms17(h)])).toEqual([['PC-FIN-0012', 'pass']]);
    expect(r.doc.rejected).toEqual([{ file: inv, line: 5, reason: 'a footer line ("(1 row affected)"), not a machine' }]);
    expect(r.doc.summary).toMatchObject({ rowsRead: 2, rowsAudited: 1, rejectedRows: 1 });
  });

  test('a stretch of NUL bytes (a copy cut short or damaged) is named in a warning: the rows it blanked are not silently gone', () => {
    const lines = ['Computer Name,Operating System,OS Version'];
    for (let i = 0; i < 9000; i++) lines.push(`WKS-${String(i).padStart(5, '0')},Microsoft Windows 10 Enterprise,10.0.19045.5131`);
    const bytes = Buffer.from(lines.join('\r\n') + '\r\n');
    bytes.fill(0, 300_000, 304_096);
    const inv = writeTemp(dir, 'blanked.csv', bytes);
    const r = audit([inv, '-r', 'win-eos', '--fail-on', 'none', '--allow-unknown']);
    expect(r.code).toBe(0);
    expect(r.doc.summary.rowsRead).toBeLessThan(9000);
    expect(r.doc.warnings.filter((w: string) => w.startsWith(inv))).toEqual([expect.stringMatching(/NUL characters at or after byte \d+: part of the file may be blanked/)]);
  });

  test('a header whose titles wrap over lines (Alt+Enter in Excel) is read as the header', () => {
    // Before: every row rejected ("expected 3 fields, found 5") and a host named 'Version"'.
    const inv = writeTemp(dir, 'wrapped-titles.csv', 'Computer Name,Operating System,"OS\nVersion","Installed\nUpdates",Notes\r\n' + 'WKS-01,Microsoft Windows 7 Professional,6.1.7601,"KB4012212, KB4499164",\r\n' + 'WKS-02,Microsoft Windows 7 Professional,6.1.7601,KB3125574,spare\r\n');
    const r = audit([inv, '-r', 'ms17-010']);
    expect(r.doc.hosts.map((h: HostDoc) => [h.hostname, ms17(h)]).sort()).toEqual([
      ['WKS-01', 'pass'],
      ['WKS-02', 'fail'],
    ]);
    expect(r.doc.summary).toMatchObject({ rowsRead: 2, rowsAudited: 2, rejectedRows: 0 });
    const inspect = runCli(['inspect', inv]);
    expect(inspect.stdout).toContain('header on line 1');
  });

  test('a Windows-1252 row after a quarter megabyte of ASCII is named in a warning', () => {
    const lines = ['Computer Name,Operating System,OS Version,Site'];
    for (let i = 0; i < 6000; i++) lines.push(`WKS-${String(i).padStart(5, '0')},Microsoft Windows 10 Enterprise,10.0.19045.5131,Head Office London`);
    const inv = writeTemp(dir, 'late-1252.csv', Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n'), Buffer.from('PC-R\xc9CEPTION-01,Microsoft Windows 10 Enterprise,10.0.19045.5131,Caf\xe9\r\n', 'latin1')]));
    const r = audit([inv, '-r', 'win-eos', '--fail-on', 'none']);
    expect(r.code).toBe(0);
    expect(r.doc.warnings.filter((w: string) => w.startsWith(inv))).toEqual([expect.stringMatching(/some bytes at or after byte \d+ are not UTF-8 .*give it with --encoding/)]);
  });
});
