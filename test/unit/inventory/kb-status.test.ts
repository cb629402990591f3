/**
 * Updates an export names but says are not installed: a status column beside a one-update-per-row
 * export (Configuration Manager's ArticleID + Status, WSUS's Needed/Failed), and words in the update
 * cell itself. Counting them as installed would pass a machine that lacks the fix.
 */
import { addCellKbs, kbStatusWords, readKbStatus, saysUpdatesUnknown } from '../../../src/inventory/kb-status.js';
import { HostBuilder } from '../../../src/inventory/hosts.js';
import type { InventoryRecord } from '../../../src/inventory/types.js';

describe('readKbStatus', () => {
  test.each([
    ['Installed', 'installed'],
    ['installed', 'installed'],
    ['Install succeeded', 'installed'],
    ['Succeeded', 'installed'],
    ['Yes', 'installed'],
    ['3', 'installed'], // Configuration Manager: installed
    ['4', 'installed'], // WSUS: installed
    ['Required', 'not-installed'],
    ['Not Installed', 'not-installed'],
    ['NotInstalled', 'not-installed'],
    ['Failed', 'not-installed'],
    ['Installation failed', 'not-installed'],
    ['Needed', 'not-installed'],
    ['Missing', 'not-installed'],
    ['Pending reboot', 'not-installed'],
    ['Installed (pending reboot)', 'not-installed'],
    ['InstalledPendingReboot', 'not-installed'],
    ['Downloaded', 'not-installed'],
    // The update does not apply (often: a later one containing it is installed): neither installed nor missing.
    ['Not Applicable', 'unclear'],
    ['Not Required', 'unclear'],
    ['NotApplicable', 'unclear'],
    ['Uninstalled', 'not-installed'],
    ['No', 'not-installed'],
    // Configuration Manager: 0 detection state unknown, 1 not required; WSUS: 0 unknown, 1 not applicable.
    // Neither says installed or missing.
    ['0', 'unclear'],
    ['1', 'unclear'],
    ['2', 'not-installed'], // Configuration Manager: required
    ['5', 'not-installed'], // WSUS: failed
    ['6', 'not-installed'], // WSUS: installed, pending reboot
    ['Frobnicated', 'unclear'],
    // Words around "compliant", "ok" or "complete" can deny them: only a plain installed word counts.
    ['Non-compliant', 'not-installed'],
    ['Not compliant', 'not-installed'],
    ['Noncompliant', 'not-installed'],
    ['Not OK', 'not-installed'],
    ['Not completed', 'not-installed'],
    ['Install not yet complete', 'not-installed'],
    ['Outstanding', 'not-installed'],
    ['Needs install', 'not-installed'],
    ['Unknown', 'unclear'],
    ['Detection state unknown', 'unclear'],
    ['Installed 3/15/2017', 'installed'],
    ['Installed on 2017-03-15 09:12', 'installed'],
    ['Installed, but superseded by a later update', 'unclear'],
    ['Installed successfully', 'installed'],
    ['Installed: Yes', 'installed'],
    ['Succeeded, reboot not required', 'installed'],
    ['3/15/2017', 'installed'],
    ['2017-03-15 00:00:00', 'installed'],
    ['Production', null],
    ['Approved', 'not-installed'],
    ['Relevant', 'not-installed'],
    ['APPROVED', 'not-installed'],
    ['Needs Approval', 'not-installed'],
    ['Ready to install', 'not-installed'],
    ['Patched', 'installed'],
    ['Installed - Approved', 'installed'],
    ['Approved and Installed', 'installed'],
    ['Installed (Approved)', 'installed'],
    ['Installiert', 'installed'],
    ['Installé', 'installed'],
    ['Installed/Superseded', 'installed'],
    ['Installed (superseded)', 'installed'],
    // AWS Systems Manager: installed, whether or not the patch baseline lists it.
    ['INSTALLED_OTHER', 'installed'],
    ['INSTALLED_REJECTED', 'installed'],
    ['INSTALLED_PENDING_REBOOT', 'unclear'],
    // A date with a time zone is an install date; a date and time followed by another word is not.
    ['3/15/2017 10:00 CET', 'installed'],
    ['3/15/2017 10:00 ABORT', 'unclear'],
    ['2017-03-15 10:00 Retry', 'unclear'],
  ] as const)('%s → %s', (value, expected) => {
    expect(readKbStatus(value)).toBe(expected);
  });

  test.each(['', '   ', 'Active', 'Online', 'offline', 'Enabled'])('%j says nothing about the update', (value) => {
    expect(readKbStatus(value)).toBeNull();
  });
});

