/**
 * End to end: waivers (--waivers, --fail-on-stale-waivers), baselines (--baseline, --fail-on-new,
 * `patchaudit diff`), the risk ranking (--explain) and the end-of-support timeline (--timeline).
 *
 * Fixtures: fixtures/waivers/ (inventory.csv + trust-waivers.yaml/.json, invalid/) and
 * fixtures/baseline/ (two monthly exports; README.md lists every expected change). The CLI is the
 * built one (npm run build first); the risk property and the glob timing also run in-process.
 */
import fc from 'fast-check';
import { parse as parseCsv } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { auditToResult } from '../../src/audit.js';
import { globMatch, loadWaivers } from '../../src/evaluation/waivers.js';
import { loadRules } from '../../src/rules/load-rules.js';
import { fixture, runCli, type CliResult } from '../helpers/cli.js';
import { tempDir, writeTemp } from '../helpers/tmp.js';

const dir = tempDir('patchaudit-waivers-baseline-');
const AS_OF = '2026-11-25';

const INVENTORY = fixture('waivers', 'inventory.csv');
const WAIVERS_YAML = fixture('waivers', 'trust-waivers.yaml');
const WAIVERS_JSON = fixture('waivers', 'trust-waivers.json');
const OCT = fixture('baseline', 'fleet-2026-10.csv');
const NOV = fixture('baseline', 'fleet-2026-11.csv');

interface JFinding {
  ruleId: string;
  status: string;
  severity: string;
  evidence: string[];
  waiver?: { reason: string; owner: string; expires: string };
  change?: 'new' | 'existing';
  endDate?: string;
}
interface JHost {
  hostname: string;
  status: string;
  risk: { score: number; factors: { factor: string; points: number }[] };
  findings: JFinding[];
}
interface JWaiverEntry {
  file: string;
  path: string;
  hosts: string[];
  where: Record<string, unknown>;
  rules: string[];
  reason: string;
  owner: string;
  expires: string;
  matched?: number;
  daysLeft?: number;
}
interface JReport {
  schemaVersion: number;
  asOf: string;
  summary: { hosts: number; compliant: number; nonCompliant: number; unknown: number; byRule: Record<string, { fail: number; waived: number }> };
  hosts: JHost[];
  waivers?: { expired: JWaiverEntry[]; unused: JWaiverEntry[]; expiring: JWaiverEntry[] };
  baseline?: {
    resolved: { hostname: string; ruleId: string }[];
    hostsAdded: string[];
    hostsRemoved: string[];
    newFailures: { hostname: string; ruleId: string; severity: string }[];
  };
  timeline: { asOf: string; windows: number[]; rows: { product: string; within: Record<string, number> }[]; totals: Record<string, number> };
}

function audit(args: string[], asOf = AS_OF): CliResult {
  return runCli(['audit', ...args, '--as-of', asOf]);
}

function auditJson(args: string[], asOf = AS_OF): { r: CliResult; doc: JReport } {
  const r = audit([...args, '--format', 'json'], asOf);
  if (r.stdout === '') throw new Error(`no JSON on stdout (exit ${r.code}): ${r.stderr}`);
  return { r, doc: JSON.parse(r.stdout) as JReport };
}

function host(doc: JReport, name: string): JHost {
  const h = doc.hosts.find((x) => x.hostname === name);
  if (!h) throw new Error(`host ${name} not in the report`);
  return h;
}

function finding(doc: JReport, name: string, ruleId: string): JFinding {
  const f = host(doc, name).findings.find((x) => x.ruleId === ruleId);
  if (!f) throw new Error(`${name} has no ${ruleId} finding`);
  return f;
}

/** "HOST RULE" for every finding with this status, sorted. */
function pairs(doc: JReport, status: string): string[] {
  return doc.hosts.flatMap((h) => h.findings.filter((f) => f.status === status).map((f) => `${h.hostname} ${f.ruleId}`)).sort();
}

const key = (x: { hostname: string; ruleId: string }) => `${x.hostname} ${x.ruleId}`;
const sorted = (xs: string[]) => [...xs].sort();

/** One line on stderr, naming `file`, no stack trace, nothing on stdout. */
function expectCleanError(r: CliResult, file: string, ...mustMatch: RegExp[]): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^patchaudit: error: /);
  expect(lines[0]).toContain(file);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toMatch(/internal error/);
  for (const re of mustMatch) expect(lines[0]).toMatch(re);
}

/** The inventory fixture restricted to some hosts (same header). */
function inventorySubset(name: string, hosts: string[]): string {
  const lines = readFileSync(INVENTORY, 'utf8').trimEnd().split(/\r?\n/);
  const keep = lines.slice(1).filter((l) => hosts.includes(l.split(',')[0]));
  expect(keep).toHaveLength(hosts.length);
  return writeTemp(dir, name, [lines[0], ...keep].join('\n') + '\n');
}

/** Day count between two YYYY-MM-DD dates (UTC). */
function days(from: string, to: string): number {
  return Math.round((Date.parse(to + 'T00:00:00Z') - Date.parse(from + 'T00:00:00Z')) / 86_400_000);
}

// The waivers the fixture is written to produce (see the comment at the top of trust-waivers.yaml).
const PACS = {
  reason:
    'Agfa PACS image server: the vendor certifies the archive only on Windows 7 SP1 and will not support SMB or OS updates. Host is on the isolated imaging VLAN (no route to the internet, SMB allowed only from the two modality gateways). Replacement funded in the 2026/27 capital plan.',
  owner: 'Dr A. Okafor, Clinical Safety Officer (Radiology)',
  expires: '2027-03-31',
};
const EXPECTED_WAIVED: Record<string, string> = {
  'NGH-PACS-01 MS17-010': '2027-03-31',
  'NGH-PACS-01 WIN-EOS': '2027-03-31',
  'KMU-W10-0021 WIN-EOS': '2027-06-30',
  'KMU-W10-0022 WIN-EOS': '2027-06-30',
  'LAB-ANALYSER-01 WIN-EOS': '2027-09-30',
  'LAB-ANALYSER-02 WIN-EOS': '2027-09-30',
  'HRI-THEATRE-02 WIN-EOS': '2027-01-31',
};

