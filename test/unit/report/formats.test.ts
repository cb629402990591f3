import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { hostStatus, SummaryBuilder } from '../../../src/evaluation/evaluate-host.js';
import type { Finding, FindingStatus, HostResult } from '../../../src/evaluation/types.js';
import type { OsInfo, RejectedRow, SourceRef } from '../../../src/inventory/types.js';
import type { LoadedRule, Rule, Severity } from '../../../src/rules/types.js';
import { createCsvReporter, csvCell, csvReporter, CSV_COLUMNS, renderCsv } from '../../../src/report/csv.js';
import { compliancePercent, fleetSummary, fleetSummarySections, renderFleetSummaryText } from '../../../src/report/fleet-summary.js';
import { renderJunit } from '../../../src/report/junit.js';
import { escapeMarkdown, MAX_HOST_ROWS, renderMarkdown } from '../../../src/report/markdown.js';
import { artifactLocation, FINGERPRINT_KEY, MAX_SARIF_RESULTS, pascalName, renderSarif } from '../../../src/report/sarif.js';
import { logSafe } from '../../../src/report/sanitize.js';
import { renderTable } from '../../../src/report/table.js';
import type { AuditReport, ReporterContext } from '../../../src/report/types.js';
import { evaluateGate, type GatePolicy } from '../../../src/evaluation/gate.js';
import type { WaiverSummary } from '../../../src/evaluation/waivers.js';
import { osInfo, PLAIN_CTX } from '../../helpers/results.js';

// ---------------------------------------------------------------------------------------------
// A hand-built audit result: a few hosts with hostile names, a waiver, not-applicable findings.
// ---------------------------------------------------------------------------------------------

const CTX: ReporterContext = PLAIN_CTX;
const FAILING_CTX: ReporterContext = { ...CTX, show: 'failing' };

const os = osInfo;

function finding(ruleId: string, status: FindingStatus, severity: Severity, extra: Partial<Finding> = {}): Finding {
  return {
    ruleId,
    status,
    severity,
    evidence: [`${ruleId} is ${status}`],
    remediation: status === 'fail' || status === 'unknown' || status === 'warn' ? `Fix ${ruleId} and reboot.` : null,
    decidedBy: 'kb',
    ...extra,
  };
}


function host(hostname: string, o: OsInfo, findings: Finding[], extra: Partial<HostResult> = {}): HostResult {
  return {
    hostname,
    sources: [{ file: 'inv/my inventory.csv', line: 2 }],
    os: o,
    status: hostStatus(findings),
    findings,
    risk: { score: findings.filter((f) => f.status === 'fail').length * 40, factors: [] },
    site: 'Main site',
    lastPatchDate: null,
    kbCount: 0,
    columns: {},
    ...extra,
  };
}

function loaded(rule: Rule): LoadedRule {
  return { rule, pack: rule.id.toLowerCase(), packVersion: '1.2.3', dataAsOf: '2026-11-25', origin: `builtin:${rule.id.toLowerCase()}` };
}

const RULES: LoadedRule[] = [
  loaded({
    kind: 'patch',
    id: 'MS17-010',
    title: 'MS17-010 (EternalBlue) is not fixed',
    severity: 'critical',
    description: 'SMBv1 flaw.',
    references: ['https://learn.microsoft.com/security-updates/securitybulletins/2017/ms17-010', 'KB4013389'],
    cves: ['CVE-2017-0144'],
    tags: ['wormable', 'known-exploited'],
    remediation: 'Install the MS17-010 update.',
    targets: [],
  }),
  loaded({
    kind: 'end-of-support',
    id: 'WIN-EOS',
    title: 'Windows version is past its end of support',
    severity: 'high',
    tags: ['end-of-support'],
    remediation: 'Upgrade or retire.',
    lifecycle: [],
  }),
];

const HOSTILE = {
  hyperlink: '=HYPERLINK("http://x","y")',
  cmd: "+cmd|' /C calc'!A0",
  sum: '@SUM(1)',
  minus: '-2+3',
  tab: '\tTAB',
  script: '<script>alert(1)</script>',
  osc: '\x1b]8;;http://evil\x07x\x1b]8;;\x07',
  mixed: 'a"b,c\nd\x00e',
};

function buildReport(hosts: HostResult[], extra: Partial<AuditReport> = {}): AuditReport {
  const sb = new SummaryBuilder(RULES.map((r) => r.rule.id));
  for (const h of hosts) sb.addHost(h);
  const rejected: RejectedRow[] = extra.rejected ?? [];
  const s = sb.summary;
  s.rejectedRows = rejected.length;
  s.rowsAudited = hosts.length;
  s.rowsRead = hosts.length + rejected.length;
  return {
    tool: { name: 'patchaudit', version: '0.1.0' },
    asOf: '2026-11-25',
    inputs: ['inv/my inventory.csv'],
    rules: RULES,
    summary: s,
    hosts,
    rejected,
    warnings: [],
    files: [{ file: 'inv/my inventory.csv', encoding: 'utf-8', encodingReason: 'test', format: 'csv', layout: null }],
    failOn: 'high',
    ...extra,
  };
}

const WAIVER = { reason: '=1+1 "isolated" VLAN | see <ticket>', owner: '-bob@example.org', expires: '2027-01-31' };

function hostileHosts(): HostResult[] {
  return [
    host(HOSTILE.hyperlink, os('Windows 7', { servicePack: 1, build: 7601 }), [finding('MS17-010', 'fail', 'critical'), finding('WIN-EOS', 'fail', 'high')], {
      site: HOSTILE.sum,
      sources: [{ file: '-', line: 3 }],
    }),
    host(HOSTILE.cmd, os('Windows XP', { servicePack: 3 }), [finding('MS17-010', 'fail', 'critical'), finding('WIN-EOS', 'fail', 'high', { change: 'new' })], {
      sources: [{ file: '/data/exports/xp list.csv', line: 7 }],
    }),
    host(HOSTILE.sum, os('Windows 10', { release: '22H2' }), [finding('MS17-010', 'not-applicable', 'critical'), finding('WIN-EOS', 'pass', 'high')]),
    host(HOSTILE.minus, os('Windows 7'), [finding('MS17-010', 'waived', 'critical', { waiver: WAIVER }), finding('WIN-EOS', 'fail', 'high')], {
      sources: [{ file: 'C:\\exports\\a b.csv', line: 4 }],
    }),
    host(HOSTILE.tab, os(null), [finding('MS17-010', 'unknown', 'critical'), finding('WIN-EOS', 'unknown', 'high')], { site: null }),
    host(HOSTILE.script, os('Windows 10', { release: '1607' }), [finding('MS17-010', 'pass', 'critical'), finding('WIN-EOS', 'warn', 'high', { endDate: '2026-12-31' })]),
    host(HOSTILE.osc, os('Windows 7'), [finding('MS17-010', 'fail', 'critical'), finding('WIN-EOS', 'fail', 'high')], { site: HOSTILE.osc }),
    host(HOSTILE.mixed, os('Ubuntu', { release: '22.04' }), [
      finding('MS17-010', 'not-applicable', 'critical'),
      finding('WIN-EOS', 'not-applicable', 'high'),
      finding('COVERAGE', 'unknown', 'info', { remediation: 'Audit this host with rules for its platform (--rules FILE).' }),
    ]),
  ];
}

const REJECTED: RejectedRow[] = [{ file: 'inv/my inventory.csv', line: 9, reason: 'no hostname | <b>bold</b>' }];
const report = buildReport(hostileHosts(), { rejected: REJECTED });

const allFindings = (r: AuditReport) => r.hosts.flatMap((h) => h.findings.map((f) => ({ h, f })));
const DANGEROUS_START = /^[=+\-@\t\r]/;

