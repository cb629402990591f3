import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fixture, runCli } from '../helpers/cli.js';
import { compareVerdicts } from '../helpers/verdicts.js';

/**
 * Every export fixture has a sidecar of expected verdicts (fixtures/README.md), derived independently
 * from the research facts. Each is audited through the built CLI and every verdict compared.
 */
interface Sidecar {
  asOf: string;
  file?: string;
  files?: string[];
  folder?: string;
  map?: Record<string, string>;
  hosts: Record<string, Record<string, string | null>>;
  rejected: { line: number }[];
  combinedWithSysteminfo?: Record<string, Record<string, string | null>>;
}

interface JsonHost {
  hostname: string;
  status: string;
  os: { product: string | null; release: string | null };
  findings: { ruleId: string; status: string }[];
}

function sidecars(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir)) {
      const p = path.join(dir, e);
      if (e === '_generator') continue;
      if (statSync(p).isDirectory()) walk(p);
      else if (e.endsWith('.expected.json') || e === 'expected.json') out.push(p);
    }
  };
  walk(fixture('exports'));
  out.push(fixture('sample-trust-inventory.expected.json'));
  return out.sort();
}

function inputsOf(sidecarPath: string, s: Sidecar): string[] {
  const dir = path.dirname(sidecarPath);
  if (s.files) return s.files.map((f) => path.join(dir, f));
  if (s.folder) return [dir.endsWith(s.folder) ? dir : path.join(dir, s.folder)];
  if (s.file) return [path.join(dir, s.file)];
  throw new Error(`${sidecarPath}: no file, files or folder`);
}

function compare(expected: Sidecar['hosts'], hosts: JsonHost[]): string[] {
  return compareVerdicts(expected, hosts, { isRule: (k) => /^(MS17-010|WIN-EOS|CVE-|OS-EOS)/.test(k), absent: 'not-applicable', ignoreCase: true });
}

describe.each(sidecars().map((p) => [path.relative(fixture(), p), p]))('%s', (_name, sidecarPath) => {
  const s = JSON.parse(readFileSync(sidecarPath, 'utf8')) as Sidecar;
  const mapArgs = Object.entries(s.map ?? {}).flatMap(([k, v]) => ['--map', `${k}=${v}`]);
  const inputs = inputsOf(sidecarPath, s);

  test('every host verdict, host status and rejected line is as expected', () => {
    const r = runCli(['audit', ...inputs, ...mapArgs, '--format', 'json', '--as-of', s.asOf]);
    expect(r.stderr).toBe('');
    expect([0, 1]).toContain(r.code);
    const doc = JSON.parse(r.stdout);
    expect(compare(s.hosts, doc.hosts)).toEqual([]);
    expect(doc.hosts).toHaveLength(Object.keys(s.hosts).length);
    expect(doc.rejected.map((x: { line: number }) => x.line).sort((a: number, b: number) => a - b)).toEqual(s.rejected.map((x) => x.line).sort((a, b) => a - b));
    expect(doc.summary.rowsAudited + doc.summary.rejectedRows).toBe(doc.summary.rowsRead);
  });

  if (s.combinedWithSysteminfo) {
    test('audited together with the systeminfo folder', () => {
      const r = runCli(['audit', ...inputs, fixture('exports', 'systeminfo'), '--format', 'json', '--as-of', s.asOf]);
      expect(compare(s.combinedWithSysteminfo!, JSON.parse(r.stdout).hosts)).toEqual([]);
    });
  }
});

test('encoding and title-block twins audit exactly alike', () => {
  const twins = readdirSync(fixture('exports', 'twins')).filter((f) => f.endsWith('.csv'));
  expect(twins.length).toBeGreaterThanOrEqual(5);
  const strip = (stdout: string) => {
    const d = JSON.parse(stdout);
    return d.hosts.map((h: JsonHost & { sources: unknown; columns: unknown }) => ({ hostname: h.hostname, status: h.status, os: h.os, findings: h.findings }));
  };
  const results = twins.map((t) => strip(runCli(['audit', fixture('exports', 'twins', t), '--format', 'json', '--as-of', '2026-11-25']).stdout));
  for (const r of results.slice(1)) expect(r).toEqual(results[0]);
});
