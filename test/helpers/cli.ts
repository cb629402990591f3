import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin/patchaudit.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Spawn the built CLI (npm test builds dist/ first) with colour off and no TTY. */
export function runCli(args: string[], options: { input?: string | Buffer; env?: NodeJS.ProcessEnv; cwd?: string; timeout?: number } = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    input: options.input,
    // A run that hangs is killed (SIGKILL: code null) instead of stalling the test run.
    timeout: options.timeout,
    killSignal: 'SIGKILL',
    env: { PATH: process.env.PATH, NO_COLOR: '1', ...options.env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function fixture(...parts: string[]): string {
  return path.join(ROOT, 'fixtures', ...parts);
}
