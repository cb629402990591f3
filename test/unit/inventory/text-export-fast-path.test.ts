/**
 * The folder reader's fast path (one synchronous read, whole-buffer decoding, systeminfo lines split
 * without patterns) must give exactly what the general reader gives: same events, same file info, same
 * errors.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { createDecoder, decodeWhole } from '../../../src/inventory/decode.js';
import { openFileSync, readInventorySource, textExportEventsSync, type InventoryFileInfo, type ReadInventoryOptions } from '../../../src/inventory/read-inventory.js';
import type { InventoryEvent } from '../../../src/inventory/read-csv.js';
import { splitLabel, splitLabelByPattern } from '../../../src/inventory/read-text-formats.js';
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
  const fixtureFiles = ['systeminfo', 'wmic-qfe', 'twins'].flatMap((d) =>
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
  ])('%s: as the general reader', async (name, content) => {
    await expectSame(writeTemp(dir, name, content));
  });

  test('a folder, a missing file: the same errors', async () => {
    await expectSame(dir);
    await expectSame(path.join(dir, 'missing.txt'));
  });
});