describe('readKbStatus: the row\'s other columns', () => {
  // ConnectWise Automate's hotfix table: Installed = 1/0 answers "installed?".
  test.each([
    ['1', 'installed'],
    ['0', 'not-installed'],
  ] as const)('under an "Installed" header, %s → %s', (value, expected) => {
    expect(readKbStatus(value, { Computer: 'W7-A', HotFixID: 'KB4012212', Installed: value })).toBe(expected);
  });

  test('WSUS: a 3 beside a column naming its installation states is downloaded, not installed', () => {
    expect(readKbStatus('3', { FullDomainName: 'w7-a.nwht.local', KnowledgebaseArticle: '4012212', UpdateInstallationState: '3' })).toBe('not-installed');
    expect(readKbStatus('1', { FullDomainName: 'w7-a.nwht.local', KnowledgebaseArticle: '4012212', UpdateInstallationState: '1' })).toBe('unclear');
  });

  // Configuration Manager's "Compliance 5 - Specific computer": Installed beside Required (IsRequired in
  // its dataset), as Yes/No or as '*' and an empty cell.
  test.each([
    ['No', 'No', 'unclear'],
    ['No', 'Yes', 'not-installed'],
    ['Yes', 'No', 'installed'],
    ['Yes', 'Yes', 'installed'],
    ['', '', 'unclear'],
    ['', '*', 'not-installed'],
    ['*', '', 'installed'],
  ] as const)('Installed %j, Required %j → %s', (installed, required, expected) => {
    expect(readKbStatus(installed, { 'Computer Name': 'CARD-WS-201', 'Article ID': '4012213', Required: required, Installed: installed })).toBe(expected);
    expect(readKbStatus(installed, { Netbios_Name0: 'CARD-WS-201', ArticleID: '4012213', Targeted: '*', Installed: installed, IsRequired: required })).toBe(expected);
  });

  // An update history exported from the Windows Update Agent's API: ResultCode is its OperationResultCode.
  test.each([
    ['0', 'not-installed'], // not started
    ['1', 'not-installed'], // in progress
    ['2', 'installed'], // succeeded
    ['3', 'unclear'], // succeeded with errors
    ['4', 'not-installed'], // failed
    ['5', 'not-installed'], // aborted
  ] as const)('under a "ResultCode" header, %s → %s', (value, expected) => {
    expect(readKbStatus(value, { PSComputerName: 'THEATRE-PC07', Operation: '1', ResultCode: value, Title: 'KB4012215' })).toBe(expected);
  });

  test('the evidence says what a number means where it has a meaning, and quotes it as is under "Installed"', () => {
    expect(kbStatusWords('1', { Name0: 'A', ArticleID: '4012212', Status: '1' })).toBe('1 (not required, or not applicable)');
    expect(kbStatusWords('4', { PSComputerName: 'A', ResultCode: '4' })).toBe('4 (failed)');
    expect(kbStatusWords('0', { 'Computer Name': 'A', KBID: '4012212', Installed: '0' })).toBe('0');
  });

  test('an empty Installed cell with no Required column says nothing (an install date left blank)', () => {
    expect(readKbStatus('', { Computer: 'W7-A', HotFixID: 'KB4012212', Installed: '' })).toBeNull();
  });
});

