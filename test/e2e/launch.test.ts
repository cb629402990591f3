import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { fixture, ROOT, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * bin/patchaudit.js runs one bundle of the CLI, dist/cli/patchaudit.cjs (scripts/bundle-cli.js), with its
 * V8 code cache. Run from another working directory it must find everything the modules find beside
 * themselves in dist/ — rule packs, the rollup catalog, the schemas, package.json, the worker entry — and
 * load packages (YAML, ajv, semver, chalk) when a run needs them.
 */
const elsewhere = tempDir('patchaudit-cwd-');
const AS_OF = ['--as-of', '2026-11-25'];

describe('the built CLI (bundle and code cache)', () => {
  test('built-in rule packs and rollup data, version from package.json', () => {
    const r = runCli(['audit', fixture('sample-trust-inventory.csv'), '--format', 'json', ...AS_OF], { cwd: elsewhere });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.rules.map((x: { id: string }) => x.id)).toEqual(['MS17-010', 'WIN-EOS', 'CVE-2019-0708', 'CVE-2020-0796', 'OS-EOS']);
    // Rollup evidence names the catalog's updates.
    expect(r.stdout).toMatch(/monthly rollup|cumulative update/);
    const version = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
    expect(doc.tool.version).toBe(version);
    expect(runCli(['--version'], { cwd: elsewhere }).stdout.trim()).toBe(version);
  });

  test('a YAML rules file is checked against schema/rules.schema.json', () => {
    const ok = runCli(['rules', 'validate', fixture('rules', 'custom-rules.yaml')], { cwd: elsewhere });
    expect(ok).toEqual({ code: 0, stdout: expect.stringMatching(/valid \(3 rules\)/), stderr: '' });
    const schema = runCli(['rules', 'validate', fixture('rules', 'invalid', 'bad-kb.json')], { cwd: elsewhere });
    expect(schema.code).toBe(2);
    expect(schema.stderr).toMatch(/kbs\[0\]: must match pattern/);
    const semver = runCli(['rules', 'validate', fixture('rules', 'invalid', 'bad-semver-range.yaml')], { cwd: elsewhere });
    expect(semver.code).toBe(2);
    expect(semver.stderr).toMatch(/is not a valid semver range/);
  });

  test('colour loads chalk; a report file is written', () => {
    const out = path.join(elsewhere, 'out', 'report.csv');
    const r = runCli(['audit', fixture('sample-trust-inventory.csv'), '--output', `csv=${out}`, ...AS_OF], { cwd: elsewhere, env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('\u001b[');
    expect(readFileSync(out, 'utf8')).toMatch(/^[^\n]*hostname/i);
  });

  test('worker threads find their entry (dist/parallel/worker.js)', () => {
    // Past 5,000 distinct hosts a lone CSV is streamed in blocks, which --workers hands to threads.
    const lines = ['Hostname,OS Name,OS Version,Installed KBs'];
    for (let i = 0; i < 20_000; i++) lines.push(`PC-${i},Microsoft Windows 10 Enterprise,10.0.19045.6036,KB5062554`);
    const inv = path.join(elsewhere, 'many.csv');
    writeFileSync(inv, lines.join('\n') + '\n');
    const one = runCli(['audit', inv, '--format', 'ndjson', '--workers', '0', ...AS_OF], { cwd: elsewhere });
    const two = runCli(['audit', inv, '--format', 'ndjson', '--workers', '2', ...AS_OF], { cwd: elsewhere });
    expect(one.stderr).toBe('');
    expect(two).toEqual(one);
  });

  test('the code cache was made from this bundle and V8 accepts it', () => {
    const launch = pathToFileURL(path.join(ROOT, 'dist/cli/launch.js')).href;
    const script = `const l = await import(${JSON.stringify(launch)}); const { readFileSync } = await import('node:fs');
      process.stdout.write(String(l.compileCli(readFileSync(l.BUNDLE, 'utf8'), true).script.cachedDataRejected));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: elsewhere, encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('false');
  });
});
