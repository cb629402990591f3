// After tsc: bundles the CLI (dist/cli/main.js and everything it imports from dist/) into one CommonJS
// file, dist/cli/patchaudit.cjs, and makes its V8 code cache (see src/cli/launch.ts). commander, which
// every run loads, is bundled too (its licence is copied in); the other packages, loaded only by some
// runs, stay in node_modules.
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
const CLI_DIR = path.join(DIST, 'cli');
const launch = await import(pathToFileURL(path.join(CLI_DIR, 'launch.js')).href);
const { BUNDLE, CODE_CACHE, BUILD_LINE } = launch;
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const commander = JSON.parse(readFileSync(path.join(ROOT, 'node_modules/commander/package.json'), 'utf8'));
const commanderLicence = readFileSync(path.join(ROOT, 'node_modules/commander/LICENSE'), 'utf8');

// Each module keeps the import.meta.url of its own file in dist/, so that rule packs, data, the schema,
// package.json and the worker entry are found where they are, and import() of a package goes through
// the launcher's __import (see launch.ts).
const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, (args) => {
      if (!args.path.startsWith(DIST + path.sep)) return undefined;
      const url = JSON.stringify(pathToFileURL(args.path).href.slice(pathToFileURL(DIST).href.length + 1));
      const text = readFileSync(args.path, 'utf8')
        .replace(/\bimport\.meta\.url\b/g, `new URL(${url}, __distUrl).href`)
        .replace(/\bimport\((['"])([^'".][^'"]*)\1\)/g, (_m, _q, spec) => `__import(${JSON.stringify(spec)})`);
      return { contents: text, loader: 'js' };
    });
  },
};

// commander loads child_process (and with it net, dgram, …) at start-up, only to run executable
// subcommands, which patchaudit has none of: here it is loaded when first used. Should commander's line
// change, it is simply loaded at start-up again.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replace(
        "const childProcess = require('node:child_process');",
        "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };",
      ),
      loader: 'js',
    }));
  },
};

rmSync(CODE_CACHE, { force: true });
const result = await build({
  stdin: { contents: "export { main } from './main.js';\nexport { run } from './run.js';\nexport { serveWorker } from '../parallel/worker-serve.js';\n", resolveDir: CLI_DIR, sourcefile: 'cli-entry.js', loader: 'js' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: Object.keys(pkg.dependencies)
    .filter((name) => name !== 'commander')
    .flatMap((name) => [name, `${name}/*`]),
  // ES modules are strict code; so is the bundle. __distUrl is dist/ as a URL (the bundle is in dist/cli/).
  banner: { js: `"use strict";\n/*! Includes commander ${commander.version}:\n${commanderLicence.replaceAll('*/', '* /')}*/\nconst __distUrl = require("node:url").pathToFileURL(__dirname + "/../").href;` },
  plugins: [keepModuleUrls, lazyChildProcess],
  write: false,
  metafile: true,
  logLevel: 'silent',
});
const problems = [...result.errors, ...result.warnings].map((m) => m.text);
// An import() left in the bundle would fail at run time (code compiled by node:vm has no loader).
const output = Object.values(result.metafile.outputs)[0];
for (const i of output.imports) if (i.kind === 'dynamic-import') problems.push(`import("${i.path}") left in the bundle`);
if (/(?<![\w$.])import\(/.test(result.outputFiles[0].text)) problems.push('import() of a computed name left in the bundle');
if (problems.length > 0) {
  console.error(`bundle-cli: ${problems.join('\n')}`);
  process.exit(1);
}
let source = result.outputFiles[0].text;
source += `${BUILD_LINE}${createHash('sha256').update(source).digest('hex')}\n`;
writeFileSync(BUNDLE, source);

// The code cache: compiled after a few typical runs, so it holds the functions an audit calls, not
// only the top level. Runs are in-process on the sample inventory, with output discarded.
const { cli, script } = launch.compileCli(source, false);
const sample = path.join(ROOT, 'fixtures', 'sample-trust-inventory.csv');
const runs = [
  ['audit', sample, '--format', 'json', '--as-of', '2026-01-01'],
  ['audit', sample, '--format', 'table', '--as-of', '2026-01-01'],
  ['audit', sample, '--format', 'csv', '--as-of', '2026-01-01'],
  // A folder of systeminfo exports, read by the audit's thread as a worker would read it (groups).
  ['audit', path.join(ROOT, 'fixtures', 'exports', 'systeminfo'), '--format', 'ndjson', '--as-of', '2026-01-01', '--workers', '0'],
];
for (const args of runs) {
  const sink = () => new Writable({ write: (_c, _e, cb) => cb() });
  const code = await cli.run(['node', 'patchaudit', ...args], { stdout: sink(), stderr: sink(), stdin: Readable.from([]), env: {}, cwd: ROOT });
  if (code !== 0 && code !== 1) {
    console.error(`bundle-cli: "patchaudit ${args.join(' ')}" exited ${code} while making the code cache`);
    process.exit(1);
  }
}
writeFileSync(CODE_CACHE, Buffer.concat([Buffer.from(source.slice(source.lastIndexOf(BUILD_LINE)), 'latin1'), script.createCachedData()]));
