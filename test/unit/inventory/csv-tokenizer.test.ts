import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { CsvTokenizer, type TokenizedRecord } from '../../../src/inventory/csv-tokenizer.js';

/** Tokenize `text` fed in the given pieces; returns records, or the hand-off. */
function tokenize(pieces: string[], skipLines = 0, maxRecord = 1 << 20, lineBreak: '\n' | '\r' = '\n') {
  const t = new CsvTokenizer(',', skipLines, maxRecord, 1, lineBreak);
  const out: TokenizedRecord[] = [];
  for (const p of pieces) t.push(p, out);
  t.end(out);
  return { records: out, stopped: t.stopped };
}

function cut(text: string, points: number[]): string[] {
  const sorted = [...new Set(points.map((p) => p % (text.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let prev = 0;
  for (const p of sorted) {
    pieces.push(text.slice(prev, p));
    prev = p;
  }
  pieces.push(text.slice(prev));
  return pieces;
}

/** csv-parse with the reader's options: the reference for well-formed text. */
function reference(text: string): string[][] {
  return (parse(text, { relax_column_count: true, relax_quotes: true, skip_empty_lines: true, record_delimiter: ['\r\n', '\n', '\r'], bom: false }) as string[][]).filter(
    (r) => !(r.length === 1 && r[0] === ''),
  );
}

// Cells as exports write them: plain, or quoted when they hold a delimiter, quote or line break.
const plainCell = fc.stringMatching(/^[A-Za-z0-9 .;:_\-()é™]{0,12}$/);
const quotedCell = fc.stringMatching(/^[A-Za-z0-9 ,"\r\n.;é]{0,12}$/).map((s) => `"${s.replace(/"/g, '""')}"`);
const cell = fc.oneof(plainCell, quotedCell);
const eol = fc.constantFrom('\n', '\r\n', '\r');
const csvText = fc
  .array(fc.tuple(fc.array(cell, { minLength: 1, maxLength: 5 }), eol, fc.boolean()), { minLength: 1, maxLength: 30 })
  .map((rows) => rows.map(([cells, end, blankAfter]) => cells.join(',') + end + (blankAfter ? end : '')).join(''));

describe('CsvTokenizer', () => {
  test('well-formed text: the same records as csv-parse, however the text is cut into chunks', () => {
    fc.assert(
      fc.property(csvText, fc.array(fc.nat(), { maxLength: 6 }), (text, points) => {
        const { records, stopped } = tokenize(cut(text, points));
        expect(stopped).toBeNull();
        expect(records.map((r) => r.cells)).toEqual(reference(text));
      }),
      { numRuns: 400 },
    );
  });

  test('line numbers are physical lines: CRLF, LF and CR twins agree, line breaks inside quotes count', () => {
    const lf = 'a,b\n"x\ny",2\n\nz,3\n"q",4';
    for (const end of ['\n', '\r\n', '\r']) {
      const { records } = tokenize([lf.replace(/\n/g, end)], 0, 1 << 20, end === '\r' ? '\r' : '\n');
      expect(records.map((r) => [r.cells[0], r.line])).toEqual([
        ['a', 1],
        [`x${end}y`, 2],
        ['z', 5],
        ['q', 6],
      ]);
    }
  });

  test("inside quotes only the file's own line break counts (a stray CR in an LF file is no line)", () => {
    const { records } = tokenize(['"a\rb",1\nc,2\n']);
    expect(records.map((r) => r.line)).toEqual([1, 2]);
  });

  test('skips the preamble and header lines, and numbers from the line after them', () => {
    const { records } = tokenize(['Report title\r\nHostname,OS\r\nPC-01,Windows 7\r\n'], 2);
    expect(records).toEqual([{ cells: ['PC-01', 'Windows 7'], line: 3 }]);
  });

  test('a CR at the end of a chunk waits for the next chunk (it may be half a CRLF)', () => {
    const { records } = tokenize(['a,1\r', '\nb,2\r', '\r', 'c,3']);
    expect(records).toEqual([
      { cells: ['a', '1'], line: 1 },
      { cells: ['b', '2'], line: 2 },
      { cells: ['c', '3'], line: 4 },
    ]);
  });

  test.each([
    ['a quote inside an unquoted field', 'a,1\nb,2\nc"c,3\nd,4\n', 3, 'c"c,3\nd,4\n'],
    ['text after a closing quote', 'a,1\n"b"x,2\n', 2, '"b"x,2\n'],
    ['a quote never closed', 'a,1\nb,"2\nc,3\n', 2, 'b,"2\nc,3\n'],
  ])('%s: hands the rest to csv-parse from the start of that record', (_label, text, line, rest) => {
    const { records, stopped } = tokenize([text]);
    expect(stopped).toEqual({ text: rest, line });
    expect(records.length).toBe(line - 1);
  });

  test('pieces: small cuts of plain rows, the rest at once while a long record is pending', () => {
    const rows = Array.from({ length: 400 }, (_, i) => `PC-${i},Windows 10,${'x'.repeat(100)}`).join('\n') + '\n';
    const tokenizer = new CsvTokenizer(',', 0, 10_000_000, 2);
    const out: TokenizedRecord[] = [];
    const cuts: number[] = [];
    for (const piece of tokenizer.pieces(rows)) {
      tokenizer.push(piece, out);
      cuts.push(piece.length);
    }
    expect(cuts.length).toBeGreaterThan(2);
    expect(Math.max(...cuts)).toBeLessThanOrEqual(16 * 1024);
    expect(out).toHaveLength(400);
    // A quoted cell still open after the first cuts: once it is longer than a cut, the rest goes in one push.
    const long = `PC-X,Windows 7,"${'y'.repeat(100_000)}"\nPC-Y,Windows 7,z\n`;
    const second = new CsvTokenizer(',', 0, 10_000_000, 2);
    const got: TokenizedRecord[] = [];
    let pushes = 0;
    for (const piece of second.pieces(long)) {
      second.push(piece, got);
      pushes++;
    }
    expect(pushes).toBeLessThanOrEqual(3);
    expect(got.map((r) => [r.cells[0], r.cells[2].length, r.line])).toEqual([['PC-X', 100_000, 2], ['PC-Y', 1, 3]]);
  });

  test('a record over the size limit is handed off (csv-parse reports it)', () => {
    const { stopped } = tokenize(['a,1\n' + 'b,' + 'x'.repeat(200) + '\n'], 0, 100);
    expect(stopped?.line).toBe(2);
  });

  test('blocks: complete rows as text; tokenizing each block from its line gives the same records', () => {
    fc.assert(
      fc.property(csvText, fc.array(fc.nat(), { maxLength: 6 }), (text, points) => {
        const pieces = cut(text, points);
        const t = new CsvTokenizer(',', 0, 1 << 20);
        const blocks = pieces.map((p) => t.pushBlock(p, false)).concat([t.pushBlock('', true)]);
        expect(blocks.map((b) => b.text).join('')).toBe(text);
        const again = blocks.flatMap((b) => tokenize([b.text], 0).records.map((r) => ({ ...r, line: r.line + b.line - 1, ...(r.lastLine !== undefined ? { lastLine: r.lastLine + b.line - 1 } : {}) })));
        expect(again).toEqual(tokenize([text]).records);
      }),
      { numRuns: 300 },
    );
  });
});
