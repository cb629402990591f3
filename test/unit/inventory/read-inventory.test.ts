import iconv from 'iconv-lite';
import { Readable } from 'node:stream';
import { readInventorySource, type InventoryFileInfo } from '../../../src/inventory/read-inventory.js';
import type { InventoryEvent } from '../../../src/inventory/read-csv.js';
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
