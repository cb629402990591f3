import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, ROOT, runCli } from '../helpers/cli.js';
import { tempDir, writeTemp } from '../helpers/tmp.js';

/**
 * Report files (--output) and standard output: a closed pipe, special files (FIFOs, devices, descriptor
 * paths), all-or-nothing report files, outputs inside input folders, and the colour of the error line.
 */

const AS_OF = ['--as-of', '2026-11-25'];
const dir = tempDir('patchaudit-report-files-');
const OK = writeTemp(dir, 'ok.csv', 'Hostname,OS Name,OS Version,Installed KBs\nOK-1,Microsoft Windows 11 Enterprise,10.0.26100.4349,\n');

/** Windows 7 hosts (non-compliant: exit 1), enough for reports of several MiB. */
function fleet(name: string, hosts: number): string {
  const rows = ['Hostname,OS Name,OS Version,Installed KBs'];
  for (let i = 0; i < hosts; i++) rows.push(`H${String(i).padStart(6, '0')},Microsoft Windows 7 Professional,6.1.7601,KB4012215 KB4499164`);
  return writeTemp(dir, name, rows.join('\n') + '\n');
}
const BIG = fleet('big.csv', 6000);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  extra: string;
}

/**
 * Spawn the CLI. `onStdout` sees each chunk of stdout and may close the pipe; `fd3` adds a pipe on
 * descriptor 3 (read into `extra`).
 */
function spawnCli(args: string[], options: { onStdout?: (chunk: Buffer, stdout: NodeJS.ReadableStream & { destroy(): void }) => void; fd3?: boolean; env?: NodeJS.ProcessEnv; holdStdout?: Promise<unknown> } = {}): Promise<Run> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, NO_COLOR: '1', ...options.env },
    stdio: options.fd3 ? ['ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let extra = '';
  child.stdout!.on('data', (d: Buffer) => {
    stdout += d.toString('utf8');
    options.onStdout?.(d, child.stdout!);
  });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  // Not read until `holdStdout` settles: the CLI then waits on a full pipe, mid-run.
  if (options.holdStdout) {
    child.stdout!.pause();
    void options.holdStdout.then(() => child.stdout!.resume());
  }
  if (options.fd3) (child.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => (extra += d.toString('utf8')));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr, extra })));
}

function filesIn(folder: string): string[] {
  return readdirSync(folder).sort();
}

