/**
 * Characters that display as nothing (or rewrite the display) in inventory text: every human format
 * shows them as escapes, so two hostnames that differ only in them never look the same, and the table
 * keeps its columns with combining marks, emoji and wide characters.
 */
import { csvCell } from '../../../src/report/csv.js';
import { escapeMarkdown } from '../../../src/report/markdown.js';
import { logSafe, showHidden, terminalSafe } from '../../../src/report/sanitize.js';
import { width } from '../../../src/report/table.js';

// Two names a machine's owner can type that look like HRI-PC-10-1602 in a terminal, a spreadsheet or a
// rendered page, with the escape each format must show instead.
const LOOKALIKES: [string, string][] = [
  ['HRI-PC-10-1602\u200b', 'HRI-PC-10-1602\\u200b'], // zero-width space
  ['HRI-PC-10-1602\u2060', 'HRI-PC-10-1602\\u2060'], // word joiner
  ['HRI-PC-10-\u00ad1602', 'HRI-PC-10-\\xad1602'], // soft hyphen
  ['HRI-PC-10-1602\ufeff', 'HRI-PC-10-1602\\ufeff'], // BOM / zero-width no-break space
  ['HRI-PC-10-1602\u200d', 'HRI-PC-10-1602\\u200d'], // zero-width joiner
  ['HRI-PC-10-1602\u{e0041}', 'HRI-PC-10-1602\\u{e0041}'], // tag character
  ['HRI-PC\u3164-10-1602', 'HRI-PC\\u3164-10-1602'], // Hangul filler (drawn blank)
  ['HRI-PC-10-1602\x1b[8m', 'HRI-PC-10-1602\\x1b[8m'], // an escape sequence, not removed
  ['HRI-PC-10-1602\x1b]8;;http://x.example/\x07\x1b]8;;\x07', 'HRI-PC-10-1602\\x1b]8;;http://x.example/\\x07\\x1b]8;;\\x07'], // empty OSC 8 link
];

describe('showHidden / terminalSafe', () => {
  test.each(LOOKALIKES)('%j is shown with its hidden characters', (input, shown) => {
    expect(terminalSafe(input)).toBe(shown);
    expect(logSafe(input)).toBe(shown);
    expect(terminalSafe(input)).not.toBe('HRI-PC-10-1602');
  });

  test('bidi controls, C0 and C1 controls are escaped; tab and line breaks read as spaces in a terminal', () => {
    expect(terminalSafe('ADMIN\u202egpj.exe')).toBe('ADMIN\\u202egpj.exe');
    expect(terminalSafe('a\u2066b\u2069c\u061cd\u200ee')).toBe('a\\u2066b\\u2069c\\u061cd\\u200ee');
    expect(terminalSafe('x\x07\x08\x7f\x85\x9by')).toBe('x\\x07\\x08\\x7f\\x85\\x9by');
    expect(terminalSafe('a\tb\nc\r\nd')).toBe('a b c  d');
    expect(terminalSafe('a\u2028b')).toBe('a\\u2028b');
  });

  test('ordinary text of any script is left alone', () => {
    for (const s of ['HRI-PC-10-1602', '東京本院 放射線科', 'KBM-PC-7-CAFE\u0301', 'Kingsbridge 🏥', 'Zürich – Süd', 'Ward 7 (ICU)']) {
      expect(terminalSafe(s)).toBe(s);
      expect(showHidden(s)).toBe(s);
    }
  });

  test('showHidden keeps the characters it is asked to keep', () => {
    expect(showHidden('a\tb\nc\u200bd', '\t\n\r')).toBe('a\tb\nc\\u200bd');
  });
});

describe('Markdown shows hidden characters instead of dropping them', () => {
  test.each(LOOKALIKES)('%j', (input) => {
    // (less the word joiner the escaper itself puts into "://" so GitHub does not link it)
    const md = escapeMarkdown(input).replace(/:\u2060\/\//g, '://');
    expect(md).not.toBe('HRI-PC-10-1602');
    expect(md).not.toMatch(/[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2060\ufeff\u00ad\u3164]/);
    expect(md).toContain('\\\\'); // the escape's backslash, itself escaped
  });

  test('a bidi override reads as an escape, not as a host of the other name', () => {
    expect(escapeMarkdown('ADMIN-PC\u202egpj.exe')).toBe('ADMIN-PC\\\\u202egpj.exe');
  });
});

describe('CSV shows invisible characters as it shows controls', () => {
  test.each(LOOKALIKES)('%j', (input) => {
    const cell = csvCell(input);
    expect(cell).not.toBe('HRI-PC-10-1602');
    expect(cell).not.toMatch(/[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2060\ufeff\u00ad\u3164]|\udb40/);
  });

  test('formula starts are still defused, and plain values untouched', () => {
    expect(csvCell('\u200b=HYPERLINK("http://x","y")')).toBe('"\\u200b=HYPERLINK(""http://x"",""y"")"');
    expect(csvCell('=1+1')).toBe(`"'=1+1"`);
    expect(csvCell('東京本院')).toBe('東京本院');
    expect(csvCell(-3)).toBe('-3');
  });
});

describe('table column width', () => {
  test.each([
    ['HRI-PC-10-1602', 14],
    ['東京-PC-7-0001', 14], // two wide ideographs
    ['KBM-PC-7-CAFE\u0301', 13], // E + combining acute: one column
    ['Kingsbridge 🏥', 14], // an emoji takes two columns
    ['\u{20b9f}\u{20b9f}', 4], // CJK Extension B ideographs are wide too
    ['ＡＢ', 4], // full-width Latin
    ['a\u2060b', 2], // the word joiner logSafe inserts
  ])('%j is %i columns', (s, w) => {
    expect(width(s)).toBe(w);
  });
});
