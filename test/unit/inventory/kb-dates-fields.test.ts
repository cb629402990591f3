import { parseInventoryDate, DateOrderDetector, type DateOrder } from '../../../src/inventory/dates.js';
import fc from 'fast-check';
import { extractKbs, extractKbsByPattern, normaliseKb } from '../../../src/inventory/kb.js';
import { aliasCandidates, ColumnSample, mapColumns, namesAColumn, normaliseHeader } from '../../../src/inventory/fields.js';

/** Whether a numeric date reads only in the other day/month order (the parse flags it: otherOrder). */
function contradictsOrder(raw: string, order: DateOrder): boolean {
  const d = parseInventoryDate(raw, order);
  return d.kind === 'date' && d.otherOrder === true;
}

describe('extractKbs', () => {
  const cases: [string, string[]][] = [
    ['KB4012212; KB4015549', ['KB4012212', 'KB4015549']],
    ['4012212,4015549', ['KB4012212', 'KB4015549']],
    ['kb4012212', ['KB4012212']],
    ['8 Hotfix(s) Installed.,[01]: KB2919355,[02]: KB2919442', ['KB2919355', 'KB2919442']],
    ['4 Hotfix(s) Installed.,[01]: File 1,[02]: Q147222,[03]: KB893803v2 - Update', ['KB147222', 'KB893803']],
    ['Correctif(s) : 3 correctif(s) installé(s).,[01] : KB3199986', ['KB3199986']],
    ['KB4012212 KB4012215', ['KB4012212', 'KB4012215']],
    ['20170314', []],
    ['N/A', []],
    ['', []],
    ['abcKB4012212', []],
  ];
  test.each(cases)('%s', (text, expected) => {
    const set = new Set<string>();
    extractKbs(text, set);
    expect([...set]).toEqual(expected);
  });

  test('the character scan finds what the pattern finds, in order, with the same count', () => {
    const piece = fc.constantFrom(
      'KB', 'kb', 'Kb', 'Q', 'q', 'K', 'B', 'v', 'V', '-', '-v', 'v2', ' ', '\t', ',', ';', '[01]: ', '1', '0', '12345', '123456', '1234567', '4012212',
      'a', 'Z', '_', '.', '\u212a', '\u00e9', '\u0663', '\u00b2', '\u2160', '\ud83d\ude00', '\u00a0', '主',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const text = pieces.join('');
        const a = new Set<string>(['KB0000001']);
        const b = new Set<string>(['KB0000001']);
        expect(extractKbs(text, a)).toBe(extractKbsByPattern(text, b));
        expect([...a]).toEqual([...b]);
      }),
      { numRuns: 20000 },
    );
  });

  test.each([
    ['KB1234567v2345678 KB7654321'],
    ['1234567-v3,123456v,1234567-x'],
    ['12345678 123456 0123456 123456'],
    ['KB4012212\u0663 KB4012215'],
    ['KB4012212v1\u0663 KB4012215'],
    ['\u212aB4012212 KB4012215'],
    ['x\u00e9 KB4012212 \u00e9KB4012215'],
    // Runs at the very start and end of the text (the scan looks past both ends).
    ['1234567'],
    ['Q1234567'],
    ['KB1234567-'],
    ['KB1234567-v'],
    ['1234567v'],
    ['1234567v12'],
    ['b1234567'],
    ['kb 123456'],
  ])('%j: as the pattern', (text) => {
    const a = new Set<string>();
    const b = new Set<string>();
    expect(extractKbs(text, a)).toBe(extractKbsByPattern(text, b));
    expect([...a]).toEqual([...b]);
  });

  test('more distinct KBs than the name table holds, six and seven digits alike, named as the pattern names them', () => {
    const numbers: string[] = [];
    for (let i = 0; i < 40_000; i++) numbers.push(String(1_000_000 + i * 211), String(100_000 + i).slice(-6), '0' + String(100_000 + (i % 900_000)));
    const text = numbers.map((n, i) => (i % 3 === 0 ? `KB${n}` : n)).join(',');
    for (let round = 0; round < 2; round++) {
      const a = new Set<string>();
      const b = new Set<string>();
      expect(extractKbs(text, a)).toBe(extractKbsByPattern(text, b));
      expect([...a]).toEqual([...b]);
    }
  });

  test('normaliseKb', () => {
    expect(normaliseKb('kb4012212')).toBe('KB4012212');
    expect(normaliseKb('4012212')).toBe('KB4012212');
    expect(normaliseKb('KB12')).toBeNull();
  });
});