describe('addCellKbs', () => {
  const read = (cell: string) => {
    const installed = new Set<string>();
    const notInstalled = addCellKbs(cell, installed, null);
    return { installed: [...installed], notInstalled: Object.fromEntries(notInstalled ?? []) };
  };

  test.each([
    ['KB4012212; KB4015549', ['KB4012212', 'KB4015549'], {}],
    ['12 Hotfix(s) Installed.,[01]: KB4502224,[02]: KB4527272', ['KB4502224', 'KB4527272'], {}],
    ['Not installed: KB4012215', [], { KB4012215: '"Not installed"' }],
    ['KB4012215 (failed)', [], { KB4012215: '"failed"' }],
    ['KB4012215 - Uninstalled', [], { KB4012215: '"Uninstalled"' }],
    ['KB4012215 pending', [], { KB4012215: '"pending"' }],
    ['KB4012212, KB4012215 (failed)', ['KB4012212'], { KB4012215: '"failed"' }],
    // A label holds for the entries after it, until the next label.
    ['Missing: KB4012212, KB4012215; Installed: KB4499164', ['KB4499164'], { KB4012212: '"Missing"', KB4012215: '"Missing"' }],
    // A superseded update is still installed.
    ['KB4012215 superseded', ['KB4012215'], {}],
    ['Outstanding: KB4013429', [], { KB4013429: '"Outstanding"' }],
    ['KB4013429 (non-compliant)', [], { KB4013429: '"non-compliant"' }],
    ['KB4012215 needs install', [], { KB4012215: '"needs"' }],
    // Updates to install, as hand-kept sheets and vulnerability tools label them.
    ['To install: KB4012215, KB4499164', [], { KB4012215: '"To install"', KB4499164: '"To install"' }],
    ['Recommended: KB4012213', [], { KB4012213: '"Recommended"' }],
    ['Vulnerable: KB4012212; Installed: KB4499175', ['KB4499175'], { KB4012212: '"Vulnerable"' }],
    ['KB4012212 (to be installed)', [], { KB4012212: '"to be installed"' }],
  ] as const)('%j', (cell, installed, notInstalled) => {
    expect(read(cell)).toEqual({ installed, notInstalled });
  });
});

