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

/** A finding as the JSON report carries it. */
export interface JsonFinding {
  ruleId: string;
  status: string;
  evidence: string[];
  decidedBy: string;
}

/** A host as the JSON report carries it (what end-to-end tests read). */
export interface JsonHost {
  hostname: string;
  status: string;
  os: { product: string | null; release: string | null; build: number | null; revision: number | null; servicePack: number | null };
  findings: JsonFinding[];
}

export interface JsonReport {
  hosts: JsonHost[];
  summary: Record<string, number>;
  rejected: { file: string; line: number; reason: string }[];
  warnings: string[];
}

/**
 * `patchaudit audit <args> -f json` with findings and unknowns not setting the exit code (--fail-on none,
 * --allow-unknown), as of `asOf`: the run and its report. A refused run (exit 2) prints none: its `doc` is
 * then undefined, and a test reads its stderr.
 */
export function auditJson(args: string[], asOf = '2026-11-25'): CliResult & { doc: JsonReport } {
  const r = runCli(['audit', ...args, '-f', 'json', '--fail-on', 'none', '--allow-unknown', '--as-of', asOf]);
  return { ...r, doc: r.stdout ? (JSON.parse(r.stdout) as JsonReport) : (undefined as unknown as JsonReport) };
}