describe('parseInventoryDate', () => {
  const cases: [string, 'dmy' | 'mdy', string | null][] = [
    ['2017-03-14', 'mdy', '2017-03-14'],
    ['2023-09-15T08:30:16Z', 'mdy', '2023-09-15'],
    ['2024-05-02 07:41:10.0000000', 'mdy', '2024-05-02'],
    ['3/14/2017', 'mdy', '2017-03-14'],
    ['3/14/2017 12:00:00 AM', 'dmy', '2017-03-14'],
    ['6/2/2009, 10:14:02 AM', 'mdy', '2009-06-02'],
    ['6/2/2009, 10:14:02 AM', 'dmy', '2009-02-06'],
    ['14/03/2017 00:00:00', 'mdy', '2017-03-14'],
    ['14.03.2017', 'mdy', '2017-03-14'],
    ['02.03.2017', 'mdy', '2017-03-02'],
    ['20170314', 'mdy', '2017-03-14'],
    // Month names decide the order themselves, whatever the column's.
    ['Nov 20, 2026', 'dmy', '2026-11-20'],
    ['20-Nov-2026', 'mdy', '2026-11-20'],
    ['20 Nov 2026 08:01', 'mdy', '2026-11-20'],
    ['Friday, November 20, 2026', 'dmy', '2026-11-20'],
    ['Thu Nov 20 08:01:02 UTC 2026', 'mdy', '2026-11-20'],
    ['2026-11-20 08:01:02 UTC', 'mdy', '2026-11-20'],
    ['14 März 2017', 'mdy', '2017-03-14'],
    ['3 mars 2017', 'mdy', '2017-03-03'],
    ['Nov 31, 2026', 'mdy', null],
    ['Total 4 postes', 'mdy', null],
    ['01d29c55ec6ec000', 'mdy', '2017-03-14'],
    // Active Directory's lastLogonTimestamp as Get-ADComputer | Export-Csv writes it: decimal FILETIME.
    ['133765104000000000', 'mdy', '2024-11-19'],
    ['130356288000000000', 'dmy', '2014-01-31'],
    [' 133765104000000000 ', 'mdy', '2024-11-19'],
  ];
  test.each(cases)('%s (%s)', (raw, order, iso) => {
    const d = parseInventoryDate(raw, order);
    expect(d.kind === 'date' ? d.iso : null).toBe(iso);
  });

  test('empty and invalid values', () => {
    expect(parseInventoryDate('', 'mdy').kind).toBe('empty');
    expect(parseInventoryDate('N/A', 'mdy').kind).toBe('empty');
    expect(parseInventoryDate('0001-01-01T00:00:00Z', 'mdy').kind).toBe('empty');
    expect(parseInventoryDate('31/31/2020', 'mdy').kind).toBe('invalid');
    expect(parseInventoryDate('2021-02-30', 'mdy').kind).toBe('invalid');
    expect(parseInventoryDate('yesterday', 'mdy').kind).toBe('invalid');
  });

  test('decimal FILETIME: Active Directory\'s "never" is no date; other numbers are not dates', () => {
    expect(parseInventoryDate('0', 'mdy').kind).toBe('empty');
    expect(parseInventoryDate('9223372036854775807', 'mdy').kind).toBe('empty');
    // 1601–1979 and after 2200 are not inventory dates.
    expect(parseInventoryDate('100000000000000000', 'mdy').kind).toBe('invalid');
    expect(parseInventoryDate('9000000000000000000', 'mdy').kind).toBe('invalid');
    // 16 digits or fewer are not decimal FILETIMEs; 20 digits neither.
    expect(parseInventoryDate('1337651040000000', 'mdy').kind).toBe('invalid');
    expect(parseInventoryDate('13376510400000000000', 'mdy').kind).toBe('invalid');
    expect(parseInventoryDate('12345', 'mdy').kind).toBe('invalid');
  });

  test.each<[string, 'dmy' | 'mdy', string]>([
    // UK and European exports: a time zone after the time, as the tools write it.
    ['12/05/2017 00:15 BST', 'dmy', '2017-05-12'],
    ['25/12/2017 10:15 GMT', 'mdy', '2017-12-25'],
    ['12.05.2017 00:15:00 MESZ', 'mdy', '2017-05-12'],
    ['12/05/2017 23:30 (UTC+01:00)', 'dmy', '2017-05-12'],
    ['5/12/2017 11:30:00 PM CET', 'mdy', '2017-05-12'],
    ['2017-05-12T23:30:00-05:00', 'dmy', '2017-05-12'],
    ['2017-05-12 23:30 BST', 'mdy', '2017-05-12'],
    // Excel's d-mmm-yy and a two-digit year after a month name.
    ['12-May-17', 'mdy', '2017-05-12'],
    ['12 Mai 17', 'mdy', '2017-05-12'],
    // An Excel serial day number (a date cell formatted General), with a time as a fraction.
    ['42867', 'mdy', '2017-05-12'],
    ['42867.5', 'dmy', '2017-05-12'],
    ['43000,25', 'dmy', '2017-09-22'],
  ])('UK and European forms: %s (%s)', (raw, order, iso) => {
    const d = parseInventoryDate(raw, order);
    expect(d.kind === 'date' ? d.iso : d.kind).toBe(iso);
  });

  test.each(['3/15/2017 10:00 ABORT', '2017-03-15 10:00 Retry', '2017-03-15 10:00 Nein', '12/05/2017 10:00 ABC', '2017-05-12 10:00 FOO+99'])(
    'a word after the time that is no time zone makes no date: %s',
    (raw) => {
      expect(parseInventoryDate(raw, 'dmy').kind).toBe('invalid');
      expect(parseInventoryDate(raw, 'mdy').kind).toBe('invalid');
    },
  );

  test.each(['01/01/1970', '1970-01-01 00:00:00', '31/12/1969 19:00', '1900-01-00', '01.01.1900', '1899-12-30', '0000-00-00 00:00:00', '00/00/0000', 'Jamais', 'Nie', 'Aucun'])(
    'a zero date or a localised "never" is no date: %s',
    (raw) => {
      expect(parseInventoryDate(raw, 'dmy').kind).toBe('empty');
    },
  );

  test('Excel serials outside 1980-2099 are not dates', () => {
    expect(parseInventoryDate('29220', 'mdy').kind).toBe('invalid');
    expect(parseInventoryDate('73051', 'mdy').kind).toBe('invalid');
  });

  test('contradictsOrder: a numeric date that only reads the other way', () => {
    expect(contradictsOrder('25/04/2026', 'mdy')).toBe(true);
    expect(contradictsOrder('25/04/2026 10:00 BST', 'mdy')).toBe(true);
    expect(contradictsOrder('04/25/2026', 'dmy')).toBe(true);
    expect(contradictsOrder('03/04/2026', 'mdy')).toBe(false);
    expect(contradictsOrder('25/04/2026', 'dmy')).toBe(false);
    // Dots are always day first: never a contradiction.
    expect(contradictsOrder('25.04.2026', 'mdy')).toBe(false);
    expect(contradictsOrder('2026-04-25', 'mdy')).toBe(false);
  });

  test('column order detection', () => {
    const d = new DateOrderDetector();
    ['01/02/2020', '03/04/2020'].forEach((v) => d.observe(v));
    expect(d.decide()).toBe('ambiguous');
    d.observe('25/04/2020');
    expect(d.decide()).toBe('dmy');
    d.observe('04/25/2020');
    expect(d.decide()).toBe('conflict');
    const m = new DateOrderDetector();
    m.observe('12/31/2020');
    expect(m.decide()).toBe('mdy');
    // A time zone after the time does not hide a value from the detection.
    const z = new DateOrderDetector();
    z.observe('25/12/2017 10:15 GMT');
    expect(z.decide()).toBe('dmy');
    expect(new DateOrderDetector().decide()).toBeNull();
  });
});

