import iconv from 'iconv-lite';
import { Readable } from 'node:stream';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isShellFile, listInputs, readInventorySource, type InventoryFileInfo } from '../../../src/inventory/read-inventory.js';
import { RecordDecoder, sampleRecords, type InventoryEvent } from '../../../src/inventory/read-csv.js';
import { ColumnSample, mapColumns } from '../../../src/inventory/fields.js';
import { InventoryError } from '../../../src/errors.js';
import { tempDir, writeTemp } from '../../helpers/tmp.js';

const dir = tempDir();

async function read(content: string | Buffer, name = 'inv.csv', opts = {}): Promise<{ events: InventoryEvent[]; info: InventoryFileInfo | null }> {
  const file = writeTemp(dir, name, content);
  const events: InventoryEvent[] = [];
  let info: InventoryFileInfo | null = null;
  for await (const ev of readInventorySource(file, { ...opts, onFile: (i) => (info = i) })) events.push(ev);
  return { events, info };
}

const records = (evs: InventoryEvent[]) => evs.filter((e) => e.type === 'record').map((e) => (e as Extract<InventoryEvent, { type: 'record' }>).record);
const rejected = (evs: InventoryEvent[]) => evs.filter((e) => e.type === 'rejected').map((e) => (e as Extract<InventoryEvent, { type: 'rejected' }>).rejected);

describe('readInventorySource', () => {
  test('plain comma CSV: fields mapped, unknown columns kept, physical line numbers', async () => {
    const { events } = await read('Hostname,OS Name,OS Version,Installed KBs,Colour\nPC-01,Microsoft Windows 7 Enterprise ,6.1.7601,"KB4012212; KB4015549",blue\nPC-02,Windows 10 Pro,10.0.19045.4291,,red\n');
    const recs = records(events);
    expect(recs).toHaveLength(2);
    expect(recs[0].fields.hostname).toBe('PC-01');
    expect(recs[0].fields.os_name).toBe('Microsoft Windows 7 Enterprise');
    expect(recs[0].fields.kb_list).toBe('KB4012212; KB4015549');
    expect(recs[0].columns['Colour']).toBe('blue');
    expect(recs[0].source.line).toBe(2);
    expect(recs[1].source.line).toBe(3);
  });

  test('UTF-8 BOM, semicolons, CRLF and sep= line', async () => {
    const { events, info } = await read(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('sep=;\r\nDevice name;OS version\r\nPC-01;10.0.19045.1\r\n')]));
    expect(info!.layout!.delimiter).toBe(';');
    expect(info!.encoding).toBe('utf-8');
    const recs = records(events);
    expect(recs[0].fields.hostname).toBe('PC-01');
    expect(recs[0].source.line).toBe(3);
  });

  test('PowerShell #TYPE line, tab and pipe delimiters', async () => {
    const a = await read('#TYPE Selected.System.Management.ManagementObject\n"CSName","HotFixID","InstalledOn"\n"SRV-01","KB4012212","3/15/2017 12:00:00 AM"\n');
    expect(records(a.events)[0].fields.kb).toBe('KB4012212');
    expect(records(a.events)[0].fields.kb_installed_on).toBe('2017-03-15');
    expect(records(a.events)[0].source.line).toBe(3);
    const b = await read('Hostname\tOS Name\nPC-01\tWindows 7\n', 'tab.tsv');
    expect(b.info!.layout!.delimiter).toBe('\t');
    const c = await read('csname|hotfix_id|installed_on\nPC-01|KB4012212|3/15/2017\n', 'pipe.csv');
    expect(c.info!.layout!.delimiter).toBe('|');
    expect(records(c.events)[0].fields.hostname).toBe('PC-01');
  });

  test('SSRS title lines above the header are skipped', async () => {
    const { events, info } = await read('MS17-010 Compliance\nCollection: All Workstations,,\n\nDetails_Table0_Netbios_Name0,Details_Table0_Caption0,Details_Table0_HotFixID0\nPC-FIN-0012,Microsoft Windows 7 Enterprise ,KB4012212\n');
    expect(info!.layout!.headerLine).toBe(4);
    expect(records(events)[0].fields.hostname).toBe('PC-FIN-0012');
    expect(records(events)[0].source.line).toBe(5);
  });

  test('GLPI trailing delimiter, repeated headers and multi-line quoted fields', async () => {
    const glpi = await read('"Name";"Operating system - Name";"Operating system - Version";\n"POS-07";"Microsoft Windows XP Professional";"5.1.2600";\n');
    expect(rejected(glpi.events)).toEqual([]);
    expect(records(glpi.events)[0].fields.os_version).toBe('5.1.2600');
    const rep = await read('Host Name,OS Name\nA,Windows 7\nHost Name,OS Name\nB,Windows 8.1\n');
    expect(records(rep.events).map((r) => r.fields.hostname)).toEqual(['A', 'B']);
    const ml = await read('Hostname,Notes,OS Name\nA,"line one\nline two",Windows 7\nB,x,Windows 8\n');
    expect(records(ml.events).map((r) => r.source.line)).toEqual([2, 4]);
  });

  test('ragged rows and bad dates are rejected with their line', async () => {
    const { events } = await read('Hostname,OS Name,Last Patch Date\nA,Windows 7,2020-01-01\nB,Windows 7\nC,Windows 7,2020-01-01,extra\nD,Windows 7,not a date\n');
    expect(records(events).map((r) => r.fields.hostname)).toEqual(['A']);
    expect(rejected(events).map((r) => r.line)).toEqual([3, 4, 5]);
    expect(rejected(events)[2].reason).toMatch(/last_patch_date/);
  });

  test('UTF-16 LE/BE with BOM and Windows-1252 decode like UTF-8', async () => {
    const text = 'Hostname,OS Name\r\nSRV-01,Microsoft® Windows Server® 2008 Enterprise \r\n';
    for (const [name, buf] of [
      ['le.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')])],
      ['be.csv', Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')])],
      ['1252.csv', iconv.encode(text, 'windows-1252')],
    ] as const) {
      const { events } = await read(buf, name);
      expect(records(events)[0].fields.os_name).toBe('Microsoft® Windows Server® 2008 Enterprise');
    }
  });

  test('stdin', async () => {
    const events: InventoryEvent[] = [];
    for await (const ev of readInventorySource('-', { stdin: Readable.from([Buffer.from('Hostname,OS Name\nA,Windows 7\n')]) })) events.push(ev);
    expect(records(events)[0].source).toEqual({ file: '-', line: 2 });
  });

  test.each([
    ['', /empty/],
    ['\n\n', /empty/],
    ['Colour,Size\nblue,3\n', /no usable header/],
    ['OS Name,OS Version\nWindows 7,6.1.7601\n', /no hostname column/],
    ['{"hosts": []}', /JSON/],
    ['<?xml version="1.0"?><hosts/>', /XML/],
  ])('refuses %j', async (content, message) => {
    await expect(read(content)).rejects.toThrow(message);
    await expect(read(content)).rejects.toBeInstanceOf(InventoryError);
  });

  test('missing file and unterminated quote are InventoryErrors naming the file', async () => {
    const gen = readInventorySource(dir + '/nope.csv');
    await expect(gen.next()).rejects.toThrow(/nope\.csv: no such file/);
    await expect(read('Hostname,OS Name\nA,"Windows 7\n')).rejects.toThrow(/unterminated quoted field/);
  });

  // Found here: rows are tokenized in pieces, and text after a hand-off to csv-parse in the middle of a
  // chunk was dropped up to the end of that chunk.
  test.each([40, 2_100, 2_600, 5_000, 7_777])('a stray quote at row %i of a large file: every row is still read once', async (at) => {
    const rows = 8_000;
    const lines = ['Hostname,OS Name,OS Version,Notes'];
    for (let i = 0; i < rows; i++) lines.push(`PC-${String(i).padStart(5, '0')},Microsoft Windows 10 Enterprise,10.0.19045.${i % 500},${i === at ? 'a "stray" quote' : 'spare desk, ward ' + (i % 40)}`.replace(', ward', ' ward'));
    const { events } = await read(lines.join('\n') + '\n', `stray-${at}.csv`);
    const names = records(events).map((r) => r.fields.hostname);
    expect(names.length + rejected(events).length).toBe(rows);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain(`PC-${String(rows - 1).padStart(5, '0')}`);
    expect(names).toContain(`PC-${String(at + 1).padStart(5, '0')}`);
    expect(records(events).find((r) => r.fields.hostname === `PC-${String(at).padStart(5, '0')}`)?.columns['Notes']).toBe('a "stray" quote');
  });

  test('a quoted cell of several megabytes spanning many chunks is read whole', async () => {
    const big = 'x'.repeat(3 * 1024 * 1024);
    const { events } = await read(`Hostname,OS Name,Notes\nPC-01,Windows 7,"${big}"\nPC-02,Windows 10,small\n`, 'big-cell.csv', { limits: { maxFieldSize: 4_000_000, maxColumns: 1000, maxFileBytes: 0 } });
    const recs = records(events);
    expect(recs.map((r) => r.fields.hostname)).toEqual(['PC-01', 'PC-02']);
    expect(recs[0].columns['Notes']).toHaveLength(big.length);
    expect(recs[1].source.line).toBe(3);
  });

  test('--map names a header that does not exist', async () => {
    await expect(read('Asset,OS Name\nA,Windows 7\n', 'map.csv', { map: { hostname: 'Computer' } })).rejects.toThrow(/--map hostname=Computer/);
    const ok = await read('Asset,OS Name\nA,Windows 7\n', 'map2.csv', { map: { hostname: 'Asset' } });
    expect(records(ok.events)[0].fields.hostname).toBe('A');
  });
});

