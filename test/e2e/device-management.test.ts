import { auditJson, type JsonHost } from '../helpers/cli.js';
import { tempDir, writeTemp } from '../helpers/tmp.js';

// Device-management and fleet exports, through the built CLI as a user runs it: Windows Update for
// Business reports, a sheet's column of missing updates, Red Hat Satellite, SUSE Manager, Landscape,
// Lansweeper's Linux assets, Kandji.
const dir = tempDir('patchaudit-e2e-mdm-');

const verdicts = (doc: { hosts: JsonHost[] }, ruleId: string) =>
  Object.fromEntries(doc.hosts.map((h) => [h.hostname, h.findings.find((f) => f.ruleId === ruleId)?.status ?? 'n/a']));
const osOf = (doc: { hosts: JsonHost[] }) => Object.fromEntries(doc.hosts.map((h) => [h.hostname, h.os.product === null ? null : `${h.os.product} ${h.os.release ?? ''}`.trim()]));

const UCSTATUS =
      "TimeGenerated [UTC],AzureADDeviceId,AzureADTenantId,DeviceName,GlobalDeviceId,OSBuild,OSRevisionNumber,OSVersion,ClientState,ClientSubstate,ClientSubstateRank,ClientSubstateTime [UTC],FurthestClientSubstate,TargetBuild,TargetBuildNumber,TargetKBNumber,TargetRevisionNumber,TargetVersion,UpdateCategory,UpdateClassification,UpdateKBNumber,UpdateReleaseTime [UTC],UpdateDisplayName\r\n" +
      "\"11/24/2026, 6:12:44.000 AM\",71db1a1a-f1a6-4a25-b88f-79c2f513dae0,69ca04b0-703d-4b3a-9184-c4e3c15d6f5e,WARD7-PC01,g:6896076290425731,19045.4291,4291,22H2,Installed,UpdateInstalled,3000,\"11/20/2026, 2:10:03.000 PM\",UpdateInstalled,10.0.19045.4291,19045,5036892,4291,22H2,WindowsQualityUpdate,Security,KB5036892,\"4/9/2024, 5:00:00.000 PM\",2024-04 Cumulative Update for Windows 10 Version 22H2 for x64-based Systems (KB5036892)\r\n" +
      "\"11/24/2026, 6:12:44.000 AM\",0a3b5d21-33d4-4a6e-9a41-0c6e5f2ab7c1,69ca04b0-703d-4b3a-9184-c4e3c15d6f5e,RADIOLOGY-WS12,g:6896076290425911,17763.1339,1339,1809,Installing,InstallStart,2500,\"11/22/2026, 9:01:44.000 AM\",DownloadComplete,10.0.17763.5696,17763,5036896,5696,1809,WindowsQualityUpdate,Security,KB5036896,\"4/9/2024, 5:00:00.000 PM\",2024-04 Cumulative Update for Windows 10 Version 1809 for x64-based Systems (KB5036896)\r\n" +
      "\"11/24/2026, 6:12:44.000 AM\",5b2e8f10-7d1c-4c0a-8e2b-1f9d3c4a5b6c,69ca04b0-703d-4b3a-9184-c4e3c15d6f5e,PHARM-KIOSK3,g:6896076290426012,18363.657,657,1909,Failed,InstallFailed,2600,\"11/21/2026, 11:45:10.000 PM\",InstallStart,10.0.18363.1556,18363,5003169,1556,1909,WindowsQualityUpdate,Security,KB5003169,\"5/11/2021, 5:00:00.000 PM\",2021-05 Cumulative Update for Windows 10 Version 1909 for x64-based Systems (KB5003169)\r\n" +
      "\"11/24/2026, 6:12:44.000 AM\",8c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f,69ca04b0-703d-4b3a-9184-c4e3c15d6f5e,OUTPT-LT044,g:6896076290426177,14393.1066,1066,1607,OfferReceived,OfferReady,1200,\"11/23/2026, 4:30:00.000 PM\",OfferReady,10.0.14393.6897,14393,5036899,6897,1607,WindowsQualityUpdate,Security,KB5036899,\"4/9/2024, 5:00:00.000 PM\",2024-04 Cumulative Update for Windows 10 Version 1607 for x64-based Systems (KB5036899)\r\n";