describe('header aliases', () => {
  test('French and German localised exports (GLPI, device lists, hand-made sheets)', () => {
    const fr = mapColumns(['Nom', 'Entité', "Système d'exploitation - Nom", "Système d'exploitation - Version", "Système d'exploitation - Service Pack"]);
    expect(fr.fields).toMatchObject({ hostname: 0, os_name: 2, os_version: 3, service_pack: 4 });
    const de = mapColumns(['Name', 'Betriebssystem - Name', 'Betriebssystem - Version', 'Betriebssystem - Service Pack']);
    expect(de.fields).toMatchObject({ hostname: 0, os_name: 1, os_version: 2, service_pack: 3 });
    const sheet = mapColumns(["Nom de l'ordinateur", "Système d'exploitation", 'Mises à jour installées']);
    expect(sheet.fields).toMatchObject({ hostname: 0, os_name: 1, kb_list: 2 });
    const sheetDe = mapColumns(['Gerätename', 'Betriebssystem', 'Installierte Updates']);
    expect(sheetDe.fields).toMatchObject({ hostname: 0, os_name: 1, kb_list: 2 });
  });

  test('normaliseHeader folds case, punctuation, accents, SSRS prefix and SCCM suffix', () => {
    expect(normaliseHeader('Details_Table0_Netbios_Name0')).toBe('netbios name');
    expect(normaliseHeader('DeviceName')).toBe('device name');
    expect(normaliseHeader("Nom de l'hôte")).toBe('nom de l hote');
    expect(normaliseHeader('\uFEFFDevice ID')).toBe('device id');
    expect(normaliseHeader('Hotfix(s)')).toBe('hotfix s');
  });

  test.each([
    ['Device name', 'hostname'],
    ['DeviceName', 'hostname'],
    ['Host Name', 'hostname'],
    ['Details_Table0_Netbios_Name0', 'hostname'],
    ['CSName', 'hostname'],
    ['主机名', 'hostname'],
    ['OS Name', 'os_name'],
    ['Operating_System_Name_and0', 'os_name'],
    ['Betriebssystemname', 'os_name'],
    ['OS version', 'os_version'],
    ['OperatingSystemVersion', 'os_version'],
    ['Hotfix(s)', 'kb_list'],
    ['HotFixID', 'kb'],
    ['SkuFamily', 'os_edition'],
    ['CSDVersion', 'service_pack'],
    ['Last Patch Date', 'last_patch_date'],
    ['SMBv1Enabled', 'smb1_enabled'],
  ])('%s → %s', (header, field) => {
    expect(aliasCandidates(header).map((c) => c.field)).toContain(field);
  });

  test('mapColumns prefers the strongest alias and keeps unknown columns unmapped', () => {
    const m = mapColumns(['Name', 'DNSHostName', 'OperatingSystem', 'OperatingSystemVersion', 'Favourite Colour']);
    expect(m.fields.hostname).toBe(0);
    expect(m.fields.fqdn).toBe(1);
    expect(m.fields.os_name).toBe(2);
    expect(m.fields.os_version).toBe(3);
    expect(m.unmapped).toEqual(['Favourite Colour']);
  });

  test('Get-HotFix: Caption is a URL column, not the OS', () => {
    const m = mapColumns(['CSName', 'Caption', 'Description', 'HotFixID', 'InstalledOn']);
    expect(m.fields.hostname).toBe(0);
    expect(m.fields.os_name).toBeUndefined();
    expect(m.fields.kb).toBe(3);
  });

  const sample = (rows: string[][]) => () => new ColumnSample(rows);

  test('a Caption column of OS names next to HotFixID is the OS (SCCM report without a version column)', () => {
    const headers = ['Details_Table0_Netbios_Name0', 'Details_Table0_Caption0', 'Details_Table0_CSDVersion0', 'Details_Table0_HotFixID0', 'Details_Table0_InstalledOn0'];
    const rows = [
      ['PC-FIN-0012', 'Microsoft Windows 7 Enterprise ', 'Service Pack 1', 'KB4012212', '3/15/2017'],
      ['PC-FIN-0013', 'Microsoft Windows XP Professional', 'Service Pack 3', 'KB958644', '3/15/2012'],
    ];
    const m = mapColumns(headers, {}, sample(rows));
    expect(m.fields.os_name).toBe(1);
    expect(m.fields.service_pack).toBe(2);
    expect(m.fields.kb).toBe(3);
    // Without values, and with Get-HotFix's URLs, Caption is still not the OS.
    expect(mapColumns(headers).fields.os_name).toBeUndefined();
    const urls = [['SRV-01', 'http://support.microsoft.com/?kbid=4012212', 'Security Update', 'KB4012212', '3/15/2017']];
    expect(mapColumns(['CSName', 'Caption', 'Description', 'HotFixID', 'InstalledOn'], {}, sample(urls)).fields.os_name).toBeUndefined();
  });

  test('PDQ Inventory join: HotFixId row ids are not KBs; the KB-shaped Name is the KB and the first Name the machine', () => {
    const headers = ['Name', 'OSName', 'OSVersion', 'OSServicePack', 'SMBv1Enabled', 'HotFixId', 'Name', 'Description', 'InstalledOn'];
    const rows = [
      ['PDQ-W7-01', 'Microsoft Windows 7 Enterprise', '6.1.7601', 'Service Pack 1', '1', '1834', 'KB4012212', 'Security Update', '2017-03-15 00:00:00'],
      ['PDQ-W7-02', 'Microsoft Windows 7 Enterprise', '6.1.7601', 'Service Pack 1', '1', '4012215', 'KB976902', 'Update', '2017-01-10 00:00:00'],
    ];
    const m = mapColumns(headers, {}, sample(rows));
    expect(m.fields.hostname).toBe(0);
    expect(m.fields.kb).toBe(6);
    expect(m.byColumn[5]).toBeNull();
    expect(m.kbNotNumbers).toBeUndefined();
    // --map hostname=Name (the first Name) gives the same.
    const o = mapColumns(headers, { hostname: 'Name' }, sample(rows));
    expect([o.fields.hostname, o.fields.kb]).toEqual([0, 6]);
    // --map kb=HotFixId is the user's word: kept.
    expect(mapColumns(headers, { kb: 'HotFixId' }, sample(rows)).fields.kb).toBe(5);
  });

  test('plain numbers in a hotfix-id column with no KB-shaped column are flagged; under a KB header they are KB numbers', () => {
    const ids = mapColumns(['Computer', 'HotFixId'], {}, sample([['PC-1', '1834'], ['PC-2', '4012215']]));
    expect(ids.fields.kb).toBe(1);
    expect(ids.kbNotNumbers).toBe(1);
    for (const h of ['ArticleID', 'KB', 'KB Number', 'KBArticle']) {
      const m = mapColumns(['Computer', h], {}, sample([['PC-1', '4012212']]));
      expect([h, m.fields.kb, m.kbNotNumbers]).toEqual([h, 1, undefined]);
    }
    // Get-HotFix's own HotFixID values ("KB…", "File 1") are not in doubt.
    const qfe = mapColumns(['CSName', 'HotFixID'], {}, sample([['PC-1', 'KB4012212'], ['PC-1', 'File 1']]));
    expect([qfe.fields.kb, qfe.kbNotNumbers]).toEqual([1, undefined]);
  });

  test('a patch tool\'s own numeric ids beside update titles naming the KB (ManageEngine): the titles are read', () => {
    const headers = ['Computer Name', 'OS', 'Patch ID', 'Bulletin ID', 'Patch Description', 'Status'];
    const rows = [
      ['EC-WS-014', 'Windows 7 Professional Edition (x64)', '28213', 'MS17-010', '2017-03 Security Monthly Quality Rollup for Windows 7 for x64-based Systems (KB4012215)', 'Installed'],
      ['EC-WS-015', 'Windows 7 Professional Edition (x64)', '29410', 'MS17-APR', 'April 2017 Security Only Quality Update for Windows 7 for x64-based Systems (KB4015546)', 'Installed'],
    ];
    const m = mapColumns(headers, {}, sample(rows));
    expect(m.fields.kb).toBe(4);
    expect(m.byColumn[2]).toBeNull();
    expect(m.kbNotNumbers).toBeUndefined();
    // Titles without KB numbers do not count: the numbers are still refused.
    const noKb = rows.map((r) => [...r.slice(0, 4), 'Security update', r[5]]);
    expect(mapColumns(headers, {}, sample(noKb)).kbNotNumbers).toBe(2);
  });

  test('numeric ids beside a free-text column naming KBs: the titles column, never the notes', () => {
    const headers = ['Computer Name', 'OS', 'Patch ID', 'Notes', 'Patch Name', 'Status'];
    const rows = [
      ['EC-WS-020', 'Windows 7', '30111', 'Does not contain the MS17-010 fix (see KB4012212)', 'April 2017 Security Only Quality Update for Windows 7 (KB4015546)', 'Installed'],
      ['EC-WS-021', 'Windows 7', '30112', 'Superseded by KB4012215', '2017-02 Security Update for Windows 7 (KB3212646)', 'Installed'],
    ];
    expect(mapColumns(headers, {}, sample(rows)).fields.kb).toBe(4);
    // Without a titles column the notes are not taken: the numbers are refused as before.
    const noTitles = mapColumns(['Computer Name', 'OS', 'Patch ID', 'Notes'], {}, sample(rows.map((r) => r.slice(0, 4))));
    expect(noTitles.fields.kb).toBe(2);
    expect(noTitles.kbNotNumbers).toBe(2);
  });

  test('a plain Description column, or titles naming several KBs, are never the fallback for numeric ids', () => {
    const rows = [
      ['W7-T1', 'Windows 7', '25301', 'MS17-006', 'Security update for Windows 7 (superseded by KB4012215)'],
      ['W7-T1', 'Windows 7', '25288', 'MS17-008', 'Cumulative update (replaced by KB4012212 / KB4012215)'],
    ];
    const plain = mapColumns(['Computer Name', 'OS', 'Patch ID', 'Bulletin ID', 'Description'], {}, sample(rows));
    expect(plain.kbNotNumbers).toBe(2);
    const several = mapColumns(['Computer Name', 'OS', 'Patch ID', 'Bulletin ID', 'Patch Description'], {}, sample(rows));
    expect(several.kbNotNumbers).toBe(2);
  });

  test('Kaseya VSA\'s Machine ID ("machine.group.org") is the machine, before a Computer Name; an opaque Machine ID is not', () => {
    const kaseya = mapColumns(['Computer Name', 'Machine ID', 'Operating System', 'KB Article', 'Patch Status'], {}, sample([['WARD7-PC01', 'ward7-pc01.radiology.nhstrust', 'Windows 7 Professional', 'KB4012212', 'Installed']]));
    expect(kaseya.fields.hostname).toBe(1);
    const alone = mapColumns(['Machine.Group ID', 'OS Info'], {}, sample([['recep-pc03.outpatients.nhstrust', 'Windows 7']]));
    expect(alone.fields.hostname).toBe(0);
    // Defender for Endpoint's machine id: 40 hex digits, no name.
    const defender = mapColumns(['Machine ID', 'Computer DNS Name', 'OS Platform'], {}, sample([['1e5bc9d7e413ddd7902c2932e418702b84d0cc07', 'ward7-pc01.nwht.nhs.uk', 'Windows10']]));
    expect(defender.fields.hostname).not.toBe(0);
  });

  test('a "Title" is the update column only in an update history whose titles name their KB: not a job title, not a scanner\'s finding', () => {
    const history = mapColumns(['PSComputerName', 'Date', 'Operation', 'ResultCode', 'Title'], {}, sample([['THEATRE-PC07', '3/22/2017 2:14:09 AM', '1', '2', '2017-03 Security Monthly Quality Rollup for Windows 7 for x64-based Systems (KB4012215)']]));
    expect([history.fields.kb, history.fields.kb_operation, history.fields.kb_status]).toEqual([4, 2, 3]);
    const staff = mapColumns(['Computer Name', 'User', 'Title', 'Hotfixes'], {}, sample([['ADM-PC01', 'jdoe', 'Ward Manager', 'KB4012212, KB4499175']]));
    expect([staff.fields.kb, staff.fields.kb_list]).toEqual([undefined, 3]);
    // A scanner's finding title names the KB that is missing (Qualys): never read as installed.
    const qualys = mapColumns(['IP', 'DNS', 'NetBIOS', 'OS', 'QID', 'Title', 'Vuln Status', 'Vendor Reference'], {}, sample([['10.20.7.15', 'ward7-pc01.nwht.nhs.uk', 'WARD7-PC01', 'Windows 7 Professional 64 bit Edition Service Pack 1', '91345', 'Microsoft Windows SMB Server Security Update (MS17-010) (KB4012212)', 'Active', 'KB4012212']]));
    expect([qualys.fields.kb, qualys.fields.kb_list]).toEqual([undefined, undefined]);
  });

  test('WSUS: KnowledgebaseArticle is the update, SummarizationState its state', () => {
    const m = mapColumns(['ComputerName', 'SecurityBulletin', 'KnowledgebaseArticle', 'SummarizationState'], {}, sample([['ward7-pc02.nwht.nhs.uk', 'MS17-010', '4012212', '2']]));
    expect([m.fields.hostname, m.fields.kb, m.fields.kb_status]).toEqual([0, 2, 3]);
  });

  test('Ivanti\'s QNumber ("Q4012212") is the update column', () => {
    const m = mapColumns(['Machine Name', 'Operating System', 'Bulletin ID', 'QNumber', 'Install State'], {}, sample([['W7', 'Windows 7', 'MS17-010', 'Q4012212', 'Installed']]));
    expect([m.fields.kb, m.fields.kb_status, m.kbNotNumbers]).toEqual([3, 4, undefined]);
  });

  test('counts in one list column, lists in another ("Installed Updates" 2, "Hotfixes" KB…): the lists are read', () => {
    const m = mapColumns(['Hostname', 'OS', 'Installed Updates', 'Hotfixes'], {}, sample([['CT-01', 'Windows 7', '2', 'KB4012212, KB4499175'], ['CT-02', 'Windows 7', '1', 'KB3212646']]));
    expect([m.fields.kb_list, m.updateCounts, m.byColumn[2]]).toEqual([3, 2, null]);
  });

  test('an update-list column of counts ("Patches": 12) is not read as a list (it would be an empty one)', () => {
    const m = mapColumns(['Name', 'OS', 'Patches'], {}, sample([['AX-01', 'Windows 7', '12'], ['AX-02', 'Windows 10', '0']]));
    expect(m.fields.kb_list).toBeUndefined();
    expect(m.byColumn[2]).toBeNull();
    expect(m.updateCounts).toBe(2);
    // A list, or the user's --map, is read.
    expect(mapColumns(['Name', 'OS', 'Patches'], {}, sample([['AX-01', 'Windows 7', 'KB4012212, KB4499175']])).fields.kb_list).toBe(2);
    expect(mapColumns(['Name', 'OS', 'Patches'], { kb_list: 'Patches' }, sample([['AX-01', 'Windows 7', '12']])).fields.kb_list).toBe(2);
  });

  test('osquery os_version: name is the OS caption', () => {
    const m = mapColumns(['name', 'version', 'major', 'minor', 'patch', 'build', 'platform', 'platform_like', 'codename', 'arch']);
    expect(m.fields.os_name).toBe(0);
    expect(m.fields.hostname).toBeUndefined();
  });

  test('--map overrides win', () => {
    const m = mapColumns(['Asset', 'Host Name'], { hostname: 'Asset' });
    expect(m.fields.hostname).toBe(0);
  });
});