describe('exports whose columns the values decide', () => {
  test('PDQ Inventory database join (sqlite3, |): machine from the first Name, KB from the second, HotFixId row ids unused', async () => {
    const text =
      'Name|OSName|OSVersion|OSServicePack|SMBv1Enabled|HotFixId|Name|Description|InstalledOn\n' +
      'PDQ-W7-01|Microsoft Windows 7 Enterprise|6.1.7601|Service Pack 1|1|1834|KB4012212|Security Update|2017-03-15 00:00:00\n' +
      'PDQ-W7-02|Microsoft Windows 7 Enterprise|6.1.7601|Service Pack 1|1|4012215|KB976902|Update|2017-01-10 00:00:00\n';
    const { events, info } = await read(text, 'pdq-join.txt');
    expect(info!.layout!.mapping.byColumn).toEqual(['hostname', 'os_name', 'os_version', 'service_pack', 'smb1_enabled', null, 'kb', null, 'kb_installed_on']);
    const recs = records(events);
    expect(recs.map((r) => [r.fields.hostname, r.fields.kb])).toEqual([
      ['PDQ-W7-01', 'KB4012212'],
      ['PDQ-W7-02', 'KB976902'],
    ]);
    expect(recs[1].columns['HotFixId']).toBe('4012215');
    expect(recs[1].columns['Name (2)']).toBe('KB976902');
  });

  test('plain numbers as the only KB column are refused with file, line, column and the --map to confirm them', async () => {
    const text = 'Name|OSName|OSVersion|HotFixId|InstalledOn\nPDQ-1|Windows 7 Enterprise|6.1.7601|1834|2017-03-15\nPDQ-2|Windows 7 Enterprise|6.1.7601|4012215|2017-03-15\n';
    const err = await read(text, 'ids.txt').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InventoryError);
    expect((err as Error).message).toMatch(/ids\.txt:1: kb \(column "HotFixId"\): plain numbers \("1834", "4012215"\).*--map kb="HotFixId"/);
    expect((err as Error).message).not.toContain('\n');
    const confirmed = await read(text, 'ids2.txt', { map: { kb: 'HotFixId' } });
    expect(records(confirmed.events).map((r) => r.fields.kb)).toEqual(['1834', '4012215']);
  });

  test('SCCM report with Caption0 and HotFixID0 but no version column: Caption0 is the OS', async () => {
    const { events } = await read(
      'Details_Table0_Netbios_Name0,Details_Table0_Caption0,Details_Table0_CSDVersion0,Details_Table0_HotFixID0,Details_Table0_InstalledOn0\n' +
        'PC-FIN-0012,Microsoft Windows 7 Enterprise ,Service Pack 1,KB4012212,3/15/2017\nPC-FIN-0013,Microsoft Windows XP Professional,Service Pack 3,KB958644,3/15/2012\n',
      'ssrs-caption.csv',
    );
    expect(records(events).map((r) => [r.fields.os_name, r.fields.service_pack, r.fields.kb])).toEqual([
      ['Microsoft Windows 7 Enterprise', 'Service Pack 1', 'KB4012212'],
      ['Microsoft Windows XP Professional', 'Service Pack 3', 'KB958644'],
    ]);
  });

  test('Get-ADComputer lastLogonTimestamp (decimal FILETIME) is a date; 0 and the largest Int64 mean never', async () => {
    const { events } = await read(
      '"Name","DNSHostName","OperatingSystem","OperatingSystemVersion","lastLogonTimestamp","Enabled"\n' +
        '"AD-01","ad-01.acme.local","Windows 7 Enterprise","6.1 (7601)","133765104000000000","True"\n' +
        '"AD-02","ad-02.acme.local","Windows XP Professional","5.1 (2600)","0","True"\n' +
        '"AD-03","ad-03.acme.local","Windows XP Professional","5.1 (2600)","9223372036854775807","True"\n',
      'ad.csv',
    );
    expect(rejected(events)).toEqual([]);
    expect(records(events).map((r) => r.fields.last_seen)).toEqual(['2024-11-19', '', '']);
  });
});

describe('rows of empty cells only', () => {
  const excel = 'Hostname,OS Name,OS Version,Installed KBs,,\r\nXL-01,Windows 7 Enterprise,6.1.7601,KB4012212,,\r\nXL-02,Windows 7 Enterprise,6.1.7601,KB4012215,,\r\n,,,,,\r\n,,,,,\r\n';

  test('are blank lines: neither records nor rejected rows (fast tokenizer)', async () => {
    const { events } = await read(excel, 'excel-trailing.csv');
    expect(rejected(events)).toEqual([]);
    expect(records(events).map((r) => r.source.line)).toEqual([2, 3]);
    // Blanks padded with spaces, fewer delimiters, and a quoted empty cell are blank too.
    const odd = await read('Hostname,OS Name,OS Version\nA,Windows 7,6.1.7601\n , ,\n,\n"",\nB,Windows 8.1,6.3.9600\n', 'odd-blank.csv');
    expect(rejected(odd.events)).toEqual([]);
    expect(records(odd.events).map((r) => [r.fields.hostname, r.source.line])).toEqual([
      ['A', 2],
      ['B', 6],
    ]);
    // More delimiters than the header has columns is not Excel's padding: a ragged row, rejected.
    const wide = await read('Hostname,OS Name\nA,Windows 7\n,,,,\n', 'wide-blank.csv');
    expect(rejected(wide.events)).toEqual([{ file: expect.stringMatching(/wide-blank\.csv$/), line: 3, reason: 'expected 2 fields, found 5' }]);
    // A row with any value is still a row (one without a hostname, which the audit rejects).
    const half = await read('Hostname,OS Name\nA,Windows 7\n,Windows 7\n', 'half.csv');
    expect(rejected(half.events)).toHaveLength(0);
    expect(records(half.events)).toHaveLength(2);
  });

  test('are blank lines on the csv-parse path too (after a row the fast tokenizer hands over)', async () => {
    const { events } = await read('Hostname,OS Name,Notes\nA,Windows 7,a "stray" quote\n,,\nB,Windows 7,x\n,,\n', 'excel-lenient.csv');
    expect(rejected(events)).toEqual([]);
    expect(records(events).map((r) => [r.fields.hostname, r.source.line])).toEqual([
      ['A', 2],
      ['B', 4],
    ]);
  });

  test('are blank lines for a worker decoding a block, with the mapping the first rows decided', () => {
    const headers = ['Name', 'OSName', 'HotFixId', 'Name'];
    const mapping = mapColumns(headers, {}, () => new ColumnSample([['PC-1', 'Windows 7', '1834', 'KB4012212']]));
    // A worker gets the setup by structured clone.
    const setup = structuredClone({ file: 'x.txt', headers, order: 'mdy' as const, map: {}, maxFieldSize: 1000, mapping });
    const decoder = new RecordDecoder(setup);
    expect(decoder.decode(['', '', '', ''], 5)).toBeNull();
    expect(decoder.decode(['  ', '', '\t', ''], 6)).toBeNull();
    const ev = decoder.decode(['PC-2', 'Windows 7', '4012215', 'KB976902'], 7);
    expect(ev?.type === 'record' && [ev.record.fields.hostname, ev.record.fields.kb]).toEqual(['PC-2', 'KB976902']);
    expect(decoder.setup).toBe(setup);
  });
});

