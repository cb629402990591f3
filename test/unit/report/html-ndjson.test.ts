import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { auditToResult } from '../../../src/audit.js';
import type { Finding, HostResult, HostStatus } from '../../../src/evaluation/types.js';
import { renderHtml, jsonForScript } from '../../../src/report/html.js';
import { toJsonReport } from '../../../src/report/json.js';
import { ndjsonReporter, renderNdjson } from '../../../src/report/ndjson.js';
import type { AuditReport, ReporterContext } from '../../../src/report/types.js';
import { loadRules } from '../../../src/rules/load-rules.js';
import type { LoadedRule } from '../../../src/rules/types.js';
import { fixture, ROOT } from '../../helpers/cli.js';
import { osInfo, PLAIN_CTX } from '../../helpers/results.js';

// ------------------------------------------------------------------------------------------ schema

const schema = JSON.parse(readFileSync(path.join(ROOT, 'schema/report.schema.json'), 'utf8'));
const SCHEMA_ID = 'urn:patchaudit:report:1';
// strict: the schema must also be clean under Ajv's strict mode.
// ajv is CommonJS: its default export is the class, which also carries itself as .default (what the types see).
const ajv = new Ajv2020.default({ allErrors: true, strict: true });
ajv.addSchema(schema);

function validator(ref: string) {
  const v = ajv.getSchema(`${SCHEMA_ID}${ref}`);
  if (!v) throw new Error(`no schema ${ref}`);
  return v;
}
const validateReport = validator('');
const validateHostLine = validator('#/$defs/hostLine');
const validateSummaryLine = validator('#/$defs/summaryLine');
const validateAnyLine = validator('#/$defs/ndjsonLine');
const validateHost = validator('#/$defs/host');

function errorsOf(v: ReturnType<typeof validator>): string {
  return JSON.stringify(v.errors?.slice(0, 5), null, 1);
}

function expectValid(v: ReturnType<typeof validator>, doc: unknown): void {
  const ok = v(doc);
  if (!ok) throw new Error(`schema validation failed: ${errorsOf(v)}`);
}

// ------------------------------------------------------------------------------- hand-made report

const CTX: ReporterContext = PLAIN_CTX;

const RULES: LoadedRule[] = [
  {
    rule: { id: 'MS17-010', title: 'MS17-010 is not fixed', severity: 'critical', kind: 'patch', targets: [], remediation: 'Install the fix.' },
    pack: 'ms17-010',
    packVersion: '1.0.0',
    dataAsOf: '2026-11-01',
    origin: 'builtin:ms17-010',
  },
  {
    rule: { id: 'WIN-EOS', title: 'Windows is past <b>end</b> of support', severity: 'high', kind: 'end-of-support', lifecycle: [], remediation: 'Upgrade.' },
    pack: 'win-eos',
    packVersion: '1.2.0',
    dataAsOf: '2026-11-02',
    origin: 'builtin:win-eos',
  },
];

const os = osInfo;

function finding(ruleId: string, status: Finding['status'], extra: Partial<Finding> = {}): Finding {
  return {
    ruleId,
    status,
    severity: ruleId === 'MS17-010' ? 'critical' : 'high',
    evidence: [`${ruleId} evidence`],
    remediation: status === 'pass' || status === 'not-applicable' ? null : 'Do something.',
    decidedBy: 'kb',
    ...extra,
  };
}

function host(hostname: string, status: HostStatus, findings: Finding[], extra: Partial<HostResult> = {}): HostResult {
  return {
    hostname,
    sources: [{ file: 'inv.csv', line: 2 }],
    os: os('Windows 7', { build: 7601, servicePack: 1 }),
    status,
    findings,
    risk: { score: status === 'non-compliant' ? 100 : 0, factors: status === 'non-compliant' ? [{ factor: 'MS17-010 fail (critical)', points: 40 }] : [] },
    site: 'Ward 7',
    lastPatchDate: '2019-01-01',
    kbCount: 3,
    columns: { Hostname: hostname },
    ...extra,
  };
}

const HOSTILE = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '</script><script>alert(2)</script>',
  'WARD\u2028PC\u2029X',
  '\x1b[2JESC-PC',
];

