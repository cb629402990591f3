import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Worker threads are a speed-up only: a streamed file audited by several threads gives byte for byte the
 * report of one thread — same hosts in the same order, same rejected rows, same warnings, same exit code —
 * including the awkward cases (repeated hostnames, rejected rows, a header row half-way, a row csv-parse
 * must read after the fast path gives up).
 */
const PROFILES = [
  ['Microsoft Windows XP Professional', '5.1.2600', 'Service Pack 3', ['KB4012598', 'KB4500331', 'KB958644']],
  ['Microsoft Windows 7 Enterprise ', '6.1.7601', 'Service Pack 1', ['KB4012212', 'KB4015546', 'KB4019264', 'KB4534310']],
  ['Microsoft Windows Server 2012 R2 Standard', '6.3.9600', '', ['KB4012213', 'KB5031419', 'KB5099999']],
  ['Microsoft Windows 10 Enterprise', '10.0.14393.447', '', ['KB4013429']],
  ['Microsoft Windows 10 Enterprise', '10.0.19045.6036', '', ['KB5062554']],
  ['Microsoft Windows 11 Pro', '10.0.26100.4349', '', []],
  ['Microsoft Windows Server 2022 Datacenter', '10.0.20348.3328', '', ['KB5053603']],
  ['Ubuntu 22.04.4 LTS', '22.04', '', []],
  ['Commodore AmigaOS', '3.1', '', []],
] as const;

const HEADER = 'Hostname,OS Name,OS Version,Service Pack,Installed KBs,Last Patch Date,Site,Internet Facing';

