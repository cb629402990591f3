import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, runCli, type CliResult } from '../helpers/cli.js';
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

/** A run with threads gives the one-thread run's exit code, stderr and report, byte for byte (the first differing line shown if not). */
function expectSameRun(workers: string, many: CliResult, one: CliResult): void {
  expect({ workers, code: many.code, stderr: many.stderr }).toEqual({ workers, code: one.code, stderr: one.stderr });
  if (many.stdout !== one.stdout) {
    const a = one.stdout.split('\n');
    const b = many.stdout.split('\n');
    const k = a.findIndex((l, i) => l !== b[i]);
    expect({ workers, line: k + 1, text: b[k] }).toEqual({ workers, line: k + 1, text: a[k] });
  }
  expect(many.stdout.length).toBe(one.stdout.length);
}

function compare(file: string, format: string, stdin?: string) {
  const input = stdin === undefined ? file : '-';
  const one = runCli([...BASE, input, '--format', format, '--workers', '0'], { input: stdin });
  expect(one.stderr).toBe('');
  expect(one.code).toBe(1);
  for (const workers of ['1', '2', '3']) expectSameRun(workers, runCli([...BASE, input, '--format', format, '--workers', workers], { input: stdin }), one);
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

/**
 * A folder of per-host exports read by several threads, a group of files each: the report, warnings,
 * rejected rows and exit code are those of one thread, whichever thread read which file.
 */
describe('a folder of exports audited with worker threads', () => {
  const OS = [
    ['Microsoft Windows XP Professional', '5.1.2600 Service Pack 3 Build 2600', ['KB958644', 'KB4012598']],
    ['Microsoft Windows 7 Enterprise ', '6.1.7601 Service Pack 1 Build 7601', ['KB2999226', 'KB4012212', 'KB976902']],
    ['Microsoft Windows Server 2012 R2 Standard', '6.3.9600 N/A Build 9600', ['KB4012213']],
    ['Microsoft Windows 10 Enterprise', '10.0.19045 N/A Build 19045', ['KB5062554']],
    ['Microsoft Windows Server 2022 Datacenter', '10.0.20348 N/A Build 20348', []],
  ] as const;
  const label = (l: string) => l.padEnd(27);

  function systeminfo(host: string, i: number, extraKbs: string[] = []): string {
    const [name, version, kbs] = OS[i % OS.length];
    const all = [...kbs.filter((_, k) => ((i >> k) & 1) === 0), ...extraKbs];
    return [
      label('Host Name:') + host,
      label('OS Name:') + name,
      label('OS Version:') + version,
      label('OS Manufacturer:') + 'Microsoft Corporation',
      label('Original Install Date:') + `${1 + (i % 28)}/0${1 + (i % 9)}/2019, 14:33:50`,
      label('System Type:') + 'x64-based PC',
      label('Domain:') + 'trust.nhs.uk',
      label('Hotfix(s):') + `${all.length} Hotfix(s) Installed.`,
      ...all.map((kb, k) => ' '.repeat(27) + `[${String(k + 1).padStart(2, '0')}]: ${kb}`),
      label('Network Card(s):') + '1 NIC(s) Installed.',
      ' '.repeat(27) + '[01]: Intel(R) Ethernet Connection I217-LM',
      '',
    ].join('\r\n');
  }

  function qfe(host: string, kbs: string[]): string {
    const rows = kbs.map((kb) => `http://support.microsoft.com/?kbid=${kb.slice(2).padEnd(9)} ${host.padEnd(16)}Security Update  ${kb.padEnd(10)}NT AUTHORITY\\SYSTEM  3/14/2017`);
    return ['Caption                                     CSName          Description      HotFixID  InstalledBy          InstalledOn', ...rows, ''].join('\r\n');
  }

  /** 300 files: systeminfo (some UTF-16), two hosts appended in one file, qfe next to its host, CSV lists with warnings and rejected rows. */
  function fleet(dir: string): void {
    for (let i = 0; i < 260; i++) {
      const host = `WS-${String(i).padStart(4, '0')}`;
      let text = systeminfo(host, i);
      if (i % 50 === 7) text += '\r\n' + systeminfo(`${host}-B`, i + 1);
      writeFileSync(path.join(dir, `${host}.txt`), i % 4 === 1 ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]) : text);
      if (i % 23 === 3) writeFileSync(path.join(dir, `${host}_qfe.txt`), qfe(host, ['KB4012212', 'KB4499175']));
      // The same machine described twice with different OS data (a conflict warning).
      if (i % 61 === 11) writeFileSync(path.join(dir, `${host}-systeminfo.txt`), systeminfo(host, i + 2));
    }
    for (let f = 0; f < 28; f++) {
      const lines = ['Hostname,OS Name,OS Version,Installed KBs,Last Patch Date'];
      for (let r = 0; r < 6; r++) {
        const n = f * 6 + r;
        lines.push(`${r === 4 && f % 5 === 0 ? '' : `SRV-${String(n).padStart(4, '0')}`},${OS[n % OS.length][0]},${OS[n % OS.length][1].split(' ')[0]},"${OS[n % OS.length][2].join(';')}",0${1 + (n % 9)}/0${1 + (n % 7)}/2025`);
      }
      // A repeated row that disagrees with the first (the host cannot be reported compliant).
      if (f % 9 === 2) lines.push(`SRV-${String(f * 6).padStart(4, '0')},Microsoft Windows 10 Enterprise,10.0.19045,,01/01/2025`);
      writeFileSync(path.join(dir, `list-${String(f).padStart(2, '0')}.csv`), lines.join('\r\n') + '\r\n');
    }
  }

  const FOLDER_ARGS = BASE;

  function compareFolder(inputs: string[], format: string, threads = ['2', '3']) {
    const one = runCli([...FOLDER_ARGS, ...inputs, '--format', format, '--workers', '0']);
    for (const workers of threads) expectSameRun(workers, runCli([...FOLDER_ARGS, ...inputs, '--format', format, '--workers', workers]), one);
    return one;
  }

  const dir = tempDir('patchaudit-folder-');
  fleet(dir);

  test.each(['json', 'ndjson', 'csv'])('%s: the same report from 2 and 3 threads as from one', (format) => {
    const one = compareFolder([dir], format);
    expect(one.code).toBe(1);
    if (format === 'json') {
      const doc = JSON.parse(one.stdout);
      // What the comparison covers: several hosts per file, warnings, rejected rows, files in order.
      expect(doc.summary.hosts).toBe(260 + 6 + 28 * 6 - 6);
      // Rows merged into a host seen before: 12 hotfix listings of 2 rows, 5 second exports, 3 repeated rows.
      expect(doc.summary.hosts + doc.summary.rejectedRows).toBe(doc.summary.rowsRead - 24 - 5 - 3);
      expect(doc.rejected).toHaveLength(6);
      expect(doc.warnings.some((w: string) => /conflicting OS data/.test(w))).toBe(true);
      expect(doc.warnings.some((w: string) => /disagree/.test(w))).toBe(true);
      expect(doc.warnings.some((w: string) => /dates are ambiguous/.test(w))).toBe(true);
      expect(doc.hosts.find((h: { hostname: string }) => h.hostname === 'WS-0003').sources).toHaveLength(3);
    }
  });

  test('a worker thread runs the code of the CLI\'s bundle, with its code cache (see src/parallel/worker.ts)', () => {
    const script = `
      const { compileCli } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist/cli/launch.js')).href)});
      const { readFileSync } = await import('node:fs');
      const { Worker } = await import('node:worker_threads');
      const { script, cli } = compileCli(readFileSync(${JSON.stringify(path.join(ROOT, 'dist/cli/patchaudit.cjs'))}, 'utf8'), true);
      // In a worker too: the cache is for this bundle and this Node.js, whatever the thread.
      const code = 'const { compileCli } = await import(' + JSON.stringify(${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist/cli/launch.js')).href)}) + ');' +
        'const { readFileSync } = await import("node:fs"); const { parentPort } = await import("node:worker_threads");' +
        'const { script, cli } = compileCli(readFileSync(' + JSON.stringify(${JSON.stringify(path.join(ROOT, 'dist/cli/patchaudit.cjs'))}) + ', "utf8"), true);' +
        'parentPort.postMessage({ rejected: script.cachedDataRejected, serve: typeof cli.serveWorker });';
      const inWorker = await new Promise((resolve, reject) => new Worker(code, { eval: true }).once('message', resolve).once('error', reject));
      process.stdout.write(JSON.stringify({ rejected: script.cachedDataRejected, serve: typeof cli.serveWorker, inWorker }));`;
    const file = path.join(tempDir('patchaudit-worker-bundle-'), 'bundle.mjs');
    writeFileSync(file, script);
    const r = spawnSync(process.execPath, [file], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ rejected: false, serve: 'function', inWorker: { rejected: false, serve: 'function' } });
  });

  test('the worker threads do read groups (built code), and write what this thread would', () => {
    const script = `
      const { FolderAudit } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist/parallel/folder.js')).href)});
      const { loadRules } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist/rules/load-rules.js')).href)});
      const { readdirSync } = await import('node:fs');
      const files = readdirSync(process.argv[2]).sort().map((f) => process.argv[2] + '/' + f);
      const setup = { rules: await loadRules([]), asOf: '2026-11-25', warnDays: 30, targets: [{ format: 'ndjson', csvBom: false, ctx: { explain: false, show: 'all', minSeverity: 'low', width: 120 } }], read: {} };
      const held = process.argv[3] ? { bytes: 4096, dir: process.argv[3] } : undefined;
      const fa = await FolderAudit.read({ files, setup, threads: 3, forced: true, held });
      let out = '';
      const leftOver = [];
      await fa.finish((run, release) => {
        out += Buffer.from(run.texts[0]).toString('utf8');
        release(run.texts[0]);
        if (held) leftOver.push(readdirSync(held.dir).length);
      });
      await fa.close();
      process.stdout.write(JSON.stringify({ byWorkers: fa.groupsReadByWorkers, groups: fa.reads.length, spilled: fa.spilled, leftOver, out }));`;
    const file = path.join(tempDir('patchaudit-folder-script-'), 'groups.mjs');
    writeFileSync(file, script);
    const one = runCli([...FOLDER_ARGS, dir, '--format', 'ndjson', '--workers', '0']);
    const expected = one.stdout.slice(0, one.stdout.lastIndexOf('{"type":"summary"'));
    const r = spawnSync(process.execPath, [file, dir], { encoding: 'utf8', maxBuffer: 1 << 26 });
    expect(r.stderr).toBe('');
    const got = JSON.parse(r.stdout);
    expect(got.groups).toBeGreaterThan(10);
    expect(got.byWorkers).toBeGreaterThan(0);
    expect(got.spilled).toBe(0);
    expect(got.out).toBe(expected);
    // Held text past 4 KiB goes to a temporary file, which never shows in the folder (unlinked once open).
    const spillDir = tempDir('patchaudit-folder-spill-');
    const spilled = JSON.parse(spawnSync(process.execPath, [file, dir, spillDir], { encoding: 'utf8', maxBuffer: 1 << 26 }).stdout);
    expect(spilled.spilled).toBeGreaterThan(got.groups / 2);
    expect(spilled.leftOver.every((n: number) => n === 0)).toBe(true);
    expect(spilled.out).toBe(expected);
  });

  test('a report file that cannot be written: the one-line error and exit code 2, with threads too (no hang)', () => {
    const notAFolder = path.join(tempDir('patchaudit-folder-out-'), 'plain-file');
    writeFileSync(notAFolder, 'x');
    const target = path.join(notAFolder, 'report.csv');
    for (const workers of ['0', '2']) {
      const r = runCli([...FOLDER_ARGS, dir, '--format', 'ndjson', '--output', `csv=${target}`, '--workers', workers], { timeout: 30_000 });
      expect({ workers, code: r.code, stderr: r.stderr, stdout: r.stdout }).toEqual({ workers, code: 2, stderr: `patchaudit: error: ${target}: cannot write (ENOTDIR)\n`, stdout: '' });
    }
  });

  test('a machine whose exports fall in different groups: merged as one thread merges it', () => {
    const apart = tempDir('patchaudit-folder-apart-');
    fleet(apart);
    // Sorted first and last, and not named for one machine: never in one group.
    writeFileSync(path.join(apart, 'AAA-first.txt'), systeminfo('WS-0200', 3));
    writeFileSync(path.join(apart, 'zzz-hotfixes.txt'), qfe('AAA-ONLY', ['KB4012212']) + qfe('WS-0000', ['KB5062554']).split('\r\n').slice(1).join('\r\n'));
    const one = compareFolder([apart], 'json', ['2']);
    const doc = JSON.parse(one.stdout);
    expect(doc.hosts.find((h: { hostname: string }) => h.hostname === 'WS-0200').sources).toHaveLength(2);
    expect(doc.warnings.some((w: string) => /WS-0200: conflicting OS data/.test(w))).toBe(true);
  });

  test('an unreadable file half-way: the same one-line error and exit code 2', () => {
    const broken = tempDir('patchaudit-folder-broken-');
    fleet(broken);
    writeFileSync(path.join(broken, 'WS-0150.txt'), '');
    const one = compareFolder([broken], 'ndjson', ['2']);
    expect(one.code).toBe(2);
    expect(one.stderr).toBe(`patchaudit: error: ${path.join(broken, 'WS-0150.txt')}: file is empty\n`);
  });

  test('files named one by one, and a folder over the default threshold with default options', () => {
    compareFolder([path.join(dir, 'WS-0001.txt'), path.join(dir, 'list-03.csv'), path.join(dir, 'WS-0003_qfe.txt'), path.join(dir, 'WS-0003.txt')], 'json', ['2']);
    const big = tempDir('patchaudit-folder-big-');
    for (let i = 0; i < 1200; i++) writeFileSync(path.join(big, `PC-${String(i).padStart(5, '0')}.txt`), systeminfo(`PC-${String(i).padStart(5, '0')}`, i));
    const one = runCli([...FOLDER_ARGS, big, '--format', 'ndjson', '--workers', '0']);
    const auto = runCli([...FOLDER_ARGS, big, '--format', 'ndjson']);
    expect({ code: auto.code, stderr: auto.stderr }).toEqual({ code: one.code, stderr: one.stderr });
    expect(auto.stdout === one.stdout).toBe(true);
    expect(one.stdout.trim().split('\n')).toHaveLength(1201);
  });
});