function hostileReport(): AuditReport {
  const hosts: HostResult[] = [
    host(HOSTILE[0], 'non-compliant', [finding('MS17-010', 'fail', { evidence: ['<img src=x onerror=alert(3)>'], remediation: '</script><b>patch</b>' }), finding('WIN-EOS', 'fail', { endDate: '2020-01-14', decidedBy: 'lifecycle' })], {
      site: '<svg onload=alert(4)>',
      columns: { Hostname: HOSTILE[0], '<th onclick=alert(5)>': '"\'><script>alert(6)</script>' },
    }),
    host(HOSTILE[1], 'non-compliant', [finding('MS17-010', 'fail', { change: 'new' }), finding('WIN-EOS', 'warn', { endDate: '2026-12-20', decidedBy: 'lifecycle' })], {
      os: os(null, { raw: '<iframe src=javascript:alert(7)>' }),
    }),
    host(HOSTILE[2], 'unknown', [finding('MS17-010', 'unknown'), finding('WIN-EOS', 'pass', { endDate: '2027-06-01', decidedBy: 'lifecycle' })], { site: null }),
    host(HOSTILE[3], 'compliant', [
      finding('MS17-010', 'waived', { waiver: { reason: 'Isolated MRI <console>', owner: 'Radiology & IT', expires: '2027-01-31' } }),
      finding('WIN-EOS', 'not-applicable'),
    ]),
    host(HOSTILE[4], 'compliant', [finding('MS17-010', 'pass'), finding('WIN-EOS', 'pass', { endDate: '2028-10-10', decidedBy: 'lifecycle' })], {
      os: os('Windows 11', { release: '24H2', build: 26100 }),
      site: 'Ward\u20289',
    }),
  ];
  return {
    tool: { name: 'patchaudit', version: '0.1.0' },
    asOf: '2026-11-25',
    inputs: ['inv.csv', '<script>alert(8)</script>.csv'],
    rules: RULES,
    summary: {
      hosts: 5,
      compliant: 2,
      nonCompliant: 2,
      unknown: 1,
      rejectedRows: 1,
      rowsRead: 6,
      rowsAudited: 5,
      byRule: {
        'MS17-010': { pass: 1, fail: 2, warn: 0, unknown: 1, notApplicable: 0, waived: 1 },
        'WIN-EOS': { pass: 2, fail: 1, warn: 1, unknown: 0, notApplicable: 1, waived: 0 },
      },
      failuresBySeverity: { critical: 2, high: 1, medium: 0, low: 0, info: 0 },
    },
    hosts,
    rejected: [{ file: 'inv.csv', line: 7, reason: 'no hostname <script>alert(9)</script>' }],
    warnings: ['inv.csv: odd \x1b]8;;x\x07 warning <b>'],
    files: [],
    failOn: 'high',
  };
}

/** The text of the JSON data island. */
function dataIsland(html: string): string {
  const m = /<script type="application\/json" id="data">([\s\S]*?)<\/script>/.exec(html);
  if (!m) throw new Error('no data island');
  return m[1];
}