function cells(i: number): string[] {
  const p = PROFILES[i % PROFILES.length];
  const kbs = p[3].filter((_, k) => ((i >> k) & 1) === 1).join('; ');
  const date = `2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
  // Some sites are quoted with a line break inside: the fast path's careful loop.
  const site = i % 97 === 0 ? `"Ward ${i % 7}\nAnnexe ""B"""` : `Site ${i % 13}`;
  let name = `PC-${String(i).padStart(6, '0')}`;
  if (i > 6000 && i % 1000 === 1) name = `PC-${String(i - 700).padStart(6, '0')}`; // repeated hostname
  if (i === 7777) name = '';
  return [name, `"${p[0]}"`, p[1], p[2], `"${kbs}"`, i === 8123 ? '31/31/2024' : date, site, i % 5 === 0 ? 'Yes' : 'No'];
}

const row = (i: number) => cells(i).join(',');

function inventory(n: number, edit: (lines: string[]) => void = () => {}): string {
  const lines = [HEADER];
  for (let i = 0; i < n; i++) lines.push(row(i));
  lines.splice(9000, 0, 'PC-RAGGED,only,three');
  edit(lines);
  return lines.join('\r\n') + '\r\n';
}

const BASE = ['audit', '--as-of', '2026-11-25', '--fail-on', 'high'];

function compare(file: string, format: string, stdin?: string) {
  const input = stdin === undefined ? file : '-';
  const one = runCli([...BASE, input, '--format', format, '--workers', '0'], { input: stdin });
  expect(one.stderr).toBe('');
  expect(one.code).toBe(1);
  for (const workers of ['1', '2', '3']) {
    const many = runCli([...BASE, input, '--format', format, '--workers', workers], { input: stdin });
    expect({ workers, code: many.code, stderr: many.stderr }).toEqual({ workers, code: one.code, stderr: one.stderr });
    // Byte-identical reports (compared as a whole, and the first differing line shown if not).
    if (many.stdout !== one.stdout) {
      const a = one.stdout.split('\n');
      const b = many.stdout.split('\n');
      const k = a.findIndex((l, i) => l !== b[i]);
      expect({ workers, line: k + 1, text: b[k] }).toEqual({ workers, line: k + 1, text: a[k] });
    }
    expect(many.stdout.length).toBe(one.stdout.length);
  }
  return one;
}

describe('audit with worker threads', () => {
  const dir = tempDir('patchaudit-parallel-');
  const plain = path.join(dir, 'fleet.csv');
  writeFileSync(plain, inventory(14_000));

  test.each(['ndjson', 'csv', 'json'])('%s: the same report from 1, 2 and 3 threads as from one', (format) => {
    const one = compare(plain, format);
    if (format === 'json') {
      const doc = JSON.parse(one.stdout);
      // The awkward rows are all there: counts add up, repeats warned, rejected rows named by line.
      expect(doc.summary.rowsRead).toBe(14_001);
      expect(doc.summary.hosts + doc.summary.rejectedRows).toBe(doc.summary.rowsRead);
      expect(doc.rejected.map((r: { reason: string }) => r.reason)).toEqual(['no hostname', expect.stringMatching(/unreadable date "31\/31\/2024"/), 'expected 8 fields, found 3']);
      for (const r of doc.rejected) expect(readFileSync(plain, 'utf8').split(/\r\n|\n|\r/)[r.line - 1]).toMatch(/^(?:|PC-\d+|PC-RAGGED),/);
      expect(doc.warnings.filter((w: string) => /appears again/.test(w))).toHaveLength(8);
    }
  });

  test('a row only csv-parse can read, late in the file: the threads finish their blocks first', () => {
    const file = path.join(dir, 'stray-quote.csv');
    writeFileSync(
      file,
      inventory(12_000, (lines) => {
        lines[10_500] = 'PC-STRAY,Microsoft Windows 7 "Enterprise",6.1.7601,Service Pack 1,KB4012212,2024-01-01,Site 1,No';
      }),
    );
    const one = compare(file, 'ndjson');
    expect(one.stdout).toContain('"hostname":"PC-STRAY"');
    expect(one.stdout).toContain('Microsoft Windows 7 \\"Enterprise\\"');
  });

  test('an appended export with other columns half-way: later blocks use its header', () => {
    const file = path.join(dir, 'appended.csv');
    writeFileSync(
      file,
      inventory(12_000, (lines) => {
        lines.splice(8000);
        lines.push('Hostname,OS Version,OS Name,Service Pack,Installed KBs,Last Patch Date,Site');
        for (let i = 7999; i < 12_000; i++) {
          const c = cells(i);
          lines.push([c[0], c[2], c[1], c[3], c[4], c[5], c[6]].join(','));
        }
      }),
    );
    const one = compare(file, 'ndjson');
    const lines = one.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const after = lines.find((l) => l.hostname === 'PC-009500');
    expect(after.columns).not.toHaveProperty('Internet Facing');
    expect(after.os.product).not.toBeNull();
  });

  // By default threads start from 8 MiB; the report buffers then go back to the threads once written (to
  // a pipe here, and to a file), and the heap is sized for streaming (src/cli/heap.ts).
  test('a file over the thread threshold, default options, report on stdout and in a file: as one thread writes them', () => {
    const file = path.join(dir, 'large.csv');
    writeFileSync(file, inventory(100_000));
    expect(readFileSync(file).length).toBeGreaterThan(8 * 1024 * 1024);
    const outOne = path.join(dir, 'one.csv');
    const outMany = path.join(dir, 'many.csv');
    const one = runCli([...BASE, file, '--format', 'ndjson', '--output', `csv=${outOne}`, '--workers', '0']);
    const many = runCli([...BASE, file, '--format', 'ndjson', '--output', `csv=${outMany}`]);
    expect({ code: many.code, stderr: many.stderr }).toEqual({ code: one.code, stderr: one.stderr });
    expect(one.code).toBe(1);
    expect(many.stdout.length).toBe(one.stdout.length);
    expect(many.stdout === one.stdout).toBe(true);
    expect(readFileSync(outMany).equals(readFileSync(outOne))).toBe(true);
    const lines = one.stdout.trim().split('\n');
    const summary = JSON.parse(lines[lines.length - 1]);
    expect(summary.summary.rowsRead).toBe(100_001);
    expect(lines.length - 1 + summary.summary.rejectedRows).toBe(100_001);
  });

  test('standard input too', () => {
    compare(plain, 'csv', readFileSync(plain, 'utf8'));
  });

  test('--workers rejects what is not a number', () => {
    const r = runCli([...BASE, plain, '--workers', 'many']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--workers "many"/);
    expect(r.stdout).toBe('');
  });
});