// ---------------------------------------------------------------------------------------------
// A minimal XML 1.0 well-formedness checker and tree builder (enough for JUnit reports).
// ---------------------------------------------------------------------------------------------

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const XML_CHAR = /^[\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;
const NAME = '[A-Za-z_:][-A-Za-z0-9_:.]*';

function decodeEntities(s: string, where: string): string {
  return s.replace(/&([^;]*);?/g, (m, ref: string) => {
    if (!m.endsWith(';')) throw new Error(`${where}: bare & in "${s}"`);
    if (ref === 'amp') return '&';
    if (ref === 'lt') return '<';
    if (ref === 'gt') return '>';
    if (ref === 'quot') return '"';
    if (ref === 'apos') return "'";
    const num = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(ref);
    if (!num) throw new Error(`${where}: unknown entity &${ref};`);
    const cp = num[1] ? parseInt(num[1], 16) : parseInt(num[2], 10);
    const ch = String.fromCodePoint(cp);
    if (!XML_CHAR.test(ch)) throw new Error(`${where}: character reference to an illegal character ${cp}`);
    return ch;
  });
}

function parseXml(xml: string): XmlElement {
  if (!XML_CHAR.test(xml)) throw new Error('document contains characters XML 1.0 does not allow');
  const decl = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/.exec(xml);
  if (!decl) throw new Error('missing or unexpected XML declaration');
  let i = decl[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  const tagRe = new RegExp(`^<(${NAME})((?:\\s+${NAME}\\s*=\\s*"[^"<]*")*)\\s*(/?)>`);
  const attrRe = new RegExp(`(${NAME})\\s*=\\s*"([^"<]*)"`, 'g');
  while (i < xml.length) {
    if (xml.startsWith('</', i)) {
      const m = new RegExp(`^</(${NAME})\\s*>`).exec(xml.slice(i));
      if (!m) throw new Error(`bad end tag at ${i}`);
      const top = stack.pop();
      if (!top || top.name !== m[1]) throw new Error(`end tag </${m[1]}> does not match <${top?.name}>`);
      i += m[0].length;
    } else if (xml.startsWith('<', i)) {
      const m = tagRe.exec(xml.slice(i));
      if (!m) throw new Error(`bad start tag at ${i}: ${xml.slice(i, i + 80)}`);
      const attrs: Record<string, string> = {};
      for (const a of m[2].matchAll(attrRe)) {
        if (a[1] in attrs) throw new Error(`duplicate attribute ${a[1]}`);
        attrs[a[1]] = decodeEntities(a[2], `attribute ${a[1]}`);
      }
      const el: XmlElement = { name: m[1], attrs, children: [], text: '' };
      if (stack.length > 0) stack[stack.length - 1].children.push(el);
      else if (root) throw new Error('more than one root element');
      else root = el;
      if (m[3] !== '/') stack.push(el);
      i += m[0].length;
    } else {
      const next = xml.indexOf('<', i);
      const raw = xml.slice(i, next === -1 ? xml.length : next);
      if (raw.includes('>') && raw.includes(']]>')) throw new Error(']]> in text');
      const text = decodeEntities(raw, 'text');
      if (stack.length === 0) {
        if (text.trim() !== '') throw new Error(`text outside the root element: ${JSON.stringify(text)}`);
      } else {
        stack[stack.length - 1].text += text;
      }
      i = next === -1 ? xml.length : next;
    }
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  if (!root) throw new Error('no root element');
  return root;
}

// ---------------------------------------------------------------------------------------------

describe('CSV', () => {
  const text = renderCsv(report, CTX);
  const records: string[][] = parse(text, { bom: true });

  test('RFC 4180: parses back to one row per host × applicable finding and per rejected row, header first, CRLF records', () => {
    expect(records[0]).toEqual([...CSV_COLUMNS]);
    const expected = allFindings(report).filter(({ f }) => f.status !== 'not-applicable').length;
    expect(report.rejected.length).toBeGreaterThan(0);
    expect(records.length - 1).toBe(expected + report.rejected.length);
    for (const r of records) expect(r).toHaveLength(CSV_COLUMNS.length);
    // Outside quoted fields, every line break is CRLF.
    const unquoted = text.replace(/"(?:[^"]|"")*"/g, '');
    expect(unquoted).not.toMatch(/\r(?!\n)|(?<!\r)\n/);
    expect(text.endsWith('\r\n')).toBe(true);
  });

  test('spreadsheet-safe: no cell starts with = + - @ tab or CR; hostile cells are prefixed with a quote', () => {
    for (const r of records) for (const c of r) expect(c).not.toMatch(DANGEROUS_START);
    const hostnames = new Set(records.slice(1).map((r) => r[0]));
    expect(hostnames).toContain(`'${HOSTILE.hyperlink}`);
    expect(hostnames).toContain(`'${HOSTILE.cmd}`);
    expect(hostnames).toContain(`'${HOSTILE.sum}`);
    expect(hostnames).toContain(`'${HOSTILE.minus}`);
    expect(hostnames).toContain(`'${HOSTILE.tab}`);
    expect(hostnames).toContain(HOSTILE.script);
    // Quote, comma and newline survive; NUL and ESC/BEL are shown, never written raw.
    expect(hostnames).toContain('a"b,c\nd\\x00e');
    expect(hostnames).toContain('\\x1b]8;;http://evil\\x07x\\x1b]8;;\\x07');
    expect(text).not.toMatch(/[\x00\x07\x1b]/);
    // Waiver cells are inventory-like text too.
    const waived = records.find((r) => r[3] === 'waived')!;
    expect(waived[13]).toBe(`'${WAIVER.reason}`);
    expect(waived[14]).toBe(`'${WAIVER.owner}`);
    expect(waived[15]).toBe('2027-01-31');
  });

  test('columns carry the finding, OS, first source and risk', () => {
    const row = records.find((r) => r[0] === `'${HOSTILE.cmd}` && r[2] === 'WIN-EOS')!;
    const col = (name: (typeof CSV_COLUMNS)[number]) => row[CSV_COLUMNS.indexOf(name)];
    expect(col('host_status')).toBe('non-compliant');
    expect(col('status')).toBe('fail');
    expect(col('severity')).toBe('high');
    expect(col('os_product')).toBe('Windows XP');
    expect(col('service_pack')).toBe('3');
    expect(col('change')).toBe('new');
    expect(col('source_file')).toBe('/data/exports/xp list.csv');
    expect(col('source_line')).toBe('7');
    expect(col('risk_score')).toBe('80');
    expect(col('remediation')).toBe('Fix WIN-EOS and reboot.');
  });

  test('rejected input rows follow the hosts, in the same columns, with file, line and reason', () => {
    const rejected = records.filter((r) => r[CSV_COLUMNS.indexOf('host_status')] === 'rejected');
    expect(rejected).toHaveLength(report.rejected.length);
    // After every host row, so a reader can stop at the first rejected row.
    expect(records.slice(records.length - rejected.length)).toEqual(rejected);
    const col = (name: (typeof CSV_COLUMNS)[number]) => rejected[0][CSV_COLUMNS.indexOf(name)];
    expect(col('hostname')).toBe('');
    expect(col('status')).toBe('rejected');
    expect(col('rule_id')).toBe('');
    expect(col('evidence')).toBe(REJECTED[0].reason);
    expect(col('source_file')).toBe(REJECTED[0].file);
    expect(col('source_line')).toBe(String(REJECTED[0].line));
    expect(col('remediation')).toMatch(/Correct this row/);
    // A hostile reason is defused like any inventory text.
    const hostile = renderCsv(buildReport([], { rejected: [{ file: 'a.csv', line: 3, reason: '=HYPERLINK("x")' }] }), CTX);
    const back: string[][] = parse(hostile);
    expect(back).toHaveLength(2);
    expect(back[1][CSV_COLUMNS.indexOf('evidence')]).toBe(`'=HYPERLINK("x")`);
    // No rejected rows: nothing after the hosts.
    const none: string[][] = parse(renderCsv(buildReport(hostileHosts()), CTX));
    expect(none.length).toBe(records.length - rejected.length);
  });

  test('not-applicable findings never get a row (they would be most of a fleet\'s rows)', () => {
    const failing: string[][] = parse(renderCsv(report, FAILING_CTX), { bom: true });
    const na = allFindings(report).filter(({ f }) => f.status === 'not-applicable').length;
    expect(na).toBeGreaterThan(0);
    expect(failing.length).toBe(records.length);
    expect(records.some((r) => r[3] === 'not-applicable')).toBe(false);
  });

  test('streaming equals the whole-report renderer; BOM only when asked; deterministic', () => {
    const streamed = csvReporter.start(report, CTX) + report.hosts.map((h) => csvReporter.host(h, CTX)).join('') + csvReporter.end({ ...report, hosts: [] }, CTX);
    expect(streamed).toBe(text);
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
    const bom = createCsvReporter({ bom: true });
    const withBom = bom.start(report, CTX);
    expect(withBom.charCodeAt(0)).toBe(0xfeff);
    expect(withBom.slice(1)).toBe(csvReporter.start(report, CTX));
    expect(renderCsv(report, CTX)).toBe(text);
  });

  test('csvCell: quoting and formula defusing rules', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvCell('=1+1')).toBe(`"'=1+1"`);
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
    expect(csvCell('  =1')).toBe(`"'  =1"`);
    expect(csvCell('"=1"')).toBe(`"'""=1"""`);
    expect(csvCell('\uff1dSUM(1)')).toBe(`"'\uff1dSUM(1)"`);
    expect(csvCell('a;b', ';')).toBe('"a;b"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(12.5)).toBe('12.5');
    expect(csvCell('semi;colon')).toBe('semi;colon');
  });

  test('semicolon delimiter for European Excel', () => {
    const semi = createCsvReporter({ delimiter: ';' });
    const out = semi.start(report, CTX) + report.hosts.map((h) => semi.host(h, CTX)).join('');
    const rows: string[][] = parse(out, { delimiter: ';' });
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows.length - 1).toBe(allFindings(report).filter(({ f }) => f.status !== 'not-applicable').length);
  });
});