describe('HTML report: hostile inventory text', () => {
  const html = renderHtml(hostileReport(), CTX);

  test('no injected markup: every < of inventory text is escaped', () => {
    expect(html).not.toMatch(/<script>alert/i);
    expect(html).not.toMatch(/<img\b/i);
    expect(html).not.toMatch(/<svg onload/i);
    expect(html).not.toMatch(/<iframe/i);
    expect(html).not.toMatch(/<th onclick/i);
    // Exactly the two script elements the page is made of.
    expect(html.match(/<script\b/gi)).toHaveLength(2);
    expect(html.match(/<\/script/gi)).toHaveLength(2);
    // No real tag carries an event-handler attribute (quoted attribute values removed first).
    for (const tag of html.match(/<[a-zA-Z][^>]*>/g) ?? []) {
      expect(tag.replace(/"[^"]*"/g, '""')).not.toMatch(/\son[a-z]+\s*=/i);
    }
    // onerror= survives only as escaped text.
    for (const m of html.matchAll(/onerror=/g)) {
      expect(html.slice(Math.max(0, m.index! - 16), m.index)).toMatch(/(?:&lt;|\\u003c)img src=x $/);
    }
  });

  test('hostile text is shown escaped, with control characters made visible', () => {
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('\\x1b[2JESC-PC');
    expect(html).toContain('WARD\\u2028PC\\u2029X');
    expect(html).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029]/);
    expect(html).toContain('Isolated MRI &lt;console&gt;');
    expect(html).toContain('Radiology &amp; IT');
  });

  test('nothing that could fetch: no URL scheme anywhere, CSP forbids every source', () => {
    expect(html).not.toMatch(/https?:\/\//i);
    // The only URL-valued attribute is the favicon's empty data: URL.
    for (const tag of html.match(/<[a-zA-Z][^>]*>/g) ?? []) {
      for (const m of tag.matchAll(/\s(?:src|href|action|formaction|poster|background|srcset|ping|xlink:href)\s*=\s*"([^"]*)"/gi)) expect(m[1]).toMatch(/^data:/);
    }
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`);
  });

  test('data island is JSON with <, >, &, U+2028/2029 escaped, and round-trips the hostnames', () => {
    const island = dataIsland(html);
    expect(island).not.toMatch(/[<>&\u2028\u2029]/);
    const data = JSON.parse(island);
    expect(data.hosts.map((h: { h: string }) => h.h).sort()).toEqual([...HOSTILE].sort());
    expect(data.sites).toContain('<svg onload=alert(4)>');
    expect(jsonForScript({ a: '</script>\u2028&' })).toBe('{"a":"\\u003c/script\\u003e\\u2028\\u0026"}');
  });

  test('the script never uses innerHTML, document.write or eval', () => {
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1];
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
  });

  test('sections: cards, charts, waived finding, timeline, rejected rows', () => {
    expect(html).toMatch(/data-metric="hosts"><div class="c-title">[^<]*<\/div><div class="value">5</);
    expect(html).toMatch(/data-metric="compliant"><div class="c-title">[^<]*<\/div><div class="value">40\.0%</);
    expect(html).toMatch(/data-metric="non-compliant"><div class="c-title">[^<]*<\/div><div class="value">2</);
    expect(html).toMatch(/data-metric="unknown"><div class="c-title">[^<]*<\/div><div class="value">1</);
    expect(html).toMatch(/data-metric="rejected"><div class="c-title">[^<]*<\/div><div class="value">1</);
    expect(html).toContain('<svg class="donut"');
    expect(html).toContain('<svg class="bars"');
    expect(html).toContain('id="waivers"');
    expect(html).toContain('id="lifecycle"');
    expect(html).toContain('no hostname &lt;script&gt;alert(9)&lt;/script&gt;');
    expect(html).toContain('ms17-010 <b>1.0.0</b>');
    expect(html).toContain('win-eos <b>1.2.0</b>');
    // Rule titles (from rules files) are escaped too.
    expect(html).toContain('Windows is past &lt;b&gt;end&lt;/b&gt; of support');
  });

  test('timeline counts hosts by end date relative to asOf (cumulative windows)', () => {
    const section = /<section class="panel" id="lifecycle"[\s\S]*?<\/section>/.exec(html)![0];
    const total = /<tfoot><tr><th scope="row">All hosts<\/th>((?:<td[^>]*>[^<]*<\/td>)+)/.exec(section)![1];
    const cells = [...total.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]);
    // ended (2020-01-14) | ≤30 (2026-12-20) | ≤90 | ≤180 | ≤365 (2027-06-01) | later (2028-10-10)
    expect(cells.slice(0, 6)).toEqual(['1', '1', '1', '1', '2', '1']);
  });

  test('deterministic', () => {
    expect(renderHtml(hostileReport(), CTX)).toBe(html);
  });

  test('--show failing leaves hosts with nothing to report out of the list', () => {
    const failing = renderHtml(hostileReport(), { ...CTX, show: 'failing' });
    const data = JSON.parse(dataIsland(failing));
    expect(data.hosts.map((h: { h: string }) => h.h)).not.toContain(HOSTILE[4]);
    expect(data.hosts).toHaveLength(4);
    expect(failing).toContain('not listed');
  });

  test('an empty audit still renders', () => {
    const r = hostileReport();
    const empty: AuditReport = {
      ...r,
      hosts: [],
      rejected: [],
      warnings: [],
      summary: { ...r.summary, hosts: 0, compliant: 0, nonCompliant: 0, unknown: 0, rejectedRows: 0, rowsRead: 0, rowsAudited: 0 },
    };
    const out = renderHtml(empty, CTX);
    expect(out).toMatch(/<p class="verdict tone-(?:pass|fail)" role="status"/);
    expect(out).toContain('No hosts to list.');
    expect(out).not.toContain('id="lifecycle"');
    expect(JSON.parse(dataIsland(out)).hosts).toEqual([]);
  });
});

describe('HTML report: the verdict', () => {
  test('a passing run says so', () => {
    const r = hostileReport();
    const ok: AuditReport = { ...r, hosts: [], rejected: [], warnings: [], failOn: 'none', summary: { ...r.summary, hosts: 0, compliant: 0, nonCompliant: 0, unknown: 0, rejectedRows: 0, rowsRead: 0, rowsAudited: 0 } };
    expect(renderHtml(ok, CTX)).toContain('<p class="verdict tone-pass" role="status" data-exit-code="0"><b>Policy passed</b> (exit 0).</p>');
  });

  test('a failing run says so first, with the gate\'s reasons escaped', () => {
    const out = renderHtml(hostileReport(), CTX);
    const banner = /<p class="verdict tone-fail" role="status" data-exit-code="1"><b>Policy failed<\/b> \(exit 1\): ([^<]*)\.<\/p>/.exec(out);
    expect(banner).not.toBeNull();
    expect(out.indexOf('class="verdict')).toBeLessThan(out.indexOf('data-metric='));
  });
});

describe('NDJSON report', () => {
  const report = hostileReport();

  test('one line per host plus one summary line, each valid JSON', () => {
    const out = renderNdjson(report, CTX);
    expect(out.endsWith('\n')).toBe(true);
    const lines = out.slice(0, -1).split('\n');
    expect(lines).toHaveLength(report.hosts.length + 1);
    const docs = lines.map((l) => JSON.parse(l));
    expect(docs.slice(0, -1).map((d) => d.type)).toEqual(report.hosts.map(() => 'host'));
    expect(docs.slice(0, -1).map((d) => d.hostname)).toEqual(HOSTILE);
    const summary = docs[docs.length - 1];
    expect(summary.type).toBe('summary');
    expect(summary.schemaVersion).toBe(1);
    expect(summary.summary).toEqual(report.summary);
    expect(summary.rules.map((r: { id: string }) => r.id)).toEqual(['MS17-010', 'WIN-EOS']);
    expect(summary.rejected).toEqual(report.rejected);
    expect(summary.warnings).toEqual(report.warnings);
  });

  test('streaming: start is empty, host() is one line, end() is the summary line', () => {
    expect(ndjsonReporter.start(report, CTX)).toBe('');
    const line = ndjsonReporter.host(report.hosts[3], CTX);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(line).hostname).toBe(HOSTILE[3]);
    const end = ndjsonReporter.end({ ...report, hosts: [] }, CTX);
    expect(end.split('\n')).toHaveLength(2);
    expect(JSON.parse(end).type).toBe('summary');
    expect(JSON.parse(end)).not.toHaveProperty('generatedAt');
    expect(JSON.parse(ndjsonReporter.end({ ...report, generatedAt: '2026-11-25T10:00:00.000Z' }, CTX)).generatedAt).toBe('2026-11-25T10:00:00.000Z');
  });

  test('every line validates against the report schema $defs', () => {
    const lines = renderNdjson(report, CTX).trimEnd().split('\n').map((l) => JSON.parse(l));
    for (const doc of lines.slice(0, -1)) {
      expectValid(validateHostLine, doc);
      expectValid(validateHost, doc);
      expectValid(validateAnyLine, doc);
    }
    expectValid(validateSummaryLine, lines[lines.length - 1]);
    expectValid(validateAnyLine, lines[lines.length - 1]);
    expect(validateHostLine(lines[lines.length - 1])).toBe(false);
    expect(validateSummaryLine(lines[0])).toBe(false);
  });
});

describe('report schema', () => {
  test('the hand-made JSON report validates (waivers, baseline change, end dates, nulls)', () => {
    const doc = toJsonReport(hostileReport());
    expectValid(validateReport, doc);
    expectValid(validateReport, { ...doc, generatedAt: '2026-11-25T10:00:00.000Z' });
  });

  test('optional waivers, baseline and timeline sections are allowed', () => {
    const doc = {
      ...toJsonReport(hostileReport()),
      waivers: { expired: [{ ruleId: 'MS17-010', hostname: 'PC-1', reason: 'x', owner: 'y', expires: '2025-01-01' }], unused: [], expiring: [] },
      baseline: {
        resolved: [{ hostname: 'PC-2', ruleId: 'MS17-010' }],
        hostsAdded: ['PC-3'],
        hostsRemoved: [],
        newFailures: [{ hostname: 'PC-4', ruleId: 'WIN-EOS', severity: 'high' }],
        noLongerFailing: [{ hostname: 'PC-5', ruleId: 'MS17-010', status: 'waived' }],
        newUnknownHosts: ['PC-3'],
      },
      timeline: [{ date: '2027-01-12', hosts: 3 }],
    };
    expectValid(validateReport, doc);
  });

  test('rejects what the contract does not allow', () => {
    const good = toJsonReport(hostileReport()) as Record<string, any>;
    const clone = () => JSON.parse(JSON.stringify(good));
    const bad: Record<string, any>[] = [];
    let d = clone();
    d.schemaVersion = 2;
    bad.push(d);
    d = clone();
    d.hosts[0].status = 'broken';
    bad.push(d);
    d = clone();
    d.hosts[0].findings[0].status = 'skipped';
    bad.push(d);
    d = clone();
    d.hosts[0].findings[0].change = 'gone';
    bad.push(d);
    d = clone();
    d.hosts[0].findings[0].severity = 'urgent';
    bad.push(d);
    d = clone();
    delete d.summary.rowsRead;
    bad.push(d);
    d = clone();
    d.surprise = true;
    bad.push(d);
    d = clone();
    d.hosts[0].columns.x = 1;
    bad.push(d);
    d = clone();
    d.hosts[3].findings[0].waiver = { reason: 'r' };
    bad.push(d);
    d = clone();
    d.baseline = { resolved: [{ hostname: 'x' }] };
    bad.push(d);
    for (const doc of bad) expect(validateReport(doc)).toBe(false);
  });

  test('every property of the schema has a description', () => {
    const missing: string[] = [];
    const walk = (node: unknown, at: string) => {
      if (!node || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      if (n.properties && typeof n.properties === 'object') {
        for (const [k, v] of Object.entries(n.properties as Record<string, Record<string, unknown>>)) {
          if (!v.description) {
            const ref = typeof v.$ref === 'string' ? (v.$ref as string).replace('#/$defs/', '') : null;
            if (!(ref && (schema.$defs[ref] as { description?: string })?.description)) missing.push(`${at}/${k}`);
          }
        }
      }
      for (const [k, v] of Object.entries(n)) walk(v, `${at}/${k}`);
    };
    walk(schema, '#');
    expect(missing).toEqual([]);
  });
});

describe('a real audit of the sample trust inventory', () => {
  let report: AuditReport;

  beforeAll(async () => {
    const rules = await loadRules([]);
    const input = fixture('sample-trust-inventory.csv');
    const out = await auditToResult({ inputs: [input], rules, asOf: '2026-11-25', warnDays: 90 });
    report = {
      tool: { name: 'patchaudit', version: '0.1.0' },
      asOf: out.asOf,
      inputs: [input],
      rules,
      summary: out.summary,
      hosts: out.hosts,
      rejected: out.rejected,
      warnings: out.warnings,
      files: out.files,
      failOn: 'high',
    };
  });

  test('toJsonReport validates against schema/report.schema.json', () => {
    expect(report.hosts.length).toBeGreaterThan(250);
    expectValid(validateReport, toJsonReport(report));
  });

  test('every NDJSON line validates', () => {
    const lines = renderNdjson(report, CTX).trimEnd().split('\n');
    expect(lines).toHaveLength(report.hosts.length + 1);
    for (const l of lines) expectValid(validateAnyLine, JSON.parse(l));
  });

  test('HTML: summary numbers, every listed host, no URL, deterministic', () => {
    const html = renderHtml(report, CTX);
    const s = report.summary;
    expect(html).toMatch(new RegExp(`data-metric="hosts"><div class="c-title">[^<]*</div><div class="value">${s.hosts}<`));
    expect(html).toMatch(new RegExp(`data-metric="non-compliant"><div class="c-title">[^<]*</div><div class="value">${s.nonCompliant}<`));
    expect(html).not.toMatch(/https?:\/\//i);
    expect(JSON.parse(dataIsland(html)).hosts).toHaveLength(report.hosts.length);
    expect(html.match(/<details class="host /g)).toHaveLength(report.hosts.length);
    expect(html).toContain('id="lifecycle"');
    expect(renderHtml(report, CTX)).toBe(html);
  });
});
