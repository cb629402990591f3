/**
 * systeminfo output in a display language whose labels are not listed is read by systeminfo's field order
 * (1st host name, 2nd OS name, 3rd OS version, the list of KB numbers as the hotfix list), only as far as
 * the values check out: otherwise the host is a rejected row naming its line. Output whose labels are
 * listed is read as before, and anything without systeminfo's shape is refused as before.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { HostBuilder } from '../../../src/inventory/hosts.js';
import { RecordDecoder, type InventoryEvent } from '../../../src/inventory/read-csv.js';
import { readInventorySource, type InventoryFileInfo } from '../../../src/inventory/read-inventory.js';
import { looksLikeSysteminfoList, looksLikeSysteminfoShape, readByFieldOrder, systeminfoListEvents, systeminfoListEventsByLines } from '../../../src/inventory/read-text-formats.js';
import { NOTE_CSV_BY_ORDER, NOTE_KBS_BY_ORDER, NOTE_OS_BY_ORDER, NOTE_READ_BY_ORDER, orderValuesProblem } from '../../../src/inventory/systeminfo-order.js';
import type { InventoryRecord } from '../../../src/inventory/types.js';
import { fixture } from '../../helpers/cli.js';
import { tempDir, writeTemp } from '../../helpers/tmp.js';

const dir = tempDir();

/** Labels of a language no alias lists (invented), in systeminfo's order. */
const XX = ['Gastiga nomo', 'Nomo de OS', 'Versio de OS', 'Fabrikinto de OS', 'Agordo de OS', 'Konstrua speco de OS', 'Registrita posedanto', 'Registrita organizo', 'Produkta identigilo', 'Originala instaldato', 'Ekfunkcia tempo', 'Fabrikinto de sistemo', 'Modelo de sistemo', 'Speco de sistemo', 'Procesoro(j)', 'Versio de BIOS', 'Dosierujo de Windows', 'Sistema dosierujo', 'Ekfunkcia aparato', 'Sistema lokajxaro', 'Eniga lokajxaro', 'Horzono', 'Tuta fizika memoro', 'Disponebla fizika memoro', 'Virtuala memoro: maksimuma grando', 'Virtuala memoro: disponebla', 'Virtuala memoro: uzata', 'Loko(j) de pagxodosiero', 'Domajno', 'Ensaluta servilo', 'Korektajxo(j)', 'Retkarto(j)'];

/** systeminfo's English labels, in its order. */
const ENGLISH = ['Host Name', 'OS Name', 'OS Version', 'OS Manufacturer', 'OS Configuration', 'OS Build Type', 'Registered Owner', 'Registered Organization', 'Product ID', 'Original Install Date', 'System Boot Time', 'System Manufacturer', 'System Model', 'System Type', 'Processor(s)', 'BIOS Version', 'Windows Directory', 'System Directory', 'Boot Device', 'System Locale', 'Input Locale', 'Time Zone', 'Total Physical Memory', 'Available Physical Memory', 'Virtual Memory: Max Size', 'Virtual Memory: Available', 'Virtual Memory: In Use', 'Page File Location(s)', 'Domain', 'Logon Server', 'Hotfix(s)', 'Network Card(s)'];

interface Host {
  name?: string;
  osName?: string;
  osVersion?: string;
  kbs?: string[];
  labels?: string[];
  /** 0-based fields left out (a file cut by hand). */
  drop?: number[];
}