describe('JUnit', () => {
  const xml = renderJunit(report, CTX);
  const root = parseXml(xml);

  test('well-formed, with hostile hostnames kept as (escaped) text', () => {
    expect(root.name).toBe('testsuites');
    const names = root.children.flatMap((s) => s.children.filter((c) => c.name === 'testcase').map((c) => c.attrs.name));
    expect(names).toContain(HOSTILE.script);
    expect(names).toContain(HOSTILE.hyperlink);
    expect(names).toContain('\\x1b]8;;http://evil\\x07x\\x1b]8;;\\x07');
    expect(names).toContain('a"b,c d\\x00e');
    expect(xml).not.toContain('<script>');
  });

  test('counts in attributes equal the child elements of each kind', () => {
    let tests = 0;
    let failures = 0;
    let errors = 0;
    let skipped = 0;
    for (const suite of root.children) {
      expect(suite.name).toBe('testsuite');
      const cases = suite.children.filter((c) => c.name === 'testcase');
      const count = (kind: string) => cases.filter((c) => c.children.some((x) => x.name === kind)).length;
      expect(Number(suite.attrs.tests)).toBe(cases.length);
      expect(Number(suite.attrs.failures)).toBe(count('failure'));
      expect(Number(suite.attrs.errors)).toBe(count('error'));
      expect(Number(suite.attrs.skipped)).toBe(count('skipped'));
      for (const c of cases) expect(c.attrs.classname).toBe(`patchaudit.${suite.attrs.name.split(':')[0]}`);
      tests += cases.length;
      failures += count('failure');
      errors += count('error');
      skipped += count('skipped');
    }
    expect(root.attrs).toEqual({ name: 'patchaudit', tests: String(tests), failures: String(failures), errors: String(errors), time: '0' });
    const f = allFindings(report).filter((x) => x.f.status !== 'not-applicable');
    // Every finding but the not-applicable ones is a case, and so is every rejected row (an error of its own suite).
    expect(report.rejected.length).toBeGreaterThan(0);
    expect(tests).toBe(f.length + report.rejected.length);
    expect(failures).toBe(f.filter((x) => x.f.status === 'fail').length);
    expect(errors).toBe(f.filter((x) => x.f.status === 'unknown').length + report.rejected.length);
    expect(skipped).toBe(f.filter((x) => x.f.status === 'waived').length);
  });

  test('one suite per rule (pseudo-rules after), failure/error/skipped/system-out per status', () => {
    expect(root.children.map((s) => s.attrs.name)).toEqual(['MS17-010: MS17-010 (EternalBlue) is not fixed', 'WIN-EOS: Windows version is past its end of support', 'COVERAGE: No rule covers the host', 'REJECTED: inventory rows that could not be audited']);
    const ms = root.children[0].children.filter((c) => c.name === 'testcase');
    const byHost = (name: string) => ms.find((c) => c.attrs.name === name)!;
    const fail = byHost(HOSTILE.hyperlink).children[0];
    expect(fail.name).toBe('failure');
    expect(fail.attrs.type).toBe('critical');
    expect(fail.text).toContain('Remediation: Fix MS17-010 and reboot.');
    const waived = byHost(HOSTILE.minus).children[0];
    expect(waived.name).toBe('skipped');
    expect(waived.attrs.message).toBe(`waived: ${WAIVER.reason} (${WAIVER.owner}, until ${WAIVER.expires})`);
    // Not applicable: no case at all (as in the CSV report).
    expect(byHost(HOSTILE.sum)).toBeUndefined();
    expect(byHost(HOSTILE.tab.replace('\t', ' ')).children[0]).toMatchObject({ name: 'error', attrs: { type: 'unknown' } });
    expect(byHost(HOSTILE.script).children).toHaveLength(0);
    const eos = root.children[1].children.filter((c) => c.name === 'testcase');
    const warn = eos.find((c) => c.attrs.name === HOSTILE.script)!;
    expect(warn.children.map((c) => c.name)).toEqual(['system-out']);
    expect(warn.children[0].text).toContain('warning:');
  });

  test('not-applicable findings are never cases, with --show all or failing; output is deterministic', () => {
    expect(allFindings(report).some((x) => x.f.status === 'not-applicable')).toBe(true);
    expect(xml).not.toContain('not applicable');
    expect(renderJunit(report, FAILING_CTX)).toBe(xml);
    expect(renderJunit(report, CTX)).toBe(xml);
  });

  test('the checker itself rejects broken XML', () => {
    expect(() => parseXml('<?xml version="1.0" encoding="UTF-8"?>\n<a><b></a>')).toThrow();
    expect(() => parseXml('<?xml version="1.0" encoding="UTF-8"?>\n<a x="1 & 2"/>')).toThrow();
    expect(() => parseXml('<?xml version="1.0" encoding="UTF-8"?>\n<a>\x1b</a>')).toThrow();
  });
});