describe('standard output closed early (| head)', () => {
  test('the audit completes: report files written, no temp file, exit code is the verdict', async () => {
    const out = path.join(dir, 'epipe', 'audit.json');
    const r = await spawnCli(['audit', BIG, '-f', 'ndjson', '-o', `json=${out}`, ...AS_OF], {
      onStdout: (_chunk, stdout) => stdout.destroy(),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(filesIn(path.dirname(out))).toEqual(['audit.json']);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    expect(doc.summary.hosts).toBe(6000);
    expect(doc.hosts).toHaveLength(6000);
  });

  test('set -o pipefail; patchaudit … | head -n 3 gives the verdict, not 0', () => {
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" audit "${BIG}" -f csv ${AS_OF.join(' ')} | head -n 3`], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, NO_COLOR: '1' },
      encoding: 'utf8',
      // Not a socket on standard input: bash would take itself for a remote shell and read ~/.bashrc.
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(r.status).toBe(1);
    expect(r.stdout.split('\n')).toHaveLength(4);
    expect(r.stderr).toBe('');
  });

  test('a compliant fleet still exits 0 with a closed pipe', async () => {
    const many = writeTemp(dir, 'many-ok.csv', ['Hostname,OS Name,OS Version,Installed KBs', ...Array.from({ length: 3000 }, (_, i) => `OK-${i},Microsoft Windows 11 Enterprise,10.0.26100.4349,`)].join('\n') + '\n');
    const r = await spawnCli(['audit', many, '-f', 'ndjson', ...AS_OF], { onStdout: (_chunk, stdout) => stdout.destroy() });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });
});

describe('report to a special file: written directly, never replaced', () => {
  test('a FIFO: its reader gets the whole report, the FIFO stays a FIFO, no temp file', async () => {
    const folder = path.join(dir, 'fifo');
    mkdirSync(folder);
    const fifo = path.join(folder, 'report.pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'ignore'] });
    let got = '';
    reader.stdout.on('data', (d: Buffer) => (got += d.toString('utf8')));
    const readerDone = new Promise((resolve) => reader.on('close', resolve));
    const r = await spawnCli(['audit', OK, '-q', '-o', `json=${fifo}`, ...AS_OF]);
    await readerDone;
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^patchaudit: 1 host audited/);
    const expected = runCli(['audit', OK, '-f', 'json', ...AS_OF]).stdout;
    expect(got).toBe(expected);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(filesIn(folder)).toEqual(['report.pipe']);
  });

  test('a descriptor path (/dev/fd/3, as a process substitution gives): written to the open pipe', async () => {
    const r = await spawnCli(['audit', OK, '-q', '-f', 'csv', '-o', 'json=/dev/fd/3', ...AS_OF], { fd3: true });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.extra).summary.hosts).toBe(1);
    expect(r.stdout).toMatch(/^hostname,host_status,/);
  });

  test('a descriptor the shell did not open (Node.js\'s own): a one-line usage error, exit 2, never a hang', () => {
    // The child gets descriptors 0-2 only, so every descriptor from 3 up is Node.js's own or closed.
    const said: string[] = [];
    for (let n = 3; n <= 12; n++) {
      const r = runCli(['audit', OK, '-q', '-f', 'csv', '-o', `json=/dev/fd/${n}`, ...AS_OF], { timeout: 20_000 });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      said.push(r.stderr);
    }
    if (process.platform === 'linux') expect(said.some((m) => m.includes('was not opened for patchaudit (Node.js uses it internally)'))).toBe(true);
  });

  test('/dev/fd/1 (standard output, here a socket): both reports on stdout', async () => {
    const r = await spawnCli(['audit', OK, '-q', '-f', 'csv', '-o', 'json=/dev/fd/1', ...AS_OF]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const at = r.stdout.indexOf('hostname,host_status,');
    expect(JSON.parse(r.stdout.slice(0, at)).summary.hosts).toBe(1);
    expect(r.stdout.slice(at)).toBe(runCli(['audit', OK, '-f', 'csv', ...AS_OF]).stdout);
  });

  test('a process substitution, -o json=>(…): the command reads the whole report', () => {
    const count = path.join(dir, 'substitution.count');
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" audit "${OK}" -q -f csv -o json=>(wc -c > "${count}") ${AS_OF.join(' ')} > /dev/null; code=$?; wait; exit $code`], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, NO_COLOR: '1' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect({ code: r.status, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const expected = Buffer.byteLength(runCli(['audit', OK, '-f', 'json', ...AS_OF]).stdout);
    const deadline = Date.now() + 5000;
    while (!(existsSync(count) && readFileSync(count, 'utf8').trim() !== '') && Date.now() < deadline) spawnSync('sleep', ['0.05']);
    expect(Number(readFileSync(count, 'utf8').trim())).toBe(expected);
  });

  test('a FIFO whose reader never reads: Ctrl-C still ends the run with 130, at once', async () => {
    const fifo = path.join(dir, 'stuck.pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // Holds the FIFO open for reading and never reads: the report (several MiB) fills the pipe.
    const readEnd: number = await import('node:fs').then((fs) => fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK));
    const holder = spawn('sleep', ['30'], { stdio: [readEnd, 'ignore', 'ignore'] });
    const child = spawn(process.execPath, [BIN, 'audit', BIG, '-q', '-o', `json=${fifo}`, ...AS_OF], { cwd: ROOT, env: { PATH: process.env.PATH, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const sent = Date.now();
    child.kill('SIGINT');
    const timeout = new Promise<string>((resolve) => setTimeout(() => resolve('still running'), 5000));
    const code = await Promise.race([exited, timeout]);
    if (code === 'still running') child.kill('SIGKILL');
    holder.kill('SIGKILL');
    expect(code).toBe(130);
    expect(Date.now() - sent).toBeLessThan(5000);
  });

  test('a FIFO no one reads, and an input that cannot be read: exit 2 at once (the FIFO is opened only for the report)', () => {
    const fifo = path.join(dir, 'unread.pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const missing = path.join(dir, 'missing.csv');
    const r = runCli(['audit', missing, '-o', `json=${fifo}`, ...AS_OF], { timeout: 10_000 });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 2, stderr: `patchaudit: error: ${missing}: no such file\n` });
  });

  test.each([
    ['/dev/stdout', () => '/dev/stdout'],
    ['a link to the file standard output goes to', (out: string) => {
      const link = path.join(dir, `to-stdout-${path.basename(out)}.json`);
      symlinkSync(out, link);
      return link;
    }],
  ])('-o json=%s with standard output sent to a file: both reports whole, one after the other', (_name, target) => {
    const out = path.join(dir, `stdout-${Math.random().toString(36).slice(2)}.txt`);
    const fd = openSync(out, 'w');
    const r = spawnSync(process.execPath, [BIN, 'audit', OK, '-f', 'csv', '-o', `json=${target(out)}`, ...AS_OF], { cwd: ROOT, env: { PATH: process.env.PATH, NO_COLOR: '1' }, stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
    closeSync(fd);
    expect({ code: r.status, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const text = readFileSync(out, 'utf8');
    const at = text.indexOf('hostname,host_status,');
    expect(JSON.parse(text.slice(0, at)).summary.hosts).toBe(1);
    expect(text.slice(at)).toBe(runCli(['audit', OK, '-f', 'csv', ...AS_OF]).stdout);
    expect(lstatSync(out).isFile()).toBe(true);
  });

  test('a regular file under /dev (in /dev/shm) is an ordinary report file: replaced, not appended to', () => {
    if (!existsSync('/dev/shm')) return;
    const target = path.join('/dev/shm', `patchaudit-test-${process.pid}.json`);
    try {
      for (let i = 0; i < 2; i++) expect(runCli(['audit', OK, '-q', '-o', `json=${target}`, ...AS_OF]).code).toBe(0);
      expect(JSON.parse(readFileSync(target, 'utf8')).summary.hosts).toBe(1);
    } finally {
      spawnSync('rm', ['-f', target]);
    }
  });

  test('a character device (/dev/null): written, and still a device afterwards', () => {
    const isRoot = process.getuid?.() === 0;
    // As root a regression would replace the device: prove it on a null device of our own first.
    let own: string | null = null;
    if (isRoot) {
      own = path.join(dir, 'null-device');
      if (spawnSync('mknod', ['-m', '666', own, 'c', '1', '3']).status !== 0) own = null;
    }
    const devices = own ? [own, '/dev/null'] : isRoot ? [] : ['/dev/null'];
    for (const device of devices) {
      const r = runCli(['audit', OK, '-f', 'csv', '-o', `json=${device}`, ...AS_OF]);
      expect({ device, code: r.code, stderr: r.stderr }).toEqual({ device, code: 0, stderr: '' });
      expect(r.stdout).toMatch(/^hostname,host_status,/);
      expect(lstatSync(device).isCharacterDevice()).toBe(true);
    }
    if (own) expect(filesIn(dir).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});

describe('several report files: all or none', () => {
  test('an output that is a folder is refused before the audit runs, and no other report is written', () => {
    const folder = path.join(dir, 'all-or-none');
    mkdirSync(folder);
    const json = path.join(folder, 'o1.json');
    for (const args of [
      ['-o', `json=${json}`, '-o', `html=${folder}`],
      ['-o', `html=${folder}`, '-o', `json=${json}`],
    ]) {
      const r = runCli(['audit', OK, ...args, ...AS_OF]);
      expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 2, stdout: '', stderr: `patchaudit: error: ${folder}: is a folder, not a file (--output "html=${folder}")\n` });
      expect(filesIn(folder)).toEqual([]);
    }
  });

  test('output checks come before any input is read (an input FIFO with no writer is never opened)', () => {
    const folder = path.join(dir, 'early');
    mkdirSync(folder);
    const input = path.join(folder, 'input.pipe');
    expect(spawnSync('mkfifo', [input]).status).toBe(0);
    const notAFolder = writeTemp(folder, 'plain', 'x');
    const r = runCli(['audit', input, '-o', `json=${path.join(notAFolder, 'r.json')}`, ...AS_OF], { timeout: 20_000 });
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 2, stdout: '', stderr: `patchaudit: error: ${path.join(notAFolder, 'r.json')}: cannot write (ENOTDIR)\n` });
  });

  test('the same output path twice is a usage error, by path, through a link, or by another name of an existing file', () => {
    const folder = path.join(dir, 'dup');
    mkdirSync(folder);
    const out = path.join(folder, 'dup.out');
    symlinkSync(folder, path.join(dir, 'dup-link'));
    const cases: [string, string][] = [
      [out, out],
      [out, path.join(folder, 'sub', '..', 'dup.out')],
      [out, path.join(dir, 'dup-link', 'dup.out')],
    ];
    for (const [a, b] of cases) {
      const r = runCli(['audit', OK, '-o', `json=${a}`, '-o', `csv=${b}`, ...AS_OF]);
      expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 2, stdout: '', stderr: `patchaudit: error: --output "csv=${b}": the same file as --output "json=${a}"\n` });
      expect(filesIn(folder)).toEqual([]);
    }
    // An existing file, and a link to it.
    writeFileSync(out, 'old\n');
    symlinkSync(out, path.join(folder, 'link.out'));
    const r = runCli(['audit', OK, '-o', `json=${path.join(folder, 'link.out')}`, '-o', `csv=${out}`, ...AS_OF]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^patchaudit: error: --output "csv=.*dup\.out": the same file as --output "json=.*link\.out"\n$/);
    expect(readFileSync(out, 'utf8')).toBe('old\n');
    // A link to a report file stays a link; the file it names gets the report.
    const ok = runCli(['audit', OK, '-q', '-o', `json=${path.join(folder, 'link.out')}`, ...AS_OF]);
    expect(ok.code).toBe(0);
    expect(lstatSync(path.join(folder, 'link.out')).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(out, 'utf8')).summary.hosts).toBe(1);
    expect(filesIn(folder)).toEqual(['dup.out', 'link.out']);
  });

  test('a report that cannot be put in place: the ones already renamed are rolled back, no temp file is left', async () => {
    const folder = path.join(dir, 'rollback');
    mkdirSync(folder);
    const first = writeTemp(folder, 'a.json', 'earlier report\n');
    const second = path.join(folder, 'b.csv');
    // Once the second report's temp file exists (the checks are done), a folder takes its name. Standard
    // output is not read meanwhile, so the run (10 MiB of NDJSON) waits on the full pipe until then.
    let madeFolder!: () => void;
    const folderMade = new Promise<void>((resolve) => (madeFolder = resolve));
    const run = spawnCli(['audit', BIG, '-f', 'ndjson', '-o', `json=${first}`, '-o', `csv=${second}`, '--workers', '0', ...AS_OF], { holdStdout: folderMade });
    const deadline = Date.now() + 20_000;
    while (!filesIn(folder).some((f) => f.startsWith('.b.csv.')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    mkdirSync(second);
    madeFolder();
    const r = await run;
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`patchaudit: error: ${second}: cannot write (EISDIR)\n`);
    expect(readFileSync(first, 'utf8')).toBe('earlier report\n');
    expect(filesIn(folder)).toEqual(['a.json', 'b.csv']);
    expect(filesIn(second)).toEqual([]);
  });
});

describe('report files inside an input folder', () => {
  test('a report the folder reader would read is refused, whether or not it exists yet; a .json report is fine', () => {
    const folder = path.join(dir, 'fold');
    mkdirSync(folder);
    writeTemp(folder, 'ok.csv', readFileSync(OK, 'utf8'));
    const csv = path.join(folder, 'report.csv');
    for (let round = 0; round < 2; round++) {
      const r = runCli(['audit', folder, '-o', `csv=${csv}`, ...AS_OF]);
      expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
        code: 2,
        stdout: '',
        stderr: `patchaudit: error: --output "csv=${csv}": ${csv} is in the input folder ${folder} and would be read as an inventory file; write it outside the folder\n`,
      });
      expect(filesIn(folder)).toEqual(['ok.csv']);
    }
    // Existing, written by hand or by an earlier version: refused too, and left alone.
    writeFileSync(csv, 'Hostname,OS Name\nX,Windows 7\n');
    const existing = runCli(['audit', folder, '-o', `csv=${csv}`, ...AS_OF]);
    expect(existing.code).toBe(2);
    expect(existing.stderr).toMatch(/would be read as an inventory file/);
    symlinkSync(folder, path.join(dir, 'fold-link'));
    const viaLink = runCli(['audit', path.join(dir, 'fold-link'), '-o', `csv=${csv}`, ...AS_OF]);
    expect(viaLink.code).toBe(2);
    expect(viaLink.stderr).toMatch(/would be read as an inventory file/);
    expect(readFileSync(csv, 'utf8')).toBe('Hostname,OS Name\nX,Windows 7\n');
    // The folder reader skips *.json: a JSON report there is fine, run after run.
    const json = path.join(folder, 'report.json');
    for (let round = 0; round < 2; round++) {
      const r = runCli(['audit', folder, '-q', '-o', `json=${json}`, ...AS_OF]);
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 1, stderr: '' });
    }
    expect(JSON.parse(readFileSync(json, 'utf8')).summary.hosts).toBe(2);
    expect(filesIn(folder)).toEqual(['ok.csv', 'report.csv', 'report.json']);
  });

  test('an output in a subfolder of an input folder is fine (folders are not read recursively)', () => {
    const folder = path.join(dir, 'fold2');
    mkdirSync(folder);
    writeTemp(folder, 'ok.csv', readFileSync(OK, 'utf8'));
    const out = path.join(folder, 'reports', 'report.csv');
    const r = runCli(['audit', folder, '-q', '-o', `csv=${out}`, ...AS_OF]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(existsSync(out)).toBe(true);
  });
});

describe('colour of the error line', () => {
  const missing = path.join(dir, 'missing.csv');
  test('--no-color wins over FORCE_COLOR; FORCE_COLOR and --color colour it', () => {
    const plain = runCli(['audit', missing, '--no-color', ...AS_OF], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(plain.code).toBe(2);
    expect(plain.stderr).toBe(`patchaudit: error: ${missing}: no such file\n`);
    const forced = runCli(['audit', missing, ...AS_OF], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(forced.code).toBe(2);
    expect(forced.stderr).toBe(`\u001b[31mpatchaudit: error: \u001b[39m${missing}: no such file\n`);
    const flag = runCli(['audit', missing, '--color', ...AS_OF], { env: { NO_COLOR: '1' } });
    expect(flag.stderr).toBe(`\u001b[31mpatchaudit: error: \u001b[39m${missing}: no such file\n`);
    const last = runCli(['audit', missing, '--color', '--no-color', ...AS_OF], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(last.stderr).toBe(`patchaudit: error: ${missing}: no such file\n`);
  });
});

describe('standard output that cannot be written', () => {
  (existsSync('/dev/full') ? test : test.skip)('a full device on stdout: one line, exit 2', () => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" audit "${OK}" -f json ${AS_OF.join(' ')} > /dev/full`], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, NO_COLOR: '1' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect({ code: r.status, stderr: r.stderr }).toEqual({ code: 2, stderr: 'patchaudit: error: standard output: cannot write (ENOSPC)\n' });
  });
});