describe('PowerShell console tables (Get-HotFix > file.txt, Format-Table)', () => {
  const utf16 = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
  const getHotFix =
    '\r\nSource        Description      HotFixID      InstalledBy          InstalledOn\r\n' +
    '------        -----------      --------      -----------          -----------\r\n' +
    'SRV-FILE01    Security Update  KB4012212     NT AUTHORITY\\SYSTEM  3/15/2017 12:00:00 AM\r\n' +
    'SRV-FILE01    Update           KB4019264     ACME\\adm-jdoe        5/10/2017 12:00:00 AM\r\n\r\n\r\n';

  test('the dashes under the header are not a row', async () => {
    const { events, info } = await read(utf16(getHotFix), 'gethotfix-console.txt');
    expect(info!.format).toBe('console-table');
    expect(rejected(events)).toEqual([]);
    const recs = records(events);
    expect(recs.map((r) => [r.fields.hostname, r.fields.kb, r.fields.kb_installed_on, r.source.line])).toEqual([
      ['SRV-FILE01', 'KB4012212', '2017-03-15', 4],
      ['SRV-FILE01', 'KB4019264', '2017-05-10', 5],
    ]);
    expect(recs[0].columns['Description']).toBe('Security Update');
  });

  test('columns come from the dashes (labels with spaces); a machine name or KB cut short is rejected with its line', async () => {
    const { events } = await read(
      'Computer Name HotFixID   Installed On\n' +
        '------------- --------   ------------\n' +
        'PC-01         KB4012212  3/15/2017\n' +
        'NGH-SV-PAC... KB4012598  3/15/2017\n' +
        'PC-03         KB40122…   3/15/2017\n',
      'ft.txt',
    );
    expect(records(events).map((r) => [r.fields.hostname, r.fields.kb, r.columns['Installed On']])).toEqual([['PC-01', 'KB4012212', '3/15/2017']]);
    expect(rejected(events).map((r) => [r.line, r.reason.split(':')[0]])).toEqual([
      [4, 'hostname (column "Computer Name")'],
      [5, 'kb (column "HotFixID")'],
    ]);
  });

  test('a Format-Table of OS data is read; an OS name cut short is not used, with a warning', async () => {
    const { events, info } = await read(
      'CSName     Caption                                     Version\n' +
        '------     -------                                     -------\n' +
        'SRV-FILE01 Microsoft Windows Server 2008 R2 Enterprise 6.1.7601\n' +
        'SRV-FILE02 Microsoft Windows Server 2008 R...          6.1.7601\n',
      'os-ft.txt',
    );
    expect(info!.format).toBe('console-table');
    expect(records(events).map((r) => [r.fields.hostname, r.fields.os_name])).toEqual([
      ['SRV-FILE01', 'Microsoft Windows Server 2008 R2 Enterprise'],
      ['SRV-FILE02', ''],
    ]);
    expect(events.filter((e) => e.type === 'warning').map((e) => (e as { message: string }).message)).toEqual([expect.stringMatching(/os-ft\.txt: column "Caption" has values cut short/)]);
  });
});