describe('SARIF', () => {
  const text = renderSarif(report, CTX);
  const doc = JSON.parse(text);
  const run = doc.runs[0];
  const rules: { id: string; name: string; defaultConfiguration: { level: string }; properties: Record<string, unknown> }[] = run.tool.driver.rules;
  const results: Record<string, any>[] = run.results;

  test('SARIF 2.1.0 envelope and driver', () => {
    expect(doc.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(doc.version).toBe('2.1.0');
    expect(doc.runs).toHaveLength(1);
    expect(run.tool.driver).toMatchObject({ name: 'patchaudit', version: '0.1.0', semanticVersion: '0.1.0' });
    expect(run.tool.driver.informationUri).toBeUndefined();
    // The rejected row fails the run, so it is a result, not a notification.
    expect(run.invocations).toEqual([{ executionSuccessful: true }]);
    expect(text).not.toMatch(/startTimeUtc|endTimeUtc/);
  });

  test('rules: descriptors with names, levels and security-severity', () => {
    expect(rules.map((r) => r.id)).toEqual(['MS17-010', 'WIN-EOS', 'WIN-EOS/ending-soon', 'COVERAGE', 'REJECTED-ROW']);
    expect(rules.map((r) => r.name)).toEqual(['Ms17010', 'WinEos', 'WinEosEndingSoon', 'Coverage', 'RejectedRow']);
    expect(rules.map((r) => r.defaultConfiguration.level)).toEqual(['error', 'error', 'note', 'warning', 'error']);
    expect(rules[0].properties).toMatchObject({ 'security-severity': '9.8', tags: ['security', 'wormable', 'known-exploited'], precision: 'high' });
    expect(rules[1].properties['security-severity']).toBe('8.0');
    // GitHub shows a rule's security-severity, not a result's level: a host whose support ends soon
    // passes, so its rule has none (and no "security" tag), and the fail-closed rules fail the run: High.
    expect(rules[2].properties['security-severity']).toBeUndefined();
    expect(rules[2].properties.tags).not.toContain('security');
    expect(rules.slice(3).map((r) => r.properties['security-severity'])).toEqual(['7.0', '7.0']);
    expect((rules[0] as any).helpUri).toBe('https://learn.microsoft.com/security-updates/securitybulletins/2017/ms17-010');
    expect((rules[1] as any).helpUri).toBeUndefined();
    expect((rules[0] as any).help.markdown).toContain('<https://learn.microsoft.com/security-updates/securitybulletins/2017/ms17-010>');
  });

  test('results: one per fail/unknown/warn/waived finding and rejected row, ruleId/ruleIndex consistent, startLine ≥ 1', () => {
    const expected = allFindings(report).filter(({ f }) => ['fail', 'unknown', 'warn', 'waived'].includes(f.status));
    expect(results).toHaveLength(expected.length + report.rejected.length);
    for (const r of results) {
      expect(rules[r.ruleIndex].id).toBe(r.ruleId);
      expect(['error', 'warning', 'note']).toContain(r.level);
      const loc = r.locations[0].physicalLocation;
      expect(Number.isInteger(loc.region.startLine)).toBe(true);
      expect(loc.region.startLine).toBeGreaterThanOrEqual(1);
      expect(run.artifacts[loc.artifactLocation.index].location.uri).toBe(loc.artifactLocation.uri);
      expect(r.message.text).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
      expect(r.partialFingerprints[FINGERPRINT_KEY]).toMatch(/^[0-9a-f]{64}$/);
    }
    const levels = results.map((r) => `${r.properties.status}:${r.level}`);
    expect(new Set(levels)).toEqual(new Set(['fail:error', 'unknown:warning', 'warn:note', 'waived:error', 'rejected:error']));
    expect(results.filter((r) => r.properties.status === 'warn').map((r) => r.ruleId)).toEqual(['WIN-EOS/ending-soon']);
  });

  test('waived findings carry an accepted external suppression', () => {
    const waived = results.filter((r) => r.properties.status === 'waived');
    expect(waived).toHaveLength(1);
    expect(waived[0].suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: `${WAIVER.reason} (owner ${WAIVER.owner}, until ${WAIVER.expires})` }]);
    expect(results.filter((r) => r.suppressions).length).toBe(1);
  });

  test('artifact locations: relative with %SRCROOT%, absolute as file URIs, stdin without a base', () => {
    expect(artifactLocation('inv/my inventory.csv')).toEqual({ uri: 'inv/my%20inventory.csv', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('./inv\\sub\\a.csv')).toEqual({ uri: 'inv/sub/a.csv', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('-')).toEqual({ uri: 'stdin' });
    expect(artifactLocation('/data/exports/xp list.csv')).toEqual({ uri: 'file:///data/exports/xp%20list.csv' });
    expect(artifactLocation('C:\\exports\\a b.csv')).toEqual({ uri: 'file:///C:/exports/a%20b.csv' });
    const uris = run.artifacts.map((a: { location: { uri: string } }) => a.location.uri);
    expect(uris).toEqual(['inv/my%20inventory.csv', 'stdin', 'file:///data/exports/xp%20list.csv', 'file:///C:/exports/a%20b.csv']);
  });

  test('fingerprints: sha256 of lower-cased hostname and rule, stable between renders; output deterministic', () => {
    const r0 = results.find((r) => r.ruleId === 'MS17-010' && r.properties.status === 'fail')!;
    const h = report.hosts.find((x) => x.findings.some((f) => f.ruleId === 'MS17-010' && f.status === 'fail'))!;
    expect(r0.partialFingerprints[FINGERPRINT_KEY]).toBe(createHash('sha256').update(`${h.hostname.toLowerCase()}|MS17-010`).digest('hex'));
    const again = JSON.parse(renderSarif(buildReport(hostileHosts(), { rejected: REJECTED }), CTX));
    expect(again.runs[0].results.map((r: any) => r.partialFingerprints)).toEqual(results.map((r) => r.partialFingerprints));
    expect(renderSarif(report, CTX)).toBe(text);
  });

  test('generatedAt is the only time written', () => {
    const timed = JSON.parse(renderSarif({ ...report, generatedAt: '2026-11-25T10:00:00.000Z' }, CTX));
    expect(timed.runs[0].invocations[0].endTimeUtc).toBe('2026-11-25T10:00:00.000Z');
  });

  test('at most 25,000 results (GitHub limit), most severe kept, with a notification', () => {
    const hosts: HostResult[] = [];
    for (let i = 0; i < 12_600; i++) hosts.push(host(`PC-${i}`, os('Windows 7'), [finding('MS17-010', 'fail', 'critical'), finding('WIN-EOS', 'fail', 'high')]));
    const big = JSON.parse(renderSarif(buildReport(hosts), CTX));
    const res = big.runs[0].results;
    expect(res).toHaveLength(MAX_SARIF_RESULTS);
    expect(res.filter((r: any) => r.ruleId === 'MS17-010')).toHaveLength(12_600);
    expect(big.runs[0].invocations[0].toolExecutionNotifications[0].message.text).toMatch(/^200 of 25200 results were left out/);
  });

  test('pascalName', () => {
    expect(pascalName('CVE-2019-0708')).toBe('Cve20190708');
    expect(pascalName('OS-EOS')).toBe('OsEos');
    expect(pascalName('2024-x')).toBe('Rule2024X');
  });
});

describe('Markdown', () => {
  const md = renderMarkdown(report, CTX);

  test('summary, rules with pack version, findings table, waived and rejected sections', () => {
    expect(md).toContain('**8 hosts** audited as of 2026-11-25');
    expect(md).toContain('MS17-010 (ms17-010 1.2.3, data 2026-11-25)');
    expect(md).toMatch(/\| MS17-010 \| critical \| 3 \| 1 \| 0 \| 1 \| 1 \| 2 \|/);
    expect(md).toContain('### Waived findings (1)');
    expect(md).toContain('(owner \\-bob@\u2060example.org, until 2027-01-31)');
    expect(md).toContain('### Rejected rows (1)');
    expect(md).toContain('no hostname \\| \\<b\\>bold\\</b\\>');
    expect(md).toContain('### Unknown hosts');
  });

  test('inventory text is escaped: no HTML, no broken tables, no controls, no mentions or links', () => {
    expect(md).not.toContain('<script>');
    const failingScript = renderMarkdown(buildReport([host(HOSTILE.script, os('Windows 7'), [finding('MS17-010', 'fail', 'critical'), finding('WIN-EOS', 'fail', 'high')], { site: HOSTILE.script })]), CTX);
    expect(failingScript).not.toContain('<script>');
    expect(failingScript).toContain('| \\<script\\>alert(1)\\</script\\> | Windows 7 | \\<script\\>alert(1)\\</script\\> | MS17-010, WIN-EOS | 80 |');
    // The OSC 8 terminal hyperlink is shown as text (ESC and BEL as escapes), not reduced to its label "x",
    // which would read as a host named x.
    const osc = '\\\\x1b\\]8;;http:\u2060//evil\\\\x07x\\\\x1b\\]8;;\\\\x07';
    expect(md).toContain(`| ${osc} | Windows 7 | ${osc} | MS17-010, WIN-EOS | 80 |`);
    expect(md).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(md).not.toContain('http://');
    expect(md).not.toMatch(/@(?!\u2060)/);
    // Every table row has as many unescaped pipes as its header.
    const lines = md.split('\n');
    let pipes = -1;
    for (const line of lines) {
      if (!line.startsWith('|')) {
        pipes = -1;
        continue;
      }
      const n = (line.match(/(?<!\\)\|/g) ?? []).length;
      if (pipes === -1) pipes = n;
      expect(n).toBe(pipes);
    }
    expect(escapeMarkdown('a|b*c_d[e](f)`g`\\h~i&j!k')).toBe('a\\|b\\*c\\_d\\[e\\](f)\\`g\\`\\\\h\\~i\\&j\\!k');
    expect(escapeMarkdown('1. item')).toBe('1\\. item');
    expect(escapeMarkdown('- x')).toBe('\\- x');
    expect(escapeMarkdown('line\nbreak')).toBe('line break');
    expect(escapeMarkdown('#12 www.evil.com user@x')).toBe('#\u206012 www\u2060.evil.com user@\u2060x');
  });

  test('failing hosts table is capped with an "and N more" line', () => {
    const hosts: HostResult[] = [];
    for (let i = 0; i < 120; i++) hosts.push(host(`PC-${String(i).padStart(3, '0')}`, os('Windows 7'), [finding('MS17-010', 'fail', 'critical'), finding('WIN-EOS', 'fail', 'high')]));
    const out = renderMarkdown(buildReport(hosts), CTX);
    expect(out).toContain(`### Failing hosts (top ${MAX_HOST_ROWS} of 120, worst first)`);
    expect(out).toContain('… and 70 more failing hosts');
    expect(out.split('\n').filter((l) => l.startsWith('| PC-'))).toHaveLength(MAX_HOST_ROWS);
  });

  test('stays well under 64 KiB for a huge, hostile fleet', () => {
    const long = (i: number) => `${'漢|<*'.repeat(100)}${i}`;
    const hosts: HostResult[] = [];
    const rejected: RejectedRow[] = [];
    for (let i = 0; i < 5000; i++) {
      hosts.push(
        host(long(i), os('Windows 7', { raw: long(i) }), [finding('MS17-010', i % 2 ? 'fail' : 'waived', 'critical', { waiver: { reason: long(i), owner: long(i), expires: long(i) } }), finding('WIN-EOS', 'fail', 'high')], {
          site: long(i % 300),
        }),
      );
      rejected.push({ file: long(i), line: i, reason: long(i) });
    }
    const out = renderMarkdown(buildReport(hosts, { rejected }), CTX);
    expect(Buffer.byteLength(out, 'utf8')).toBeLessThan(64 * 1024);
    expect(out).toContain('more failing hosts');
  });

  test('deterministic', () => {
    expect(renderMarkdown(report, CTX)).toBe(md);
  });
});

describe('fleetSummary', () => {
  const fix = (rem: string | null) => (f: Finding) => ({ ...f, remediation: rem });
  const XP_FIX = 'Install KB4012598 (Windows XP SP3, Microsoft Update Catalog) and reboot; plan to retire Windows XP.';
  const W7_FIX = 'Install KB4012212 or any later monthly rollup and reboot. Until then, block TCP 445.';
  const BK_FIX = 'Install KB4500331 and reboot.';

  function fleet(): HostResult[] {
    const hosts: HostResult[] = [];
    // 4 Windows 7 hosts failing MS17-010 only.
    for (let i = 0; i < 4; i++) hosts.push(host(`W7-${i}`, os('Windows 7'), [fix(W7_FIX)(finding('MS17-010', 'fail', 'critical')), finding('WIN-EOS', 'pass', 'high')], { site: 'North' }));
    // 3 Windows 7 hosts failing MS17-010 with no remediation text.
    for (let i = 0; i < 3; i++) hosts.push(host(`W7N-${i}`, os('Windows 7'), [fix(null)(finding('MS17-010', 'fail', 'critical')), finding('WIN-EOS', 'pass', 'high')], { site: 'South' }));
    // 2 Windows XP hosts: end of support + MS17-010, one also BlueKeep.
    hosts.push(host('XP-1', os('Windows XP'), [fix(XP_FIX)(finding('MS17-010', 'fail', 'critical')), finding('WIN-EOS', 'fail', 'high'), fix(BK_FIX)(finding('CVE-2019-0708', 'fail', 'critical'))], { site: 'North' }));
    hosts.push(host('XP-2', os('Windows XP'), [fix(XP_FIX)(finding('MS17-010', 'fail', 'critical')), finding('WIN-EOS', 'fail', 'high')], { site: 'North' }));
    // 1 Windows 10 22H2 host past end of support only.
    hosts.push(host('W10-1', os('Windows 10', { release: '22H2' }), [finding('MS17-010', 'not-applicable', 'critical'), finding('WIN-EOS', 'fail', 'high')], { site: null }));
    // Not failing: compliant, unknown and waived hosts add no action.
    hosts.push(host('W11-1', os('Windows 11', { release: '24H2' }), [finding('MS17-010', 'not-applicable', 'critical'), finding('WIN-EOS', 'pass', 'high')], { site: 'South' }));
    hosts.push(host('UNK-1', os(null), [finding('MS17-010', 'unknown', 'critical'), finding('WIN-EOS', 'unknown', 'high')], { site: 'South' }));
    hosts.push(host('W7W-1', os('Windows 7'), [finding('MS17-010', 'waived', 'critical', { waiver: WAIVER }), finding('WIN-EOS', 'pass', 'high')], { site: 'South' }));
    return hosts;
  }

  test('ranks remediations by failing findings removed, then text', () => {
    const s = fleetSummary(buildReport(fleet()));
    expect(s.topRemediations.map((a) => [a.text, a.findings, a.hosts])).toEqual([
      ['Upgrade or retire 2 Windows XP hosts', 5, 2],
      ['Install KB4012212 or any later monthly rollup on 4 Windows 7 hosts (MS17-010)', 4, 4],
      ['Fix MS17-010 on 3 Windows 7 hosts', 3, 3],
      ['Install KB4012598 (Windows XP SP3, Microsoft Update Catalog) on 2 Windows XP hosts (MS17-010)', 2, 2],
      ['Install KB4500331 on 1 Windows XP host (CVE-2019-0708)', 1, 1],
      ['Upgrade or retire 1 Windows 10 22H2 host', 1, 1],
    ]);
    expect(s.topRemediations[0]).toMatchObject({ kind: 'upgrade-or-retire', product: 'Windows XP', ruleIds: ['WIN-EOS'], severity: 'critical' });
    expect(s.topRemediations[1]).toMatchObject({ kind: 'remediate', ruleIds: ['MS17-010'], severity: 'critical' });
  });

  test('ranking does not depend on host order', () => {
    const a = fleetSummary(buildReport(fleet()));
    const b = fleetSummary(buildReport(fleet().reverse()));
    expect(b).toEqual(a);
  });

  test('compliance overall, per site and per product; failures per rule and severity', () => {
    const s = fleetSummary(buildReport(fleet()));
    expect(s).toMatchObject({ hosts: 13, compliant: 2, nonCompliant: 10, unknown: 1, compliance: 15.3 });
    expect(s.bySite.map((g) => [g.name, g.hosts, g.compliant, g.nonCompliant, g.unknown, g.compliance])).toEqual([
      ['North', 6, 0, 6, 0, 0],
      ['South', 6, 2, 3, 1, 33.3],
      ['(no site)', 1, 0, 1, 0, 0],
    ]);
    expect(s.byProduct.map((g) => [g.name, g.hosts])).toEqual([
      ['Windows 7', 8],
      ['Windows XP', 2],
      ['Windows 10', 1],
      ['(no OS data)', 1],
      ['Windows 11', 1],
    ]);
    expect(s.byRule.find((r) => r.ruleId === 'MS17-010')).toMatchObject({ fail: 9, unknown: 1, waived: 1, notApplicable: 2 });
    expect(s.failuresBySeverity).toEqual({ critical: 10, high: 3, medium: 0, low: 0, info: 0 });
    expect(compliancePercent(1999, 2000)).toBe(99.9);
    expect(compliancePercent(0, 0)).toBeNull();
  });

  test('text sections escape every line and cap lists', () => {
    const s = fleetSummary(buildReport(fleet()));
    const sections = fleetSummarySections(s, { limit: 2, escape: (t) => t.toUpperCase() });
    expect(sections.map((x) => x.title)).toEqual(['Compliance', 'Failures by rule', 'Top remediations', 'By site', 'By product']);
    const top = sections[2].lines;
    expect(top).toEqual(['UPGRADE OR RETIRE 2 WINDOWS XP HOSTS: REMOVES 5 FAILING FINDINGS', 'INSTALL KB4012212 OR ANY LATER MONTHLY ROLLUP ON 4 WINDOWS 7 HOSTS (MS17-010): REMOVES 4 FAILING FINDINGS', '… AND 4 MORE ACTIONS']);
    const txt = renderFleetSummaryText(fleetSummary(report));
    expect(txt).not.toMatch(/[\x00-\x08\x0b-\x1f]/);
    expect(txt).toContain('Compliance\n  - 8 hosts: 2 compliant (25.0%), 4 non-compliant, 2 unknown');
  });

  test('streaming reports (no hosts) still give totals and rule failures', () => {
    const s = fleetSummary({ ...report, hosts: [] });
    expect(s.hosts).toBe(8);
    expect(s.bySite).toEqual([]);
    expect(s.topRemediations).toEqual([]);
    expect(s.byRule[0].fail).toBe(3);
  });
});

// ---------------------------------------------------------------------------------------------
// The gate's verdict in the reports: a run that fails never looks clean, and JUnit judges as the gate.
// ---------------------------------------------------------------------------------------------

/** The report as the CLI hands it over: with the gate's verdict under this policy. */
function withGate(r: AuditReport, policy: GatePolicy): AuditReport {
  const stale = r.waivers ? r.waivers.expired.length + r.waivers.unused.length : 0;
  const g = evaluateGate({ summary: r.summary, newFailures: r.baseline?.newFailures ?? null, newUnknownHosts: r.baseline?.newUnknownHosts ?? null, staleWaivers: stale }, policy);
  return { ...r, gate: { exitCode: g.failed ? 1 : 0, reasons: g.reasons, policy } };
}

const DEFAULT_POLICY: GatePolicy = { failOn: 'high', allowUnknown: false };
const compliantHost = () => host('PC-OK', os('Windows 11', { release: '24H2' }), [finding('MS17-010', 'not-applicable', 'critical'), finding('WIN-EOS', 'pass', 'high')]);
const ROW: RejectedRow = { file: 'inv/my inventory.csv', line: 9, reason: 'no hostname' };

interface JunitCounts {
  failures: number;
  errors: number;
}
function junitCounts(r: AuditReport): JunitCounts & { root: XmlElement } {
  const root = parseXml(renderJunit(r, CTX));
  return { root, failures: Number(root.attrs.failures), errors: Number(root.attrs.errors) };
}
const sarifOf = (r: AuditReport) => JSON.parse(renderSarif(r, CTX)).runs[0];
const firstLine = (md: string) => md.split('\n')[0];

const STALE: WaiverSummary = {
  expired: [{ path: 'waivers[0]', file: 'policy/waivers.yaml', line: 3, entry: { hosts: ['PC-9'], rules: ['MS17-010'], reason: 'replaced in June', owner: 'ops', expires: '2026-06-30' }, matched: 1 }],
  unused: [{ path: 'waivers[1]', file: 'policy/waivers.yaml', entry: { hosts: ['OLD-SCANNER'], rules: ['*'], reason: 'decommissioned', owner: 'records', expires: '2027-12-31' } }],
  expiring: [],
};

describe('a run that fails only on a rejected row or a stale waiver does not look clean', () => {
  test('rejected row: a REJECTED-ROW error at its file and line in SARIF, a JUnit error, and the verdict first in Markdown', () => {
    const r = withGate(buildReport([compliantHost()], { rejected: [ROW] }), DEFAULT_POLICY);
    expect(r.gate).toMatchObject({ exitCode: 1, reasons: ['1 row rejected'] });
    const run = sarifOf(r);
    expect(run.results).toHaveLength(1);
    const res = run.results[0];
    expect(res).toMatchObject({ ruleId: 'REJECTED-ROW', level: 'error', properties: { status: 'rejected', reason: 'no hostname' } });
    expect(res.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'inv/my%20inventory.csv', uriBaseId: '%SRCROOT%', index: 0 }, region: { startLine: 9 } });
    const rule = run.tool.driver.rules[res.ruleIndex];
    expect(rule).toMatchObject({ id: 'REJECTED-ROW', name: 'RejectedRow', defaultConfiguration: { level: 'error' } });
    expect(rule.properties['security-severity']).toBe('7.0');
    expect(run.properties.exitCode).toBe(1);
    // A notification would be the only other trace: not both.
    expect(run.invocations[0].toolExecutionNotifications).toBeUndefined();
    expect(junitCounts(r)).toMatchObject({ failures: 0, errors: 1 });
    const md = renderMarkdown(r, CTX);
    expect(firstLine(md)).toBe('❌ Policy failed (exit 1): 1 row rejected.');
    expect(md).toContain('**1 compliant (100.0%)**');
  });

  test('with --allow-unknown the same row passes everywhere: a notification in SARIF, a passing JUnit case, "Policy passed"', () => {
    const r = withGate(buildReport([compliantHost()], { rejected: [ROW] }), { ...DEFAULT_POLICY, allowUnknown: true });
    expect(r.gate!.exitCode).toBe(0);
    const run = sarifOf(r);
    expect(run.results).toEqual([]);
    expect(run.invocations[0].toolExecutionNotifications.map((n: any) => n.message.text)).toEqual(['Row rejected: no hostname.']);
    expect(run.tool.driver.rules.map((x: any) => x.id)).not.toContain('REJECTED-ROW');
    const { root, failures, errors } = junitCounts(r);
    expect([failures, errors]).toEqual([0, 0]);
    const rejected = root.children.find((s) => s.attrs.name.startsWith('REJECTED'))!;
    expect(rejected.children.find((c) => c.name === 'testcase')!.children.map((c) => c.name)).toEqual(['system-out']);
    expect(firstLine(renderMarkdown(r, CTX))).toBe('✅ Policy passed (exit 0).');
  });

  test('stale waivers with --fail-on-stale-waivers: STALE-WAIVER results at the waiver file, a JUnit suite, the verdict in Markdown', () => {
    const base = buildReport([compliantHost()], { waivers: STALE });
    const r = withGate(base, { ...DEFAULT_POLICY, failOnStaleWaivers: true });
    expect(r.gate).toMatchObject({ exitCode: 1, reasons: ['2 expired or unused waivers'] });
    const run = sarifOf(r);
    expect(run.results.map((x: any) => [x.ruleId, x.level, x.properties.status, x.locations[0].physicalLocation.region.startLine])).toEqual([
      ['STALE-WAIVER', 'error', 'expired', 3],
      ['STALE-WAIVER', 'error', 'unused', 1],
    ]);
    const loc = run.results[0].locations[0].physicalLocation.artifactLocation;
    expect(loc).toMatchObject({ uri: 'policy/waivers.yaml', uriBaseId: '%SRCROOT%' });
    expect(run.artifacts[loc.index].roles).toEqual(['userSpecifiedConfiguration']);
    expect(run.tool.driver.rules.find((x: any) => x.id === 'STALE-WAIVER').properties['security-severity']).toBe('7.0');
    // Identified by the entry, not its place in the file: a waiver inserted above it changes nothing.
    const moved = withGate({ ...base, waivers: { ...STALE, expired: [{ ...STALE.expired[0], path: 'waivers[4]', line: 20 }] } }, { ...DEFAULT_POLICY, failOnStaleWaivers: true });
    expect(sarifOf(moved).results[0].partialFingerprints).toEqual(run.results[0].partialFingerprints);

    const { root, failures } = junitCounts(r);
    expect(failures).toBe(2);
    const suite = root.children.find((s) => s.attrs.name.startsWith('STALE-WAIVERS:'))!;
    expect(suite.attrs).toMatchObject({ tests: '2', failures: '2', errors: '0', skipped: '0' });
    expect(suite.children.filter((c) => c.name === 'testcase').map((c) => [c.attrs.classname, c.attrs.name, c.children[0].name, c.children[0].attrs.type])).toEqual([
      ['patchaudit.STALE-WAIVERS', 'policy/waivers.yaml waivers[0]', 'failure', 'stale-waiver'],
      ['patchaudit.STALE-WAIVERS', 'policy/waivers.yaml waivers[1]', 'failure', 'stale-waiver'],
    ]);
    expect(suite.children[1].children[0].text).toContain('policy/waivers.yaml:3 waivers[0]');
    expect(firstLine(renderMarkdown(r, CTX))).toBe('❌ Policy failed (exit 1): 2 expired or unused waivers.');

    // Without the flag they fail nothing, and no report says they do.
    const lenient = withGate(base, DEFAULT_POLICY);
    expect(lenient.gate!.exitCode).toBe(0);
    expect(sarifOf(lenient).results).toEqual([]);
    expect(junitCounts(lenient)).toMatchObject({ failures: 0, errors: 0 });
    expect(firstLine(renderMarkdown(lenient, CTX))).toBe('✅ Policy passed (exit 0).');
  });

  test('a report without a verdict is judged by its --fail-on, unknown hosts and rejected rows failing', () => {
    expect(firstLine(renderMarkdown(buildReport([compliantHost()], { rejected: [ROW] }), CTX))).toBe('❌ Policy failed (exit 1): 1 row rejected.');
    expect(firstLine(renderMarkdown(buildReport([compliantHost()]), CTX))).toBe('✅ Policy passed (exit 0).');
    expect(firstLine(renderMarkdown(report, CTX))).toBe('❌ Policy failed (exit 1): 7 failing findings at or above high; 2 hosts could not be judged (unknown); 1 row rejected.');
  });
});

