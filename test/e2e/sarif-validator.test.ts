import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Chalk } from 'chalk';
import { auditToResult } from '../../src/audit.js';
import type { HostResult } from '../../src/evaluation/types.js';
import { loadRules } from '../../src/rules/load-rules.js';
import { renderSarif } from '../../src/report/sarif.js';
import type { AuditReport, ReporterContext } from '../../src/report/types.js';
import { ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * Validates patchaudit's SARIF with Microsoft's SARIF validator (dev dependency
 * @microsoft/sarif-multitool: a self-contained .NET binary shipped in the platform package
 * @microsoft/sarif-multitool-<platform>; no .NET install and no network needed). It checks the
 * SARIF 2.1.0 schema, the SARIF best-practice rules and the GitHub code scanning ingestion rules
 * (--rule-kind "Sarif;Gh"), and we assert it reports no error.
 *
 * The binary is spawned directly rather than through the package's bin.js, which runs it with
 * shell: true, so the ";" in "Error;Warning" would split the command.
 * SARIF_MULTITOOL=/path/to/Sarif.Multitool overrides where the binary is looked up.
 */

function findValidator(): { bin: string } | { missing: string } {
  const override = process.env.SARIF_MULTITOOL;
  if (override) return existsSync(override) ? { bin: override } : { missing: `SARIF_MULTITOOL=${override} does not exist` };
  const require = createRequire(path.join(ROOT, 'package.json'));
  let bin: string;
  try {
    // The package's main export is the path of the platform binary.
    bin = require('@microsoft/sarif-multitool') as string;
  } catch (err) {
    return { missing: `@microsoft/sarif-multitool is not installed (${(err as Error).message.split('\n')[0]})` };
  }
  if (!existsSync(bin)) return { missing: `the validator binary ${bin} is missing` };
  return { bin };
}

const found = findValidator();
// In CI the validator must run: a missing binary fails there instead of skipping.
const validatorTest = 'bin' in found || process.env.CI ? test : test.skip;
// When the binary is missing the tests are skipped, and say why in their names and on the console.
const skipNote = 'missing' in found ? ` [SKIPPED: ${found.missing}; npm install --save-dev @microsoft/sarif-multitool]` : '';
if ('missing' in found) console.warn(`SARIF validator tests skipped: ${found.missing}`);

interface ValidatorResult {
  ruleId: string;
  level?: string;
  message: { text?: string; id?: string; arguments?: string[] };
  locations?: { physicalLocation?: { artifactLocation?: { uri?: string } } }[];
}

/** Run the validator on some files; returns its results grouped by validated file name. */
function validate(bin: string, files: string[], outDir: string): Map<string, ValidatorResult[]> {
  const out = path.join(outDir, 'validation.sarif');
  const r = spawnSync(bin, ['validate', ...files, '--output', out, '--log', 'ForceOverwrite', '--level', 'Error;Warning', '--rule-kind', 'Sarif;Gh'], {
    encoding: 'utf8',
    timeout: 120_000,
    // Quieter and no telemetry; works without network (URL reachability checks only produce notes).
    env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
  });
  if (r.error) throw new Error(`could not run ${bin}: ${r.error.message}${(r.error as NodeJS.ErrnoException).code === 'EACCES' ? ' (not executable: the package postinstall "chmod u+x" did not run)' : ''}`);
  if (r.status !== 0) throw new Error(`validator exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  const log = JSON.parse(readFileSync(out, 'utf8'));
  const byFile = new Map<string, ValidatorResult[]>(files.map((f) => [path.basename(f), []]));
  for (const res of log.runs[0].results as ValidatorResult[]) {
    const uri = res.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? '';
    const name = decodeURIComponent(uri.split('/').pop() ?? '');
    byFile.get(name)?.push(res);
  }
  return byFile;
}

const describeResult = (r: ValidatorResult) => `${r.level ?? 'warning'} ${r.ruleId}: ${r.message.text ?? (r.message.arguments ?? []).join(' | ')}`;

const CTX: ReporterContext = { style: new Chalk({ level: 0 }), explain: false, show: 'all', minSeverity: 'info', width: 120 };

async function sampleReport(): Promise<AuditReport> {
  const cwd = process.cwd();
  // Relative inventory path, as a user would give it from the repository root (→ %SRCROOT% URIs).
  process.chdir(ROOT);
  try {
    const rules = await loadRules([]);
    const inputs = ['fixtures/sample-trust-inventory.csv'];
    const r = await auditToResult({ inputs, rules, asOf: '2026-11-25', warnDays: 90 });
    for (const h of r.hosts) delete h.host;
    return { tool: { name: 'patchaudit', version: '0.1.0' }, asOf: r.asOf, inputs, rules, summary: r.summary, hosts: r.hosts, rejected: r.rejected, warnings: r.warnings, files: r.files, failOn: 'high' };
  } finally {
    process.chdir(cwd);
  }
}

/** The sample audit again with hostile hostnames and odd source paths (stdin, absolute, spaces). */
function hostileVariant(report: AuditReport): AuditReport {
  const names = ['=HYPERLINK("http://x","y")', '\x1b]8;;http://evil\x07x\x1b]8;;\x07', 'a"b,c\nd\x00e', '<script>alert(1)</script>', '\ud800lone'];
  const files = ['-', '/srv/exports/inventory list.csv', 'C:\\exports\\a b.csv', 'sub dir/x#1.csv', 'ü/ñ.csv'];
  const hosts: HostResult[] = report.hosts.slice(0, 40).map((h, i) => ({
    ...h,
    hostname: `${names[i % names.length]}-${i}`,
    sources: [{ file: files[i % files.length], line: h.sources[0].line }],
    findings: h.findings.map((f, j) => (i === 0 && j === 0 && f.status === 'fail' ? { ...f, status: 'waived' as const, waiver: { reason: 'isolated VLAN "ward 3"\n', owner: '@ops', expires: '2027-01-31' } } : f)),
  }));
  return { ...report, hosts, warnings: ['a warning with \x1b[31mcolour\x1b[0m'], rejected: [{ file: '-', line: 0, reason: 'no hostname' }] };
}

/** The sample audit failing on stale waivers too (--fail-on-stale-waivers): STALE-WAIVER results at a waiver file. */
function staleWaiversVariant(report: AuditReport): AuditReport {
  const entry = { hosts: ['PC-9'], rules: ['MS17-010'], reason: 'replaced in June', owner: 'ops', expires: '2026-06-30' };
  return {
    ...report,
    waivers: { expired: [{ path: 'waivers[0]', file: 'policy/waivers.yaml', line: 3, entry, matched: 0 }], unused: [{ path: 'waivers[1]', file: 'policy/waivers.yaml', entry }], expiring: [] },
    gate: { exitCode: 1, reasons: ['2 expired or unused waivers'], policy: { failOn: 'high', allowUnknown: false, failOnStaleWaivers: true } },
  };
}

describe('SARIF output passes Microsoft SARIF validator', () => {
  const dir = tempDir('patchaudit-sarif-');

  validatorTest(
    `sample inventory audit: schema, SARIF rules and GitHub rules report no error${skipNote}`,
    async () => {
      const bin = (found as { bin: string }).bin;
      const report = await sampleReport();
      const sample = renderSarif(report, CTX);
      const doc = JSON.parse(sample);
      expect(doc.runs[0].results.length).toBeGreaterThan(400);
      expect(doc.runs[0].artifacts[0].location).toEqual({ uri: 'fixtures/sample-trust-inventory.csv', uriBaseId: '%SRCROOT%' });
      expect(renderSarif(report, CTX)).toBe(sample);

      const files = {
        sample: path.join(dir, 'sample.sarif'),
        hostile: path.join(dir, 'hostile.sarif'),
        stale: path.join(dir, 'stale.sarif'),
        // A canary the validator must reject: proves it really checks files on this machine.
        canary: path.join(dir, 'canary.sarif'),
      };
      writeFileSync(files.sample, sample);
      writeFileSync(files.hostile, renderSarif(hostileVariant(report), CTX));
      const stale = renderSarif(staleWaiversVariant(report), CTX);
      expect(JSON.parse(stale).runs[0].results.filter((r: { ruleId: string }) => r.ruleId === 'STALE-WAIVER')).toHaveLength(2);
      writeFileSync(files.stale, stale);
      const broken = JSON.parse(sample);
      broken.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
      delete broken.runs[0].tool.driver.rules[0].shortDescription;
      writeFileSync(files.canary, JSON.stringify(broken));

      const byFile = validate(bin, Object.values(files), dir);
      const errors = (name: string) => (byFile.get(name) ?? []).filter((r) => r.level === 'error').map(describeResult);
      const warnings = (name: string) => (byFile.get(name) ?? []).filter((r) => (r.level ?? 'warning') === 'warning').map((r) => r.ruleId);

      expect(errors('canary.sarif').length).toBeGreaterThanOrEqual(2);
      expect(errors('sample.sarif')).toEqual([]);
      expect(errors('hostile.sarif')).toEqual([]);
      expect(errors('stale.sarif')).toEqual([]);
      // The only warning: no informationUri (the project has no public URL to point to yet).
      expect(warnings('sample.sarif')).toEqual(['SARIF2005']);
      expect(warnings('hostile.sarif')).toEqual(['SARIF2005']);
      expect(warnings('stale.sarif')).toEqual(['SARIF2005']);
    },
    180_000,
  );

  validatorTest(`validator binary is executable and reports its version${skipNote}`, () => {
    const bin = (found as { bin: string }).bin;
    expect(() => accessSync(bin, constants.X_OK)).not.toThrow();
    const v = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 60_000 });
    // CommandLineParser writes --version to stderr.
    expect(`${v.stdout}${v.stderr}`).toMatch(/SARIF Multitool \d+\.\d+\.\d+/);
  });
});