describe('HostBuilder: a status per update row', () => {
  const row = (line: number, kb: string, status?: string, header = 'Status'): InventoryRecord => ({
    source: { file: 'compliance.csv', line },
    fields: { hostname: 'SRV-PACS1', os_name: 'Microsoft Windows Server 2012 R2 Standard', os_version: '6.3.9600', kb, ...(status === undefined ? {} : { kb_status: status }) },
    columns: { Name0: 'SRV-PACS1', ArticleID: kb, [header]: status ?? '' },
  });

  test('a required or failed update is not installed; a blank status (Get-HotFix) says nothing', () => {
    const b = HostBuilder.fromRecord('SRV-PACS1', row(2, '4012216', 'Required'));
    b.add(row(3, '2919355', 'Installed'));
    b.add(row(4, '4499165', '5'));
    b.add(row(5, '3000850', ''));
    const host = b.build();
    expect([...host.kbs]).toEqual(['KB2919355', 'KB3000850']);
    expect(host.kbEvidence).toBe(true);
    expect(Object.fromEntries(host.kbsNotInstalled ?? [])).toEqual({ KB4012216: '"Required"', KB4499165: '"5"' });
  });

  test('Configuration Manager 0 and 1 (detection state unknown, not required) are neither installed nor missing, and the evidence says what they mean', () => {
    const b = HostBuilder.fromRecord('SRV-PACS1', row(2, '4012216', '1'));
    b.add(row(3, '4012213', '0'));
    b.add(row(4, '4499165', '2'));
    const host = b.build();
    expect([...host.kbs]).toEqual([]);
    expect(Object.fromEntries(host.kbsNotInstalled ?? [])).toEqual({
      KB4012216: 'status "1 (not required, or not applicable)", not read as installed',
      KB4012213: 'status "0 (detection state unknown)", not read as installed',
      KB4499165: '"2"',
    });
  });

  test('"Compliance 5 - Specific computer": a blank Installed beside a blank Required is not required; beside a "*" it is required', () => {
    const c5 = (line: number, kb: string, installed: string, required: string): InventoryRecord => ({
      source: { file: 'compliance5.csv', line },
      fields: { hostname: 'RAD-WS-014', kb, kb_status: installed },
      columns: { Netbios_Name0: 'RAD-WS-014', ArticleID: kb, Targeted: '*', Installed: installed, IsRequired: required },
    });
    const b = HostBuilder.fromRecord('RAD-WS-014', c5(2, '4012212', '', ''));
    b.add(c5(3, '4012215', '*', ''));
    b.add(c5(4, '4499175', '', '*'));
    const host = b.build();
    expect([...host.kbs]).toEqual(['KB4012215']);
    expect(Object.fromEntries(host.kbsNotInstalled ?? [])).toEqual({
      KB4012212: 'status "Required: (blank), Installed: (blank)", not read as installed',
      KB4499175: '"Required: *, Installed: (blank)"',
    });
  });

  test('an update that failed once and was installed later is installed', () => {
    const b = HostBuilder.fromRecord('SRV-PACS1', row(2, '4012216', 'Failed'));
    b.add(row(3, '4012216', 'Installed'));
    const host = b.build();
    expect([...host.kbs]).toEqual(['KB4012216']);
    expect(host.kbsNotInstalled).toBeUndefined();
  });

  test('an update state the reader does not understand does not count as installed, and says so', () => {
    const host = HostBuilder.fromRecord('SRV-PACS1', row(2, '4012216', 'Frobnicated', 'Update Status')).build();
    expect([...host.kbs]).toEqual([]);
    expect(host.kbsNotInstalled?.get('KB4012216')).toBe('status "Frobnicated", not read as installed');
  });

  test('in a plain "Status" column a machine state ("Production", "In use") says nothing about the update', () => {
    for (const state of ['Production', 'In use', 'Out for Repair', 'Archived', 'Lost/Stolen']) {
      expect([...HostBuilder.fromRecord('SRV-PACS1', row(2, '4012216', state)).build().kbs]).toEqual(['KB4012216']);
    }
  });

  // Patch tools' states for an update that is not (yet) installed: NinjaOne (APPROVED, MANUAL, REJECTED),
  // BigFix (Relevant), AWS Systems Manager (INSTALLED_REJECTED), WSUS/Ivanti (Not Approved, Declined)…
  test.each(['APPROVED', 'MANUAL', 'REJECTED', 'Available', 'Ignored', 'Relevant', 'Detected', 'Approved for Install', 'Not Approved', 'Deferred', 'Excluded', 'Ready to install', 'Superseded', 'Assigned', 'Deployed', 'Testing', 'Staging', 'Maintenance', 'Ready to Deploy', 'Frobnicated'])(
    'in a plain "Status" column of a one-update-per-row export (KB Number, ArticleID), %j is not read as installed, and the evidence quotes it',
    (state) => {
      const host = HostBuilder.fromRecord('SRV-PACS1', row(2, '4012216', state)).build();
      expect([...host.kbs]).toEqual([]);
      expect(host.kbsNotInstalled?.get('KB4012216')).toMatch(new RegExp(`^(?:status )?"${state}"`));
    },
  );

  test('under an update-state header a machine-state word is no machine state: not read as installed', () => {
    const host = HostBuilder.fromRecord('SRV-PACS1', row(2, '4012216', 'Production', 'Patch Status')).build();
    expect([...host.kbs]).toEqual([]);
    expect(host.kbsNotInstalled?.get('KB4012216')).toBe('status "Production", not read as installed');
  });

  test('a one-update column listing several updates is the machine\'s list: a plain Status is the machine\'s (Snipe-IT "Hotfix")', () => {
    const rec: InventoryRecord = {
      source: { file: 'assets.csv', line: 2 },
      fields: { hostname: 'SN-01', os_name: 'Windows 7 Professional', os_version: '6.1.7601', kb: 'KB4012212, KB4499175', kb_status: 'Deployed' },
      columns: { 'Asset Name': 'SN-01', Hotfix: 'KB4012212, KB4499175', Status: 'Deployed' },
    };
    expect([...HostBuilder.fromRecord('SN-01', rec).build().kbs].sort()).toEqual(['KB4012212', 'KB4499175']);
  });

  test('a one-update column naming several updates with a plain not-installed state: none of them counts', () => {
    const rec = (kb: string, state: string, header = 'Patch Status'): InventoryRecord => ({
      source: { file: 'deploy.csv', line: 2 },
      fields: { hostname: 'W7-A', os_name: 'Windows 7 Professional', os_version: '6.1.7601', kb, kb_status: state },
      columns: { 'Computer Name': 'W7-A', 'KB Number': kb, [header]: state },
    });
    for (const [kb, state] of [['KB4012212, KB4012215', 'Failed'], ['KB4012212; KB4012215', 'Not Installed'], ['KB4012212, KB4012215', 'Missing']]) {
      const host = HostBuilder.fromRecord('W7-A', rec(kb, state)).build();
      expect([...host.kbs]).toEqual([]);
      expect(Object.fromEntries(host.kbsNotInstalled ?? [])).toEqual({ KB4012212: `"${state}"`, KB4012215: `"${state}"` });
    }
    // Installed, or a word that cannot be read: as before (an unreadable word holds for one update only).
    expect([...HostBuilder.fromRecord('W7-A', rec('KB4012212, KB4012215', 'Installed')).build().kbs].sort()).toEqual(['KB4012212', 'KB4012215']);
    expect([...HostBuilder.fromRecord('W7-A', rec('KB4012212, KB4012215', 'Frobnicated')).build().kbs].sort()).toEqual(['KB4012212', 'KB4012215']);
  });

  test('an update history: a failed installation and a successful uninstallation install nothing', () => {
    const row = (line: number, kb: string, operation: string, result: string): InventoryRecord => ({
      source: { file: 'wuhistory.csv', line },
      fields: { hostname: 'W7-U', os_name: 'Windows 7 Professional', kb, kb_operation: operation, kb_status: result },
      columns: { ComputerName: 'W7-U', Operationname: operation, Result: result, KB: kb },
    });
    const build = (...rows: InventoryRecord[]) => {
      const b = HostBuilder.fromRecord('W7-U', rows[0]);
      for (const r of rows.slice(1)) b.add(r);
      return b.build();
    };
    // Installed, then uninstalled: not counted, and not known to be missing (the order is not given).
    const both = build(row(2, 'KB4012215', 'Installation', 'Succeeded'), row(3, 'KB4012215', 'Uninstallation', 'Succeeded'));
    expect([...both.kbs]).toEqual([]);
    expect(both.kbsNotInstalled?.get('KB4012215')).toMatch(/^status "installed, then uninstalled or the other way round", not read as installed$/);
    // Only uninstalled: not installed.
    expect(build(row(2, 'KB4012212', 'Uninstallation', 'Succeeded')).kbsNotInstalled?.get('KB4012212')).toBe('"Uninstallation"');
    // An uninstallation that failed changes nothing.
    expect([...build(row(2, 'KB4012212', 'Installation', 'Succeeded'), row(3, 'KB4012212', 'Uninstallation', 'Failed')).kbs]).toEqual(['KB4012212']);
    // A failed installation is no installation.
    expect([...build(row(2, 'KB4012212', 'Installation', 'Failed')).kbs]).toEqual([]);
  });

  test('a plain "Status" beside an update list is the machine\'s (an asset list\'s "Deployed"), even when the list names one update', () => {
    const rec = (list: string, status: string): InventoryRecord => ({
      source: { file: 'assets.csv', line: 2 },
      fields: { hostname: 'SRV-PACS1', os_name: 'Microsoft Windows Server 2012 R2 Standard', os_version: '6.3.9600', kb_list: list, kb_status: status },
      columns: { Name: 'SRV-PACS1', 'Patches Installed': list, Status: status },
    });
    expect([...HostBuilder.fromRecord('SRV-PACS1', rec('KB4012216, KB2919355', 'Assigned')).build().kbs].sort()).toEqual(['KB2919355', 'KB4012216']);
    expect([...HostBuilder.fromRecord('SRV-PACS1', rec('KB4012216', 'Deployed')).build().kbs]).toEqual(['KB4012216']);
    expect([...HostBuilder.fromRecord('SRV-PACS1', rec('KB4012216', 'Deployed (clinical exception)')).build().kbs]).toEqual(['KB4012216']);
    // A word that says not installed still holds for the list's one update; and under an update-state
    // header any unknown word does.
    expect([...HostBuilder.fromRecord('SRV-PACS1', rec('KB4012216', 'Failed')).build().kbs]).toEqual([]);
    const stateHeader: InventoryRecord = { ...rec('KB4012216', 'Deployed'), columns: { Name: 'SRV-PACS1', 'Patches Installed': 'KB4012216', 'Patch Status': 'Deployed' } };
    expect([...HostBuilder.fromRecord('SRV-PACS1', stateHeader).build().kbs]).toEqual([]);
  });

  test('WSUS numbers: 3 is Downloaded where a column names the WSUS states, installed (Configuration Manager) otherwise', () => {
    expect([...HostBuilder.fromRecord('SRV-PACS1', row(2, '4012216', '3', 'UpdateInstallationState')).build().kbs]).toEqual([]);
    expect([...HostBuilder.fromRecord('SRV-PACS1', row(2, '4012216', '3')).build().kbs]).toEqual(['KB4012216']);
  });

  test('a status applies to the one update of a row even when its column reads as a list ("Patches")', () => {
    const rec = (kbList: string, status: string): InventoryRecord => ({
      source: { file: 'patches.csv', line: 2 },
      fields: { hostname: 'SRV-2016-A', os_name: 'Microsoft Windows Server 2016 Standard', os_version: '10.0.14393', kb_list: kbList, kb_status: status },
      columns: { 'Computer Name': 'SRV-2016-A', Patches: kbList, Status: status },
    });
    expect([...HostBuilder.fromRecord('SRV-2016-A', rec('KB4013429', 'Failed')).build().kbs]).toEqual([]);
    // A row listing many updates is the machine's: its status is too.
    expect([...HostBuilder.fromRecord('SRV-2016-A', rec('KB4013429, KB4019472', 'Failed')).build().kbs]).toEqual(['KB4013429', 'KB4019472']);
  });
});