describe('JUnit follows the policy', () => {
  const POLICIES: GatePolicy[] = [
    DEFAULT_POLICY,
    { failOn: 'critical', allowUnknown: false },
    { failOn: 'critical', allowUnknown: true },
    { failOn: 'high', allowUnknown: true },
    { failOn: 'none', allowUnknown: true },
    { failOn: 'none', allowUnknown: false },
    { failOn: 'info', allowUnknown: false },
  ];
  const cases = (root: XmlElement) => root.children.flatMap((s) => s.children.filter((c) => c.name === 'testcase').map((c) => ({ suite: s.attrs.name.split(':')[0], name: c.attrs.name, kids: c.children })));

  test.each(POLICIES.map((p) => [JSON.stringify(p), p] as const))('%s: a failure or error exactly when the run fails', (_, policy) => {
    for (const r of [report, buildReport(hostileHosts()), buildReport([hostileHosts()[5]]), buildReport([compliantHost()], { rejected: [ROW] })]) {
      const g = withGate(r, policy);
      const { failures, errors } = junitCounts(g);
      expect({ policy, fails: failures + errors > 0 }).toEqual({ policy, fails: g.gate!.exitCode === 1 });
    }
  });

  test('a failure below --fail-on and an allowed unknown are passing cases with the details in system-out', () => {
    const { root } = junitCounts(withGate(report, { failOn: 'critical', allowUnknown: true }));
    const all = cases(root);
    const eos = all.find((c) => c.suite === 'WIN-EOS' && c.name === HOSTILE.hyperlink)!;
    expect(eos.kids.map((k) => k.name)).toEqual(['system-out']);
    expect(eos.kids[0].text).toMatch(/^failing \(high\), below --fail-on critical: does not fail the run\.\n\nWIN-EOS is fail\n/);
    const ms = all.find((c) => c.suite === 'MS17-010' && c.name === HOSTILE.hyperlink)!;
    expect(ms.kids.map((k) => [k.name, k.attrs.type])).toEqual([['failure', 'critical']]);
    const unknown = all.find((c) => c.suite === 'COVERAGE')!;
    expect(unknown.kids[0].text).toMatch(/^unknown, allowed with --allow-unknown: does not fail the run\./);
    const none = cases(junitCounts(withGate(report, { failOn: 'none', allowUnknown: true })).root);
    expect(none.find((c) => c.suite === 'MS17-010' && c.name === HOSTILE.hyperlink)!.kids[0].text).toMatch(/^failing \(critical\), with --fail-on none: does not fail the run\./);
  });

  test('--fail-on-new: existing failures and unknowns already in the baseline pass; new ones fail, and rejected rows do not', () => {
    const hosts = [
      host('OLD-FAIL', os('Windows 7'), [finding('MS17-010', 'fail', 'critical', { change: 'existing' }), finding('WIN-EOS', 'pass', 'high')]),
      host('NEW-FAIL', os('Windows 7'), [finding('MS17-010', 'fail', 'critical', { change: 'new' }), finding('WIN-EOS', 'pass', 'high')]),
      host('new-unknown.corp.example', os(null), [finding('MS17-010', 'unknown', 'critical'), finding('WIN-EOS', 'unknown', 'high')]),
      host('OLD-UNKNOWN', os(null), [finding('MS17-010', 'unknown', 'critical'), finding('WIN-EOS', 'unknown', 'high')]),
    ];
    const baseline = { resolved: [], noLongerFailing: [], hostsAdded: [], hostsRemoved: [], newFailures: [{ hostname: 'NEW-FAIL', ruleId: 'MS17-010', severity: 'critical' }], newUnknownHosts: ['NEW-UNKNOWN'] };
    const policy: GatePolicy = { failOn: 'high', allowUnknown: false, failOnNew: true };
    const r = withGate(buildReport(hosts, { baseline, rejected: [ROW] }), policy);
    expect(r.gate!.exitCode).toBe(1);
    const all = cases(junitCounts(r).root);
    const kind = (suite: string, name: string) => all.find((c) => c.suite === suite && c.name === name)!.kids.map((k) => k.name)[0];
    expect(kind('MS17-010', 'OLD-FAIL')).toBe('system-out');
    expect(all.find((c) => c.name === 'OLD-FAIL')!.kids[0].text).toMatch(/^failing \(critical\) already in the baseline \(--fail-on-new\): does not fail the run\./);
    expect(kind('MS17-010', 'NEW-FAIL')).toBe('failure');
    expect(kind('MS17-010', 'new-unknown.corp.example')).toBe('error');
    expect(kind('MS17-010', 'OLD-UNKNOWN')).toBe('system-out');
    expect(kind('REJECTED', `${ROW.file}:${ROW.line}`)).toBe('system-out');
    // Nothing new: the run passes, and so does every test.
    const quiet = withGate(buildReport(hosts.filter((h) => h.hostname.startsWith('OLD')), { baseline: { ...baseline, newFailures: [], newUnknownHosts: [] }, rejected: [ROW] }), policy);
    expect(quiet.gate!.exitCode).toBe(0);
    expect(junitCounts(quiet)).toMatchObject({ failures: 0, errors: 0 });
  });
});

