import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/** Ctrl-C mid-run: exit 130, and no report file (complete or partial) and no temp file left behind. */
test('SIGINT stops cleanly with exit 130 and leaves no partial output file', async () => {
  const dir = tempDir('patchaudit-sigint-');
  const inv = path.join(dir, 'big.csv');
  const rows = ['Hostname,OS Name,OS Version,Installed KBs,Site'];
  for (let i = 0; i < 200_000; i++) rows.push(`PC-${i},Microsoft Windows 7 Enterprise ,6.1.7601,KB4012212; KB4499175,Site ${i % 7}`);
  writeFileSync(inv, rows.join('\n') + '\n');
  const out = path.join(dir, 'out', 'audit.json');
  const child = spawn(process.execPath, [BIN, 'audit', inv, '--output', `json=${out}`, '--output', `csv=${path.join(dir, 'out', 'audit.csv')}`, '--format', 'ndjson', '--as-of', '2026-11-25'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, NO_COLOR: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  // Let it get going (past reading the first rows and opening the report files), then interrupt.
  await new Promise((r) => setTimeout(r, 1500));
  child.kill('SIGINT');
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  expect(code).toBe(130);
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(existsSync(out)).toBe(false);
  const leftovers = existsSync(path.join(dir, 'out')) ? readdirSync(path.join(dir, 'out')) : [];
  expect(leftovers).toEqual([]);
}, 60_000);

/** A folder of small exports read in one thread: files are read synchronously, yet Ctrl-C still stops it at once. */
test('SIGINT stops a folder of exports read in one thread (--workers 0)', async () => {
  const dir = tempDir('patchaudit-sigint-folder-');
  const hotfixes = Array.from({ length: 120 }, (_, k) => `${' '.repeat(27)}[${String(k + 1).padStart(2, '0')}]: KB${5000000 + k * 7919}`).join('\r\n');
  for (let i = 0; i < 10_000; i++) {
    const host = `WS-${String(i).padStart(5, '0')}`;
    writeFileSync(path.join(dir, `${host}.txt`), `\r\nHost Name:                 ${host}\r\nOS Name:                   Microsoft Windows 10 Enterprise\r\nOS Version:                10.0.19045 N/A Build 19045\r\nHotfix(s):                 120 Hotfix(s) Installed.\r\n${hotfixes}\r\n`);
  }
  const child = spawn(process.execPath, [BIN, 'audit', dir, '--format', 'ndjson', '--workers', '0', '--as-of', '2026-11-25'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, NO_COLOR: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  await new Promise((r) => setTimeout(r, 500));
  const sent = Date.now();
  child.kill('SIGINT');
  const code = await exited;
  // Exit 130, not 1 (the audit run to its end, non-compliant): the signal was heard while reading.
  expect(code).toBe(130);
  expect(Date.now() - sent).toBeLessThan(1000);
  expect(stderr).not.toMatch(/\n\s+at /);
}, 60_000);
