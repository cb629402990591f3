/**
 * The folder reader's fast path (one synchronous read, whole-buffer decoding, systeminfo lines split
 * without patterns) must give exactly what the general reader gives: same events, same file info, same
 * errors.
 */
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { createDecoder, decodeWhole } from '../../../src/inventory/decode.js';
import { openFileSync, readInventorySource, textExportEventsSync, type InventoryFileInfo, type ReadInventoryOptions } from '../../../src/inventory/read-inventory.js';
import { DEFAULT_LIMITS, type InventoryEvent } from '../../../src/inventory/read-csv.js';
import { aliasCandidates } from '../../../src/inventory/fields.js';
import { looksLikeSysteminfoList, looksLikeWmicTable, splitLabel, splitLabelByPattern, systeminfoListEvents, systeminfoListEventsByLines } from '../../../src/inventory/read-text-formats.js';
import { fixture } from '../../helpers/cli.js';
import { tempDir, writeTemp } from '../../helpers/tmp.js';

const dir = tempDir();
const FIXTURES = fixture('exports');

async function general(file: string, opts: ReadInventoryOptions = {}): Promise<{ events: InventoryEvent[]; info: InventoryFileInfo | null; error: string | null }> {
  const events: InventoryEvent[] = [];
  let info: InventoryFileInfo | null = null;
  try {
    for await (const ev of readInventorySource(file, { ...opts, onFile: (i) => (info = i) })) events.push(ev);
  } catch (err) {
    return { events, info, error: (err as Error).message };
  }
  return { events, info, error: null };
}

function fast(file: string, opts: ReadInventoryOptions = {}): { events: InventoryEvent[] | null; info: InventoryFileInfo | null; error: string | null } {
  let info: InventoryFileInfo | null = null;
  try {
    const opened = openFileSync(file);
    if (!('whole' in opened)) return { events: null, info, error: null };
    return { events: textExportEventsSync(file, opened.whole, { ...opts, onFile: (i) => (info = i) }), info, error: null };
  } catch (err) {
    return { events: null, info, error: (err as Error).message };
  }
}

async function expectSame(file: string, opts: ReadInventoryOptions = {}): Promise<void> {
  const g = await general(file, opts);
  const f = fast(file, opts);
  expect(f.error).toBe(g.error);
  if (g.error) return;
  if (f.events === null) {
    // Not a text export: the general reader takes it (a CSV).
    expect(g.info?.format).toBe('csv');
    return;
  }
  expect(f.info).toEqual(g.info);
  expect(f.events).toEqual(g.events);
}

describe('splitLabel', () => {
  test.each([
    ['Host Name:                 PC-01', ['Host Name', 'PC-01']],
    ['OS Name: Microsoft Windows 7', ['OS Name', 'Microsoft Windows 7']],
    ['Registered Owner:', ['Registered Owner', '']],
    ['a:b:  c', ['a:b', 'c']],
    ['Hotfix(s):\t2 Hotfix(s) Installed.', ['Hotfix(s)', '2 Hotfix(s) Installed.']],
    ['no colon here', null],
    ['  [01]: KB4012212', null],
    ['Time:10:11', null],
    [':leading:  x', [':leading', 'x']],
    ['Nom de l\u2019hôte:   PC-01', ['Nom de l\u2019hôte', 'PC-01']],
  ])('%j', (line, expected) => {
    expect(splitLabel(line)).toEqual(expected);
    expect(splitLabelByPattern(line)).toEqual(expected);
  });

  test('agrees with its patterns on any line', () => {
    const char = fc.constantFrom(':', ' ', '\t', 'a', 'B', '1', '.', '(', '\u00a0', 'é', '\u2028', '\u000b', '\ufeff');
    fc.assert(
      fc.property(fc.array(char, { maxLength: 16 }), (chars) => {
        const line = chars.join('');
        expect(splitLabel(line)).toEqual(splitLabelByPattern(line));
      }),
      { numRuns: 5000 },
    );
  });
});

