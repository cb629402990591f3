import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import type { serveWorker } from '../parallel/worker-serve.js';
import type { Io } from './io.js';

/**
 * Start-up: the executable runs the CLI from one CommonJS bundle of dist/cli/main.js (written by
 * scripts/bundle-cli.js after tsc), compiled with the V8 code cache made when it was built. One file
 * instead of some fifty ES modules saves the module loader's per-file work, and the cache saves compiling
 * the functions every audit calls. A cache from another Node.js version is rejected by V8 and the bundle
 * is simply compiled; the library (dist/index.js) keeps loading the modules themselves.
 */
export interface Cli {
  main(): Promise<void>;
  run(argv: string[], io: Io): Promise<number>;
  /** A worker thread's work (see src/parallel/worker.ts); absent from a bundle built before it was added. */
  serveWorker?: typeof serveWorker;
}

export const BUNDLE = fileURLToPath(new URL('./patchaudit.cjs', import.meta.url));
export const CODE_CACHE = fileURLToPath(new URL('./patchaudit.code-cache', import.meta.url));

/** The bundle ends with this line, naming its content hash; the cache file starts with the same line. */
export const BUILD_LINE = '//# patchaudit-build ';

export function loadCli(): Cli {
  return compileCli(readFileSync(BUNDLE, 'utf8'), true).cli;
}

/**
 * Compile and run the bundle's top level. The wrapper mirrors Node's CommonJS one on the first line, so
 * line numbers in stack traces match the file; `__import` is this module's import(), for what the bundle
 * imports only when needed (chalk, ora, yaml, …): on Node 20, import() inside code compiled by node:vm
 * needs an experimental flag.
 */
export function compileCli(source: string, useCache: boolean): { cli: Cli; script: Script } {
  const cachedData = useCache ? readCodeCache(source) : undefined;
  const script = new Script(`(function (exports, require, module, __filename, __dirname, __import) {${source}\n})`, { filename: BUNDLE, cachedData });
  const module = { exports: {} as Cli };
  const fn = script.runInThisContext() as (...args: unknown[]) => void;
  fn.call(module.exports, module.exports, createRequire(BUNDLE), module, BUNDLE, path.dirname(BUNDLE), (specifier: string) => import(specifier));
  return { cli: module.exports, script };
}

/** The cache, if it was made from this very bundle (V8 itself checks only its length and the Node.js version). */
function readCodeCache(source: string): Buffer | undefined {
  let data: Buffer;
  try {
    data = readFileSync(CODE_CACHE);
  } catch {
    return undefined;
  }
  const eol = data.indexOf(10);
  const header = eol < 0 ? '' : data.toString('latin1', 0, eol + 1);
  if (!header.startsWith(BUILD_LINE) || !source.endsWith(header)) return undefined;
  return data.subarray(eol + 1);
}