const UCCLIENT =
      "TimeGenerated [UTC],AzureADDeviceId,AzureADTenantId,DeviceName,GlobalDeviceId,LastCensusScanTime [UTC],LastWUScanTime [UTC],OSArchitecture,OSBuild,OSBuildNumber,OSEdition,OSFeatureUpdateStatus,OSQualityUpdateStatus,OSRevisionNumber,OSSecurityUpdateStatus,OSVersion,UpdateConnectivityLevel\r\n" +
      "\"11/24/2026, 6:12:44.000 AM\",71db1a1a-f1a6-4a25-b88f-79c2f513dae0,69ca04b0-703d-4b3a-9184-c4e3c15d6f5e,WARD7-PC01,g:6896076290425731,\"11/23/2026, 10:02:11.000 PM\",\"11/24/2026, 1:15:40.000 AM\",x64,10.0.19045.4291,19045,Enterprise,Up-to-date,Not Latest,4291,Not Latest,22H2,Connected\r\n" +
      "\"11/24/2026, 6:12:44.000 AM\",0a3b5d21-33d4-4a6e-9a41-0c6e5f2ab7c1,69ca04b0-703d-4b3a-9184-c4e3c15d6f5e,RADIOLOGY-WS12,g:6896076290425911,\"11/23/2026, 7:40:02.000 PM\",\"11/24/2026, 3:22:17.000 AM\",x64,10.0.17763.1339,17763,Enterprise,Not up-to-date,Not Latest,1339,Multiple Security Updates Missing,1809,Connected\r\n" +
      "\"11/24/2026, 6:12:44.000 AM\",5b2e8f10-7d1c-4c0a-8e2b-1f9d3c4a5b6c,69ca04b0-703d-4b3a-9184-c4e3c15d6f5e,PHARM-KIOSK3,g:6896076290426012,\"11/22/2026, 8:11:55.000 AM\",\"11/23/2026, 9:05:33.000 PM\",x64,10.0.18363.657,18363,Professional,Not up-to-date,Not Latest,657,Multiple Security Updates Missing,1909,Connected\r\n" +
      "\"11/24/2026, 6:12:44.000 AM\",8c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f,69ca04b0-703d-4b3a-9184-c4e3c15d6f5e,OUTPT-LT044,g:6896076290426177,\"11/23/2026, 5:55:09.000 PM\",\"11/24/2026, 12:48:21.000 AM\",x64,10.0.14393.1066,14393,EnterpriseS,Not up-to-date,Not Latest,1066,Multiple Security Updates Missing,1607,Connected\r\n";

const MISSING =
      "Hostname,OS Name,OS Version,Service Pack,Missing KBs,Site,Checked by,Date checked\r\n" +
      "WARD7-PC01,Microsoft Windows 7 Professional,6.1.7601,Service Pack 1,\"KB4012212, KB4499175\",Ward 7,J. Patel,14/11/2026\r\n" +
      "WARD7-PC02,Microsoft Windows 7 Professional,6.1.7601,Service Pack 1,KB4499175,Ward 7,J. Patel,14/11/2026\r\n" +
      "RAD-SRV-01,Microsoft Windows Server 2008 R2 Standard,6.1.7601,Service Pack 1,,Radiology,J. Patel,14/11/2026\r\n" +
      "PHARM-PC03,Microsoft Windows 10 Pro,10.0.18363,,KB4551762,Pharmacy,A. Morris,15/11/2026\r\n";