/** Events with each record's fields and columns as entry lists, so that key order counts too. */
function ordered(events: InventoryEvent[]): unknown[] {
  return events.map((e) => (e.type === 'record' ? { ...e, record: { ...e.record, fields: Object.entries(e.record.fields), columns: Object.entries(e.record.columns) } } : e));
}

function expectSameLines(text: string): void {
  const events = systeminfoListEvents('f.txt', text);
  expect(ordered(events)).toEqual(ordered(systeminfoListEventsByLines('f.txt', text)));
  // Objects without prototype, as before (a label such as "constructor" or "__proto__" is a plain key).
  for (const e of events) if (e.type === 'record') expect([Object.getPrototypeOf(e.record.fields), Object.getPrototypeOf(e.record.columns)]).toEqual([null, null]);
  expect(ordered(systeminfoListEvents('f.txt', text, 'dmy'))).toEqual(ordered(systeminfoListEventsByLines('f.txt', text, 'dmy')));
  // A long text: values are copied out of it.
  const long = text + '\n' + ' '.repeat(4100);
  expect(ordered(systeminfoListEvents('f.txt', long))).toEqual(ordered(systeminfoListEventsByLines('f.txt', long)));
}

/** The sniffers as they were, splitting the text's start into lines. */
function firstNonBlankLinesBySplit(text: string, count: number): string[] {
  for (let length = 4096; ; length *= 8) {
    const whole = length >= text.length;
    const lines = (whole ? text : text.slice(0, length)).split(/\r\n|\r|\n/);
    if (!whole) lines.pop();
    const out = lines.filter((l) => l.trim() !== '').slice(0, count);
    if (out.length === count || whole) return out;
  }
}