describe('saysUpdatesUnknown: a cell that says the updates are not known is no evidence', () => {
  test.each(['Unknown', 'unknown', 'Access denied', 'TSE-Error: Script timed out after 60 seconds', '[current result unavailable]', 'not scanned', 'TBC', '#N/A', '?'])('%j', (cell) => {
    expect(saysUpdatesUnknown(cell)).toBe(true);
  });
  // PowerShell's Export-Csv of a list property writes the list's type name: the list is not known.
  test.each(['System.Object[]', 'Microsoft.PowerShell.Commands.HotFix[]', 'System.Collections.Generic.List`1[System.String]', 'System.Collections.ArrayList'])('%j (a type name, not a list)', (cell) => {
    expect(saysUpdatesUnknown(cell)).toBe(true);
  });
  // Console output cuts a list short ("{KB1, KB2, KB3, KB4...}"): the updates cut off are not known.
  test.each(['{KB2479943, KB2491683, KB2506014, KB2506212...}', 'KB2479943, KB2491683, KB2506014…', 'KB2479943 KB2491683 ... ', '{KB4012212, KB4012215…}'])('%j (cut short)', (cell) => {
    expect(saysUpdatesUnknown(cell)).toBe(true);
  });
  // An empty list, "None" or systeminfo's "N/A" say no update is installed; a list is a list.
  test.each(['', 'None', 'N/A', 'KB4012212', 'KB4012212; error log attached', '0 Hotfix(s) Installed.', '{KB4012212, KB4012215}', 'KB4012212.', 'System update KB4012212'])('%j is not', (cell) => {
    expect(saysUpdatesUnknown(cell)).toBe(false);
  });

  test('a list cut short: its whole entries are installed, but the host\'s list cannot show an update missing', () => {
    const rec = (line: number, field: 'kb' | 'kb_list', cell: string): InventoryRecord => ({
      source: { file: 'ps.csv', line },
      fields: { hostname: 'PS-01', os_name: 'Microsoft Windows 7 Enterprise', os_version: '6.1.7601', [field]: cell },
      columns: {},
    });
    const cut = HostBuilder.fromRecord('PS-01', rec(2, 'kb_list', '{KB2479943, KB4012212, KB2506014, KB25062...}')).build();
    // The last entry before the cut may itself be cut ("KB25062"): not read.
    expect([...cut.kbs].sort()).toEqual(['KB2479943', 'KB2506014', 'KB4012212']);
    expect(cut.kbEvidence).toBe(false);
    expect(cut.updatesUnread).toMatch(/is a list cut short/);
    // One update per row, one of them cut short: the other rows are a list, but not the whole list.
    const b = HostBuilder.fromRecord('PS-01', rec(2, 'kb', 'KB2479943'));
    b.add(rec(3, 'kb', 'KB4012212...'));
    const rows = b.build();
    expect([...rows.kbs]).toEqual(['KB2479943']);
    expect(rows.kbEvidence).toBe(true);
    expect(rows.updatesUnread).toMatch(/"KB4012212\.\.\." is a list cut short/);
    // A cell that says the updates are not known beside a list leaves the list whole.
    const unknown = HostBuilder.fromRecord('PS-01', rec(2, 'kb', 'KB2479943'));
    unknown.add(rec(3, 'kb', 'Access denied'));
    expect(unknown.build().updatesUnread).toBeUndefined();
  });

  test('a host whose only update cell says "Access denied" has no updates list: its patch checks are unknown, not failed', () => {
    const rec = (kbList: string): InventoryRecord => ({
      source: { file: 'tanium.csv', line: 2 },
      fields: { hostname: 'NGH-SV-0300', os_name: 'Microsoft Windows Server 2012 R2 Standard', os_version: '6.3.9600', kb_list: kbList },
      columns: {},
    });
    expect(HostBuilder.fromRecord('NGH-SV-0300', rec('Access denied')).build().kbEvidence).toBe(false);
    expect(HostBuilder.fromRecord('NGH-SV-0300', rec('')).build().kbEvidence).toBe(true);
  });
});

describe('objects joined into a list of type names', () => {
  test('"-join" of HotFix objects is no list of updates', () => {
    expect(saysUpdatesUnknown('Microsoft.PowerShell.Commands.HotFix,Microsoft.PowerShell.Commands.HotFix,Microsoft.PowerShell.Commands.HotFix,Microsoft.PowerShell.Commands.HotFix')).toBe(true);
    expect(saysUpdatesUnknown('System.Management.ManagementObject System.Management.ManagementObject')).toBe(true);
    expect(saysUpdatesUnknown('Microsoft.PowerShell.Commands.HotFix, KB4012212')).toBe(false);
  });
});