/** systeminfo list output: values in one column, list entries indented to it, CRLF, a leading blank line. */
function listing(h: Host): string {
  const labels = h.labels ?? XX;
  const kbs = h.kbs ?? ['KB976902', 'KB4012212'];
  const values: (string | string[])[] = [
    h.name ?? 'WCH-SV-0042', h.osName ?? 'Microsoft Windows Server 2008 R2 Standard ', h.osVersion ?? '6.1.7601 Service Pack 1 Konstruo 7601', 'Microsoft Corporation', 'Membra servilo', 'Multiprocessor Free', 'NWHT', 'Ne aplikebla', '00477-OEM-8400000-00001',
    '02.03.2012, 09:01:17', '10.11.2026, 03:00:05', 'Dell Inc.', 'PowerEdge R720', 'x64-based PC', ['1 procesoro(j) instalita(j).', '[01]: Intel64 Family 6 Model 45 Stepping 7 GenuineIntel ~2000 Mhz'], 'Dell Inc. 2.9.0, 12.01.2020',
    'C:\\Windows', 'C:\\Windows\\system32', '\\Device\\HarddiskVolume1', 'eo;Esperanto', 'eo;Esperanto', '(UTC+01:00) Amsterdamo', '32.767 MB', '20.114 MB', '65.533 MB', '51.020 MB', '14.513 MB', 'C:\\pagefile.sys', 'nwht.local', '\\\\NWHT-DC01',
    [`${kbs.length} korektajxo(j) instalita(j).`, ...kbs.map((k, i) => `[${String(i + 1).padStart(2, '0')}]: ${k}`)], ['1 retkarto(j) instalita(j).', '[01]: vmxnet3 Ethernet Adapter', '      Konekta nomo: Ethernet0', '      [01]: 10.10.4.21'],
  ];
  const rows = labels.slice(0, values.length).map((l, i) => [l, values[i]] as const).filter((_, i) => !h.drop?.includes(i));
  const width = Math.max(...rows.map(([l]) => l.length + 1)) + 1;
  const out = [''];
  for (const [label, v] of rows) {
    const vals = Array.isArray(v) ? v : [v];
    out.push(`${label}:`.padEnd(width) + vals[0]);
    for (const extra of vals.slice(1)) out.push(' '.repeat(width) + extra);
  }
  return `${out.join('\r\n')}\r\n`;
}

async function read(name: string, content: string | Buffer): Promise<{ events: InventoryEvent[]; info: InventoryFileInfo | null }> {
  const file = writeTemp(dir, name, content);
  const events: InventoryEvent[] = [];
  let info: InventoryFileInfo | null = null;
  for await (const ev of readInventorySource(file, { onFile: (i) => (info = i) })) events.push(ev);
  return { events, info };
}

const records = (events: InventoryEvent[]): InventoryRecord[] => events.flatMap((e) => (e.type === 'record' ? [e.record] : []));
const rejected = (events: InventoryEvent[]) => events.flatMap((e) => (e.type === 'rejected' ? [e.rejected] : []));

describe('the checks of values read by order', () => {
  test.each([
    ['WCH-SV-0042', 'Microsoft Windows Server 2008 R2 Standard', '6.1.7601 Service Pack 1 Build 7601'],
    ['PC-01', 'Microsoft Windows 10 Pro', '10.0.19045 N/A Build 19045'],
    ['NPWE41', 'Microsoft Windows 10 Home', '10.0.18363 N/A ビルド 18363'],
    ['HRI-SV-RU', 'Майкрософт Windows Server 2012 R2 Standard', '6.3.9600 Н/Д построение 9600'],
    ['XP-01', 'Microsoft Windows XP Professional', '5.1.2600 Service Pack 3 Build 2600'],
    ['HV-01', 'Microsoft Hyper-V Server 2016', '10.0.14393 N/A Build 14393'],
  ])('%s / %s / %s check out', (h, n, v) => {
    expect(orderValuesProblem(h, n, v)).toBeNull();
  });

  test.each([
    ['PC 01', 'Microsoft Windows 10 Pro', '10.0.19045 N/A Build 19045', 0],
    ['N/A', 'Microsoft Windows 10 Pro', '10.0.19045 N/A Build 19045', 0],
    ['PC-01', '10.0.19045 N/A Build 19045', 'Microsoft Corporation', 1],
    ['PC-01', 'Dell Inc.', '10.0.19045 N/A Build 19045', 1],
    ['PC-01', 'Microsoft Windows 10 Pro', 'Microsoft Corporation', 2],
    ['PC-01', 'Microsoft Windows 10 Pro', '10.0.19045 N/A Build 19044', 2],
    ['PC-01', 'Microsoft Windows 10 Pro', '10.0.19045', 2],
  ])('%s / %s / %s: field %i does not', (h, n, v, index) => {
    expect(orderValuesProblem(h, n, v)?.index).toBe(index);
  });
});