function looksLikeSysteminfoBySplit(text: string): boolean {
  for (const line of firstNonBlankLinesBySplit(text, 6)) {
    if (/^[,;|\t"]/.test(line) || /[;|\t]/.test(line.split(':')[0])) continue;
    const kv = splitLabelByPattern(line);
    const hits = kv ? aliasCandidates(kv[0]) : [];
    const field = hits.length === 0 ? null : [...hits].sort((a, b) => a.priority - b.priority)[0].field;
    if (kv && field === 'hostname' && kv[1] !== '' && !/[,;|]/.test(kv[0])) return true;
  }
  return false;
}

function looksLikeWmicBySplit(text: string): boolean {
  const first = firstNonBlankLinesBySplit(text, 1)[0] ?? '';
  return /\bHotFixID\b/i.test(first) && !/[,;\t|"]/.test(first) && /\S\s{2,}\S/.test(first);
}

describe('systeminfoListEvents (lines read in place)', () => {
  const files = readdirSync(path.join(FIXTURES, 'systeminfo')).filter((f) => f.endsWith('.txt'));
  test.each(files)('%s: as read line by line', (name) => {
    const bytes = readFileSync(path.join(FIXTURES, 'systeminfo', name));
    const text = bytes[0] === 0xff ? bytes.subarray(2).toString('utf16le') : iconv.decode(bytes, 'cp850');
    expectSameLines(text);
    expectSameLines(text.replace(/\r\n/g, '\r'));
    expectSameLines(text + '\n' + text.replace(/\r\n/g, '\n'));
  });

  test.each([
    ['empty', ''],
    ['one blank line', '   '],
    ['continuation before any label', '  [01]: KB4012212\r\nHost Name:  PC\r\n  [02]: x'],
    ['continuations onto an empty value', 'Host Name:  PC\r\nHotfix(s):\r\n   [01]: KB4012212\r\n\r\n \t [02]: KB4015549 \r\nOS Name:  W'],
    ['continuation of a label repeated', 'Host Name:  PC\r\nHotfix(s):  a\r\n  b\r\nHotfix(s):  c\r\n  d\r\n'],
    ['continuation after a line without colon', 'Host Name:  PC\r\nHotfix(s):  a\r\nno colon\r\n  b'],
    ['continuation after a line the general code reads', 'Host Name:  PC\r\nHotfix(s):  a\r\n\u00a0 b\r\n  c\r\nNBSP\u00a0label:  d\r\n  e'],
    ['non-ASCII whitespace', 'Host Name:\u00a0\u00a0PC\r\nOS Name:\u3000 Windows\u2028x\r\n\ufeffDomain:  d\r\n\u000bSystem Type: x64\f'],
    ['controls and DEL', 'Host Name:  P\u0000C\r\nOS\u007f Name:  W\u0001\r\nDomain:\ufffd  d'],
    ['localised labels', "Nom de l'hôte:   PC-01\r\nDomäne:  x\r\n主机名:   PC-02\r\n名称 : 値\r\n"],
    ['labels with colons', 'Host Name:  PC\r\nVirtual Memory: Max Size:  9 MB\r\nTime:10:11\r\nA: b:  c\r\nRegistered Owner:\r\nX :  y\r\nY :z'],
    ['surrogates', 'Host Name:  PC\ud83d\ude00\r\n\ud83d:  lone\r\n'],
    ['labels filling the padding', 'Host Name:                 PC\r\nVirtual Memory: Max Size:  9 MB\r\nVirtual Memory: Available: 8 MB\r\nAvailable Physical Memory: 7 MB\r\nA: b: c\r\nVirtual Memory: In Use:    1 MB'],
    ['a label filling the padding before any padded line, and odd blanks', 'Virtual Memory: Available: 8 MB\r\nHost Name:   PC\r\nX: Y: z\r\nX: Y:\u00a0z\r\nX:\u00a0Y: z\r\n\ufeffX: Y: z\r\nX: Y: \r\nXY:Z: z\r\n:  Y: z\r\n X: Y: z'],
    ['value columns of appended blocks', 'Host Name:    A\r\nLong label: x: 1\r\nHost Name:  B\r\nLong label: x: 1\r\nLabel: x\r\n'],
    ['prototype-like labels', 'Host Name:  PC\r\n__proto__:  x\r\n  y\r\nconstructor:  z\r\ntoString:\r\nhasOwnProperty:  h\r\n0:  zero\r\n12:  twelve\r\n'],
    ['same hostname twice', 'Host Name:  PC\r\nHost Name:  PC\r\nOS Name:  A\r\nOS Name:  B\r\n  cont'],
    // Runs of blanks (passed over natively): wide padding and indents, tabs among them, up to the text's end.
    ['wide padding and indents', `Host Name:${' '.repeat(45)}PC\r\nHotfix(s):${' \t'.repeat(30)}2 Hotfix(s)\r\n${' '.repeat(55)}[01]: KB4012212\r\n${'\t '.repeat(28)}[02]: KB4015549${' '.repeat(9)}\r\n`],
    ['blanks to the end of the text', 'Host Name:  PC\r\nHotfix(s):  a\r\n   \t '],
    ['a padded label at the end of the text', 'Host Name:  PC\r\nOS Name:  \t  '],
    ['an indent then a line end, LF and CR', 'Host Name:  PC\nHotfix(s):  a\n      \n    b\r    \r\n  c'],
  ])('%s', (_name, text) => {
    expectSameLines(text);
  });

  test('a label filling the padding is the whole label (as systeminfo /FO CSV names it)', () => {
    const text = 'Host Name:                 PC-01\r\nVirtual Memory: Max Size:  18,495 MB\r\nVirtual Memory: Available: 9,912 MB\r\nVirtual Memory: In Use:    8,583 MB\r\n';
    for (const t of [text, text + ' '.repeat(4100)]) {
      const [ev] = systeminfoListEvents('f.txt', t);
      expect(ev.type === 'record' && { ...ev.record.columns }).toEqual({
        'Host Name': 'PC-01',
        'Virtual Memory: Max Size': '18,495 MB',
        'Virtual Memory: Available': '9,912 MB',
        'Virtual Memory: In Use': '8,583 MB',
      });
    }
    // Without a value column to go by, the first colon followed by a blank ends the label.
    const [alone] = systeminfoListEvents('f.txt', 'Host Name: PC-01\r\nVirtual Memory: Available: 9,912 MB\r\n');
    expect(alone.type === 'record' && alone.record.columns['Virtual Memory']).toBe('Available: 9,912 MB');
  });

  test('more labels than the label cache holds', () => {
    let text = 'Host Name:  PC\r\n';
    for (let i = 0; i < 5000; i++) text += `Label ${i}:  v${i}\r\n  c${i}\r\n`;
    expectSameLines(text);
    expectSameLines(text.replace('PC', 'PC2'));
  });

  test('agrees on any text', () => {
    const piece = fc.constantFrom(
      'Host Name', 'Hostname', 'OS Name', 'OS Version', 'Hotfix(s)', 'Domäne', "Nom de l'hôte", 'System Type', 'Original Install Date', 'KB4012212', '[01]',
      '3/4/2021, 10:11:12 AM', 'Virtual Memory: Available: ', 'Host Name:    ', 'Label: ', ':', ':', ': ', ':  ', ' ', '  ', '\t', ' \t', '\r\n', '\r\n', '\n', '\r', '\r\n  ', '\r\n\t', 'a', 'Z', '1', ',', ';', '|', '"',
      '\u00a0', '\u3000', '\ufeff', '\u000b', '\u000c', '\u0085', '\u2028', '\u0000', '\u007f', '\ufffd', 'é', '主', '\ud83d', '\ude00',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
        const text = pieces.join('');
        expectSameLines(text);
        expect(looksLikeSysteminfoList(text)).toBe(looksLikeSysteminfoBySplit(text));
        expect(looksLikeWmicTable(text)).toBe(looksLikeWmicBySplit(text));
      }),
      { numRuns: 4000 },
    );
  });

  test.each([
    'Host Name,:  PC', 'Host Name:, x:  PC', 'Host, Name:  PC', 'Host Name|:  PC', 'Host;Name:  PC', 'Host Name:  a;b', ',Host Name:  PC',
    '"Host Name":  PC', '\tHost Name:  PC', 'Host Name\t:  PC', 'Host Name:', 'Host Name:  ', 'Host Name: PC', 'Host Name:PC', 'Hostname\u00a0:  PC',
    'Host Name:\u3000 PC', '\ufeffHost Name:  PC', 'Nom de l\u2019hôte:  PC', "Nom de l'hôte :  PC", 'x\r\ny\r\nz\r\nw\r\nv\r\nHost Name:  PC',
    'x\r\ny\r\nz\r\nw\r\nv\r\nu\r\nHost Name:  PC', '  \r\n\t\r\n\u00a0\r\nHost Name:  PC', 'HotFixID  Description', ' \r\nCaption  HotFixID  InstalledOn\r\n',
  ])('sniffers: %j', (text) => {
    expect(looksLikeSysteminfoList(text)).toBe(looksLikeSysteminfoBySplit(text));
    expect(looksLikeWmicTable(text)).toBe(looksLikeWmicBySplit(text));
  });

  test('sniffers: lines past the first 4 KiB, and a line end cut by it', () => {
    for (const pad of [4093, 4094, 4095, 4096, 4097, 32767, 32768]) {
      for (const eol of ['\r\n', '\r', '\n']) {
        const text = 'x'.repeat(pad) + eol + 'a\r\n'.repeat(3) + 'Host Name:  PC' + eol + 'HotFixID  Description';
        expect(looksLikeSysteminfoList(text)).toBe(looksLikeSysteminfoBySplit(text));
        const blank = ' '.repeat(pad) + eol + 'HotFixID  Description  InstalledOn' + eol;
        expect(looksLikeWmicTable(blank)).toBe(looksLikeWmicBySplit(blank));
        expect(looksLikeSysteminfoList('\r\n'.repeat(pad) + 'Host Name:  PC')).toBe(true);
      }
    }
  });
});

describe('openFileSync', () => {
  const SAMPLE = 256 * 1024;
  test.each([
    ['small', 10],
    ['one byte', 1],
    ['at the sample size', SAMPLE],
  ])('%s file: read whole', (_name, size) => {
    const bytes = Buffer.alloc(size, 0x41);
    const opened = openFileSync(writeTemp(dir, `open-${size}.txt`, bytes));
    expect('whole' in opened && opened.whole.equals(bytes)).toBe(true);
  });

  test('an empty file: read whole (after its stat)', () => {
    const opened = openFileSync(writeTemp(dir, 'open-empty.txt', ''));
    expect('whole' in opened && opened.whole.length).toBe(0);
  });

  test('over the sample size: kept open to stream from its start', async () => {
    const text = 'Hostname,OS Name\r\n' + 'PC-01,Windows 7\r\n'.repeat(20_000);
    const file = writeTemp(dir, 'open-big.csv', text);
    const opened = openFileSync(file);
    expect('fd' in opened && typeof opened.fd).toBe('number');
    const events: InventoryEvent[] = [];
    const { readInventoryBatches } = await import('../../../src/inventory/read-inventory.js');
    for await (const batch of readInventoryBatches(file, {}, opened)) events.push(...batch);
    expect(events.filter((e) => e.type === 'record')).toHaveLength(20_000);
  });

  test('over --max-file-size: the same message, small or large', () => {
    const small = writeTemp(dir, 'open-limit.txt', 'x'.repeat(100));
    expect(() => openFileSync(small, { ...DEFAULT_LIMITS, maxFileBytes: 99 })).toThrow('file is 100 bytes, over the limit of 99 (--max-file-size)');
    expect('whole' in openFileSync(small, { ...DEFAULT_LIMITS, maxFileBytes: 100 })).toBe(true);
    const big = writeTemp(dir, 'open-limit-big.txt', 'x'.repeat(SAMPLE + 10));
    expect(() => openFileSync(big, { ...DEFAULT_LIMITS, maxFileBytes: SAMPLE })).toThrow(`file is ${SAMPLE + 10} bytes, over the limit of ${SAMPLE} (--max-file-size)`);
  });

  test('a folder, a missing file', () => {
    expect(() => openFileSync(dir)).toThrow('is a folder, not a file');
    expect(() => openFileSync(path.join(dir, 'no-such-file'))).toThrow('no such file');
  });

  (process.platform === 'win32' ? test.skip : test)('a named pipe: left to be streamed by path', () => {
    const fifo = path.join(dir, 'open-fifo');
    if (!existsSync(fifo)) execFileSync('mkfifo', [fifo]);
    expect(openFileSync(fifo)).toEqual({ fd: null });
  });
});

describe('decodeWhole', () => {
  test.each([
    ['utf-8', Buffer.from('plain ASCII\r\n')],
    ['utf-8', Buffer.from('Zürich 北京 \ufeff')],
    ['utf-8', Buffer.from([0x41, 0xc3, 0x28, 0xff, 0xe2, 0x82])],
    ['utf-16le', Buffer.from('Host Name: PC\u00e9', 'utf16le')],
    ['utf-16le', Buffer.from([0x41, 0x00, 0x42])],
    ['utf-16be', Buffer.from('Host Name: PC', 'utf16le').swap16()],
    ['cp850', iconv.encode('Domäne: ÄÖÜ', 'cp850')],
    ['gbk', iconv.encode('主机名: PC-01', 'gbk')],
  ])('%s: as a streaming decoder', (encoding, bytes) => {
    const d = createDecoder(encoding);
    expect(decodeWhole(encoding, bytes)).toBe(d.write(bytes) + d.end());
  });
});

describe('textExportEventsSync', () => {
  const fixtureFiles = ['systeminfo', 'wmic-qfe', 'wmic-list', 'powershell-list', 'twins'].flatMap((d) =>
    readdirSync(path.join(FIXTURES, d))
      .filter((f) => !f.endsWith('.md') && !f.endsWith('.json'))
      .map((f) => path.join(FIXTURES, d, f)),
  );

  test.each(fixtureFiles.map((f) => [path.relative(FIXTURES, f), f]))('%s: as the general reader', async (_name, file) => {
    await expectSame(file);
    await expectSame(file, { dateOrder: 'dmy' });
  });

  test('the same with --encoding', async () => {
    await expectSame(path.join(FIXTURES, 'systeminfo', 'SAH-W7-0601.txt'), { encoding: 'utf-16le' });
    await expectSame(path.join(FIXTURES, 'systeminfo', 'HRI-W7-FR01.txt'), { encoding: 'cp850' });
    await expectSame(path.join(FIXTURES, 'systeminfo', 'HRI-W7-FR01.txt'), { encoding: 'no-such-encoding' });
  });

  const base = readFileSync(path.join(FIXTURES, 'systeminfo', 'WCH-SV-2016-DC.txt'), 'utf8');
  test.each<[string, string | Buffer]>([
    ['empty.txt', ''],
    ['blank.txt', '\r\n  \r\n'],
    ['binary.txt', Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14])],
    ['png.txt', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
    ['json.txt', '{"Host Name": "PC"}'],
    ['utf16-nobom.txt', Buffer.from(base, 'utf16le')],
    ['utf16be-bom.txt', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(base, 'utf16le').swap16()])],
    ['utf8-bom.txt', '\ufeff' + base],
    ['double-bom.txt', '\ufeff\ufeff' + base],
    ['lf.txt', base.replace(/\r\n/g, '\n')],
    ['cr.txt', base.replace(/\r\n/g, '\r')],
    ['appended.txt', base + base.replace(/WCH-SV-2016-DC/g, 'PC-02') + '\r\n\r\n' + base],
    ['preamble.txt', '\r\n\r\nsome text before\r\n' + base],
    ['odd-lines.txt', 'Host Name:\tODD-01\r\nWeird:Label:  x\r\n:Colon first:  y\r\nRegistered Owner:\r\n\u00a0Indented:  z\r\nHotfix(s):  1 Hotfix(s) Installed.\r\n\t[01]: KB5034441\r\nOriginal Install Date:     3/4/2021, 10:11:12 AM\r\n'],
    ['latin1.txt', Buffer.from(base.replace('Domain:', 'Domäne:'), 'latin1')],
    ['wmic-lf.txt', 'Caption  CSName  Description  HotFixID   InstalledOn\nhttp://x  PC-09  Update  KB4012212  3/14/2017\n'],
    ['small.csv', 'Hostname,OS Name\nPC-01,Windows 7\n'],
    // Control characters are counted among the first 8192 characters as the systeminfo lines are read.
    ['controls-over.txt', 'Host Name:  PC\r\n' + '\u0001\u0002x\r\n'.repeat(20)],
    ['controls-under.txt', 'Host Name:  PC\r\n' + 'Domain:  a\u0001bcdefghijklmnopqrstuvwxyz\r\n'.repeat(20)],
    ['fffd-over.txt', 'Host Name:  PC\r\nOS Name:  ' + '\ufffd'.repeat(30)],
    ['controls-after-probe.txt', 'Host Name:  PC\r\n' + 'Domain:  abcdefgh\r\n'.repeat(800) + '\u0001'.repeat(5000)],
    ['controls-across-probe.txt', 'Host Name:  PC\r\n' + 'Domain:  abcdefgh\r\n'.repeat(500) + 'x:  ' + '\u0001'.repeat(2000)],
    ['controls-tab-vt.txt', 'Host Name:  PC\r\n' + '\t\u000b\u000cx\r\n'.repeat(20)],
    ['json-systeminfo.txt', '[\r\nHost Name:  PC\r\n'],
    ['xml-systeminfo.txt', ' \t<a\r\nHost Name:  PC\r\n'],
    ['nbsp-start.txt', '\u00a0{\r\nHost Name:  PC\r\n'],
  ])('%s: as the general reader', async (name, content) => {
    await expectSame(writeTemp(dir, name, content));
  });

  test('control characters at the edge of the first 8192 characters', async () => {
    // 820 of 8192 make a binary file, 819 do not: the last one sits at 8191 or 8192.
    for (const control of ['\u0001', '\ufffd']) {
      for (const at of [8190, 8191, 8192]) {
        const head = 'Host Name:  PC\r\nDomain:  ' + control.repeat(819);
        const text = head + 'a'.repeat(at - head.length) + control + 'b'.repeat(100) + '\r\n';
        await expectSame(writeTemp(dir, `edge-${at}-${control.charCodeAt(0)}.txt`, text));
      }
    }
  });

  test('a folder, a missing file: the same errors', async () => {
    await expectSame(dir);
    await expectSame(path.join(dir, 'missing.txt'));
  });
});