describe('console captures of several machines', () => {
  const utf16 = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
  const warnings = (evs: InventoryEvent[]) => evs.filter((e) => e.type === 'warning').map((e) => (e as Extract<InventoryEvent, { type: 'warning' }>).message);
  const hostKb = (evs: InventoryEvent[]) => records(evs).map((r) => [r.fields.hostname, r.fields.kb, r.source.line]);
  const autosize = (host: string, kbs: string[]) => {
    const w = Math.max(host.length, 6);
    return `\r\n${'Source'.padEnd(w)} Description HotFixID\r\n${'------'.padEnd(w)} ----------- --------\r\n` +
      kbs.map((kb) => `${host.padEnd(w)} Update      ${kb}\r\n`).join('') + '\r\n\r\n';
  };

  test('wmic qfe list brief appended from several runs: rows naming no machine do not take the file name', async () => {
    const header = 'Description      FixComments  HotFixID   InstallDate  InstalledBy          InstalledOn  Name  ServicePackInEffect  Status\r\n';
    const row = (kb: string) => `Security Update               ${kb}               NT AUTHORITY\\SYSTEM  3/20/2017                                       \r\n`;
    const once = await read(header + row('KB4012212') + row('KB2506212'), 'WARD7-PC01.txt');
    expect(rejected(once.events)).toEqual([]);
    expect(hostKb(once.events)).toEqual([['WARD7-PC01', 'KB4012212', 2], ['WARD7-PC01', 'KB2506212', 3]]);
    // Two runs in one file: whose updates each table lists is not known, so none counts for the file's machine.
    const twice = await read(header + row('KB4012212') + '\r\n' + header + row('KB2506212'), 'WARD7-PC01.txt');
    expect(records(twice.events)).toEqual([]);
    expect(rejected(twice.events).map((r) => [r.line, r.reason])).toEqual([
      [2, expect.stringMatching(/^hostname: the file holds 2 tables under the same header and this row names no machine/)],
      [5, expect.stringMatching(/^hostname: the file holds 2 tables/)],
    ]);
  });

  test('each Format-Table -AutoSize of a loop gives its own columns', async () => {
    const text = autosize('WS01', ['KB4534310']) + autosize('WARD7-RADIOLOGY-01', ['KB4012215']) + autosize('WARD7-RADIOLOGY-02', ['KB4499175']);
    const { events } = await read(utf16(text), 'hotfixes.txt');
    expect(rejected(events)).toEqual([]);
    expect(hostKb(events)).toEqual([
      ['WS01', 'KB4534310', 4],
      ['WARD7-RADIOLOGY-01', 'KB4012215', 10],
      ['WARD7-RADIOLOGY-02', 'KB4499175', 16],
    ]);
  });

  test('text printed before or between the tables is no row, and is named', async () => {
    const text = 'PS C:\\> foreach ($c in $list) { "=== $c ==="; Get-HotFix -ComputerName $c | ft -AutoSize }\r\n=== WS01 ===\r\n\r\nWARNING: 1 columns do not fit into the display and were removed.\r\n' +
      autosize('WS01', ['KB4534310']) + '=== WS02 ===\r\n' + autosize('WS02', ['KB4012215']);
    const { events, info } = await read(utf16(text), 'hotfixes.txt');
    expect(info!.format).toBe('console-table');
    expect(rejected(events)).toEqual([]);
    expect(hostKb(events)).toEqual([['WS01', 'KB4534310', 8], ['WS02', 'KB4012215', 15]]);
    expect(warnings(events)).toEqual([expect.stringContaining('line(s) 1, 2, 4, 11 are not part of a console table')]);
  });

  test('a title line that reads like systeminfo does not hide the table under it', async () => {
    const text = 'Computer: WS01\r\n' + autosize('WS01', ['KB4534310']);
    const { events, info } = await read(text, 'hotfixes.txt');
    expect(info!.format).toBe('console-table');
    expect(hostKb(events)).toEqual([['WS01', 'KB4534310', 5]]);
  });

  const header =
    '\r\nSource        Description      HotFixID      InstalledBy          InstalledOn               PSComputerName\r\n' +
    '------        -----------      --------      -----------          -----------               --------------\r\n';
  test('a blank or cut Source takes the machine from PSComputerName (Invoke-Command), never the file name', async () => {
    const text = header +
      '              Update           KB4534310     NT AUTHORITY\\SYSTEM  1/14/2020 12:00:00 AM     WS01\r\n' +
      '              Update           KB4012215     NT AUTHORITY\\SYSTEM  3/15/2017 12:00:00 AM     WARD7-RADIOLOGY-01\r\n' +
      'WARD7-RADI... Update           KB4499175     NT AUTHORITY\\SYSTEM  5/14/2019 12:00:00 AM     WARD7-RADIOLOGY-02\r\n' +
      'WARD7-RADI... Update           KB4499175     NT AUTHORITY\\SYSTEM  5/14/2019 12:00:00 AM     10.1.2.3\r\n\r\n';
    const { events } = await read(utf16(text), 'hotfixes.txt');
    expect(hostKb(events)).toEqual([
      ['WS01', 'KB4534310', 4],
      ['WARD7-RADIOLOGY-01', 'KB4012215', 5],
      ['WARD7-RADIOLOGY-02', 'KB4499175', 6],
    ]);
    expect(rejected(events).map((r) => [r.line, r.reason])).toEqual([[7, expect.stringContaining('"WARD7-RADI..." was cut short')]]);
  });

  test('rows naming no machine in a file of several tables are rejected, not given the file name', async () => {
    const table = (kb: string) => '\r\nSource        Description      HotFixID\r\n------        -----------      --------\r\n' + `              Update           ${kb}\r\n\r\n`;
    const { events } = await read(utf16(table('KB4534310') + table('KB4012215')), 'all.txt');
    expect(records(events)).toEqual([]);
    expect(rejected(events).map((r) => [r.line, r.reason])).toEqual([
      [4, expect.stringContaining('file name cannot tell')],
      [9, expect.stringContaining('file name cannot tell')],
    ]);
    const one = await read(utf16(table('KB4534310')), 'WS01.txt');
    expect(hostKb(one.events)).toEqual([['WS01', 'KB4534310', 4]]);
  });

  test('a machine name wrapped onto the next line (Format-Table -Wrap) rejects the row', async () => {
    const text = '\r\nSource        Description      HotFixID      InstalledOn\r\n------        -----------      --------      -----------\r\n' +
      'WS01          Update           KB4534310     1/14/2020\r\n' +
      'WARD7-RADIOLO Update           KB4012215     3/15/2017\r\n' +
      'GY-01\r\n' +
      'WARD7-RADIOLO Security         KB4499175     5/14/2019\r\n' +
      'GY-02         Update\r\n\r\n';
    const { events } = await read(utf16(text), 'hotfixes.txt');
    expect(hostKb(events)).toEqual([['WS01', 'KB4534310', 4]]);
    expect(rejected(events).map((r) => [r.line, r.reason])).toEqual([
      [5, expect.stringContaining('continues on line 6')],
      [7, expect.stringContaining('continues on line 8')],
    ]);
  });

  test('a machine whose update cell is blank is a row of its own, not the rest of the row above', async () => {
    const text = '\r\nComputerName OSName                    HotFixID\r\n------------ ------                    --------\r\n' +
      'WS01         Windows 10 Enterprise     KB5034441\r\n' +
      'WS02         Windows 10 Enterprise\r\n' +
      'WS03         Windows 10 Enterprise     KB5034441\r\n\r\n';
    const { events } = await read(utf16(text), 'hotfixes.txt');
    expect(rejected(events)).toEqual([]);
    expect(hostKb(events)).toEqual([['WS01', 'KB5034441', 4], ['WS02', '', 5], ['WS03', 'KB5034441', 6]]);
    expect(records(events).map((r) => r.fields.os_name)).toEqual(['Windows 10 Enterprise', 'Windows 10 Enterprise', 'Windows 10 Enterprise']);
  });

  test('a KB number outside any table is rejected with its line', async () => {
    const text = autosize('WS01', ['KB4534310']) + 'WS02 Update KB4012215\r\n';
    const { events } = await read(utf16(text), 'hotfixes.txt');
    expect(hostKb(events)).toEqual([['WS01', 'KB4534310', 4]]);
    expect(rejected(events).map((r) => r.line)).toEqual([7]);
  });
});


describe('folders copied from Windows', () => {
  test('shell files (desktop.ini, Thumbs.db, Office lock files, .DS_Store) are left out of a folder, with a warning naming them', async () => {
    const folder = path.join(dir, 'copied');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'PC-01.csv'), 'Hostname,OS Name\nPC-01,Windows 7\n');
    writeFileSync(path.join(folder, 'desktop.ini'), '[.ShellClassInfo]\r\nIconResource=C:\\Windows\\System32\\imageres.dll,-3\r\n');
    writeFileSync(path.join(folder, 'Thumbs.db'), Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 1, 2]));
    writeFileSync(path.join(folder, '~$PC-01.csv'), Buffer.from([5, 0, 0x4a, 0x6f]));
    writeFileSync(path.join(folder, '.DS_Store'), Buffer.from([0, 0, 0, 1]));
    const listing = await listInputs([folder]);
    expect(listing.inputs.map((i) => path.basename(i.file))).toEqual(['PC-01.csv']);
    expect(listing.warnings).toEqual([`${folder}: skipped ".DS_Store", "Thumbs.db", "desktop.ini", "~$PC-01.csv" (files Windows, Office or macOS keep in folders, not inventory exports)`]);
    // Named on the command line, a shell file is read like any other (and fails like any other).
    const named = await listInputs([path.join(folder, 'desktop.ini')]);
    expect(named).toEqual({ inputs: [{ file: path.join(folder, 'desktop.ini'), regular: true }], warnings: [] });
    expect(isShellFile('Desktop.INI') && isShellFile('ehthumbs_vista.db') && !isShellFile('thumbs.db.csv') && !isShellFile('desktop.csv')).toBe(true);
  });

  test('a folder of shell files only has no inventory files, and says what it skipped', async () => {
    const folder = path.join(dir, 'only-shell');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'desktop.ini'), '[.ShellClassInfo]\r\n');
    await expect(listInputs([folder])).rejects.toThrow(/folder contains no inventory files; skipped "desktop\.ini"/);
  });
});