describe('systeminfo list output whose labels are not listed', () => {
  test('has systeminfo shape but not listed labels: read by order, with a note', async () => {
    const text = listing({ kbs: ['Dosiero 1', 'KB976902', 'Dosiero 1', 'KB4012212', 'KB4499175'] });
    expect(looksLikeSysteminfoList(text)).toBe(false);
    expect(looksLikeSysteminfoShape(text)).toBe(true);
    const { events, info } = await read('xx.txt', text);
    expect(info?.format).toBe('systeminfo-list');
    const [r, ...more] = records(events);
    expect(more).toEqual([]);
    expect(rejected(events)).toEqual([]);
    expect(r.source.line).toBe(2);
    expect(r.fields).toEqual({
      hostname: 'WCH-SV-0042',
      os_name: 'Microsoft Windows Server 2008 R2 Standard',
      os_version: '6.1.7601 Service Pack 1 Konstruo 7601',
      kb_list: '5 korektajxo(j) instalita(j).,[01]: Dosiero 1,[02]: KB976902,[03]: Dosiero 1,[04]: KB4012212,[05]: KB4499175',
      os_arch: 'x64-based PC',
      domain: 'nwht.local',
    });
    expect(r.columns['Versio de BIOS']).toBe('Dell Inc. 2.9.0, 12.01.2020');
    expect(r.notes).toBe(NOTE_READ_BY_ORDER);
  });

  test('the localised count line and "File 1" items are not updates; the host notes how it was read', async () => {
    const { events } = await read('xx-kbs.txt', listing({ kbs: ['Dosiero 1', 'Q147222', 'KB893803v2 - Update', 'KB4012212'] }));
    const [r] = records(events);
    const b = new HostBuilder(r.fields.hostname!);
    b.add(r);
    const host = b.build();
    expect([...host.kbs].sort()).toEqual(['KB147222', 'KB4012212', 'KB893803']);
    expect(host.kbEvidence).toBe(true);
    expect(host.os.product).toBe('Windows Server 2008 R2');
    expect(host.os.notes).toContain(NOTE_READ_BY_ORDER[0]);
    // Hosts of one OS read alike share one OS object (the evaluation's memo is keyed by it).
    const b2 = new HostBuilder('OTHER');
    b2.add({ ...r, fields: { ...r.fields, hostname: 'OTHER' } });
    expect(b2.build().os).toBe(host.os);
  });

  test('output appended with >>: one host per repeat of the first label, each with its line', async () => {
    const text = listing({}) + listing({ name: 'WCH-PC-0043', osName: 'Microsoft Windows 10 Pro', osVersion: '10.0.19045 Ne aplikebla Konstruo 19045', kbs: ['KB5066746'] });
    const { events } = await read('xx-two.txt', text);
    const rs = records(events);
    expect(rs.map((r) => [r.fields.hostname, r.source.line, r.fields.kb_list])).toEqual([
      ['WCH-SV-0042', 2, '2 korektajxo(j) instalita(j).,[01]: KB976902,[02]: KB4012212'],
      ['WCH-PC-0043', 41, '1 korektajxo(j) instalita(j).,[01]: KB5066746'],
    ]);
  });

  test('appended output whose first host is in a language not listed, the next in English: both hosts', async () => {
    const english = ['Host Name', 'OS Name', 'OS Version', ...XX.slice(3, 30), 'Hotfix(s)', XX[31]];
    const text = listing({}) + listing({ labels: english, name: 'WCH-PC-0044', osName: 'Microsoft Windows 10 Pro', osVersion: '10.0.19045 N/A Build 19045', kbs: ['KB5066746'] });
    const { events } = await read('xx-then-en.txt', text);
    expect(rejected(events)).toEqual([]);
    expect(records(events).map((r) => [r.fields.hostname, r.source.line, r.fields.os_version, r.notes])).toEqual([
      ['WCH-SV-0042', 2, '6.1.7601 Service Pack 1 Konstruo 7601', NOTE_READ_BY_ORDER],
      ['WCH-PC-0044', 41, '10.0.19045 N/A Build 19045', undefined],
    ]);
  });

  test('a host in a language not listed appended after an English one (and English after it): every host, each with its own fields', async () => {
    const english = ENGLISH;
    const en = (name: string) => listing({ labels: english, name, osName: 'Microsoft Windows 10 Pro', osVersion: '10.0.19045 N/A Build 19045', kbs: ['KB5066746'] });
    const text = en('WCH-PC-0044') + listing({}) + en('WCH-PC-0045');
    for (const reader of [systeminfoListEvents, systeminfoListEventsByLines]) {
      const events = reader('en-xx-en.txt', text);
      expect(rejected(events)).toEqual([]);
      const rs = records(events);
      expect(rs.map((r) => [r.fields.hostname, r.source.line, r.fields.os_name?.trim(), r.fields.kb_list, r.notes])).toEqual([
        ['WCH-PC-0044', 2, 'Microsoft Windows 10 Pro', '1 korektajxo(j) instalita(j).,[01]: KB5066746', undefined],
        ['WCH-SV-0042', 40, 'Microsoft Windows Server 2008 R2 Standard', '2 korektajxo(j) instalita(j).,[01]: KB976902,[02]: KB4012212', NOTE_READ_BY_ORDER],
        ['WCH-PC-0045', 79, 'Microsoft Windows 10 Pro', '1 korektajxo(j) instalita(j).,[01]: KB5066746', undefined],
      ]);
      // Each line is the host's first line; the first host keeps its own columns only.
      const lines = text.split('\r\n');
      expect(rs.map((r) => lines[r.source.line - 1].split(':')[0])).toEqual(['Host Name', XX[0], 'Host Name']);
      expect(Object.keys(rs[0].columns)).not.toContain(XX[0]);
    }
  });

  test('a list of KB numbers whose label says they are missing is never taken for the hotfix list', () => {
    const labels = ENGLISH.map((l) => (l === 'Hotfix(s)' ? 'Missing Update(s)' : l));
    const text = listing({ labels, name: 'W7-MISSING-01', osName: 'Microsoft Windows 7 Professional', osVersion: '6.1.7601 Service Pack 1 Build 7601', kbs: ['KB4012212', 'KB4499175'] });
    for (const reader of [systeminfoListEvents, systeminfoListEventsByLines]) {
      const rs = records(reader('missing.txt', text));
      expect(rs.map((r) => [r.fields.hostname, r.fields.kb_list, r.notes])).toEqual([['W7-MISSING-01', undefined, undefined]]);
    }
  });

  test('an appended host that cannot be read is a rejected row, never dropped', async () => {
    const english = ENGLISH;
    const en = listing({ labels: english, name: 'WCH-PC-0044', osName: 'Microsoft Windows 10 Pro', osVersion: '10.0.19045 N/A Build 19045', kbs: ['KB5066746'] });
    // Its OS name line cut out: read by order, the values do not check out.
    const { events } = await read('en-xxcut.txt', en + listing({ name: 'WCH-PC-0666', drop: [1] }));
    expect(records(events).map((r) => r.fields.hostname)).toEqual(['WCH-PC-0044']);
    expect(rejected(events)).toEqual([{ file: expect.stringMatching(/en-xxcut\.txt$/), line: 41, reason: expect.stringMatching(/the 2nd field should be the OS name/) }]);
    // Not systeminfo at all after the host (a line of mis-decoded text, then fields): rejected at that line.
    const garbage = en + '\r\n' + '\u6a5f\u5668\u540d'.repeat(200) + '\r\n' + listing({ name: 'WCH-PC-0667', drop: [1] }).slice(2);
    const g = systeminfoListEvents('en-garbage.txt', garbage);
    expect(records(g).map((r) => r.fields.hostname)).toEqual(['WCH-PC-0044']);
    expect(rejected(g)).toHaveLength(1);
    expect(systeminfoListEventsByLines('en-garbage.txt', garbage)).toEqual(g);
  });

  test('a host whose values do not check out is a rejected row naming the line and why; the next host is read', async () => {
    const cut = listing({ name: 'WCH-PC-0666', drop: [1] });
    const text = cut + listing({});
    const { events } = await read('xx-cut.txt', text);
    expect(rejected(events)).toEqual([
      { file: expect.stringMatching(/xx-cut\.txt$/), line: 3, reason: expect.stringMatching(/the 2nd field should be the OS name \(naming Windows\), but it is "6\.1\.7601 Service Pack 1 Konstruo 7601"; not audited$/) },
    ]);
    expect(records(events).map((r) => r.fields.hostname)).toEqual(['WCH-SV-0042']);
  });

  test.each([
    ['a version whose build number does not repeat', { osVersion: '6.1.7601 Service Pack 1 Konstruo 7600' }, 4, /3rd field should be the OS version/],
    ['an OS that is no Windows', { osName: 'Ubuntu 22.04.4 LTS' }, 3, /2nd field should be the OS name/],
    ['a placeholder for a machine name', { name: 'N/A' }, 2, /1st field should be a machine name/],
  ])('%s: rejected', async (_what, h, line, why) => {
    const { events } = await read('xx-bad.txt', listing(h));
    expect(records(events)).toEqual([]);
    expect(rejected(events)).toEqual([{ file: expect.any(String), line, reason: expect.stringMatching(why) }]);
  });

  test('two lists of KB numbers: which is the hotfix list cannot be told, rejected', () => {
    const text = listing({}).replace('[01]: Intel64 Family 6', '[01]: KB4012212 Family 6');
    expect(readByFieldOrder('x.txt', text).map((e) => e.type)).toEqual(['rejected']);
  });

  test('no list of KB numbers: no hotfix list (updates unknown, never an empty list)', () => {
    const [ev] = readByFieldOrder('x.txt', listing({ kbs: [] }));
    expect(ev.type === 'record' && ev.record.fields.kb_list).toBeUndefined();
  });

  test('UTF-16LE with BOM (Windows PowerShell redirection) reads alike', async () => {
    const text = listing({});
    const a = await read('xx-utf8.txt', text);
    const b = await read('xx-utf16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    expect(records(b.events).map((r) => r.fields)).toEqual(records(a.events).map((r) => r.fields));
  });

  test('the fast reader and the reference reader agree', () => {
    for (const text of [listing({}), listing({ drop: [1] }) + listing({}), listing({ kbs: [] })]) {
      expect(systeminfoListEvents('x.txt', text)).toEqual(systeminfoListEventsByLines('x.txt', text));
    }
  });
});

describe('systeminfo list output whose labels are partly listed', () => {
  test('host name and OS labels listed, hotfix label not: the list of KB numbers is the hotfix list', async () => {
    const labels = ['호스트 이름', 'OS 이름', 'OS 버전', ...XX.slice(3)];
    const { events } = await read('ko.txt', listing({ labels, osName: 'Microsoft Windows 7 Enterprise ', osVersion: '6.1.7601 Service Pack 1 빌드 7601' }));
    const [r] = records(events);
    expect(r.fields.hostname).toBe('WCH-SV-0042');
    expect(r.fields.os_version).toBe('6.1.7601 Service Pack 1 빌드 7601');
    expect(r.fields.kb_list).toBe('2 korektajxo(j) instalita(j).,[01]: KB976902,[02]: KB4012212');
    expect(r.notes).toBe(NOTE_KBS_BY_ORDER);
  });

  test('host name label listed, OS labels not: the 2nd and 3rd fields, when they check out', () => {
    const labels = ['Host Name', ...XX.slice(1, 30), 'Hotfix(s)'];
    const [ev] = systeminfoListEvents('x.txt', listing({ labels }));
    const r = ev.type === 'record' ? ev.record : null;
    expect(r?.fields.os_name).toBe('Microsoft Windows Server 2008 R2 Standard');
    expect(r?.fields.os_version).toBe('6.1.7601 Service Pack 1 Konstruo 7601');
    expect(r?.notes).toBe(NOTE_OS_BY_ORDER);
    // They do not check out: the record stays as the labels read it (its OS unknown, never compliant).
    const [bad] = systeminfoListEvents('x.txt', listing({ labels, osName: 'Dell Inc.' }));
    expect(bad.type === 'record' && [bad.record.fields.os_name, bad.record.notes]).toEqual([undefined, undefined]);
  });

  test('every systeminfo fixture whose labels are listed reads exactly as by label alone (no note)', async () => {
    const folder = fixture('exports', 'systeminfo');
    for (const name of readdirSync(folder).filter((f) => f.endsWith('.txt'))) {
      const events: InventoryEvent[] = [];
      for await (const ev of readInventorySource(path.join(folder, name))) events.push(ev);
      for (const r of records(events)) {
        expect([name, r.notes]).toEqual([name, undefined]);
        expect([name, r.fields.os_name !== undefined, r.fields.kb_list !== undefined]).toEqual([name, true, true]);
      }
    }
  });

  test('Japanese labels (as in public outputs) are listed: read by label', async () => {
    const labels = ['ホスト名', 'OS 名', 'OS バージョン', ...XX.slice(3, 13), 'システムの種類', ...XX.slice(14, 28), 'ドメイン', XX[29], 'ホットフィックス', XX[31]];
    const text = listing({ labels, osName: 'Microsoft Windows 10 Home', osVersion: '10.0.18363 N/A ビルド 18363' }).replace('2 korektajxo(j) instalita(j).', '2 ホットフィックスがインストールされています。');
    expect(looksLikeSysteminfoList(text)).toBe(true);
    const [ev] = systeminfoListEvents('ja.txt', text);
    expect(ev.type === 'record' && ev.record.notes).toBeUndefined();
    expect(ev.type === 'record' && ev.record.fields).toMatchObject({ hostname: 'WCH-SV-0042', os_name: 'Microsoft Windows 10 Home', os_version: '10.0.18363 N/A ビルド 18363', os_arch: 'x64-based PC', domain: 'nwht.local', kb_list: '2 ホットフィックスがインストールされています。,[01]: KB976902,[02]: KB4012212' });
  });
});

describe('what has no systeminfo shape is refused as before', () => {
  test.each([
    ['a random CSV', 'a,b,c\r\n1,2,3\r\n'],
    ['colon lines without a list', Array.from({ length: 20 }, (_, i) => `Key ${i}:   value${i}`).join('\r\n')],
    ['a list after too few fields', ['Nomo:   X', 'Speco:  Y', 'Eroj:   2', '        [01]: a', '        [02]: b'].join('\r\n')],
  ])('%s: no usable header row', async (_what, text) => {
    await expect(read('junk.txt', text)).rejects.toThrow(/no usable header row/);
  });
});

describe('systeminfo /fo csv whose headers are not listed', () => {
  const q = (cells: string[]) => cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',');
  const headers = [...XX, 'Postuloj de Hyper-V'];
  const row = (name: string, osName: string, osVersion: string, kbs: string[]) => [
    name, osName, osVersion, 'Microsoft Corporation', 'Membra laborstacio', 'Multiprocessor Free', 'NWHT', 'Ne aplikebla', '00330-80000-00000-AA718', '02.03.2022, 09:01:17', '10.11.2026, 03:00:05', 'Dell Inc.', 'OptiPlex 7090', 'x64-based PC',
    '1 procesoro(j) instalita(j).,[01]: Intel64 Family 6 Model 165', 'Dell Inc. 1.22.0', 'C:\\Windows', 'C:\\Windows\\system32', '\\Device\\HarddiskVolume1', 'eo;Esperanto', 'eo;Esperanto', '(UTC+01:00) Amsterdamo', '16.088 MB', '9.312 MB', '18.520 MB', '10.911 MB', '7.609 MB', 'C:\\pagefile.sys', 'NWHT', '\\\\NWHT-DC01',
    `${kbs.length} korektajxo(j) instalita(j).${kbs.map((k, i) => `,[0${i + 1}]: ${k}`).join('')}`, '1 retkarto(j) instalita(j).,[01]: Intel(R) Ethernet', 'Hiperviziero trovita.',
  ];

  test('columns read by position, each row checked; a bad row is rejected with its line', async () => {
    const text = [q(headers), q(row('PC-01', 'Microsoft Windows 10 Enterprise LTSC', '10.0.17763 Ne aplikebla Konstruo 17763', ['KB5005112'])), q(row('PC-02', '10.0.19045', '', ['KB5066746'])), ''].join('\r\n');
    const { events, info } = await read('xx.csv', iconv.encode(text, 'cp437'));
    expect(info?.layout?.mapping.byOrder).toBe(true);
    expect(info?.layout?.mapping.fields).toEqual({ hostname: 0, os_name: 1, os_version: 2, kb_list: 30, os_arch: 13, domain: 28 });
    const [r] = records(events);
    expect(r.fields).toMatchObject({ hostname: 'PC-01', os_version: '10.0.17763 Ne aplikebla Konstruo 17763', kb_list: '1 korektajxo(j) instalita(j).,[01]: KB5005112', os_arch: 'x64-based PC', domain: 'NWHT' });
    expect(r.notes).toBe(NOTE_CSV_BY_ORDER);
    expect(rejected(events)).toEqual([{ file: expect.any(String), line: 3, reason: expect.stringMatching(/2nd column should be the OS name/) }]);

    // A worker decoding a block has the same mapping, and checks the rows alike.
    const decoder = new RecordDecoder({ file: 'xx.csv', headers: info!.layout!.headers, order: 'mdy', map: {}, maxFieldSize: 1_000_000, mapping: info!.layout!.mapping });
    expect(decoder.decode(row('PC-03', 'Dell Inc.', '1.2.3', []), 9)).toMatchObject({ type: 'rejected', rejected: { line: 9 } });
    expect(decoder.decode(row('PC-04', 'Microsoft Windows 11 Pro', '10.0.26100 N/A Konstruo 26100', []), 10)).toMatchObject({ type: 'record', record: { notes: NOTE_CSV_BY_ORDER } });
  });

  test('appended from another Windows version (a narrower header): the header changes, no row is rejected', async () => {
    const narrow = headers.slice(0, 32);
    const text = [q(headers), q(row('PC-01', 'Microsoft Windows 11 Pro', '10.0.26100 N/A Konstruo 26100', ['KB5066128'])), q(narrow), q(row('PC-02', 'Microsoft Windows 7 Enterprise ', '6.1.7601 Service Pack 1 Konstruo 7601', ['KB4012212']).slice(0, 32)), ''].join('\r\n');
    const { events } = await read('xx-appended.csv', text);
    expect(rejected(events)).toEqual([]);
    expect(records(events).map((r) => [r.fields.hostname, r.fields.kb_list])).toEqual([
      ['PC-01', '1 korektajxo(j) instalita(j).,[01]: KB5066128'],
      ['PC-02', '1 korektajxo(j) instalita(j).,[01]: KB4012212'],
    ]);
  });

  test('one header listed (Polish OS name) but no host name header: still read by column order', async () => {
    const pl = ['Nazwa hosta', 'Nazwa systemu operacyjnego', 'Wersja systemu operacyjnego', ...headers.slice(3)];
    const text = [q(pl), q(row('PC-01', 'Microsoft Windows 10 Pro', '10.0.19045 Nie dotyczy Kompilacja 19045', ['KB5066746'])), ''].join('\r\n');
    const { events } = await read('pl.csv', text);
    expect(records(events).map((r) => [r.fields.hostname, r.fields.os_version, r.notes])).toEqual([['PC-01', '10.0.19045 Nie dotyczy Kompilacja 19045', NOTE_CSV_BY_ORDER]]);
  });

  test('a wide CSV of unknown columns whose first rows are no systeminfo hosts: no usable header row, as before', async () => {
    const cols = Array.from({ length: 33 }, (_, i) => `Kolumno ${i + 1}`);
    const text = [q(cols), q(cols.map((_, i) => `v${i}`)), q(cols.map((_, i) => `w${i}`)), ''].join('\r\n');
    await expect(read('wide.csv', text)).rejects.toThrow(/no usable header row/);
  });
});