const SATELLITE =
      "Name,Operating system,Environment,Content View,Host group,Last report,Subscription status,Model\r\n" +
      "rhel-app01.trust.local,RedHat 7.9,Library,RHEL7-Base,Prod/RHEL7,2026-11-24 03:12:45 UTC,Fully entitled,VMware Virtual Platform\r\n" +
      "rhel-db02.trust.local,RedHat 8.10,Production,RHEL8-Prod,Prod/RHEL8,2026-11-24 02:58:10 UTC,Fully entitled,VMware Virtual Platform\r\n" +
      "rhel-web03.trust.local,RedHat 9.4,Production,RHEL9-Prod,Prod/RHEL9,2026-11-24 04:01:33 UTC,Fully entitled,KVM\r\n" +
      "cent-build1.trust.local,CentOS 7.9,Library,Default Organization View,Build,2026-11-20 22:10:05 UTC,Unentitled,VMware Virtual Platform\r\n" +
      "stream-ci2.trust.local,CentOS_Stream 8,Library,Default Organization View,Build,2026-11-21 10:00:00 UTC,Unentitled,KVM\r\n" +
      "stream-ci3.trust.local,CentOS_Stream 9,Library,Default Organization View,Build,2026-11-21 10:00:00 UTC,Unentitled,KVM\r\n" +
      "rocky-app5.trust.local,Rocky 8.9,Library,Default Organization View,Apps,2026-11-24 01:00:00 UTC,Unentitled,KVM\r\n" +
      "alma-app6.trust.local,AlmaLinux 9.3,Library,Default Organization View,Apps,2026-11-24 01:00:00 UTC,Unentitled,KVM\r\n" +
      "ol-app7.trust.local,OracleLinux 8.8,Library,Default Organization View,Apps,2026-11-24 01:00:00 UTC,Unentitled,KVM\r\n" +
      "rhel6-legacy.trust.local,RedHat 6.10,Library,RHEL6-ELS,Legacy,2026-11-24 03:12:45 UTC,Fully entitled,VMware Virtual Platform\r\n";

const SUMA =
      "System Name,System ID,Base Channel,OS,Release,Last Checked In,Registered,Updates,Patches\r\n" +
      "sap-db01.trust.local,1000010001,SLE-Product-SLES15-SP5-Pool for x86_64,SLES,15.5,2026-11-24 06:10:00,2023-03-01 10:00:00,12,4\r\n" +
      "web-lb02.trust.local,1000010002,SLE-Product-SLES15-SP6-Pool for x86_64,SLES,15.6,2026-11-24 06:11:00,2024-07-01 10:00:00,3,1\r\n" +
      "old-app03.trust.local,1000010003,SLES12-SP5-Pool for x86_64,SLES,12.5,2026-11-24 06:12:00,2019-11-01 10:00:00,45,20\r\n" +
      "ubu-app04.trust.local,1000010004,ubuntu-2204-amd64-main for amd64,Ubuntu,22.04,2026-11-24 06:13:00,2024-01-10 10:00:00,0,0\r\n" +
      "rhel-app05.trust.local,1000010005,RHEL8-Pool for x86_64,RedHat,8.9,2026-11-24 06:14:00,2024-01-10 10:00:00,0,0\r\n";

const LANDSCAPE2 =
      "Title,Hostname,Distribution,Last ping,Tags\r\n" +
      "ward-kiosk-01,ward-kiosk-01.trust.local,Ubuntu 22.04.4 LTS,2026-11-24 09:10,kiosk\r\n" +
      "pacs-gw-02,pacs-gw-02.trust.local,Ubuntu 20.04.6 LTS,2026-11-24 09:11,pacs\r\n" +
      "lab-an-03,lab-an-03.trust.local,Ubuntu 18.04.6 LTS,2026-11-24 09:12,lab\r\n" +
      "dev-bx-04,dev-bx-04.trust.local,Ubuntu 24.04.1 LTS,2026-11-24 09:12,dev\r\n" +
      "old-nms-05,old-nms-05.trust.local,Ubuntu 16.04.7 LTS,2026-11-24 09:13,\r\n";

const LANSWEEPER_LINUX =
      "AssetName,AssetType,IPAddress,OS,OSVersion,Distribution,Lastseen,Lasttried\r\n" +
      "lnx-pacs-01,Linux,10.20.4.11,Linux,22.04,Ubuntu,2026-11-24 07:12:00,2026-11-24 07:12:00\r\n" +
      "lnx-lis-02,Linux,10.20.4.12,Linux,7.9,Red Hat Enterprise Linux Server,2026-11-24 07:13:00,2026-11-24 07:13:00\r\n" +
      "lnx-dns-03,Linux,10.20.4.13,Linux,12,Debian,2026-11-24 07:14:00,2026-11-24 07:14:00\r\n" +
      "lnx-old-04,Linux,10.20.4.14,Linux,9.13,Debian,2026-11-24 07:15:00,2026-11-24 07:15:00\r\n" +
      "lnx-sle-05,Linux,10.20.4.15,Linux,15.5,SUSE Linux Enterprise Server,2026-11-24 07:16:00,2026-11-24 07:16:00\r\n" +
      "lnx-cs-06,Linux,10.20.4.16,Linux,8,CentOS Stream,2026-11-24 07:17:00,2026-11-24 07:17:00\r\n";