describe('namesAColumn: the quick answer to "does this cell name a column"', () => {
  const headers = [
    'Hostname', 'Host Name', 'ComputerName', 'Computer Name', 'Name0', 'Netbios_Name0', 'Details_Table0_Netbios_Name0', 'Details_Table0_HotFixID0',
    'OS Name', 'Caption0', 'Build01', 'BuildNumber0', 'OSVersion', 'Installed KBs', 'HotFixID', 'PSComputerName', 'CSName', 'Machine ID', 'Missing KBs',
    'Nom de l’hôte', 'Installierte Updates', '主机名', '\uFEFFHostname', ' Device name ', 'DeviceName', 'SerialNumber', 'Last Patch Date',
    'HOSTNAME', 'host_name', 'Host-Name', 'details_table12_caption0', 'WARD7-PC01', 'RECEPTION', 'WARD-ABCDEFGH', 'ward-pc.trust.local', 'Name 0', 'Details_Table0_OS Name0', 'KB4012212', '', '-', 'PC-0000',
  ];
  test.each(headers)('%s: as aliasCandidates says', (h) => {
    expect(namesAColumn(h)).toBe(aliasCandidates(h).length > 0);
  });
  test('any string: as aliasCandidates says', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.constantFrom(...headers).chain((h) => fc.tuple(fc.constant(h), fc.string({ maxLength: 3 })).map(([a, b]) => a + b))), (s) => {
        expect(namesAColumn(s)).toBe(aliasCandidates(s).length > 0);
      }),
      { numRuns: 2000 },
    );
  });
});
