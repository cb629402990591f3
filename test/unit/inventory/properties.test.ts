/**
 * Property tests (fast-check) for the parts that see untrusted text first: the OS normaliser, the CSV
 * reader's row accounting, waiver globs and the terminal sanitiser.
 */
import fc from 'fast-check';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runAudit } from '../../../src/audit.js';
import { globMatch } from '../../../src/evaluation/waivers.js';
import { aliasCandidates } from '../../../src/inventory/fields.js';
import { namesNoMachine } from '../../../src/inventory/hosts.js';
import { normaliseOs, type OsInput } from '../../../src/inventory/normalise-os.js';
import type { LoadedRule } from '../../../src/rules/types.js';
import { loadRules } from '../../../src/rules/load-rules.js';
import { terminalSafe } from '../../../src/report/sanitize.js';
import { tempDir } from '../../helpers/tmp.js';

const dir = tempDir('patchaudit-props-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const OS_FIELDS = ['osName', 'osVersion', 'build', 'revision', 'release', 'edition', 'servicePack', 'arch', 'productType', 'platform'] as const;

// ------------------------------------------------------------------------------------------------
describe('normaliseOs', () => {
  test('never throws, whatever it is given (strings, numbers, objects, null, prototypes)', () => {
    const anyCell = fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.anything(), fc.constantFrom('__proto__', 'constructor', 'toString'));
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.record(Object.fromEntries(OS_FIELDS.map((f) => [f, anyCell])), { requiredKeys: [] })), (input) => {
        const info = normaliseOs(input as OsInput);
        expect(['windows', 'linux', 'macos', 'other', 'unknown']).toContain(info.family);
        expect(typeof info.raw).toBe('string');
        expect(Array.isArray(info.notes)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  test('very long cells (beyond the 512-character match window) neither throw nor take long', () => {
    const started = Date.now();
    fc.assert(
      fc.property(fc.constantFrom('Microsoft Windows 10 Enterprise ', '10.0.', 'Server ', '(', ' ', 'x64 ', 'Version '), fc.integer({ min: 1_000, max: 50_000 }), (piece, times) => {
        const big = piece.repeat(Math.ceil(times / piece.length));
        normaliseOs({ osName: big, osVersion: big, edition: big, release: big, build: big });
      }),
      { numRuns: 50 },
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  // Punctuation (no digits, no Latin letters), Greek and CJK: nothing that can spell an OS word or a version.
  const PUNCT = [...' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~¡¿«»–—…·'];
  const greek = fc.integer({ min: 0x391, max: 0x3c9 }).filter((c) => c !== 0x3a2).map((c) => String.fromCharCode(c));
  const cjk = fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCharCode(c));
  const garbage = fc.array(fc.oneof(fc.constantFrom(...PUNCT), greek, cjk), { maxLength: 40 }).map((a) => a.join(''));

  test('garbage without OS words → family "unknown", product null', () => {
    fc.assert(
      fc.property(fc.record(Object.fromEntries(OS_FIELDS.map((f) => [f, garbage])), { requiredKeys: [] }), (input) => {
        const info = normaliseOs(input as OsInput);
        expect({ family: info.family, product: info.product }).toEqual({ family: 'unknown', product: null });
        expect(info.build).toBeNull();
      }),
      { numRuns: 1000 },
    );
  });

  const CAPTIONS = [
    '',
    'Microsoft Windows XP Professional',
    'Windows Vista Business',
    'Microsoft Windows 7 Professional',
    'Microsoft Windows 7 Enterprise ',
    'Windows 8.1 Pro',
    'Microsoft Windows 10 Enterprise',
    'Windows 10 Pro',
    'Microsoft Windows 10 Enterprise LTSC 2019',
    'Microsoft Windows 11 Enterprise',
    'Windows 11 Pro for Workstations',
    'Microsoft Windows Server 2003 R2 Standard Edition',
    'Windows Server 2008 R2 Enterprise',
    'Microsoft Windows Server 2012 R2 Standard',
    'Microsoft Windows Server 2016 Standard',
    'Microsoft Windows Server 2019 Datacenter',
    'Windows Server 2022 Standard',
    'Windows Server 2025 Datacenter',
    'Windows Embedded Standard 7',
    'Windows Embedded POSReady 2009',
    'Microsoft® Windows Server® 2008 Enterprise',
    'Windows 2000 Professional',
    'Ubuntu 22.04.4 LTS',
    'Debian GNU/Linux 12 (bookworm)',
    'Red Hat Enterprise Linux 9.2 (Plow)',
    'macOS 14.5',
    'CentOS Linux 7 (Core)',
  ];
  const VERSIONS = ['', '5.0.2195', '5.1.2600', '5.2.3790', '6.0.6002', '6.1.7601', '6.2.9200', '6.3.9600', '10.0.10240', '10.0.14393.7000', '10.0.17763.5830', '10.0.19044.3086', '10.0.19045.4291', '10.0.20348.2527', '10.0.22000.2538', '10.0.22631.3880', '10.0.26100.4349', '22.04', '12'];
  const recognised = fc
    .record({
      osName: fc.constantFrom(...CAPTIONS),
      osVersion: fc.constantFrom(...VERSIONS),
      productType: fc.constantFrom('', '1', '2', '3'),
      edition: fc.constantFrom('', 'Enterprise', 'Professional', 'EnterpriseS', 'Education', 'ServerStandard'),
      servicePack: fc.constantFrom('', 'Service Pack 1', '2'),
      arch: fc.constantFrom('', '64-bit', 'x86'),
    })
    .map((input) => ({ input, info: normaliseOs(input) }))
    .filter(({ info }) => info.product !== null);

  test('idempotent on its own output: "<product> <edition>" + "<nt>.<build>.<revision>" gives the same product, release and build', () => {
    fc.assert(
      fc.property(recognised, ({ input, info }) => {
        const again =
          info.family === 'windows'
            ? normaliseOs({
                osName: `${info.product} ${info.edition ?? ''}`.trim(),
                osVersion: [info.ntVersion, info.build, info.revision].filter((x) => x !== null).join('.'),
              })
            : normaliseOs({ osName: `${info.product} ${info.release ?? ''}`.trim() });
        expect({ input, product: again.product, release: again.release, build: again.build }).toEqual({ input, product: info.product, release: info.release, build: info.build });
      }),
      { numRuns: 1500 },
    );
  });
});

// ------------------------------------------------------------------------------------------------
describe('CSV reader accounting (runAudit summary)', () => {
  let rules: LoadedRule[];
  beforeAll(async () => {
    rules = await loadRules(['WIN-EOS']);
  });

  const KNOWN = ['OS Name', 'OS Version', 'Installed KBs', 'Site', 'Role', 'Service Pack', 'Build Number', 'Last Patch Date', 'Department'];
  const UNKNOWN = ['Colour', 'Notes', 'Ticket', 'Comment', 'Ωμέγα', '備考'];
  const DATES_OK = ['', '2024-01-05', ' 2023-12-31 ', 'N/A'];
  const DATES_BAD = ['not a date', '2024-13-45', 'yesterday'];

  /** A value that cannot be mistaken for a header cell, a `sep=` line or a systeminfo "Label: value", even in pieces. */
  // Nor, in a cell over several lines, a line holding delimiters: it may read as a row of its own that a
  // quote left open swallowed, and the record is then rejected (see RecordDecoder.swallowedRow).
  const innocent = (s: string) => !/sep=/i.test(s) && !/[\r\n][^]*[,;\t|]/.test(s) && s.split(/[,;\t|\r\n":]/).every((piece) => aliasCandidates(piece).length === 0);
  const CHARS = ['a', 'b', 'Z', 'x', '0', '7', ' ', '"', ',', ';', '\t', '|', '\n', '\r\n', '\r', 'é', 'ß', '中', '🙂', '-', '.', '#', '=', "'", '\u00a0', '<', '{'];
  const cell = fc.array(fc.constantFrom(...CHARS), { maxLength: 10 }).map((a) => a.join('')).filter(innocent);
  const hostname = fc.oneof({ arbitrary: fc.constantFrom('', ' ', '\u00a0', '\n'), weight: 1 }, { arbitrary: cell.map((c, ) => `PC${c}`).filter(innocent), weight: 6 });

  type RowKind = 'ok' | 'short' | 'long';
  interface Row {
    kind: RowKind;
    cells: string[];
  }

  const table = fc
    .record({
      others: fc.array(fc.constantFrom(...KNOWN, ...UNKNOWN), { maxLength: 6 }),
      hostAt: fc.nat(),
      delimiter: fc.constantFrom(',', ';', '\t', '|'),
      eol: fc.constantFrom('\n', '\r\n'),
      rows: fc.array(
        fc.record({
          kind: fc.constantFrom<RowKind>('ok', 'ok', 'ok', 'short', 'long'),
          host: hostname,
          date: fc.constantFrom(...DATES_OK, ...DATES_OK, ...DATES_BAD),
          cells: fc.array(cell, { minLength: 12, maxLength: 12 }),
          cut: fc.nat(),
          extra: fc.array(cell.map((c) => `x${c}`).filter(innocent), { minLength: 1, maxLength: 3 }),
        }),
        // At least one row: a header-only export is refused (exit 2), see the hostile corpus.
        { minLength: 1, maxLength: 25 },
      ),
    })
    .map(({ others, hostAt, delimiter, eol, rows }) => {
      const header = [...others];
      header.splice(hostAt % (others.length + 1), 0, 'Hostname');
      if (header.length < 2) header.push('Notes');
      const width = header.length;
      const hostIdx = header.indexOf('Hostname');
      const dateIdx = header.indexOf('Last Patch Date');
      const built: (Row & { blank: boolean; hostless: boolean; badDate: boolean })[] = rows.map((r) => {
        const full = header.map((_, i) => (i === hostIdx ? r.host : i === dateIdx ? r.date : r.cells[i % r.cells.length]));
        let cells = full;
        if (r.kind === 'short') {
          const n = 1 + (r.cut % (width - 1));
          cells = full.slice(0, n);
          // A lone blank cell is a blank line, which is skipped rather than rejected.
          if (n === 1 && cells[0].trim() === '') cells = ['PC-short'];
        } else if (r.kind === 'long') cells = [...full, ...r.extra];
        // A row of blank cells only (Excel's ",,,,"), no wider than the header, is a blank line too:
        // neither audited nor rejected.
        const blank = cells.length <= width && cells.every((c) => c.trim() === '');
        // A placeholder or a note line in the name column names no machine (rejected like an empty one).
        return { kind: r.kind, cells, blank, hostless: namesNoMachine(full[hostIdx]), badDate: dateIdx >= 0 && DATES_BAD.includes(r.date) };
      });
      return { header, delimiter, eol, rows: built };
    });

  function quote(s: string, d: string): string {
    return s.includes(d) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  }

  test('every data row is read, and rowsAudited + rejectedRows === rowsRead; rejected lines are exactly the ragged, hostless and bad-date rows', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(table, async ({ header, delimiter, eol, rows }) => {
        const file = path.join(dir, `table-${n++}.csv`);
        const lines = [header.join(delimiter), ...rows.map((r) => r.cells.map((c) => quote(c, delimiter)).join(delimiter))];
        writeFileSync(file, lines.join(eol) + eol);
        // Physical line of each row: header is line 1; quoted newlines inside cells take lines too.
        const expectedRejected: number[] = [];
        let line = 2;
        for (const r of rows) {
          if (!r.blank && (r.kind !== 'ok' || r.hostless || r.badDate)) expectedRejected.push(line);
          line += 1 + r.cells.reduce((k, c) => k + (c.match(/\n/g)?.length ?? 0), 0);
        }
        // Only blank rows: a header-only export, refused as one (exit 2).
        if (rows.every((r) => r.blank)) {
          await expect(runAudit({ inputs: [file], rules, asOf: '2026-11-25', warnDays: 90 }, () => undefined)).rejects.toThrow(/no data rows/);
          return;
        }
        const outcome = await runAudit({ inputs: [file], rules, asOf: '2026-11-25', warnDays: 90 }, () => undefined);
        const s = outcome.summary;
        expect(s.rowsRead).toBe(rows.filter((r) => !r.blank).length);
        expect(s.rowsAudited + s.rejectedRows).toBe(s.rowsRead);
        expect(outcome.rejected.map((r) => r.line).sort((a, b) => a - b)).toEqual(expectedRejected);
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 150) },
    );
  });
});

// ------------------------------------------------------------------------------------------------
describe('globMatch', () => {
  /** Reference: the glob as an anchored regular expression over the same lower-cased code units. */
  function reference(pattern: string, text: string): boolean {
    const body = [...pattern.toLowerCase()]
      .map((ch) => (ch === '*' ? '[\\s\\S]*' : ch === '?' ? '[\\s\\S]' : ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')))
      .join('');
    return new RegExp(`^${body}$`).test(text.toLowerCase());
  }

  test('agrees with a regular-expression reference on random patterns and texts', () => {
    const unit = fc.constantFrom('a', 'b', 'A', 'B', '.', '-', '*', '?', 'ß', 'İ', 'é');
    const textUnit = fc.constantFrom('a', 'b', 'A', 'B', '.', '-', '*', '?', 'ß', 'İ', 'é', 'x');
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 10 }).map((a) => a.join('')), fc.array(textUnit, { maxLength: 16 }).map((a) => a.join('')), (p, t) => {
        expect(globMatch(p, t)).toBe(reference(p, t));
      }),
      { numRuns: 5000 },
    );
  });

  test('a pattern made from a text (characters kept, replaced by "?", or runs replaced by "*") matches it', () => {
    const made = fc.string({ maxLength: 20 }).filter((s) => !/[*?]/.test(s)).chain((text) =>
      fc.tuple(fc.constant(text), fc.array(fc.constantFrom('keep', 'keep', '?', '*swallow', '*before'), { minLength: text.length, maxLength: text.length }), fc.boolean()),
    );
    fc.assert(
      fc.property(made, ([text, choices, trailingStar]) => {
        let p = '';
        for (let i = 0; i < text.length; i++) {
          const c = choices[i];
          p += c === 'keep' ? text[i] : c === '?' ? '?' : c === '*swallow' ? '*' : '*' + text[i];
        }
        if (trailingStar) p += '*';
        expect(globMatch(p, text)).toBe(true);
        expect(globMatch(p.toUpperCase(), text.toLowerCase())).toBe(globMatch(p.toLowerCase(), text.toLowerCase()));
      }),
      { numRuns: 3000 },
    );
  });

  // Found here (counterexample ["*", "*a"]): a "*" in the pattern was matched as a literal against a "*" in the text.
  test('a "*" in the pattern stays a wildcard where the text has a literal "*"', () => {
    expect(globMatch('*', '*a')).toBe(true);
    expect(globMatch('*b', '*ab')).toBe(true);
  });

  test.each([
    ['*a*a*a*a*a*a*b', 'a'.repeat(100_000)],
    ['*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(100_000)],
    ['*'.repeat(2_000) + 'b', 'a'.repeat(100_000)],
    ['a*'.repeat(50) + 'b', 'a'.repeat(100_000)],
    ['?'.repeat(99_999) + 'b', 'a'.repeat(100_000)],
  ])('pathological pattern %#: no match, well under a second', (pattern, text) => {
    const started = performance.now();
    expect(globMatch(pattern, text)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

// ------------------------------------------------------------------------------------------------
describe('terminalSafe', () => {
  const nasty = fc
    .array(fc.constantFrom('\x1b', '[', ']', '\x07', '\u009b', '\u009c', '\u009d', '\x90', '\\', 'P', 'X', '^', '_', '0', '1', '2', ';', '?', 'm', 'H', 'J', 'a', ' ', '\n', '\t', '\r', '\u202e', '\u2066', '\u200f', '\u2028', '\x7f', '\x00'), { maxLength: 40 })
    .map((a) => a.join(''));
  const input = fc.oneof(nasty, fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ maxLength: 60 }));

  test('output never holds ESC, BEL, C1 controls (0x80–0x9f) or other C0 controls / bidi overrides', () => {
    fc.assert(
      fc.property(input, (s) => {
        const out = terminalSafe(s);
        expect(out).not.toMatch(/[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2028\u2029]/);
      }),
      { numRuns: 5000 },
    );
  });

  test('is a fixed point: terminalSafe(terminalSafe(s)) === terminalSafe(s)', () => {
    fc.assert(
      fc.property(input, (s) => {
        const once = terminalSafe(s);
        expect(terminalSafe(once)).toBe(once);
      }),
      { numRuns: 5000 },
    );
  });

  test('plain printable text is left alone', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }).filter((s) => !/[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/.test(s)), (s) => {
        expect(terminalSafe(s)).toBe(s);
      }),
    );
  });
});