const KANDJI =
      "Device Name,Serial Number,Model,OS Version,Platform,Blueprint,Last Check-In,User Email\r\n" +
      "RAD-MBA-011,FVFH21ABQ6L4,\"MacBook Air (M2, 2022)\",14.6.1,Mac,Clinical Macs,2026-11-24T10:00:00Z,l.ng@trust.nhs.uk\r\n" +
      "FIN-MBP-004,C02FK3LQMD6T,\"MacBook Pro (16-inch, 2019)\",12.7.6,Mac,Finance,2026-11-23T10:00:00Z,a.k@trust.nhs.uk\r\n" +
      "WARD-IPAD-31,DMPZK1ABCD12,iPad (9th generation),17.6.1,iPad,Ward iPads,2026-11-24T11:00:00Z,\r\n";
const JAMF =
  "Computer Name,Serial Number,Operating System Version,Operating System Build,Last Check-in,Model,Username\r\n" +
  "MAC-RAD-0012,C02ZK1ABMD6M,14.5,23F79,2026-11-24 08:41:12,\"MacBook Pro (14-inch, 2023)\",j.patel\r\n" +
  "MAC-FIN-0003,C02XG2JHJGH5,12.7.6,21H1320,2026-11-20 14:02:55,\"iMac (Retina 5K, 27-inch, 2019)\",a.morris\r\n" +
  "MAC-LAB-0021,C02TQ0ZZHF1R,10.15.7,19H2026,2026-10-02 09:30:44,Mac mini (2018),lab.shared\r\n" +
  "MAC-EXEC-001,H4TXK9LMQ1,15.1.1,24B91,2026-11-25 07:55:10,\"MacBook Pro (16-inch, Nov 2024)\",c.evans\r\n" +
  "MAC-NEW-0002,K7TXK9LMQ2,26.1,25B78,2026-11-25 07:55:10,\"MacBook Air (13-inch, M4, 2025)\",d.lee\r\n" +
  "MAC-ODD-0001,C02ODD00001,14.5,21F79,2026-11-25 07:55:10,Unknown,\r\n";