describe("JUnit: only what Jenkins' xUnit schema (junit-10.xsd) allows", () => {
  // Attributes and children each element may have there.
  const ALLOWED: Record<string, { attrs: string[]; children: string[] }> = {
    testsuites: { attrs: ['name', 'time', 'tests', 'failures', 'errors'], children: ['testsuite'] },
    testsuite: { attrs: ['name', 'tests', 'failures', 'errors', 'group', 'time', 'skipped', 'timestamp', 'hostname', 'id', 'package', 'file', 'log', 'url'], children: ['testsuite', 'properties', 'testcase', 'system-out', 'system-err'] },
    properties: { attrs: [], children: ['property'] },
    property: { attrs: ['name', 'value'], children: [] },
    testcase: { attrs: ['name', 'time', 'classname', 'group'], children: ['skipped', 'error', 'failure', 'system-out', 'system-err'] },
    failure: { attrs: ['type', 'message'], children: [] },
    error: { attrs: ['type', 'message'], children: [] },
    skipped: { attrs: ['type', 'message'], children: [] },
    'system-out': { attrs: [], children: [] },
    'system-err': { attrs: [], children: [] },
  };
  const REQUIRED: Record<string, string[]> = { testsuite: ['name', 'tests', 'failures', 'errors'], testcase: ['name'], property: ['name', 'value'] };

  function check(el: XmlElement): void {
    const allowed = ALLOWED[el.name];
    expect({ element: el.name, known: allowed !== undefined }).toEqual({ element: el.name, known: true });
    for (const a of Object.keys(el.attrs)) expect({ element: el.name, attr: a, allowed: allowed.attrs.includes(a) }).toEqual({ element: el.name, attr: a, allowed: true });
    for (const a of REQUIRED[el.name] ?? []) expect(el.attrs).toHaveProperty(a);
    for (const c of el.children) expect({ element: el.name, child: c.name, allowed: allowed.children.includes(c.name) }).toEqual({ element: el.name, child: c.name, allowed: true });
    // time is a number (SUREFIRE_TIME).
    if (el.attrs.time !== undefined) expect(el.attrs.time).toMatch(/^\d+(\.\d+)?$/);
    el.children.forEach(check);
  }

  test.each([
    ['every status and a rejected row', report],
    ['with --timestamp', { ...report, generatedAt: '2026-11-25T10:00:00.000Z' }],
    ['stale waivers failing the run', withGate(buildReport([compliantHost()], { waivers: STALE, rejected: [ROW] }), { ...DEFAULT_POLICY, failOnStaleWaivers: true })],
    ['an allowed rejected row', withGate(buildReport([compliantHost()], { rejected: [ROW] }), { ...DEFAULT_POLICY, allowUnknown: true })],
  ])('%s', (_, r) => {
    const root = parseXml(renderJunit(r, CTX));
    expect(root.name).toBe('testsuites');
    expect(root.attrs).not.toHaveProperty('skipped');
    check(root);
    // Every suite has properties, the REJECTED and STALE-WAIVERS suites too.
    for (const s of root.children) expect(s.children[0].name).toBe('properties');
  });
});