describe('day/month order decided by the first rows', () => {
  const head = 'Computer Name,OS Name,OS Version,Installed KBs,Last Patched\r\n';
  const row = (name: string, date: string) => `${name},Microsoft Windows 10 Enterprise,10.0.19045.6456,KB5066791,${date}\r\n`;

  test('a date past the sample that only reads day first rejects its row, naming file, line and field', async () => {
    // More rows than the order is sampled from, all ambiguous: read month first (and warned).
    const many = Array.from({ length: 6000 }, (_, i) => row(`PC-${i}`, '03/04/2026')).join('');
    const { events } = await read(head + many + row('PC-LATE', '25/04/2026'), 'late-order.csv');
    const bad = rejected(events);
    expect(bad).toHaveLength(1);
    expect(bad[0].line).toBe(6002);
    expect(bad[0].reason).toMatch(/^last_patch_date \(column "Last Patched"\): date "25\/04\/2026" is day\/month\/year, but the file's first rows were read as month\/day\/year.*--date-order/);
    expect(records(events)).toHaveLength(6000);
  });

  test('when the first rows had no numeric dates, the message says the order was not shown, not that they were misread', async () => {
    const many = Array.from({ length: 6000 }, (_, i) => row(`PC-${i}`, '2026-04-03')).join('');
    const { events } = await read(head + many + row('PC-MID', '03/04/2026') + row('PC-LATE', '25/04/2026'), 'late-order-none.csv');
    const bad = rejected(events);
    expect(bad).toHaveLength(1);
    expect(bad[0].line).toBe(6003);
    expect(bad[0].reason).toMatch(/is day\/month\/year, but earlier dates were read as month\/day\/year \(the file's first rows had none to show the order\), so their dates may be wrong: set the order with --date-order$/);
  });

  test('with --date-order the value is read as given', async () => {
    const many = Array.from({ length: 6000 }, (_, i) => row(`PC-${i}`, '03/04/2026')).join('');
    const { events } = await read(head + many + row('PC-LATE', '25/04/2026'), 'late-order-dmy.csv', { dateOrder: 'dmy' });
    expect(rejected(events)).toHaveLength(0);
    const recs = records(events);
    expect(recs[0].fields.last_patch_date).toBe('2026-04-03');
    expect(recs[recs.length - 1].fields.last_patch_date).toBe('2026-04-25');
  });

  test('first rows that already disagree are warned about, not rejected row by row', async () => {
    const { events } = await read(head + row('A', '25/04/2026') + row('B', '04/25/2026'), 'mixed-order.csv');
    expect(rejected(events)).toHaveLength(0);
  });
});

describe('WMIC list output (wmic qfe list full, /format:list)', () => {
  const utf16 = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
  const warnings = (evs: InventoryEvent[]) => evs.filter((e) => e.type === 'warning').map((e) => (e as Extract<InventoryEvent, { type: 'warning' }>).message);
  const qfe = (host: string | null, kb: string, on: string) =>
    [`Caption=http://support.microsoft.com/?kbid=${kb.slice(2)}`, ...(host ? [`CSName=${host}`] : []), 'Description=Security Update', 'FixComments=', `HotFixID=${kb}`, 'InstallDate=', 'InstalledBy=NT AUTHORITY\\SYSTEM', `InstalledOn=${on}`, 'Name=', 'ServicePackInEffect=', 'Status='].join('\r\n');
  const os = ['BuildNumber=7601', 'Caption=Microsoft Windows 7 Enterprise ', 'CSDVersion=Service Pack 1', 'CSName=WMH-W7-RAD02', 'Name=Microsoft Windows 7 Enterprise |C:\\Windows|\\Device\\Harddisk0\\Partition2', 'OSArchitecture=64-bit', 'Status=OK', 'Version=6.1.7601'].join('\r\n');
  // As WMIC writes to a file: two blank lines before the first instance and between instances.
  const listed = (...instances: string[]) => '\r\n\r\n' + instances.join('\r\n\r\n\r\n') + '\r\n\r\n\r\n';

  test('wmic qfe list full: one row per instance, the machine from CSName, the support URL not an OS', async () => {
    const { events, info } = await read(utf16(listed(qfe('WARD7-PC01', 'KB4012212', '3/15/2017'), qfe('WARD7-PC01', 'KB4499175', '5/16/2019'))), 'WARD7-PC01_qfe.txt');
    expect(info!.format).toBe('wmic-list');
    expect(rejected(events)).toEqual([]);
    const recs = records(events);
    expect(recs.map((r) => [r.fields.hostname, r.fields.kb, r.fields.kb_installed_on, r.source.line])).toEqual([
      ['WARD7-PC01', 'KB4012212', '2017-03-15', 3],
      ['WARD7-PC01', 'KB4499175', '2019-05-16', 16],
    ]);
    expect(recs[0].fields.os_name).toBeUndefined();
    expect(recs[0].columns.Caption).toBe('http://support.microsoft.com/?kbid=4012212');
  });

  test('Win32_OperatingSystem beside the updates: the OS from Caption and Version, the machine from CSName, never from Name', async () => {
    const { events } = await read(utf16(listed(os, qfe(null, 'KB4012212', '3/15/2017'))), 'capture.txt');
    const recs = records(events);
    expect(recs).toHaveLength(2);
    expect(recs[0].fields).toMatchObject({ hostname: 'WMH-W7-RAD02', os_name: 'Microsoft Windows 7 Enterprise', os_version: '6.1.7601', service_pack: 'Service Pack 1' });
    // The update instance names no machine: it is the one machine the file names.
    expect(recs[1].fields).toMatchObject({ hostname: 'WMH-W7-RAD02', kb: 'KB4012212' });
    // Name ("caption|folder|partition") is no machine, even when CSName is missing.
    const noCsName = await read(listed(os.replace('CSName=WMH-W7-RAD02\r\n', '')), 'WMH-W7-RAD03.txt');
    expect(records(noCsName.events)[0].fields.hostname).toBe('WMH-W7-RAD03');
  });

  test('CR CR LF (WMIC through a pipe) reads as plain line ends; a repeated key starts a new instance', async () => {
    const text = listed(qfe('HRI-SV-FS1', 'KB4012213', '3/14/2017'), qfe('HRI-SV-FS1', 'KB4012216', '3/20/2017')).replace(/\r\n/g, '\r\r\n');
    const { events } = await read(text, 'HRI-SV-FS1.txt');
    expect(rejected(events)).toEqual([]);
    expect(records(events).map((r) => [r.fields.kb, r.source.line])).toEqual([['KB4012213', 3], ['KB4012216', 16]]);
    // No blank line between instances at all: the second Caption= starts the second one.
    const joined = await read(qfe('HRI-SV-FS1', 'KB4012213', '3/14/2017') + '\r\n' + qfe('HRI-SV-FS1', 'KB4012216', '3/20/2017') + '\r\n', 'HRI-SV-FS1.txt');
    expect(records(joined.events).map((r) => r.fields.kb)).toEqual(['KB4012213', 'KB4012216']);
  });

  test('wmic /node of several machines: each instance keeps its own machine; entries naming none are rejected', async () => {
    const both = await read(utf16(listed(qfe('KMU-W10-0101', 'KB5034441', '1/9/2024'), qfe('KMU-W10-0102', 'KB5034763', '2/13/2024'))), 'maternity_qfe.txt');
    expect(records(both.events).map((r) => [r.fields.hostname, r.fields.kb])).toEqual([['KMU-W10-0101', 'KB5034441'], ['KMU-W10-0102', 'KB5034763']]);
    const mixed = await read(listed(qfe('KMU-W10-0101', 'KB5034441', '1/9/2024'), qfe('KMU-W10-0102', 'KB5034763', '2/13/2024'), 'HotFixID=KB5035845\r\nInstalledOn=3/12/2024'), 'maternity_qfe.txt');
    expect(records(mixed.events)).toHaveLength(2);
    expect(rejected(mixed.events)).toEqual([{ file: expect.any(String), line: 29, reason: expect.stringMatching(/^hostname: this entry names no machine and the file's other entries name 2 machines/) }]);
  });

  test('entries naming no machine take the file name; a prompt line is named, a stray KB line rejected', async () => {
    const text = 'C:\\Users\\admin>wmic qfe get HotFixID,InstalledOn /format:list\r\n' + listed('HotFixID=KB4012212\r\nInstalledOn=3/15/2017', 'HotFixID=KB4499175\r\nInstalledOn=5/16/2019') + 'KB4012215 was also installed\r\n';
    const { events, info } = await read(text, 'NGH-W7-0311_qfe.txt');
    expect(info!.format).toBe('wmic-list');
    expect(records(events).map((r) => [r.fields.hostname, r.fields.kb])).toEqual([['NGH-W7-0311', 'KB4012212'], ['NGH-W7-0311', 'KB4499175']]);
    expect(rejected(events).map((r) => r.line)).toEqual([12]);
    expect(warnings(events)).toEqual([expect.stringMatching(/line\(s\) 1 are not Key=Value lines of WMIC list output and were not read \(first: "C:\\\\Users\\\\admin>wmic qfe/)]);
  });

  test('not WMIC list output: a CSV, an INI-like file without machine, update or OS keys', async () => {
    const csv = await read('Hostname,OS Name,Installed KBs\nPC-01,Windows 10 Pro,KB5034441\n');
    expect(csv.info!.format).toBe('csv');
    await expect(read('[general]\r\ncolour=blue\r\nsize=3\r\nshape=round\r\n', 'settings.txt')).rejects.toThrow(InventoryError);
  });
});

describe('PowerShell Format-List output (Get-ComputerInfo > file.txt, Format-List *)', () => {
  const utf16 = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
  const fl = (...objects: [string, string][][]) =>
    '\r\n\r\n' + objects.map((o) => {
      const w = Math.max(...o.map(([k]) => k.length));
      return o.map(([k, v]) => `${k.padEnd(w)} : ${v}`).join('\r\n') + '\r\n';
    }).join('\r\n') + '\r\n\r\n';
  const os: [string, string][] = [
    ['Status', 'OK'], ['Name', 'Microsoft Windows Server 2016 Standard|C:\\Windows|\\Device\\Harddisk0\\Partition2'], ['Caption', 'Microsoft Windows Server 2016 Standard'],
    ['CSName', 'SAH-SV-2016-APP'], ['OSType', '18'], ['Version', '10.0.14393'], ['BuildNumber', '14393'], ['ProductType', '3'], ['ServicePackMajorVersion', '0'],
  ];

  test('an object is a row, its keys mapped as a header is: CSName the machine, not Name; ProductType, not OSType', async () => {
    const { events, info } = await read(utf16(fl(os)), 'capture.txt');
    expect(info!.format).toBe('format-list');
    expect(rejected(events)).toEqual([]);
    const recs = records(events);
    expect(recs).toHaveLength(1);
    expect(recs[0].source.line).toBe(3);
    expect(recs[0].fields).toMatchObject({ hostname: 'SAH-SV-2016-APP', os_name: 'Microsoft Windows Server 2016 Standard', os_version: '10.0.14393', product_type: '3' });
  });

  test('Get-ComputerInfo: the machine is CsName, deep in the object; a value wrapped onto indented lines is joined', async () => {
    const info: [string, string][] = [
      ['WindowsBuildLabEx', '19041.1.amd64fre.vb_release.191206-1406'], ['WindowsProductName', 'Windows 10 Enterprise'], ['WindowsVersion', '2009'],
      ['BiosCharacteristics', '{7, 11, 12, 15...}'], ['CsDNSHostName', 'NGH-W10-0233'], ['CsName', 'NGH-W10-0233'], ['OsName', 'Microsoft Windows 10 Enterprise'],
      ['OsVersion', '10.0.19045'], ['OsBuildNumber', '19045'], ['OsHotFixes', '{KB5031988, KB5011048,'], ['OsProductType', 'WorkStation'],
    ];
    const text = fl(info).replace('KB5011048,\r\n', 'KB5011048,\r\n                             KB5015684, KB5033372...}\r\n');
    const { events } = await read(utf16(text), 'NGH-W10-0233_computerinfo.txt');
    const recs = records(events);
    expect(recs).toHaveLength(1);
    expect(recs[0].fields).toMatchObject({ hostname: 'NGH-W10-0233', os_name: 'Microsoft Windows 10 Enterprise', os_version: '10.0.19045', kb_list: '{KB5031988, KB5011048, KB5015684, KB5033372...}' });
  });

  test('Get-HotFix | Format-List after the OS: each object a row of its machine', async () => {
    const hotfix = (kb: string): [string, string][] => [['Source', 'SAH-SV-2016-APP'], ['Description', 'Security Update'], ['HotFixID', kb], ['InstalledBy', 'NT AUTHORITY\\SYSTEM'], ['InstalledOn', '14/03/2017 00:00:00']];
    const { events } = await read(utf16(fl(os, hotfix('KB4013429'), hotfix('KB4019472'))), 'SAH-SV-2016-APP.txt', { dateOrder: 'dmy' });
    expect(records(events).map((r) => [r.fields.hostname, r.fields.kb ?? null, r.fields.kb_installed_on ?? null, r.source.line])).toEqual([
      ['SAH-SV-2016-APP', null, null, 3],
      ['SAH-SV-2016-APP', 'KB4013429', '2017-03-14', 13],
      ['SAH-SV-2016-APP', 'KB4019472', '2017-03-14', 19],
    ]);
  });

  test('systeminfo output is not Format-List: its colons follow the labels, unaligned', async () => {
    const si = 'Host Name:                 WS01\r\nOS Name:                   Microsoft Windows 10 Pro\r\nOS Version:                10.0.19045 N/A Build 19045\r\nOS Manufacturer:           Microsoft Corporation\r\n';
    const { info } = await read(si, 'WS01.txt');
    expect(info!.format).toBe('systeminfo-list');
  });
});

describe('hand-edited and appended CSV (quotes left open, headers again, Excel text marks)', () => {
  // A sheet kept by hand in Notepad or Excel: a note typed with an opening quote only.
  const head = 'Computer Name,Operating System,OS Version,Installed KBs,Notes\r\n';
  const row = (n: number, kbs: string, note = '') => `WKS-FIN-00${n},Microsoft Windows 7 Professional,6.1.7601,${kbs},${note}\r\n`;

  test('a quote left open to the end of the file is an error naming its line, also after an earlier row went to the lenient reader', async () => {
    // Before: the stray quote of row 2 sent the rest to csv-parse, whose "quote not closed" error was lost:
    // rows 3 to 5 vanished and the audit went on.
    const text = head + row(1, 'KB4012212', 'monitor "Dell P2419H"') + row(2, 'KB3125574', '"Awaiting vendor sign-off') + row(3, 'KB4012212') + row(4, 'KB4499175');
    await expect(read(text, 'open-quote-end.csv')).rejects.toThrow(/open-quote-end\.csv:3: unterminated quoted field \(column "Notes"\): a quote opened there is never closed/);
  });

  test('a quote left open that a later cell closes: the rows it swallowed reject the record, naming its lines and column', async () => {
    // Row 2's note opens a quote; row 4's note ends with an inch mark, which closes it. Before: one record,
    // WKS-FIN-003 and WKS-FIN-004 lost without a word.
    const text = head + row(1, '"KB4012212, KB4499164"') + row(2, 'KB3125574', '"Awaiting vendor sign-off') + row(3, 'KB3125574') + row(4, 'KB3125574', 'Dell P2419H 24"') + row(5, 'KB4012212');
    const { events } = await read(text, 'open-quote-note.csv');
    expect(records(events).map((r) => [r.fields.hostname, r.source.line])).toEqual([
      ['WKS-FIN-001', 2],
      ['WKS-FIN-005', 6],
    ]);
    expect(rejected(events)).toEqual([
      {
        file: expect.stringMatching(/open-quote-note\.csv$/),
        line: 3,
        reason: expect.stringMatching(/^lines 3-5 read as one row: a quoted cell \(column "Notes"\) runs over 3 lines and holds what look like rows of their own \("WKS-FIN-003,Microsoft Windows 7 Professi…"\); a quote left open\? Close it, or double the quotes inside the cell \(""\)$/),
      },
    ]);
  });

  test('a quote left open in the update list: the swallowed rows\' updates are not credited to the machine (both readers)', async () => {
    const kbLast = 'Computer Name,Operating System,OS Version,Installed KBs\r\n';
    const r = (n: number, kbs: string) => `WKS-FIN-00${n},Microsoft Windows 7 Professional,6.1.7601,${kbs}\r\n`;
    const swallow = r(2, '"KB3125574, KB2999226') + r(3, 'KB4012212') + r(4, 'KB4499175"') + r(5, 'KB4012212');
    for (const [name, first] of [
      ['fast.csv', r(1, 'KB4012212')],
      // A quote inside an unquoted cell first: the rest is read by csv-parse.
      ['lenient.csv', 'WKS-FIN-001,Microsoft Windows 7 "Pro",6.1.7601,KB4012212\r\n'],
    ]) {
      const { events } = await read(kbLast + first + swallow, name);
      expect(records(events).map((x) => x.fields.hostname)).toEqual(['WKS-FIN-001', 'WKS-FIN-005']);
      expect(rejected(events).map((x) => [x.line, x.reason.slice(0, 70)])).toEqual([[3, 'lines 3-5 read as one row: a quoted cell (column "Installed KBs") runs']]);
    }
  });

  test('multi-line cells that hold no rows are read as before: update lists one a line, notes with commas', async () => {
    // Tanium "Installed Hotfixes": one update a line; a note of a few lines.
    const text =
      'Computer Name,Operating System,Installed Hotfixes,Notes\r\n' +
      'srv-app-01.corp.example,Microsoft Windows Server 2012 R2 Standard,"KB4012213\nKB4499165\nKB5009595","Rebooted 12/11, ok\nowner: J. Smith, ext 4471"\r\n' +
      'srv-app-02.corp.example,Microsoft Windows Server 2012 R2 Standard,"KB4012213, KB4012216,\nKB4499165, KB5009595",\r\n';
    const { events } = await read(text, 'tanium.csv');
    expect(rejected(events)).toEqual([]);
    expect(records(events).map((r) => [r.fields.hostname, r.source.line])).toEqual([
      ['srv-app-01.corp.example', 2],
      ['srv-app-02.corp.example', 6],
    ]);
  });

  test('a ragged record spanning lines says so', async () => {
    const text = 'Computer Name,Operating System,OS Version\r\nWKS-01,"Microsoft Windows 7 Professional,6.1.7601\r\nWKS-02,Microsoft Windows 7 Professional,6.1.7601\r\nWKS-03,Windows 7"\r\n';
    const { events } = await read(text, 'ragged-span.csv');
    expect(rejected(events)[0]).toMatchObject({ line: 2 });
    expect(rejected(events)[0].reason).toMatch(/^(?:expected 3 fields, found 2 \(a quoted cell runs over lines 2-4: a quote left open\?\)|lines 2-4 read as one row)/);
  });

  test('a header of the same width in another order (exports appended) switches the columns', async () => {
    // Two custom SQL reports appended with `type a.csv b.csv`, the second with its columns in another order.
    const text =
      'Computer Name,Operating System,OS Version,Installed Updates,Missing Updates\r\n' +
      'WKS-FIN-001,Microsoft Windows 7 Professional,6.1.7601,"KB4012212, KB4499164",\r\n' +
      '\uFEFFComputer Name,Operating System,OS Version,Missing Updates,Installed Updates\r\n' +
      'WKS-FIN-002,Microsoft Windows 7 Professional,6.1.7601,"KB4012212, KB4499164",KB3125574\r\n' +
      'Computer Name,OS Version,Operating System,Installed Updates,Missing Updates\r\n' +
      'WKS-FIN-003,6.1.7601,Microsoft Windows 7 Professional,KB3125574,KB4012212\r\n';
    const { events } = await read(text, 'appended.csv');
    expect(rejected(events)).toEqual([]);
    expect(records(events).map((r) => [r.fields.hostname, r.fields.os_name, r.fields.kb_list, r.source.line])).toEqual([
      ['WKS-FIN-001', 'Microsoft Windows 7 Professional', 'KB4012212, KB4499164', 2],
      ['WKS-FIN-002', 'Microsoft Windows 7 Professional', 'KB3125574', 4],
      ['WKS-FIN-003', 'Microsoft Windows 7 Professional', 'KB3125574', 6],
    ]);
  });

  test('a machine named like a column (SERVER) is still a machine', async () => {
    const { events } = await read('Computer Name,Operating System,OS Version\r\nSERVER,Microsoft Windows Server 2008 R2 Standard,6.1.7601\r\nHOST,Microsoft Windows 7 Professional,6.1.7601\r\n', 'names.csv');
    expect(records(events).map((r) => r.fields.hostname)).toEqual(['SERVER', 'HOST']);
  });

  test('Excel text marks (="…", a leading apostrophe) are not part of the values', async () => {
    const text =
      'Computer Name,Operating System,OS Version,HotFixID,Installed On\r\n' +
      '="WKS-0042",Microsoft Windows 10 Enterprise,="10.0.19045.5131",="KB5046613",\'2024-11-12\r\n' +
      '"=""WKS-0043""",Microsoft Windows 10 Enterprise,\'10.0.19045.2006,KB5016616,2022-08-09\r\n' +
      "'',Microsoft Windows 10 Enterprise,=A1,KB5016616,2022-08-09\r\n";
    const { events } = await read(text, 'excel-text.csv');
    expect(records(events).map((r) => [r.fields.hostname, r.fields.os_version, r.fields.kb, r.fields.kb_installed_on])).toEqual([
      ['WKS-0042', '10.0.19045.5131', 'KB5046613', '2024-11-12'],
      ['WKS-0043', '10.0.19045.2006', 'KB5016616', '2022-08-09'],
      ["''", '=A1', 'KB5016616', '2022-08-09'],
    ]);
    // The columns keep what the file holds.
    expect(records(events)[0].columns['Computer Name']).toBe('="WKS-0042"');
  });

  test('a KB number Excel wrote in scientific notation rejects its row, naming the column', async () => {
    // A Configuration Manager report (ArticleID: the KB number without its prefix) opened and saved in
    // Excel, the ArticleID column too narrow for seven digits.
    const text =
      'Netbios_Name0,Caption0,CSDVersion0,ArticleID,InstalledOn0\r\n' +
      'PC-FIN-0012,Microsoft Windows 7 Enterprise,Service Pack 1,4012212,15/03/2017\r\n' +
      'PC-FIN-0012,Microsoft Windows 7 Enterprise,Service Pack 1,4.5E+06,14/05/2019\r\n' +
      'PC-FIN-0013,Microsoft Windows 7 Enterprise,Service Pack 1,4.01E+06,15/03/2017\r\n';
    const { events } = await read(text, 'sccm-excel.csv');
    expect(records(events).map((r) => [r.fields.hostname, r.fields.kb])).toEqual([['PC-FIN-0012', '4012212']]);
    expect(rejected(events).map((r) => [r.line, r.reason])).toEqual([
      [3, 'kb (column "ArticleID"): "4.5E+06" is a number Excel wrote in scientific notation, its KB number\'s digits lost; format the column as text (or widen it) and save the file again'],
      [4, 'kb (column "ArticleID"): "4.01E+06" is a number Excel wrote in scientific notation, its KB number\'s digits lost; format the column as text (or widen it) and save the file again'],
    ]);
    // A German Excel (decimal comma, semicolons) and a list column holding one such number.
    const de = await read('Computername;Betriebssystem;Installierte Updates\r\nPC-BUCH-01;Microsoft Windows 7 Professional;4,01E+06\r\nPC-BUCH-02;Microsoft Windows 7 Professional;KB4012212, KB4499164\r\n', 'de-excel.csv');
    expect(rejected(de.events).map((r) => [r.line, r.reason])).toEqual([[2, expect.stringMatching(/^kb_list \(column "Installierte Updates"\): "4,01E\+06" is a number Excel wrote in scientific notation/)]]);
    expect(records(de.events).map((r) => r.fields.hostname)).toEqual(['PC-BUCH-02']);
  });

  test('a cell over --max-field-size rejects its row naming the column', async () => {
    const notes = 'Rebooted after KB4012212; '.repeat(40);
    const { events } = await read(`Computer Name,Operating System,Notes\r\nWKS-01,Microsoft Windows 7 Professional,"${notes}"\r\nWKS-02,Microsoft Windows 7 Professional,ok\r\n`, 'long-note.csv', { limits: { maxFieldSize: 500, maxColumns: 100, maxFileBytes: 0 } });
    expect(rejected(events).map((r) => [r.line, r.reason])).toEqual([[2, `field 3 (column "Notes") is ${notes.length} characters, over the limit of 500 (--max-field-size)`]]);
    expect(records(events).map((r) => r.fields.hostname)).toEqual(['WKS-02']);
  });

  test('sqlcmd -s ",": the rule of dashes under the header is no row; "(N rows affected)" is a footer, rejected as such', async () => {
    // SELECT s.Netbios_Name0, os.Caption0, os.CSDVersion0, q.HotFixID0 … run with sqlcmd -s "," -o file.
    const text =
      'Netbios_Name0   ,Caption0                        ,CSDVersion0   ,HotFixID0\r\n' +
      '----------------,--------------------------------,--------------,---------\r\n' +
      'PC-FIN-0012     ,Microsoft Windows 7 Enterprise  ,Service Pack 1,KB4012212\r\n' +
      'PC-FIN-0013     ,Microsoft Windows 7 Enterprise  ,Service Pack 1,KB3125574\r\n' +
      '\r\n' +
      '(2 rows affected)\r\n';
    const { events } = await read(text, 'sqlcmd.csv');
    expect(records(events).map((r) => [r.fields.hostname, r.fields.kb, r.source.line])).toEqual([
      ['PC-FIN-0012', 'KB4012212', 3],
      ['PC-FIN-0013', 'KB3125574', 4],
    ]);
    expect(rejected(events).map((r) => [r.line, r.reason])).toEqual([[6, 'a footer line ("(2 rows affected)"), not a machine']]);
  });

  test('the rows sampled to settle the columns are records: a cell over lines is one cell, a rule of dashes no row', () => {
    const text =
      'Computer Name,Operating System,Installed Hotfixes\r\n' +
      '-------------,----------------,------------------\r\n' +
      'srv-app-01,Microsoft Windows Server 2012 R2 Standard,"KB4012213\nKB4499165"\r\n' +
      'srv-app-02,"Microsoft Windows Server 2012 R2 Standard",KB4012213\r\n' +
      'srv-app-03,Microsoft Windows "Server" 2012 R2,KB4012213\r\n' +
      'srv-app-04,Microsoft Windows Server 2012 R2 Standard,KB4012213';
    expect(sampleRecords(text, 1, ',')).toEqual([
      ['srv-app-01', 'Microsoft Windows Server 2012 R2 Standard', 'KB4012213\nKB4499165'],
      ['srv-app-02', 'Microsoft Windows Server 2012 R2 Standard', 'KB4012213'],
      // From a row the fast tokenizer cannot read, by lines as before.
      ['srv-app-03', 'Microsoft Windows "Server" 2012 R2', 'KB4012213'],
      ['srv-app-04', 'Microsoft Windows Server 2012 R2 Standard', 'KB4012213'],
    ]);
  });

  test('NUL characters (a stretch of the file zeroed) are named in a warning, by line in the sampled start, by byte past it', async () => {
    const head = 'Computer Name,Operating System,OS Version\r\n';
    const small = await read(Buffer.concat([Buffer.from(head + 'WKS-00001,Microsoft Windows 10 Enterprise,10.0.19045.5131\r\n'), Buffer.alloc(8), Buffer.from('WKS-00002,Microsoft Windows 10 Enterprise,10.0.19045.5131\r\n')]), 'nul-small.csv');
    expect(small.events.filter((e) => e.type === 'warning').map((e) => (e as { message: string }).message)).toEqual([expect.stringMatching(/nul-small\.csv: NUL characters at line 3: part of the file may be blanked/)]);
    const lines = [head.trimEnd()];
    for (let i = 0; i < 9000; i++) lines.push(`WKS-${String(i).padStart(5, '0')},Microsoft Windows 10 Enterprise,10.0.19045.5131`);
    const big = Buffer.from(lines.join('\r\n') + '\r\n');
    big.fill(0, 300_000, 304_096);
    const { events } = await read(big, 'nul-big.csv');
    expect(events.filter((e) => e.type === 'warning').map((e) => (e as { message: string }).message)).toEqual([expect.stringMatching(/nul-big\.csv: NUL characters at or after byte \d+: part of the file may be blanked/)]);
  });

  test('a header whose titles wrap onto several lines (Alt+Enter in Excel) is one header', async () => {
    const text = 'Computer Name,Operating System,"OS\nVersion","Installed\nUpdates",Notes\r\nWKS-01,Microsoft Windows 7 Professional,6.1.7601,"KB4012212, KB4499164",\r\nWKS-02,Microsoft Windows 7 Professional,6.1.7601,KB4499164,\r\n';
    const { events, info } = await read(text, 'wrapped-header.csv');
    expect(info!.layout!.headerLine).toBe(1);
    expect(info!.layout!.headerEnd).toBe(3);
    expect(rejected(events)).toEqual([]);
    expect(records(events).map((r) => [r.fields.hostname, r.fields.os_version, r.fields.kb_list, r.source.line])).toEqual([
      ['WKS-01', '6.1.7601', 'KB4012212, KB4499164', 4],
      ['WKS-02', '6.1.7601', 'KB4499164', 5],
    ]);
  });

  test('bytes past the sampled start that are not UTF-8 are named in a warning', async () => {
    const lines = ['Computer Name,Operating System,OS Version,Site'];
    for (let i = 0; i < 6000; i++) lines.push(`WKS-${String(i).padStart(5, '0')},Microsoft Windows 10 Enterprise,10.0.19045.5131,Head Office London`);
    const ascii = Buffer.from(lines.join('\r\n') + '\r\n');
    const tail = iconv.encode('PC-RÉCEPTION-01,Microsoft Windows 10 Enterprise,10.0.19045.5131,Café\r\n', 'windows-1252');
    const { events } = await read(Buffer.concat([ascii, tail]), 'late-1252.csv');
    const warnings = events.filter((e) => e.type === 'warning').map((e) => (e as { message: string }).message);
    expect(warnings).toEqual([expect.stringMatching(/late-1252\.csv: some bytes at or after byte \d+ are not UTF-8 \(the encoding was chosen from the first 256 KB: ASCII\).*--encoding/)]);
    // Mostly UTF-8 with a row or two pasted from a Windows-1252 file: read as UTF-8, and said so.
    const mixed = await read(Buffer.concat([Buffer.from('Computer Name,Operating System,Site\r\nPC-MÜNCHEN-01,Microsoft Windows 10 Enterprise,München\r\n'), iconv.encode('PC-KÖLN-01,Microsoft Windows 10 Enterprise,Köln\r\n', 'windows-1252')]), 'mixed.csv');
    expect(mixed.events.filter((e) => e.type === 'warning').map((e) => (e as { message: string }).message)).toEqual([expect.stringMatching(/mixed\.csv: some bytes are not UTF-8 \(UTF-8 with 2 invalid bytes\); they are read as U\+FFFD/)]);
    // A file holding U+FFFD itself (as UTF-8) is no decoding error.
    const own = await read(Buffer.concat([ascii, Buffer.from('PC-\uFFFD-01,Microsoft Windows 10 Enterprise,10.0.19045.5131,x\r\n')]), 'own-fffd.csv');
    expect(own.events.filter((e) => e.type === 'warning')).toEqual([]);
  });

  test('a worker decoding a block rejects a record whose quoted cell swallowed rows', () => {
    const headers = ['Computer Name', 'Operating System', 'OS Version', 'Installed KBs'];
    const setup = structuredClone({ file: 'x.csv', headers, order: 'mdy' as const, map: {}, maxFieldSize: 1000, delimiter: ';' });
    const decoder = new RecordDecoder(setup);
    const ev = decoder.decode(['WKS-01', 'Microsoft Windows 7 Professional', '6.1.7601', 'KB3125574\r\nWKS-02;Microsoft Windows 7 Professional;6.1.7601;KB4012212'], 7, 8);
    expect(ev).toMatchObject({ type: 'rejected', rejected: { line: 7, reason: expect.stringMatching(/^lines 7-8 read as one row/) } });
    // The same cells on one line, or a list of updates over lines, are a record.
    expect(decoder.decode(['WKS-01', 'Microsoft Windows 7 Professional', '6.1.7601', 'KB3125574;\nKB4012212;KB4499164;KB4499175'], 9, 10)?.type).toBe('record');
  });
});