describe('device-management exports (end to end)', () => {
  test('Windows Update for Business reports: OSVersion (feature update) and OSBuild are read as Windows, OSRevisionNumber decides the build checks, ClientState says which updates are in', () => {
    const r = auditJson([writeTemp(dir, 'UCClientUpdateStatus.csv', UCSTATUS), '-r', 'builtin']);
    expect(r.code).toBe(0);
    expect(osOf(r.doc)).toEqual({ 'WARD7-PC01': 'Windows 10 22H2', 'RADIOLOGY-WS12': 'Windows 10 1809', 'PHARM-KIOSK3': 'Windows 10 1909', 'OUTPT-LT044': 'Windows 10 1607' });
    const by = new Map(r.doc.hosts.map((h) => [h.hostname, h]));
    expect(by.get('PHARM-KIOSK3')!.os).toMatchObject({ build: 18363, revision: 657 });
    const smbGhost = by.get('PHARM-KIOSK3')!.findings.find((f) => f.ruleId === 'CVE-2020-0796')!;
    expect(smbGhost).toMatchObject({ status: 'fail', decidedBy: 'build' });
    expect(smbGhost.evidence[0]).toBe('build 18363.657 < 18363.720');
    // An update offered (OfferReceived) or failed is not counted as installed, and the evidence says so.
    const ms17 = by.get('OUTPT-LT044')!.findings.find((f) => f.ruleId === 'MS17-010')!;
    expect(ms17).toMatchObject({ status: 'pass', decidedBy: 'build' });
    expect(ms17.evidence).toContain('KB5036899 is listed as "OfferReceived": not counted as installed');
    expect(verdicts(r.doc, 'WIN-EOS')).toMatchObject({ 'WARD7-PC01': 'fail', 'PHARM-KIOSK3': 'fail', 'OUTPT-LT044': 'fail' });
  });

  test('UCClient: the edition (OSEdition) settles the end of support; the Enterprise LTSB of 1607 ended 2026-10-13', () => {
    const r = auditJson([writeTemp(dir, 'UCClient.csv', UCCLIENT), '-r', 'win-eos']);
    expect(osOf(r.doc)).toEqual({ 'WARD7-PC01': 'Windows 10 22H2', 'RADIOLOGY-WS12': 'Windows 10 1809', 'PHARM-KIOSK3': 'Windows 10 1909', 'OUTPT-LT044': 'Windows 10 1607' });
    expect(verdicts(r.doc, 'WIN-EOS')).toEqual({ 'WARD7-PC01': 'fail', 'RADIOLOGY-WS12': 'fail', 'PHARM-KIOSK3': 'fail', 'OUTPT-LT044': 'fail' });
    const ltsb = r.doc.hosts.find((h) => h.hostname === 'OUTPT-LT044')!.findings[0]!;
    expect(ltsb.evidence[0]).toMatch(/^Windows 10 Enterprise 2016 LTSB .*support ended 2026-10-13/);
  });

  test('a sheet listing only missing updates: a fix it names fails with the column quoted, a fix it does not name stays unknown', () => {
    const r = auditJson([writeTemp(dir, 'ward-patch-check.csv', MISSING), '-r', 'ms17-010,cve-2019-0708,cve-2020-0796']);
    expect(r.code).toBe(0);
    expect(verdicts(r.doc, 'MS17-010')).toEqual({ 'WARD7-PC01': 'fail', 'WARD7-PC02': 'unknown', 'RAD-SRV-01': 'unknown', 'PHARM-PC03': 'not-applicable' });
    expect(verdicts(r.doc, 'CVE-2019-0708')).toEqual({ 'WARD7-PC01': 'fail', 'WARD7-PC02': 'fail', 'RAD-SRV-01': 'unknown', 'PHARM-PC03': 'not-applicable' });
    expect(verdicts(r.doc, 'CVE-2020-0796')).toMatchObject({ 'PHARM-PC03': 'fail' });
    const f = r.doc.hosts.find((h) => h.hostname === 'WARD7-PC01')!.findings.find((x) => x.ruleId === 'MS17-010')!;
    expect(f.evidence).toContain('KB4012212 is listed as missing (column "Missing KBs"): not counted as installed');
    const none = r.doc.hosts.find((h) => h.hostname === 'WARD7-PC02')!.findings.find((x) => x.ruleId === 'MS17-010')!;
    expect(none.evidence[0]).toMatch(/^no installed-updates list/);
  });

  test('Red Hat Satellite: "CentOS_Stream 8/9" and "OracleLinux 8.8" are recognised, RHEL "7.9" is release 7', () => {
    const r = auditJson([writeTemp(dir, 'satellite-hosts.csv', SATELLITE), '-r', 'os-eos']);
    expect(osOf(r.doc)).toMatchObject({ 'rhel-app01.trust.local': 'Red Hat Enterprise Linux 7', 'stream-ci2.trust.local': 'CentOS 8', 'stream-ci3.trust.local': 'CentOS 9', 'ol-app7.trust.local': 'Oracle Linux 8' });
    expect(verdicts(r.doc, 'OS-EOS')).toEqual({
      'rhel-app01.trust.local': 'fail',
      'rhel-db02.trust.local': 'pass',
      'rhel-web03.trust.local': 'pass',
      'cent-build1.trust.local': 'fail',
      'stream-ci2.trust.local': 'fail',
      'stream-ci3.trust.local': 'pass',
      'rocky-app5.trust.local': 'pass',
      'alma-app6.trust.local': 'pass',
      'ol-app7.trust.local': 'pass',
      'rhel6-legacy.trust.local': 'fail',
    });
  });

  test('SUSE Manager: the Release column gives the release and service pack beside OS "SLES"', () => {
    const r = auditJson([writeTemp(dir, 'suse-manager-systems.csv', SUMA), '-r', 'os-eos']);
    expect(osOf(r.doc)).toEqual({
      'sap-db01.trust.local': 'SUSE Linux Enterprise Server 15',
      'web-lb02.trust.local': 'SUSE Linux Enterprise Server 15',
      'old-app03.trust.local': 'SUSE Linux Enterprise Server 12',
      'ubu-app04.trust.local': 'Ubuntu 22.04',
      'rhel-app05.trust.local': 'Red Hat Enterprise Linux 8',
    });
    expect(r.doc.hosts.map((h) => h.os.servicePack)).toEqual([5, 6, 5, null, null]);
    expect(verdicts(r.doc, 'OS-EOS')).toEqual({ 'sap-db01.trust.local': 'fail', 'web-lb02.trust.local': 'fail', 'old-app03.trust.local': 'fail', 'ubu-app04.trust.local': 'pass', 'rhel-app05.trust.local': 'pass' });
  });

  test('Landscape and Lansweeper: the Distribution column names the distribution', () => {
    const land = auditJson([writeTemp(dir, 'landscape-computers.csv', LANDSCAPE2), '-r', 'os-eos']);
    expect(verdicts(land.doc, 'OS-EOS')).toEqual({
      'ward-kiosk-01.trust.local': 'pass',
      'pacs-gw-02.trust.local': 'fail',
      'lab-an-03.trust.local': 'fail',
      'dev-bx-04.trust.local': 'pass',
      'old-nms-05.trust.local': 'fail',
    });
    const ls = auditJson([writeTemp(dir, 'lansweeper-linux-assets.csv', LANSWEEPER_LINUX), '-r', 'os-eos']);
    expect(osOf(ls.doc)).toEqual({
      'lnx-pacs-01': 'Ubuntu 22.04',
      'lnx-lis-02': 'Red Hat Enterprise Linux 7',
      'lnx-dns-03': 'Debian 12',
      'lnx-old-04': 'Debian 9',
      'lnx-sle-05': 'SUSE Linux Enterprise Server 15',
      'lnx-cs-06': 'CentOS 8',
    });
    expect(verdicts(ls.doc, 'OS-EOS')).toEqual({ 'lnx-pacs-01': 'pass', 'lnx-lis-02': 'fail', 'lnx-dns-03': 'pass', 'lnx-old-04': 'fail', 'lnx-sle-05': 'fail', 'lnx-cs-06': 'fail' });
  });

  test('Jamf Pro without the Operating System column: version and build agreeing on a macOS release are a Mac; a build of another release is not', () => {
    const r = auditJson([writeTemp(dir, 'jamf-computers.csv', JAMF), '-r', 'os-eos']);
    expect(osOf(r.doc)).toEqual({ 'MAC-RAD-0012': 'macOS 14', 'MAC-FIN-0003': 'macOS 12', 'MAC-LAB-0021': 'macOS 10.15', 'MAC-EXEC-001': 'macOS 15', 'MAC-NEW-0002': 'macOS 26', 'MAC-ODD-0001': null });
    expect(verdicts(r.doc, 'OS-EOS')).toEqual({ 'MAC-RAD-0012': 'fail', 'MAC-FIN-0003': 'fail', 'MAC-LAB-0021': 'fail', 'MAC-EXEC-001': 'pass', 'MAC-NEW-0002': 'pass', 'MAC-ODD-0001': 'unknown' });
  });

  test('Kandji: Mac by the Platform column; an iPad is iOS, which has no lifecycle data: unknown', () => {
    const r = auditJson([writeTemp(dir, 'kandji-devices.csv', KANDJI), '-r', 'os-eos']);
    expect(osOf(r.doc)).toEqual({ 'RAD-MBA-011': 'macOS 14', 'FIN-MBP-004': 'macOS 12', 'WARD-IPAD-31': 'iOS 17' });
    expect(verdicts(r.doc, 'OS-EOS')).toEqual({ 'RAD-MBA-011': 'fail', 'FIN-MBP-004': 'fail', 'WARD-IPAD-31': 'unknown' });
  });
});