describe('SARIF on GitHub', () => {
  test('primaryLocationLineHash comes from host and rule: the same when the row moves or changes, numbered for a repeated host', () => {
    const mk = (line: number, evidence: string) =>
      host('PC-01', os('Windows 7'), [finding('MS17-010', 'fail', 'critical', { evidence: [evidence] }), finding('WIN-EOS', 'fail', 'high')], { sources: [{ file: 'inv/a.csv', line }] });
    const a = sarifOf(buildReport([mk(2, 'none of 3 updates contains the fix')])).results;
    const b = sarifOf(buildReport([host('OTHER', os('Windows 7'), [finding('MS17-010', 'fail', 'critical')]), { ...mk(40, 'none of 4 updates contains the fix'), hostname: 'pc-01' }])).results.slice(1);
    const hashes = (rs: any[]) => rs.map((r) => r.partialFingerprints.primaryLocationLineHash);
    expect(hashes(a)).toEqual(hashes(b));
    expect(hashes(a)[0]).toMatch(/^[0-9a-f]{16}:1$/);
    expect(new Set(hashes(a)).size).toBe(2);
    expect(a[0].partialFingerprints[FINGERPRINT_KEY]).toBe(b[0].partialFingerprints[FINGERPRINT_KEY]);
    const twice = sarifOf(buildReport([mk(2, 'x'), mk(3, 'x')])).results.filter((r: any) => r.ruleId === 'MS17-010');
    expect(hashes(twice).map((h) => h.split(':')[1])).toEqual(['1', '2']);
    expect(new Set(hashes(twice).map((h) => h.split(':')[0])).size).toBe(1);
  });

  test('every rule has a name other than its id (SARIF1001), pseudo-rules and ending-soon rules too', () => {
    const custom = (id: string) => loaded({ kind: 'end-of-support', id, title: `${id} title`, severity: 'high', lifecycle: [], remediation: `Retire or upgrade (${id}).` });
    const rules = [custom('Patch1'), custom('ABC'), ...RULES];
    const hosts = [
      host('PC-1', os('Windows 10'), [finding('Patch1', 'warn', 'high'), finding('ABC', 'fail', 'high'), finding('MS17-010', 'pass', 'critical'), finding('WIN-EOS', 'warn', 'high')]),
      host('PC-2', os(null), [finding('DATA-CONFLICT', 'unknown', 'info')]),
    ];
    const run = sarifOf({ ...buildReport(hosts, { rejected: [ROW] }), rules });
    const ids = run.tool.driver.rules.map((r: any) => [r.id, r.name]);
    expect(ids).toEqual([
      ['Patch1', 'Patch1Rule'],
      ['ABC', 'Abc'],
      ['MS17-010', 'Ms17010'],
      ['WIN-EOS', 'WinEos'],
      ['Patch1/ending-soon', 'Patch1EndingSoon'],
      ['WIN-EOS/ending-soon', 'WinEosEndingSoon'],
      ['DATA-CONFLICT', 'DataConflict'],
      ['REJECTED-ROW', 'RejectedRow'],
    ]);
    for (const [id, name] of ids) expect(name).not.toBe(id);
  });
});

