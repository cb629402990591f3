import { readInventorySource, type InventoryFileInfo } from '../../../src/inventory/read-inventory.js';
import type { InventoryEvent } from '../../../src/inventory/read-csv.js';
import { tempDir, writeTemp } from '../../helpers/tmp.js';

// Exports that list updates a machine lacks (vulnerability findings, recommendations, patch tools' missing
// lists, a sheet's "Missing" group title), told by their columns: refused, never read as installed.
const dir = tempDir();

async function read(content: string, name: string): Promise<InventoryEvent[]> {
  const file = writeTemp(dir, name, content);
  const events: InventoryEvent[] = [];
  let info: InventoryFileInfo | null = null;
  for await (const ev of readInventorySource(file, { onFile: (i) => (info = i) })) events.push(ev);
  void info;
  return events;
}

const kbsOf = (evs: InventoryEvent[]) =>
  evs.filter((e) => e.type === 'record').map((e) => {
    const r = (e as Extract<InventoryEvent, { type: 'record' }>).record;
    return [r.fields.hostname, r.fields.kb ?? r.fields.kb_list ?? null];
  });

const W7_SO = 'March 2017 Security Only Quality Update for Windows 7 for x64-based Systems (KB4012212)';

describe('lists of missing updates told by their columns', () => {
  test.each([
    [
      'Defender vulnerabilities joined with the KB',
      'mde.csv',
      'DeviceName,OSPlatform,OSVersion,SoftwareName,CveId,VulnerabilitySeverityLevel,RecommendedSecurityUpdate,RecommendedSecurityUpdateId,KB\r\n' +
        'wkst-0142.corp.contoso.com,Windows7,6.1.7601,windows_7,CVE-2017-0144,Critical,March 2017 Security Monthly Quality Rollup,4012215,KB4012215\r\n',
      /mde\.csv:1: updates in column "KB" with no state for each, beside column "CveId": a list of findings or recommendations/,
    ],
    [
      'ManageEngine missing patches (Patch ID numbers, the KB in Patch Description)',
      'me.csv',
      'Computer Name,Domain,OS,Patch ID,Bulletin ID,Patch Description,Severity,Release Date,Approve Status\r\n' +
        'WARD7-PC01,NHSTRUST,Windows 7 Professional Edition (x64),24153,MS17-010,Security Update for Windows 7 for x64-based Systems (KB4012212),Critical,14-Mar-2017,Approved\r\n',
      /me\.csv:1: updates in column "Patch Description" with no state for each, beside column "Approve Status"/,
    ],
    [
      'Configuration Manager SQL with the Status filter in the query only',
      'cm.csv',
      `Name0,Caption0,Version0,ArticleID,BulletinID,Title\r\nWARD7-PC01,Microsoft Windows 7 Professional,6.1.7601,4012212,MS17-010,${W7_SO}\r\n`,
      /cm\.csv:1: Configuration Manager's ArticleID with no Status column/,
    ],
    [
      'a sheet whose update column sits under a merged "Missing" title',
      'sheet.csv',
      ',,,Missing,\r\nHostname,OS Name,OS Version,KBs,Site\r\nWARD7-PC01,Microsoft Windows 7 Professional,6.1.7601,"KB4012212, KB4499175",Radiology\r\n',
      /sheet\.csv:1: the update column "KBs" is under the title "Missing"/,
    ],
    [
      'a semicolon sheet whose update columns sit under "Not installed"',
      'sheet2.csv',
      'Site;;Not installed;;\r\nHostname;OS Name;Hotfixes;Last Patch Date;Notes\r\nFS-02;Microsoft Windows Server 2012 R2 Standard;KB4012213;01/03/2017;\r\n',
      /sheet2\.csv:1: the update column "Hotfixes" is under the title "Not installed"/,
    ],
  ])('%s: refused', async (_, name, content, message) => {
    await expect(read(content, name)).rejects.toThrow(message);
  });

  test.each([
    [
      // A reboot state is not the update's.
      'Get-HotFix with a reboot column',
      'hotfix.csv',
      'CSName,HotFixID,Description,Reboot Required\r\nWARD7-PC01,KB4012212,Security Update,No\r\n',
      [['WARD7-PC01', 'KB4012212']],
    ],
    [
      // The installed list of a sheet that also lists what is missing, and counts it.
      'installed beside missing columns',
      'both.csv',
      'Hostname,OS Name,Installed KBs,Missing KBs,Missing count\r\nWARD7-PC01,Microsoft Windows 7 Professional,KB4012215,KB4499175,1\r\n',
      [['WARD7-PC01', 'KB4012215']],
    ],
    [
      // Configuration Manager's ArticleID with its Status: each update by its state.
      'ArticleID with Status',
      'cm-status.csv',
      `Name0,Caption0,Version0,ArticleID,Title,Status\r\nWARD7-PC01,Microsoft Windows 7 Professional,6.1.7601,4012212,${W7_SO},3\r\n`,
      [['WARD7-PC01', W7_SO]],
    ],
    [
      // Installed updates of a grouped sheet.
      'a sheet whose update column sits under "Installed"',
      'grouped.csv',
      ',,Installed,Missing\r\nHostname,OS Name,KBs,Count\r\nWARD7-PC01,Microsoft Windows 7 Professional,KB4012215,0\r\n',
      [['WARD7-PC01', 'KB4012215']],
    ],
  ])('%s: read', async (_, name, content, expected) => {
    expect(kbsOf(await read(content, name))).toEqual(expected);
  });
});