// =================================================================================================
describe('waivers', () => {
  let waived: { r: CliResult; doc: JReport };
  let plain: { r: CliResult; doc: JReport };

  beforeAll(() => {
    waived = auditJson([INVENTORY, '--waivers', WAIVERS_YAML]);
    plain = auditJson([INVENTORY]);
  });

  test('without waivers the fixture fails as designed (the findings the waivers will cover are real failures)', () => {
    for (const k of Object.keys(EXPECTED_WAIVED)) {
      const [h, rule] = k.split(' ');
      expect(finding(plain.doc, h, rule).status).toBe('fail');
    }
    expect(plain.doc.summary.nonCompliant).toBe(9);
    expect(plain.r.code).toBe(1);
  });

  test('matching findings become "waived" with the waiver {reason, owner, expires} in JSON', () => {
    const { doc } = waived;
    expect(pairs(doc, 'waived')).toEqual(Object.keys(EXPECTED_WAIVED).sort());
    for (const [k, expires] of Object.entries(EXPECTED_WAIVED)) {
      const [h, rule] = k.split(' ');
      const f = finding(doc, h, rule);
      expect(f.waiver).toEqual({ reason: expect.any(String), owner: expect.any(String), expires });
      // The evidence still says what was wrong.
      expect(f.evidence.join(' ')).toMatch(/was fail/);
    }
    expect(finding(doc, 'NGH-PACS-01', 'MS17-010').waiver).toEqual(PACS);
    expect(finding(doc, 'KMU-W10-0022', 'WIN-EOS').waiver?.owner).toBe('J. Whitfield, Head of IT Operations');
    // The FQDN in waivers[5] matches the short hostname in the inventory.
    expect(finding(doc, 'HRI-THEATRE-02', 'WIN-EOS').waiver?.owner).toBe('S. Iqbal, Theatres Systems Manager');
    // Only failing findings are waived: the PACS server's passing BlueKeep finding stays a pass.
    expect(finding(doc, 'NGH-PACS-01', 'CVE-2019-0708').status).toBe('pass');
    expect(doc.summary.byRule['MS17-010'].waived).toBe(1);
    expect(doc.summary.byRule['WIN-EOS'].waived).toBe(6);
  });

  test('a host whose only failures are waived is not failed by them; the others still are', () => {
    const { doc } = waived;
    for (const h of ['NGH-PACS-01', 'KMU-W10-0021', 'KMU-W10-0022', 'LAB-ANALYSER-01', 'LAB-ANALYSER-02', 'HRI-THEATRE-02']) {
      expect([h, host(doc, h).status]).toEqual([h, 'compliant']);
    }
    // "LAB-ANALYSER-*" does not match HRI-LAB-ANALYSER-03 (a glob is anchored at both ends).
    expect(finding(doc, 'HRI-LAB-ANALYSER-03', 'WIN-EOS').status).toBe('fail');
    expect(finding(doc, 'HRI-LAB-ANALYSER-03', 'WIN-EOS').waiver).toBeUndefined();
    for (const h of ['HRI-LAB-ANALYSER-03', 'WCH-W7-0003', 'HRI-XP-DICOM-GW']) expect([h, host(doc, h).status]).toEqual([h, 'non-compliant']);
    expect(doc.summary.nonCompliant).toBe(3);
    expect(doc.summary.compliant).toBe(10);
    // Waived findings add nothing to the risk score.
    expect(host(doc, 'NGH-PACS-01').risk.score).toBe(0);
  });

  test('exit code: 1 while an unwaived failure remains, 0 when every failure is waived', () => {
    expect(waived.r.code).toBe(1);
    const inv = inventorySubset('all-waived.csv', ['NGH-PACS-01', 'NGH-W11-0114', 'LAB-ANALYSER-01', 'LAB-ANALYSER-02', 'HRI-THEATRE-02', 'KMU-W10-0021']);
    const without = audit([inv, '--format', 'json']);
    expect(without.code).toBe(1);
    const withWaivers = audit([inv, '--format', 'json', '--waivers', WAIVERS_YAML]);
    expect(withWaivers.stderr).toBe('');
    expect(withWaivers.code).toBe(0);
    const doc = JSON.parse(withWaivers.stdout) as JReport;
    expect(doc.summary.nonCompliant).toBe(0);
    expect(pairs(doc, 'waived')).toHaveLength(6);
  });

  test('an expired waiver no longer applies and is listed in waivers.expired with what it would have matched', () => {
    const { doc } = waived;
    for (const rule of ['MS17-010', 'CVE-2019-0708']) {
      const f = finding(doc, 'WCH-W7-0003', rule);
      expect(f.status).toBe('fail');
      expect(f.waiver).toBeUndefined();
    }
    expect(doc.waivers!.expired).toHaveLength(1);
    expect(doc.waivers!.expired[0]).toMatchObject({
      path: 'waivers[3]',
      hosts: ['WCH-W7-0003'],
      rules: ['MS17-010', 'CVE-2019-0708'],
      owner: 'R. Baines, Desktop Services',
      expires: '2026-06-30',
      matched: 2,
    });
    expect(doc.waivers!.expired[0].file).toContain('trust-waivers.yaml');
  });

  test('unused and expiring waivers are listed; --warn-days sets the expiring window', () => {
    const w = waived.doc.waivers!;
    expect(w.unused.map((x) => x.path)).toEqual(['waivers[4]']);
    expect(w.unused[0]).toMatchObject({ hosts: ['SAH-OLD-SCANNER-01'], owner: 'L. Moreau, Medical Records', expires: '2027-12-31' });
    // 2026-11-25 → 2027-01-31 is 67 days; the other live waivers end after the 90-day window.
    expect(days(AS_OF, '2027-01-31')).toBe(67);
    expect(w.expiring.map((x) => [x.path, x.daysLeft])).toEqual([['waivers[5]', 67]]);
    expect(w.expiring[0].hosts).toEqual(['hri-theatre-02.harrowfield.nhs.uk']);

    const wide = auditJson([INVENTORY, '--waivers', WAIVERS_YAML, '--warn-days', '180']).doc.waivers!;
    // PACS (2027-03-31, 126 days) joins; Kingsbridge (2027-06-30, 217 days) does not.
    expect(wide.expiring.map((x) => [x.path, x.daysLeft])).toEqual([
      ['waivers[0]', days(AS_OF, '2027-03-31')],
      ['waivers[5]', 67],
    ]);
    expect(days(AS_OF, '2027-03-31')).toBe(126);
  });

  test('expiry date is the last day a waiver applies, judged at --as-of', () => {
    const last = auditJson([INVENTORY, '--waivers', WAIVERS_YAML], '2027-03-31').doc;
    expect(finding(last, 'NGH-PACS-01', 'MS17-010').status).toBe('waived');
    expect(last.waivers!.expiring.find((x) => x.path === 'waivers[0]')?.daysLeft).toBe(0);
    expect(last.waivers!.expired.map((x) => x.path)).not.toContain('waivers[0]');

    const after = auditJson([INVENTORY, '--waivers', WAIVERS_YAML], '2027-04-01').doc;
    expect(finding(after, 'NGH-PACS-01', 'MS17-010').status).toBe('fail');
    expect(finding(after, 'NGH-PACS-01', 'WIN-EOS').status).toBe('fail');
    expect(after.waivers!.expired.find((x) => x.path === 'waivers[0]')).toMatchObject({ expires: '2027-03-31', matched: 2 });
    expect(host(after, 'NGH-PACS-01').status).toBe('non-compliant');
  });

  test('the JSON twin of the waiver file gives the same report as the YAML one', () => {
    const twin = auditJson([INVENTORY, '--waivers', WAIVERS_JSON]);
    expect(twin.r.code).toBe(waived.r.code);
    expect(twin.doc.hosts).toEqual(waived.doc.hosts);
    expect(twin.doc.summary).toEqual(waived.doc.summary);
    const strip = (w: JReport['waivers']) => JSON.parse(JSON.stringify(w, (k, v) => (k === 'file' ? undefined : v)));
    expect(strip(twin.doc.waivers)).toEqual(strip(waived.doc.waivers));
    expect(twin.doc.waivers!.unused[0].file).toContain('trust-waivers.json');
  });

  describe('every format shows the waived finding with its reason, owner and expiry', () => {
    const run = (format: string, ...extra: string[]) => {
      const r = audit([INVENTORY, '--waivers', WAIVERS_YAML, '--format', format, ...extra]);
      expect(r.code).toBe(1);
      return r.stdout;
    };

    test('table --explain', () => {
      const out = run('table', '--explain');
      const lines = out.split('\n');
      const row = lines.findIndex((l) => /^compliant\s+NGH-PACS-01\s/.test(l));
      expect(row).toBeGreaterThan(-1);
      expect(lines[row]).toMatch(/MS17-010 ~/);
      const block = lines.slice(row + 1, row + 12).join('\n');
      expect(block).toMatch(/MS17-010 waived/);
      expect(block).toContain(`waived until 2027-03-31 by ${PACS.owner}: ${PACS.reason}`);
      // Housekeeping: expired, unused and expiring waivers.
      expect(out).toMatch(/expired 2026-06-30: waivers\[3\]/);
      expect(out).toMatch(/unused: waivers\[4\]/);
      expect(out).toMatch(/expiring in 67 day\(s\) \(2027-01-31\): waivers\[5\]/);
    });

    test('csv: status waived and the waiver_reason / waiver_owner / waiver_expires columns', () => {
      const rows = parseCsv(run('csv'), { columns: true }) as Record<string, string>[];
      const waivedRows = rows.filter((x) => x.status === 'waived');
      expect(waivedRows.map((x) => `${x.hostname} ${x.rule_id}`).sort()).toEqual(Object.keys(EXPECTED_WAIVED).sort());
      const pacs = rows.find((x) => x.hostname === 'NGH-PACS-01' && x.rule_id === 'MS17-010')!;
      expect(pacs).toMatchObject({ status: 'waived', host_status: 'compliant', waiver_reason: PACS.reason, waiver_owner: PACS.owner, waiver_expires: PACS.expires });
      for (const x of rows.filter((y) => y.status !== 'waived')) expect([x.waiver_reason, x.waiver_owner, x.waiver_expires]).toEqual(['', '', '']);
    });

    test('markdown: a waived-findings section with reason, owner and expiry', () => {
      const md = run('markdown');
      expect(md).toMatch(/### Waived findings \(7\)/);
      const line = md.split('\n').find((l) => l.startsWith('- NGH-PACS-01 MS17-010:'));
      expect(line).toBeDefined();
      expect(line).toContain('Agfa PACS image server');
      expect(line).toContain(`owner ${PACS.owner}`);
      expect(line).toContain('until 2027-03-31');
      expect(md).toMatch(/### Waivers/);
    });

    test('sarif: waived results carry an accepted external suppression with the justification', () => {
      const sarif = JSON.parse(run('sarif'));
      const results = sarif.runs[0].results as { ruleId: string; suppressions?: { kind: string; status: string; justification: string }[]; locations: { logicalLocations: { name: string }[] }[] }[];
      const suppressed = results.filter((x) => x.suppressions && x.suppressions.length > 0);
      expect(suppressed.map((x) => `${x.locations[0].logicalLocations[0].name} ${x.ruleId}`).sort()).toEqual(Object.keys(EXPECTED_WAIVED).sort());
      const pacs = suppressed.find((x) => x.ruleId === 'MS17-010' && x.locations[0].logicalLocations[0].name === 'NGH-PACS-01')!;
      expect(pacs.suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: expect.stringContaining(PACS.reason) }]);
      expect(pacs.suppressions![0].justification).toContain(PACS.owner);
      expect(pacs.suppressions![0].justification).toContain('2027-03-31');
      // Real failures are not suppressed.
      const gw = results.find((x) => x.ruleId === 'MS17-010' && x.locations[0].logicalLocations[0].name === 'HRI-XP-DICOM-GW')!;
      expect(gw.suppressions ?? []).toEqual([]);
    });

    test('junit: waived cases are <skipped> with the reason', () => {
      const xml = run('junit');
      const cases = [...xml.matchAll(/<testcase classname="patchaudit\.([^"]+)" name="([^"]+)"[^>]*>\s*<skipped message="(waived:[^"]*)"\/>/g)];
      expect(cases.map((m) => `${m[2]} ${m[1]}`).sort()).toEqual(Object.keys(EXPECTED_WAIVED).sort());
      const pacs = cases.find((m) => m[2] === 'NGH-PACS-01' && m[1] === 'MS17-010')!;
      expect(pacs[3]).toContain(PACS.reason);
      expect(pacs[3]).toContain(PACS.owner);
      expect(pacs[3]).toContain('2027-03-31');
      // XML-escaped apostrophe in the Kingsbridge reason.
      expect(xml).toMatch(/women(&apos;|&#39;)s unit/);
    });

    test('html: the reason, owner and expiry are in the report', () => {
      const html = run('html');
      expect(html).toContain(PACS.reason);
      expect(html).toContain(PACS.owner);
      expect(html).toMatch(/Waived findings/);
      expect(html).toContain('2027-03-31');
    });
  });

  describe('an invalid waiver file is an error (exit 2): one line naming the file and where', () => {
    test.each([
      ['no-expires.yaml', [/waivers\[0\]\.expires/, /required/]],
      ['bad-date.yaml', [/waivers\[1\]\.expires/, /2027-02-30/]],
      ['unknown-rule.yaml', [/waivers\[0\]\.rules\[1\]/, /MS17-101/]],
      ['no-hosts-or-where.yaml', [/waivers\[0\]/, /hosts/]],
      ['not-yaml.yaml', [/line \d+/]],
      ['alias-bomb.yaml', [/alias/i]],
      // JSON.parse would keep the last "expires" (2099) and the waiver would never lapse.
      ['duplicate-key.json', [/line 9/, /unique/]],
    ])('%s', (name, patterns) => {
      const file = fixture('waivers', 'invalid', name as string);
      const started = Date.now();
      const r = audit([INVENTORY, '--waivers', file, '--format', 'json']);
      expectCleanError(r, file, ...(patterns as RegExp[]));
      expect(Date.now() - started).toBeLessThan(15_000);
    });

    test('a missing waiver file', () => {
      const file = path.join(dir, 'no-such-waivers.yaml');
      expectCleanError(audit([INVENTORY, '--waivers', file]), file);
    });
  });

  describe('--fail-on-stale-waivers', () => {
    let inv: string;
    beforeAll(() => {
      inv = inventorySubset('stale.csv', ['NGH-PACS-01', 'NGH-W11-0114', 'LAB-ANALYSER-01', 'LAB-ANALYSER-02', 'HRI-THEATRE-02', 'KMU-W10-0021']);
    });

    test('exit 1 when a waiver expired or matches nothing, even though every failure is waived', () => {
      const ok = audit([inv, '--format', 'json', '--waivers', WAIVERS_YAML]);
      expect(ok.code).toBe(0);
      const doc = JSON.parse(ok.stdout) as JReport;
      expect(doc.waivers!.expired.map((x) => x.path)).toEqual(['waivers[3]']);
      expect(doc.waivers!.unused.map((x) => x.path)).toEqual(['waivers[4]']);
      const stale = audit([inv, '--format', 'json', '--waivers', WAIVERS_YAML, '--fail-on-stale-waivers']);
      expect(stale.code).toBe(1);
      expect(JSON.parse(stale.stdout).waivers).toEqual(doc.waivers);
    });

    test('expired alone, or unused alone, is enough; current and used waivers pass', () => {
      const text = readFileSync(WAIVERS_YAML, 'utf8');
      const entries = text.slice(text.indexOf('waivers:\n') + 'waivers:\n'.length).split(/\n(?=  - )/);
      expect(entries).toHaveLength(6);
      const file = (name: string, keep: number[]) => writeTemp(dir, name, 'waivers:\n' + keep.map((i) => entries[i].trimEnd()).join('\n') + '\n');
      const current = file('current.yaml', [0, 1, 2, 5]);
      const expiredOnly = file('expired-only.yaml', [0, 1, 2, 5, 3]);
      const unusedOnly = file('unused-only.yaml', [0, 1, 2, 5, 4]);
      expect(audit([inv, '--waivers', current, '--fail-on-stale-waivers']).code).toBe(0);
      expect(audit([inv, '--waivers', expiredOnly, '--fail-on-stale-waivers']).code).toBe(1);
      expect(audit([inv, '--waivers', unusedOnly, '--fail-on-stale-waivers']).code).toBe(1);
      // Expiring soon is a warning, not stale.
      expect(audit([inv, '--waivers', current, '--fail-on-stale-waivers', '--warn-days', '365']).code).toBe(0);
    });
  });

  test('a waiver that matches a finding is not "unused" because an earlier waiver already covered it', () => {
    // Site-wide waiver first, then a host-specific one with a later expiry (it takes over when the
    // site-wide one lapses). The second matches HRI-THEATRE-02 WIN-EOS: it is in use.
    const file = writeTemp(
      dir,
      'overlapping.yaml',
      [
        'waivers:',
        '  - where: {site: Harrowfield Royal Infirmary}',
        '    rules: [WIN-EOS]',
        '    reason: Harrowfield Windows 7/XP retirement programme',
        '    owner: Harrowfield IT',
        '    expires: 2027-01-31',
        '  - hosts: [HRI-THEATRE-02]',
        '    rules: [WIN-EOS]',
        '    reason: Theatre scheduling replacement after the January freeze',
        '    owner: S. Iqbal',
        '    expires: 2027-06-30',
        '',
      ].join('\n'),
    );
    const { doc } = auditJson([INVENTORY, '--waivers', file]);
    expect(finding(doc, 'HRI-THEATRE-02', 'WIN-EOS').status).toBe('waived');
    expect(doc.waivers!.unused.map((x) => x.path)).toEqual([]);
    expect(audit([inventorySubset('overlap.csv', ['HRI-THEATRE-02', 'LAB-ANALYSER-01']), '--waivers', file, '--fail-on-stale-waivers']).code).toBe(0);
  });

  describe('pathological globs finish fast', () => {
    const hostileInv = fixture('waivers', 'invalid', 'long-hostname.csv');
    const hostileWaivers = fixture('waivers', 'invalid', 'pathological-glob.yaml');

    test('the fixture really has a 10,000-character hostname and role', () => {
      const first = readFileSync(hostileInv, 'utf8').split(/\r?\n/)[1].split(',');
      expect(first[0]).toHaveLength(10_000);
      expect(first[5]).toHaveLength(10_000);
    });

    test('globMatch on 10,000 characters: each pattern well under a second, no false match', () => {
      const patterns = ['*a*a*a*a*a*a*a*a*a*a*b', '?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*c', '*'.repeat(200) + 'b', 'a*'.repeat(100) + 'b'];
      for (const p of patterns) {
        const text = 'a'.repeat(10_000);
        const t0 = performance.now();
        expect(globMatch(p, text)).toBe(false);
        expect(globMatch(p, text + 'b')).toBe(p.endsWith('b'));
        expect(performance.now() - t0).toBeLessThan(250);
      }
    });

    test('in-process audit with the hostile waivers: well under a second, nothing waived', async () => {
      const rules = await loadRules([]);
      const waivers = await loadWaivers(hostileWaivers, rules.map((r) => r.rule.id), AS_OF, 90);
      const t0 = performance.now();
      const out = await auditToResult({ inputs: [hostileInv], rules, asOf: AS_OF, warnDays: 90, waivers });
      expect(performance.now() - t0).toBeLessThan(1000);
      expect(out.hosts).toHaveLength(2);
      expect(out.hosts.flatMap((h) => h.findings).filter((f) => f.status === 'waived')).toEqual([]);
      expect(out.waivers!.unused.map((x) => x.path)).toEqual(['waivers[0]', 'waivers[1]', 'waivers[2]']);
    });

    test('CLI with the hostile waivers finishes promptly and reports every waiver unused', () => {
      const t0 = Date.now();
      const r = audit([hostileInv, '--waivers', hostileWaivers, '--format', 'json']);
      // Process start-up included; a backtracking matcher would take far longer than this.
      expect(Date.now() - t0).toBeLessThan(10_000);
      expect(r.code).toBe(1);
      const doc = JSON.parse(r.stdout) as JReport;
      expect(doc.hosts.map((h) => h.hostname.length).sort((a, b) => a - b)).toEqual([11, 10_000]);
      expect(doc.waivers!.unused).toHaveLength(3);
    });
  });
});

// =================================================================================================
describe('baseline (--baseline, --fail-on-new) and patchaudit diff', () => {
  let octJson: string;
  let novJson: string;
  let nov: { r: CliResult; doc: JReport };

  // Exactly what fixtures/baseline/README.md says.
  const NEW = ['WCH-W10-0201 MS17-010', 'WCH-W10-0201 WIN-EOS'];
  const EXISTING = ['HRI-SV-0302 WIN-EOS', 'NGH-W7-0101 CVE-2019-0708', 'NGH-W7-0101 WIN-EOS', 'SAH-XP-0303 WIN-EOS', 'THQ-W10-0601 WIN-EOS'];
  const RESOLVED = ['HRI-SV-0302 CVE-2019-0708', 'HRI-W7-0301 CVE-2019-0708', 'HRI-W7-0301 MS17-010', 'HRI-W7-0301 WIN-EOS', 'SAH-XP-0303 CVE-2019-0708', 'SAH-XP-0303 MS17-010'];
  const ADDED = ['NGH-W11-0501', 'WCH-SV-0502'];
  const REMOVED = ['KMU-W7-0402', 'KMU-XP-0401'];

  beforeAll(() => {
    const oct = audit([OCT, '--format', 'json'], '2026-10-28');
    expect(oct.code).toBe(1);
    octJson = writeTemp(dir, 'oct.json', oct.stdout);
    const novPlain = audit([NOV, '--format', 'json']);
    novJson = writeTemp(dir, 'nov.json', novPlain.stdout);
    nov = auditJson([NOV, '--baseline', octJson]);
  });

  test('each failing finding is marked new or existing exactly as the README says', () => {
    const fails = nov.doc.hosts.flatMap((h) => h.findings.filter((f) => f.status === 'fail').map((f) => ({ k: `${h.hostname} ${f.ruleId}`, change: f.change })));
    expect(sorted(fails.filter((f) => f.change === 'new').map((f) => f.k))).toEqual(NEW);
    expect(sorted(fails.filter((f) => f.change === 'existing').map((f) => f.k))).toEqual(EXISTING);
    expect(fails).toHaveLength(NEW.length + EXISTING.length);
    // Only failing findings get a change mark.
    for (const h of nov.doc.hosts) for (const f of h.findings) if (f.status !== 'fail') expect(f.change).toBeUndefined();
  });

  test('baseline.resolved, hostsAdded, hostsRemoved and newFailures are exact', () => {
    const b = nov.doc.baseline!;
    expect(sorted(b.resolved.map(key))).toEqual(RESOLVED);
    expect(b.resolved.map(key)).toEqual(RESOLVED); // also in a stable order
    expect(b.hostsAdded).toEqual(ADDED);
    expect(b.hostsRemoved).toEqual(REMOVED);
    expect(b.newFailures).toEqual([
      { hostname: 'WCH-W10-0201', ruleId: 'MS17-010', severity: 'critical' },
      { hostname: 'WCH-W10-0201', ruleId: 'WIN-EOS', severity: 'high' },
    ]);
  });

  test('the other formats carry the comparison too (csv change column, table section)', () => {
    const rows = parseCsv(audit([NOV, '--baseline', octJson, '--format', 'csv']).stdout, { columns: true }) as Record<string, string>[];
    expect(sorted(rows.filter((x) => x.change === 'new').map((x) => `${x.hostname} ${x.rule_id}`))).toEqual(NEW);
    expect(sorted(rows.filter((x) => x.change === 'existing').map((x) => `${x.hostname} ${x.rule_id}`))).toEqual(EXISTING);
    const table = audit([NOV, '--baseline', octJson]).stdout;
    expect(table).toMatch(/Since the baseline/);
    expect(table).toMatch(/2 new failing finding\(s\): WCH-W10-0201 MS17-010, WCH-W10-0201 WIN-EOS/);
    expect(table).toMatch(/6 resolved/);
    expect(table).toMatch(/2 host\(s\) added: NGH-W11-0501, WCH-SV-0502/);
    expect(table).toMatch(/2 host\(s\) removed: KMU-W7-0402, KMU-XP-0401/);
  });

  test('--fail-on-new: 1 when a host regressed, 0 when nothing is new (baseline = itself), although the fleet still fails', () => {
    expect(nov.r.code).toBe(1); // plain gate: failures at or above high
    expect(audit([NOV, '--baseline', octJson, '--fail-on-new']).code).toBe(1);
    const self = auditJson([NOV, '--baseline', novJson, '--fail-on-new']);
    expect(self.r.code).toBe(0);
    expect(self.doc.baseline!.newFailures).toEqual([]);
    expect(self.doc.baseline!.resolved).toEqual([]);
    expect(self.doc.summary.nonCompliant).toBe(5);
    // Without --fail-on-new the same run fails on the existing failures.
    expect(audit([NOV, '--baseline', novJson]).code).toBe(1);
  });

  test('a failure that is waived now is "no longer failing", not resolved; audit --baseline and diff agree', () => {
    const waiver = writeTemp(
      dir,
      'nov-waiver.yaml',
      'waivers:\n  - hosts: [NGH-W7-0101]\n    rules: [CVE-2019-0708]\n    reason: RDP disabled by GPO; replacement PC in the December batch\n    owner: Northgate desktop team\n    expires: 2026-12-31\n',
    );
    const r = auditJson([NOV, '--baseline', octJson, '--waivers', waiver]);
    const b = r.doc.baseline as NonNullable<JReport['baseline']> & { noLongerFailing?: { hostname: string; ruleId: string; status: string }[] };
    expect(finding(r.doc, 'NGH-W7-0101', 'CVE-2019-0708').status).toBe('waived');
    expect(sorted(b.resolved.map(key))).toEqual(RESOLVED);
    expect(b.noLongerFailing).toEqual([{ hostname: 'NGH-W7-0101', ruleId: 'CVE-2019-0708', status: 'waived' }]);
    const report = writeTemp(dir, 'nov-waived.json', r.r.stdout);
    const d = JSON.parse(runCli(['diff', octJson, report, '--format', 'json']).stdout);
    expect(sorted(d.resolved.map(key))).toEqual(RESOLVED);
    expect(d.changed).toEqual([{ hostname: 'NGH-W7-0101', ruleId: 'CVE-2019-0708', from: 'fail', to: 'waived' }]);
  });

  test('--fail-on-new also fails on a new host that cannot be judged, unless --allow-unknown', () => {
    const withUnknown = writeTemp(dir, 'nov-unknown.csv', readFileSync(NOV, 'utf8') + 'THQ-UNK-0901,TBC,,,"Trust HQ, Copse Lane",Kiosk,,\n');
    const r = auditJson([withUnknown, '--baseline', novJson, '--fail-on-new']);
    expect(host(r.doc, 'THQ-UNK-0901').status).toBe('unknown');
    expect(r.doc.baseline!.newFailures).toEqual([]);
    expect(r.doc.baseline!.hostsAdded).toEqual(['THQ-UNK-0901']);
    expect(r.r.code).toBe(1);
    expect(audit([withUnknown, '--baseline', novJson, '--fail-on-new', '--allow-unknown']).code).toBe(0);
  });

  test('a baseline made with other rules is named in a warning; one made with the same rules is not', () => {
    const msOnly = writeTemp(dir, 'nov-ms17.json', audit([NOV, '--format', 'json', '--rules', 'ms17-010']).stdout);
    const r = auditJson([NOV, '--baseline', msOnly]);
    const warnings = (r.doc as unknown as { warnings: string[] }).warnings;
    expect(warnings).toContainEqual(expect.stringMatching(/nov-ms17\.json: the baseline was made with other rules than this audit: WIN-EOS, CVE-2019-0708, CVE-2020-0796, OS-EOS are not in it \(their failures count as new\)$/));
    const back = auditJson([NOV, '--baseline', novJson, '--rules', 'ms17-010,win-eos']);
    expect((back.doc as unknown as { warnings: string[] }).warnings).toContainEqual(expect.stringMatching(/CVE-2019-0708, CVE-2020-0796, OS-EOS were not run now \(their earlier failures are "not checked", not resolved\)$/));
    expect((nov.doc as unknown as { warnings: string[] }).warnings.filter((w) => /other rules/.test(w))).toEqual([]);
  });

  test('--fail-on-new without --baseline is a usage error', () => {
    const r = audit([NOV, '--fail-on-new']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--fail-on-new needs --baseline/);
  });

  describe('patchaudit diff oct.json nov.json gives the same sets in every format', () => {
    const diff = (format: string, a = octJson, b = novJson, ...extra: string[]) => runCli(['diff', a, b, '--format', format, ...extra]);

    /** "Title (n)" followed by indented (table) or "- " (markdown) items. */
    function sections(text: string, md: boolean): Record<string, string[]> {
      const out: Record<string, string[]> = {};
      let current: string[] | null = null;
      for (const line of text.split('\n')) {
        const head = (md ? /^### (.+) \((\d+)\)$/ : /^(\S.*) \((\d+)\)$/).exec(line);
        if (head) {
          current = out[head[1]] = [];
          continue;
        }
        const item = md ? /^- (.*)$/.exec(line) : /^ {2}(\S.*)$/.exec(line);
        if (item && current) current.push(md ? item[1].replace(/\\(.)/g, '$1') : item[1]);
        else if (line.trim() === '') current = null;
      }
      return out;
    }

    function expectSets(s: { newFailures: string[]; resolved: string[]; added: string[]; removed: string[]; changed: string[] }) {
      expect(sorted(s.newFailures)).toEqual(NEW);
      expect(sorted(s.resolved)).toEqual(RESOLVED);
      expect(sorted(s.added)).toEqual(ADDED);
      expect(sorted(s.removed)).toEqual(REMOVED);
      expect(s.changed).toEqual([]);
    }

    test('json', () => {
      const r = diff('json');
      expect(r.code).toBe(0);
      const d = JSON.parse(r.stdout);
      expect(d.old).toMatchObject({ asOf: '2026-10-28', hosts: 11 });
      expect(d.new).toMatchObject({ asOf: '2026-11-25', hosts: 11 });
      expectSets({ newFailures: d.newFailures.map(key), resolved: d.resolved.map(key), added: d.hostsAdded, removed: d.hostsRemoved, changed: d.changed });
      // The same sets as audit --baseline.
      expect(sorted(d.newFailures.map(key))).toEqual(sorted(nov.doc.baseline!.newFailures.map(key)));
      expect(sorted(d.resolved.map(key))).toEqual(sorted(nov.doc.baseline!.resolved.map(key)));
    });

    test('table', () => {
      const r = diff('table');
      expect(r.code).toBe(0);
      const s = sections(r.stdout, false);
      expectSets({ newFailures: s['New failures'], resolved: s['Resolved'], added: s['Hosts added'], removed: s['Hosts removed'], changed: s['Other changes'] });
    });

    test('markdown', () => {
      const r = diff('markdown');
      expect(r.code).toBe(0);
      const s = sections(r.stdout, true);
      expectSets({ newFailures: s['New failures'], resolved: s['Resolved'], added: s['Hosts added'], removed: s['Hosts removed'], changed: s['Other changes'] });
    });

    test('csv', () => {
      const r = diff('csv');
      expect(r.code).toBe(0);
      const rows = parseCsv(r.stdout, { columns: true }) as Record<string, string>[];
      const of = (c: string) => rows.filter((x) => x.change === c);
      expectSets({
        newFailures: of('new-failure').map((x) => `${x.hostname} ${x.ruleId}`),
        resolved: of('resolved').map((x) => `${x.hostname} ${x.ruleId}`),
        added: of('host-added').map((x) => x.hostname),
        removed: of('host-removed').map((x) => x.hostname),
        changed: of('changed').map((x) => `${x.hostname} ${x.ruleId}`),
      });
    });

    test('a report written with --baseline diffs the same as a plain one', () => {
      const annotated = writeTemp(dir, 'nov-annotated.json', nov.r.stdout);
      const a = JSON.parse(diff('json', octJson, annotated).stdout);
      const b = JSON.parse(diff('json').stdout);
      expect({ ...a, new: { ...a.new, file: '' } }).toEqual({ ...b, new: { ...b.new, file: '' } });
    });

    test('--fail-on-new: 1 with a regression, 0 for a report against itself', () => {
      expect(diff('table', octJson, novJson, '--fail-on-new').code).toBe(1);
      const same = diff('json', novJson, novJson, '--fail-on-new');
      expect(same.code).toBe(0);
      const d = JSON.parse(same.stdout);
      expect([d.newFailures, d.resolved, d.hostsAdded, d.hostsRemoved, d.changed]).toEqual([[], [], [], [], []]);
    });
  });

  describe('a baseline that is not a patchaudit v1 report is a clear error (exit 2)', () => {
    const cases: [string, () => string, RegExp][] = [
      ['garbled (not JSON)', () => writeTemp(dir, 'garbled.json', 'Hostname,OS Name\nPC-01,Windows 7\n'), /not a patchaudit JSON report.*invalid JSON/],
      ['truncated JSON report', () => writeTemp(dir, 'truncated.json', readFileSync(octJson, 'utf8').slice(0, 500)), /not a patchaudit JSON report/],
      ['a JSON array', () => writeTemp(dir, 'array.json', '[{"hostname":"PC-01"}]'), /not a patchaudit JSON report/],
      ['schemaVersion 2', () => writeTemp(dir, 'v2.json', JSON.stringify({ ...JSON.parse(readFileSync(octJson, 'utf8')), schemaVersion: 2 })), /schema version 2 is not supported.*version 1/],
      ['a JSON file that is not a report (SARIF)', () => writeTemp(dir, 'sarif.json', JSON.stringify({ version: '2.1.0', $schema: 'https://json.schemastore.org/sarif-2.1.0.json', runs: [] })), /not a patchaudit JSON report/],
    ];

    test.each(cases)('%s: audit --baseline', (_name, make, message) => {
      const file = make();
      expectCleanError(audit([NOV, '--baseline', file, '--format', 'json']), file, message);
    });

    test.each(cases)('%s: diff', (_name, make, message) => {
      const file = make();
      expectCleanError(runCli(['diff', file, novJson]), file, message);
      expectCleanError(runCli(['diff', novJson, file, '--format', 'json']), file, message);
    });
  });

  test('a host renamed to its FQDN: audit --baseline and diff name its resolved finding the same way', () => {
    // SCCM exports switch between NetBIOS names and FQDNs; both commands match the host by short name.
    const fqdn = writeTemp(dir, 'nov-fqdn.csv', readFileSync(NOV, 'utf8').replace(/^HRI-SV-0302,/m, 'hri-sv-0302.harrowfield.nhs.uk,'));
    const withBaseline = auditJson([fqdn, '--baseline', octJson]).doc.baseline!;
    expect(withBaseline.hostsAdded).toEqual(ADDED);
    const plainReport = writeTemp(dir, 'nov-fqdn.json', audit([fqdn, '--format', 'json']).stdout);
    const d = JSON.parse(runCli(['diff', octJson, plainReport, '--format', 'json']).stdout);
    expect(d.hostsAdded).toEqual(ADDED);
    expect(sorted(d.resolved.map(key))).toEqual(sorted(withBaseline.resolved.map(key)));
  });

  test('diff does not pass escape sequences from a report file to the terminal', () => {
    const doc = JSON.parse(readFileSync(novJson, 'utf8'));
    const h = doc.hosts.find((x: JHost) => x.hostname === 'WCH-W10-0201');
    h.findings.find((f: JFinding) => f.ruleId === 'MS17-010').ruleId = 'MS17-010\u001b]8;;https://evil.example\u0007click\u001b[2J';
    const evil = writeTemp(dir, 'evil.json', JSON.stringify(doc));
    const r = runCli(['diff', octJson, evil]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/[\u001b\u0007\u009b]/);
  });
});

// =================================================================================================
describe('risk ranking', () => {
  let doc: JReport;
  beforeAll(() => {
    doc = auditJson([INVENTORY]).doc;
  });

  test('the internet-facing, SMBv1-enabled, unpatched XP host tops the JSON ranking and the table', () => {
    const ranked = [...doc.hosts].sort((a, b) => b.risk.score - a.risk.score);
    expect(ranked[0].hostname).toBe('HRI-XP-DICOM-GW');
    expect(ranked[0].risk.score).toBeGreaterThan(ranked[1].risk.score);
    // (60 + 20 + 60) × internet 1.5 × SMBv1 1.3 × RDP 1.3 (no column: assumed) × role 1.25 (radiology)
    expect(ranked[0].risk.score).toBe(Math.round(140 * 1.5 * 1.3 * 1.3 * 1.25 * 10) / 10);
    // Windows 7 PACS: (MS17-010 60 + WIN-EOS 20) × SMBv1 1.3 × role 1.25 (pacs); not internet-facing.
    expect(host(doc, 'NGH-PACS-01').risk.score).toBe(130);
    // The same three failures on a clinic PC that is not internet-facing rank lower.
    expect(host(doc, 'WCH-W7-0003').risk.score).toBe(Math.round(140 * 1.3 * 1.3 * 10) / 10);

    const table = audit([INVENTORY]).stdout.split('\n');
    const header = table.findIndex((l) => /^STATUS\s+HOST\s+OS\s+SITE\s+RISK\s+FINDINGS/.test(l));
    expect(header).toBeGreaterThan(-1);
    const rows = table.slice(header + 1).filter((l) => /^(non-compliant|compliant|unknown)\s/.test(l));
    expect(rows).toHaveLength(13);
    expect(rows[0]).toMatch(/^non-compliant\s+HRI-XP-DICOM-GW\s/);
    // Worst first all the way down.
    const order = rows.map((l) => l.split(/\s+/)[1]);
    const scores = order.map((n) => host(doc, n).risk.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  test('markdown and HTML list hosts by risk too', () => {
    const md = audit([INVENTORY, '--format', 'markdown']).stdout.split('\n');
    const start = md.findIndex((l) => /^### Failing hosts \(9, worst first\)/.test(l));
    expect(start).toBeGreaterThan(-1);
    const failing = md.slice(start + 1).filter((l) => l.startsWith('| ')).slice(1); // after the header row
    expect(failing).toHaveLength(9);
    expect(failing[0]).toMatch(/^\| HRI-XP-DICOM-GW \|/);
    const mdScores = failing.map((l) => Number(l.split('|').at(-2)!.trim()));
    expect(mdScores).toEqual([...mdScores].sort((a, b) => b - a));
    const html = audit([INVENTORY, '--format', 'html']).stdout;
    const at = (n: string) => html.indexOf(`>${n}<`);
    expect(at('HRI-XP-DICOM-GW')).toBeGreaterThan(-1);
    expect(at('HRI-XP-DICOM-GW')).toBeLessThan(at('WCH-W7-0003'));
    expect(at('WCH-W7-0003')).toBeLessThan(at('NGH-PACS-01'));
  });

  test('--explain shows the risk factors', () => {
    const lines = audit([INVENTORY, '--explain']).stdout.split('\n');
    const row = lines.findIndex((l) => /^non-compliant\s+HRI-XP-DICOM-GW\s/.test(l));
    const risk = lines.slice(row + 1).find((l) => /^\s+risk 443\.6\s/.test(l));
    expect(risk).toBeDefined();
    for (const part of [
      'MS17-010 fail (critical, wormable/known-exploited ×1.5) +60',
      'WIN-EOS fail (high) +20',
      'CVE-2019-0708 fail (critical, wormable/known-exploited ×1.5) +60',
      'internet-facing ×1.5',
      'SMBv1 enabled ×1.3',
      'RDP exposed ×1.3 (no data; assumed)',
      'critical/clinical role ×1.25 (Radiology DICOM gateway)',
    ]) {
      expect(risk).toContain(part);
    }
    // JSON has the same factors.
    expect(host(doc, 'HRI-XP-DICOM-GW').risk.factors.map((f) => f.factor)).toEqual(expect.arrayContaining(['internet-facing ×1.5', 'SMBv1 enabled ×1.3']));
  });

  test('property: exposure columns set to yes never lower a score, set to no never raise it (missing = assumed true)', async () => {
    const rules = await loadRules([]);
    const OS_ROWS: [string, string, string][] = [
      ['Microsoft Windows XP Professional', '5.1.2600 Service Pack 3', 'KB2347290'],
      ['Microsoft Windows XP Professional', '5.1.2600 Service Pack 3', 'KB4012598; KB4500331'],
      ['Microsoft Windows 7 Enterprise', '6.1.7601 Service Pack 1 Build 7601', 'KB976902'],
      ['Microsoft Windows 7 Enterprise', '6.1.7601 Service Pack 1 Build 7601', 'KB976902; KB4012215'],
      ['Microsoft Windows Server 2008 R2 Standard', '6.1.7601 Service Pack 1 Build 7601', 'KB4012212'],
      ['Microsoft Windows 10 Enterprise', '10.0.18363.418', ''],
      ['Microsoft Windows 10 Pro', '10.0.19045.6036', ''],
      ['Microsoft Windows Server 2016 Standard', '10.0.14393.447', ''],
      ['Microsoft Windows 11 Enterprise', '10.0.26100.7171', ''],
    ];
    const ROLES = ['', 'Ward PC', 'Office PC', 'PACS archive', 'Reception PC', 'ICU monitor gateway'];
    const YES = ['yes', 'Yes', 'TRUE', 'Enabled', '1', 'Y'];
    const NO = ['no', 'No', 'FALSE', 'Disabled', '0', 'N'];
    const EXPOSURE = ['Internet Facing', 'SMBv1', 'RDP Exposed'];
    let n = 0;
    const scores = async (header: string[], rows: string[][]) => {
      const file = writeTemp(dir, `risk-prop-${n++}.csv`, [header, ...rows].map((r) => r.map((c) => (/[,"]/.test(c) ? `"${c}"` : c)).join(',')).join('\n') + '\n');
      const out = await auditToResult({ inputs: [file], rules, asOf: AS_OF, warnDays: 90 });
      return new Map(out.hosts.map((h) => [h.hostname, h.risk.score]));
    };
    const hostArb = fc.record({
      os: fc.integer({ min: 0, max: OS_ROWS.length - 1 }),
      role: fc.constantFrom(...ROLES),
      yes: fc.tuple(fc.constantFrom(...YES), fc.constantFrom(...YES), fc.constantFrom(...YES)),
      no: fc.tuple(fc.constantFrom(...NO), fc.constantFrom(...NO), fc.constantFrom(...NO)),
      // Which exposure columns this host gets (the others stay empty = no data for this host).
      set: fc.tuple(fc.boolean(), fc.boolean(), fc.boolean()),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(hostArb, { minLength: 1, maxLength: 12 }), async (hosts) => {
        const base = ['Hostname', 'OS Name', 'OS Version', 'Installed KBs', 'Role'];
        const baseRow = (h: (typeof hosts)[number], i: number) => [`PC-${i}`, ...OS_ROWS[h.os], h.role];
        const missing = await scores(base, hosts.map(baseRow));
        const yes = await scores([...base, ...EXPOSURE], hosts.map((h, i) => [...baseRow(h, i), ...h.yes.map((v, j) => (h.set[j] ? v : ''))]));
        const no = await scores([...base, ...EXPOSURE], hosts.map((h, i) => [...baseRow(h, i), ...h.no.map((v, j) => (h.set[j] ? v : ''))]));
        for (const [name, m] of missing) {
          expect([name, yes.get(name)! >= m]).toEqual([name, true]);
          expect([name, no.get(name)! <= m]).toEqual([name, true]);
        }
      }),
      { numRuns: 30 },
    );
  });

  test('the CLI agrees: "no" everywhere lowers the top host, "yes" everywhere equals no data', () => {
    const row = 'HRI-XP-GW,Microsoft Windows XP Professional,5.1.2600 Service Pack 3,KB2347290';
    let n = 0;
    const score = (header: string, suffix: string) => {
      const file = writeTemp(dir, `risk-cli-${n++}.csv`, `Hostname,OS Name,OS Version,Installed KBs${header}\n${row}${suffix}\n`);
      return (JSON.parse(audit([file, '--format', 'json']).stdout) as JReport).hosts[0].risk.score;
    };
    const missing = score('', '');
    expect(score(',Internet Facing,SMBv1,RDP Exposed', ',yes,yes,yes')).toBe(missing);
    expect(score(',Internet Facing,SMBv1,RDP Exposed', ',no,no,no')).toBeLessThan(missing);
  });

  test('a criticality column saying "yes" does not make a host look safer than having no such column', () => {
    // "Clinical" is a header alias of criticality; "Criticality: Yes" is a common hand-made sheet value.
    const row = 'PC-1,Microsoft Windows 7 Enterprise,6.1.7601 Service Pack 1 Build 7601,KB976902';
    const score = (name: string, header: string, cell: string) => {
      const file = writeTemp(dir, name, `Hostname,OS Name,OS Version,Installed KBs${header}\n${row}${cell}\n`);
      return (JSON.parse(audit([file, '--format', 'json']).stdout) as JReport).hosts[0].risk.score;
    };
    const missing = score('crit-missing.csv', '', '');
    expect(score('crit-critical.csv', ',Criticality', ',Critical')).toBeGreaterThanOrEqual(missing);
    expect(score('crit-yes.csv', ',Criticality', ',Yes')).toBeGreaterThanOrEqual(missing);
    expect(score('clinical-yes.csv', ',Clinical', ',Yes')).toBeGreaterThanOrEqual(missing);
  });
});

// =================================================================================================
describe('end-of-support timeline', () => {
  // Hand count for fixtures/waivers/inventory.csv as of 2026-11-25 (only ends still ahead count):
  //   SAH-SV-2016-APP  Windows Server 2016            ends 2027-01-12 →  48 days: 90/180/365
  //   SAH-W10-LTSC-07  Windows 10 Enterprise LTSC 2021 ends 2027-01-12 →  48 days: 90/180/365
  //   NGH-W11-0114     Windows 11 24H2 Enterprise      ends 2027-10-12 → 321 days: 365 only
  //   WCH-W11-0150     Windows 11 24H2 Enterprise      ends 2027-10-12 → 321 days: 365 only
  // XP, 7 and Windows 10 22H2 Pro ended already; nothing ends within 30 days.
  test('the hand-counted day numbers', () => {
    expect(days(AS_OF, '2027-01-12')).toBe(48);
    expect(days(AS_OF, '2027-10-12')).toBe(321);
  });

  test('JSON timeline.rows match the hand count', () => {
    const { doc } = auditJson([INVENTORY, '--timeline']);
    expect(doc.timeline.asOf).toBe(AS_OF);
    expect(doc.timeline.windows).toEqual([30, 90, 180, 365]);
    const rows = Object.fromEntries(doc.timeline.rows.map((r) => [r.product, r.within]));
    expect(rows).toEqual({
      'Windows Server 2016': { 30: 0, 90: 1, 180: 1, 365: 1 },
      'Windows 10 21H2': { 30: 0, 90: 1, 180: 1, 365: 1 },
      'Windows 11 24H2': { 30: 0, 90: 0, 180: 0, 365: 2 },
    });
    expect(doc.timeline.totals).toEqual({ 30: 0, 90: 2, 180: 2, 365: 4 });
    // The end dates behind the counts.
    expect(finding(doc, 'SAH-SV-2016-APP', 'WIN-EOS')).toMatchObject({ status: 'warn', endDate: '2027-01-12' });
    expect(finding(doc, 'SAH-W10-LTSC-07', 'WIN-EOS')).toMatchObject({ status: 'warn', endDate: '2027-01-12' });
    expect(finding(doc, 'NGH-W11-0114', 'WIN-EOS')).toMatchObject({ status: 'pass', endDate: '2027-10-12' });
    // Waivers do not change the timeline here: the waived products ended already.
    expect(auditJson([INVENTORY, '--timeline', '--waivers', WAIVERS_YAML]).doc.timeline).toEqual(doc.timeline);
  });

  test('--timeline adds the 30/90/180/365-day section to the table; without it there is none', () => {
    const out = audit([INVENTORY, '--timeline']).stdout;
    const lines = out.split('\n');
    const title = lines.findIndex((l) => /End of support in the next 30\/90\/180\/365 days/.test(l));
    expect(title).toBeGreaterThan(-1);
    const section = lines.slice(title + 1, title + 6).map((l) => l.trim().split(/\s{2,}/));
    expect(section[0]).toEqual(['product', '≤30d', '≤90d', '≤180d', '≤365d']);
    expect(section.slice(1)).toEqual(
      expect.arrayContaining([
        ['Windows 11 24H2', '0', '0', '0', '2'],
        ['Windows 10 21H2', '0', '1', '1', '1'],
        ['Windows Server 2016', '0', '1', '1', '1'],
        ['all products', '0', '2', '2', '4'],
      ]),
    );
    expect(audit([INVENTORY]).stdout).not.toMatch(/End of support in the next/);
  });

  test('Markdown and HTML show the timeline', () => {
    const md = audit([INVENTORY, '--timeline', '--format', 'markdown']).stdout;
    expect(md).toMatch(/### End of support in the next 30\/90\/180\/365 days/);
    expect(md).toMatch(/Windows Server 2016\s+0\s+1\s+1\s+1/);
    expect(md).toMatch(/Windows 11 24H2\s+0\s+0\s+0\s+2/);
    const html = audit([INVENTORY, '--timeline', '--format', 'html']).stdout;
    expect(html).toMatch(/End-of-support timeline/);
    for (const w of [30, 90, 180, 365]) expect(html).toContain(`Within ${w} days`);
    expect(html).toMatch(/<b>2<\/b> more reach it within 90 days and <b>4<\/b> within a year/);
  });
});

describe('checks that could not be judged fail the run, whatever else a host fails', () => {
  // A Windows 7 with no updates list: WIN-EOS (high) fails, MS17-010 and BlueKeep (critical) are unknown.
  const partly = () => writeTemp(dir, 'partly-unknown.csv', 'Hostname,OS Name,OS Version,Service Pack\r\nKMU-W7-0044,Microsoft Windows 7 Enterprise,6.1.7601,Service Pack 1\r\n');

  test('--fail-on critical: the critical checks are unknown, so the run fails (exit 1), unless --allow-unknown', () => {
    const file = partly();
    const r = runCli(['audit', file, '--as-of', AS_OF, '--fail-on', 'critical', '-f', 'json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.summary).toEqual(expect.objectContaining({ nonCompliant: 1, unknown: 0, nonCompliantPartlyUnknown: 1 }));
    expect(runCli(['audit', file, '--as-of', AS_OF, '--fail-on', 'critical', '--allow-unknown', '-q']).code).toBe(0);
    expect(runCli(['audit', file, '--as-of', AS_OF, '--fail-on', 'none', '-q']).code).toBe(1);
  });

  test('--fail-on-new: a host that was compliant and now cannot be judged fails the run and is listed', () => {
    const before = writeTemp(dir, 'fleet-before.csv', 'Hostname,OS Name,OS Version\r\nNGH-W11-0100,Microsoft Windows 11 Enterprise,10.0.26100.4349\r\n');
    const after = writeTemp(dir, 'fleet-after.csv', 'Hostname,OS Name,OS Version\r\nNGH-W11-0100,TBC,\r\n');
    const base = path.join(dir, 'fleet-before.json');
    expect(runCli(['audit', before, '--as-of', AS_OF, '-q', '-o', `json=${base}`]).code).toBe(0);
    const r = runCli(['audit', after, '--as-of', AS_OF, '--baseline', base, '--fail-on-new', '-f', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).baseline.newUnknownHosts).toEqual(['NGH-W11-0100']);
    // Already unknown in the baseline: not new.
    const base2 = path.join(dir, 'fleet-after.json');
    runCli(['audit', after, '--as-of', AS_OF, '-q', '-o', `json=${base2}`]);
    expect(runCli(['audit', after, '--as-of', AS_OF, '--baseline', base2, '--fail-on-new', '-q']).code).toBe(0);
  });
});

test('a waiver naming one full hostname does not cover the same short name in another domain', () => {
  const inv = writeTemp(dir, 'pacs-fqdn.csv', 'Hostname,OS Name,OS Version,Service Pack,Site\r\npacs-01.westmoor.nhs.uk,Microsoft Windows 7 Enterprise,6.1.7601,Service Pack 1,Westmoor\r\n');
  const waiver = (host: string) => writeTemp(dir, `w-${host}.yaml`, `waivers:\n  - hosts: ["${host}"]\n    rules: ["*"]\n    reason: Northgate PACS, vendor locked\n    owner: radiology@northgate.nhs.uk\n    expires: 2027-03-31\n`);
  const waived = (host: string) => (JSON.parse(runCli(['audit', inv, '--as-of', AS_OF, '--waivers', waiver(host), '-f', 'json']).stdout).hosts[0].findings as JFinding[]).filter((f) => f.status === 'waived').length;
  expect(waived('pacs-01.northgate.nhs.uk')).toBe(0);
  expect(waived('pacs-01.westmoor.nhs.uk')).toBe(3);
  expect(waived('PACS-01')).toBe(3);
});

test('diff --fail-on-new fails on checks that can no longer be judged, as audit --baseline --fail-on-new does', () => {
  const before = writeTemp(dir, 'diff-before.csv', 'Hostname,OS Name,OS Version\r\nNGH-W11-0200,Microsoft Windows 11 Enterprise,10.0.26100.4349\r\n');
  const after = writeTemp(dir, 'diff-after.csv', 'Hostname,OS Name,OS Version\r\nNGH-W11-0200,TBC,\r\n');
  const a = path.join(dir, 'diff-before.json');
  const b = path.join(dir, 'diff-after.json');
  runCli(['audit', before, '--as-of', AS_OF, '-q', '-o', `json=${a}`]);
  runCli(['audit', after, '--as-of', AS_OF, '-q', '--allow-unknown', '-o', `json=${b}`]);
  const r = runCli(['diff', a, b, '--fail-on-new', '-f', 'json']);
  expect(r.code).toBe(1);
  expect(JSON.parse(r.stdout).newUnknown).toContainEqual({ hostname: 'NGH-W11-0200', ruleId: 'WIN-EOS', from: 'pass' });
  expect(runCli(['diff', a, b, '--fail-on-new', '--allow-unknown']).code).toBe(0);
  expect(runCli(['audit', after, '--as-of', AS_OF, '-q', '--baseline', a, '--fail-on-new']).code).toBe(1);
});

test('failures of a rule not run this time are not checked, never resolved (audit --baseline and diff)', () => {
  const inv = writeTemp(dir, 'w7-one.csv', 'Hostname,OS Name,OS Version,Service Pack,Installed KBs\r\nNGH-W7-0300,Microsoft Windows 7 Enterprise,6.1.7601,Service Pack 1,KB4012212\r\n');
  const all = path.join(dir, 'w7-all.json');
  runCli(['audit', inv, '--as-of', AS_OF, '-q', '-o', `json=${all}`]);
  const r = runCli(['audit', inv, '--as-of', AS_OF, '-r', 'ms17-010', '--baseline', all, '-f', 'json']);
  const b = JSON.parse(r.stdout).baseline;
  expect(b.resolved).toEqual([]);
  expect(b.noLongerFailing).toEqual([
    { hostname: 'NGH-W7-0300', ruleId: 'CVE-2019-0708', status: 'not-checked' },
    { hostname: 'NGH-W7-0300', ruleId: 'WIN-EOS', status: 'not-checked' },
  ]);
  const one = path.join(dir, 'w7-one.json');
  runCli(['audit', inv, '--as-of', AS_OF, '-q', '-r', 'ms17-010', '-o', `json=${one}`]);
  const d = JSON.parse(runCli(['diff', all, one, '-f', 'json']).stdout);
  expect(d.resolved).toEqual([]);
  expect(d.changed).toContainEqual({ hostname: 'NGH-W7-0300', ruleId: 'WIN-EOS', from: 'fail', to: 'absent' });
});

test('a waiver naming a full hostname is checked against the fqdn column too', () => {
  const inv = writeTemp(dir, 'pacs-fqdn-col.csv', 'Hostname,FQDN,OS Name,OS Version,Service Pack\r\nPACS-01,pacs-01.northgate.nhs.uk,Microsoft Windows 7 Enterprise,6.1.7601,Service Pack 1\r\n');
  const waiver = (host: string) => writeTemp(dir, `wf-${host}.yaml`, `waivers:\n  - hosts: ["${host}"]\n    rules: ["*"]\n    reason: PACS, vendor locked\n    owner: radiology@nhs.uk\n    expires: 2027-03-31\n`);
  const waived = (host: string) => (JSON.parse(runCli(['audit', inv, '--as-of', AS_OF, '--waivers', waiver(host), '-f', 'json']).stdout).hosts[0].findings as JFinding[]).filter((f) => f.status === 'waived').length;
  expect(waived('pacs-01.westmoor.nhs.uk')).toBe(0);
  expect(waived('pacs-01.northgate.nhs.uk')).toBe(3);
});

describe('a blanket waiver and a host whose OS was not recognised', () => {
  const inventory = writeTemp(
    dir,
    'unrecognised.csv',
    'Hostname,OS Name,OS Version,Installed KBs,Site\nPC-UNK,TBC,,,Northgate\nPC-W7,Microsoft Windows 7 Enterprise,6.1.7601 Service Pack 1 Build 7601,,Northgate\n',
  );
  const waiver = (rules: string) => writeTemp(dir, 'blanket.yaml', `waivers:\n  - hosts: ["PC-*"]\n    rules: ${rules}\n    reason: Legacy PCs\n    owner: IT\n    expires: "2027-01-01"\n`);

  test('rules "*" does not waive checks left unknown by an unrecognised OS: the host stays unknown and the run fails', () => {
    const { r, doc } = auditJson([inventory, '--waivers', waiver('["*"]')]);
    expect(host(doc, 'PC-UNK').status).toBe('unknown');
    expect(finding(doc, 'PC-UNK', 'MS17-010').status).toBe('unknown');
    // Judged failures of a recognised host are still waived.
    expect(host(doc, 'PC-W7').status).toBe('compliant');
    expect(finding(doc, 'PC-W7', 'WIN-EOS').status).toBe('waived');
    expect(r.code).toBe(1);
  });

  test('a waiver that names the rule still accepts the unknown finding on purpose', () => {
    const { doc } = auditJson([inventory, '--waivers', waiver('[MS17-010]')]);
    expect(finding(doc, 'PC-UNK', 'MS17-010').status).toBe('waived');
    expect(host(doc, 'PC-UNK').status).toBe('unknown');
  });
});

test('a waiver whose reason or owner is blank is refused, naming the field and line', () => {
  const blank = writeTemp(dir, 'blank.yaml', 'waivers:\n  - hosts: [NGH-PACS-01]\n    rules: [WIN-EOS]\n    reason: " "\n    owner: "  "\n    expires: "2027-01-01"\n');
  const r = audit([INVENTORY, '--waivers', blank]);
  expectCleanError(r, 'blank.yaml', /waivers\[0\]\.reason: must not be blank \(line 4\)/);
});