describe('the table counts every warning, also those the audit did not keep', () => {
  test('1,000 kept and "… and 200 more warnings": Warnings (1200), ten shown, "… and 1190 more"', () => {
    const warnings = [...Array.from({ length: 1000 }, (_, i) => `warning ${i}`), '… and 200 more warnings'];
    const out = renderTable(buildReport([], { warnings }), CTX);
    expect(out).toContain('Warnings (1200)');
    expect(out).toContain('  … and 1190 more (see --format json)');
    expect(out).not.toContain('… and 200 more warnings');
  });
});

describe('the table ends with the verdict the exit code gives', () => {
  test('failed, with the reasons; passed when nothing fails the policy', () => {
    const failing = renderTable(buildReport(hostileHosts(), { rejected: REJECTED }), CTX).trimEnd().split('\n');
    expect(failing[failing.length - 1]).toMatch(/^Policy failed \(exit 1\): .*rejected/);
    const ok = renderTable(buildReport([]), CTX).trimEnd().split('\n');
    expect(ok[ok.length - 1]).toBe('Policy passed (exit 0)');
    // Passed only because the policy lets failures through: it says so.
    const lenient = renderTable(buildReport(hostileHosts(), { rejected: REJECTED, failOn: 'none', gate: { exitCode: 0, reasons: [], policy: { failOn: 'none', allowUnknown: true } } }), CTX).trimEnd().split('\n');
    expect(lenient[lenient.length - 1]).toBe('Policy passed (exit 0) (--fail-on none: failing findings do not fail the run; --allow-unknown: unknown hosts and rejected rows do not fail the run)');
  });
});

describe('workflow commands in the job log (table)', () => {
  const NAMES = ['::error title=All hosts compliant::no problems', '  ::add-mask::x', 'PC##[error]x', '\t::warning::tab first'];
  const hosts = NAMES.map((n, i) =>
    host(n, os('Windows 7', { raw: `Windows 7 ##[group]${i}` }), [finding('MS17-010', 'fail', 'critical', { evidence: ['::notice::evidence'], remediation: '##[stop-commands]tok' }), finding('WIN-EOS', 'waived', 'high', { waiver: { reason: '::error::r', owner: '##[x]', expires: '2027-01-01' } })], {
      site: i % 2 ? '##[stop-commands]tok' : '::warning::site first',
      sources: [{ file: '::x.csv', line: i + 2 }],
    }),
  );
  const r = buildReport(hosts, { rejected: [{ file: '::error::file.csv', line: 9, reason: '##[error] bad row' }], warnings: ['::error::a warning'] });

  test('no line of the table starts with "::" (after whitespace) or holds "##[", --explain included', () => {
    for (const ctx of [CTX, { ...CTX, explain: true }]) {
      const out = renderTable(r, ctx);
      const lines = out.split('\n');
      expect(lines.filter((l) => /^\s*::/.test(l))).toEqual([]);
      expect(lines.filter((l) => l.includes('##['))).toEqual([]);
      // The text reads the same: only invisible word joiners were added.
      expect(out.replace(/\u2060/g, '')).toContain('PC##[error]x');
      expect(out.replace(/\u2060/g, '')).toContain('##[stop-commands]tok: 0.0% compliant');
    }
  });

  test('the word joiner takes no column: the table stays aligned', () => {
    const rows = renderTable(r, CTX)
      .split('\n')
      .filter((l) => l.startsWith('non-compliant'));
    expect(rows).toHaveLength(NAMES.length);
    expect(new Set(rows.map((l) => l.replace(/\u2060/g, '').indexOf('Windows 7')))).toEqual(new Set([rows[0].replace(/\u2060/g, '').indexOf('Windows 7')]));
  });

  test('logSafe defuses line-leading "::" and every "##[", and leaves other text alone', () => {
    expect(logSafe('::error::x')).toBe(':\u2060:error::x');
    expect(logSafe('  ::x')).toBe('  :\u2060:x');
    expect(logSafe('a ::b')).toBe('a ::b');
    expect(logSafe('a##[b ##[c')).toBe('a#\u2060#[b #\u2060#[c');
    expect(logSafe('###[x')).not.toContain('##[');
    expect(logSafe('PC-01')).toBe('PC-01');
    // An escape sequence is shown, not removed: the text no longer starts with "::".
    expect(logSafe('\x1b[31m::x')).toBe('\\x1b[31m::x');
    expect(logSafe('\t::x')).toBe(' :\u2060:x');
  });

  test('machine formats keep inventory text byte for byte', () => {
    for (const text of [renderSarif(r, CTX), renderJunit(r, CTX), renderCsv(r, CTX)]) expect(text).not.toContain('\u2060');
    expect(renderCsv(r, CTX)).toContain('PC##[error]x');
    expect(renderSarif(r, CTX)).toContain('"name": "::error title=All hosts compliant::no problems"');
    expect(renderJunit(r, CTX)).toContain('name="PC##[error]x"');
  });
});

describe('Markdown escapes $ (GitHub math)', () => {
  test('inventory text with dollars renders as text', () => {
    expect(escapeMarkdown('cost $5, formula $x^2$')).toBe('cost \\$5, formula \\$x^2\\$');
    const md = renderMarkdown(buildReport([host('PC-$x$', os('Windows 7'), [finding('MS17-010', 'fail', 'critical'), finding('WIN-EOS', 'fail', 'high')], { site: '$$ e^x $$' })]), CTX);
    expect(md).toContain('| PC-\\$x\\$ |');
    expect(md).toContain('\\$\\$ e^x \\$\\$');
  });
});
