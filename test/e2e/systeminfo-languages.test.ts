import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fixture, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * A folder of systeminfo outputs in several display languages: English and Japanese labels are listed,
 * Korean and Polish only partly, one language not at all, and one file has systeminfo's shape but lost its
 * OS name line. Every real host is audited (what no label gives is read by systeminfo's field order, and
 * the host says so), the damaged file is one rejected row naming its file and line, and the exit code
 * follows the README's contract (a rejected row fails the run unless --allow-unknown). A file without
 * systeminfo's shape still stops the run with the one-line error.
 */
const FOLDER = fixture('exports', 'systeminfo-intl');
const AS_OF = '2026-11-25';
const BY_ORDER = /read as systeminfo's 1st, 2nd and 3rd fields/;

interface JsonHost {
  hostname: string;
  status: string;
  os: { product: string | null; release: string | null; notes: string[] };
  findings: { ruleId: string; status: string }[];
}

function audit(args: string[]) {
  const r = runCli(['audit', ...args, '--format', 'json', '--as-of', AS_OF]);
  return { ...r, doc: r.stdout ? JSON.parse(r.stdout) : null };
}

const verdicts = (h: JsonHost) => Object.fromEntries(h.findings.filter((f) => f.status !== 'not-applicable').map((f) => [f.ruleId, f.status]));

describe('a folder of systeminfo outputs in listed, partly listed and unlisted languages', () => {
  const r = audit([FOLDER]);

  test('every real host is audited with its verdicts; the damaged file is a rejected row with file and line; exit 1', () => {
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const byName = new Map<string, JsonHost>(r.doc.hosts.map((h: JsonHost) => [h.hostname, h]));
    const seen = [...byName.values()].map((h) => [h.hostname, h.os.product, h.status, verdicts(h)]).sort();
    expect(seen).toEqual(
      [
        // English and Japanese: read by label.
        ['THQ-LT-11-0412', 'Windows 11', 'compliant', { 'WIN-EOS': 'pass' }],
        ['KMU-SV-JA-2022', 'Windows Server 2022', 'compliant', { 'WIN-EOS': 'pass' }],
        ['KMU-W7-JA-0815', 'Windows 7', 'non-compliant', { 'MS17-010': 'pass', 'WIN-EOS': 'fail', 'CVE-2019-0708': 'fail' }],
        // Korean: the hotfix list by order (KB4012215, KB4499175 count).
        ['KMU-W7-KO-0203', 'Windows 7', 'non-compliant', { 'MS17-010': 'pass', 'WIN-EOS': 'fail', 'CVE-2019-0708': 'pass' }],
        // Polish (one of them in a code page that is not detected) and an unlisted language: all by order.
        ['HRI-PC-PL-0012', 'Windows 10', 'non-compliant', { 'WIN-EOS': 'fail' }],
        ['HRI-SV-PL-2019', 'Windows Server 2019', 'compliant', { 'WIN-EOS': 'pass' }],
        ['WCH-SV-XX-2008R2', 'Windows Server 2008 R2', 'non-compliant', { 'MS17-010': 'pass', 'WIN-EOS': 'fail', 'CVE-2019-0708': 'pass' }],
      ].sort(),
    );
    for (const name of ['HRI-PC-PL-0012', 'HRI-SV-PL-2019', 'WCH-SV-XX-2008R2']) expect(byName.get(name)!.os.notes.join('\n')).toMatch(BY_ORDER);
    expect(byName.get('KMU-W7-KO-0203')!.os.notes.join('\n')).toMatch(/hotfix list was read as its list of KB numbers/);
    for (const name of ['THQ-LT-11-0412', 'KMU-SV-JA-2022', 'KMU-W7-JA-0815']) expect(byName.get(name)!.os.notes.join('\n')).not.toMatch(/systeminfo/);
    expect(r.doc.rejected).toEqual([{ file: path.join(FOLDER, 'WCH-PC-XX-0666.txt'), line: 3, reason: expect.stringMatching(/2nd field should be the OS name/) }]);
    expect(r.doc.summary.rowsRead).toBe(8);
    expect(r.doc.summary.rowsAudited + r.doc.summary.rejectedRows).toBe(8);
  });

  test('the table names the rejected file and line', () => {
    const t = runCli(['audit', FOLDER, '--as-of', AS_OF]);
    expect(t.code).toBe(1);
    expect(t.stdout).toContain('Rows read 8: 7 audited + 1 rejected');
    expect(t.stdout).toContain(`${path.join(FOLDER, 'WCH-PC-XX-0666.txt')}:3: systeminfo output whose labels are not recognised`);
  });

  test('--allow-unknown --fail-on none: the rejected row does not fail the run (exit 0)', () => {
    expect(runCli(['audit', FOLDER, '--as-of', AS_OF, '--allow-unknown', '--fail-on', 'none']).code).toBe(0);
  });

  test('worker threads give the same report', () => {
    const threaded = audit([FOLDER, '--workers', '2']);
    const single = audit([FOLDER, '--workers', '0']);
    expect(threaded.code).toBe(single.code);
    expect(threaded.doc.hosts).toEqual(single.doc.hosts);
    expect(threaded.doc.rejected).toEqual(single.doc.rejected);
  });

  test('a file without systeminfo shape in the folder still stops the run with the one-line error (exit 2)', () => {
    const dir = tempDir();
    for (const f of readdirSync(FOLDER)) if (f.endsWith('.txt')) copyFileSync(path.join(FOLDER, f), path.join(dir, f));
    writeFileSync(path.join(dir, 'zz-notes.csv'), 'Ward,Bed,Porter\r\nA,1,Sam\r\n');
    const e = runCli(['audit', dir, '--as-of', AS_OF]);
    expect(e.code).toBe(2);
    expect(e.stdout).toBe('');
    expect(e.stderr).toBe(`patchaudit: error: ${path.join(dir, 'zz-notes.csv')}: no usable header row (no column looks like hostname, OS name, OS version or KB list)\n`);
  });
});

test('systeminfo /fo csv with headers in an unlisted language: read by column order, the bad row rejected', () => {
  const r = audit([fixture('exports', 'systeminfo-fo-csv-unlisted.csv')]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(1);
  expect(r.doc.hosts.map((h: JsonHost) => [h.hostname, h.os.product, h.os.release, h.status]).sort()).toEqual([
    ['WCH-PC-XX-0101', 'Windows 10', '1809', 'compliant'],
    ['WCH-SV-XX-2012R2', 'Windows Server 2012 R2', null, 'non-compliant'],
  ]);
  for (const h of r.doc.hosts as JsonHost[]) expect(h.os.notes.join('\n')).toMatch(/read as its 1st, 2nd and 3rd columns/);
  expect(r.doc.rejected.map((x: { line: number }) => x.line)).toEqual([3]);
});
