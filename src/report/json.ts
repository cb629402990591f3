import { reportVerdict } from './verdict.js';
import type { HostResult } from '../evaluation/types.js';
import type { AuditReport, Reporter, StreamingReporter } from './types.js';
import { renderWhole } from './whole.js';

export const REPORT_SCHEMA_VERSION = 1;

/** The rules section: each rule with the pack, version and data date it came from. */
export function jsonRules(report: AuditReport) {
  return report.rules.map((l) => ({
    id: l.rule.id,
    title: l.rule.title,
    severity: l.rule.severity,
    kind: l.rule.kind,
    pack: l.pack,
    version: l.packVersion,
    dataAsOf: l.dataAsOf,
    origin: l.origin,
  }));
}

/** Findings as they appear in reports. */
function jsonFindings(findings: HostResult['findings']) {
  return findings.map(jsonFinding);
}

/** One finding as it appears in reports (optional keys only when set). */
function jsonFinding(f: HostResult['findings'][number]) {
  const out: Record<string, unknown> = {
    ruleId: f.ruleId,
    status: f.status,
    severity: f.severity,
    evidence: f.evidence,
    remediation: f.remediation,
    decidedBy: f.decidedBy,
  };
  if (f.endDate) out.endDate = f.endDate;
  if (f.waiver) out.waiver = f.waiver;
  if (f.change) out.change = f.change;
  return out;
}

/** One host as it appears in JSON and NDJSON reports (the contract in README "JSON report"). */
export function jsonHost(h: HostResult) {
  const os = h.os;
  return {
    hostname: h.hostname,
    sources: h.sources.map((s) => ({ file: s.file, line: s.line })),
    os: jsonOs(os),
    status: h.status,
    site: h.site,
    lastPatchDate: h.lastPatchDate,
    installedUpdates: h.kbCount,
    risk: h.risk,
    findings: jsonFindings(h.findings),
    columns: h.columns,
  };
}

/** Waiver housekeeping: which entries expired, matched nothing, or expire soon. */
export function jsonWaivers(report: AuditReport) {
  const w = report.waivers!;
  const entry = (x: { path: string; file: string; entry: { hosts?: string[]; where?: Record<string, unknown>; rules: string[]; reason: string; owner: string; expires: string } }) => ({
    file: x.file,
    path: x.path,
    hosts: x.entry.hosts ?? [],
    where: x.entry.where ?? {},
    rules: x.entry.rules,
    reason: x.entry.reason,
    owner: x.entry.owner,
    expires: x.entry.expires,
  });
  return {
    expired: w.expired.map((x) => ({ ...entry(x), matched: x.matched })),
    unused: w.unused.map(entry),
    expiring: w.expiring.map((x) => ({ ...entry(x), daysLeft: x.daysLeft })),
  };
}

const osJsonCache = new WeakMap<object, string>();
const riskJsonCache = new WeakMap<object, string>();
const fileJsonCache = new Map<string, string>();

function sourcesText(sources: HostResult['sources']): string {
  let out = '[';
  for (let i = 0; i < sources.length; i++) {
    const s = sources[i];
    out += (i ? ',{"file":' : '{"file":') + cachedJson(fileJsonCache, s.file, '') + ',"line":' + s.line + '}';
  }
  return out + ']';
}

/** Compact lines carry the score only; --format json (or --explain in the table) has the factors. */
function compactRiskText(risk: HostResult['risk']): string {
  let t = compactRiskCache.get(risk);
  if (t === undefined) compactRiskCache.set(risk, (t = JSON.stringify({ score: risk.score })));
  return t;
}

function riskText(risk: HostResult['risk']): string {
  let t = riskJsonCache.get(risk);
  if (t === undefined) riskJsonCache.set(risk, (t = JSON.stringify(risk)));
  return t;
}
const findingsJsonCache = new WeakMap<object, string>();
const compactFindingsJsonCache = new WeakMap<object, string>();
const compactRiskCache = new WeakMap<object, string>();

function jsonOs(os: HostResult['os']) {
  return {
    raw: os.raw,
    family: os.family,
    product: os.product,
    release: os.release,
    edition: os.edition,
    editionClass: os.editionClass,
    ntVersion: os.ntVersion,
    build: os.build,
    revision: os.revision,
    servicePack: os.servicePack,
    server: os.server,
    arch: os.arch,
    notes: os.notes,
  };
}

/** Cells that need no escaping (most): JSON is the text in quotes. */
const PLAIN_JSON = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

/**
 * Above this length JSON.stringify itself is cheaper than the test (a hotfix list of a few thousand
 * characters), and its text is flat, which the report buffer would otherwise flatten again.
 */
const PLAIN_TEST_MAX = 64;

/** JSON.stringify for a string, without its general machinery for the common case (short cells). */
function jsonString(s: string): string {
  if (s.length > PLAIN_TEST_MAX) return JSON.stringify(s);
  return PLAIN_JSON.test(s) ? '"' + s + '"' : JSON.stringify(s);
}

/** JSON.stringify for a value that is mostly a string or null. */
function jsonValue(v: unknown): string {
  return typeof v === 'string' ? jsonString(v) : v === null ? 'null' : JSON.stringify(v);
}

const keyJsonCache = new Map<string, string>();

/** JSON of a string that repeats on every host (file names, column names), plus `suffix`; bounded. */
function cachedJson(cache: Map<string, string>, s: string, suffix: string): string {
  let t = cache.get(s);
  if (t === undefined) {
    if (cache.size > 10_000) cache.clear();
    cache.set(s, (t = jsonString(s) + suffix));
  }
  return t;
}

/** JSON.stringify(columns): keys repeat on every row, so their JSON is cached. */
function columnsText(columns: Record<string, string>): string {
  // Object.keys: the keys JSON.stringify takes, in its order (cheaper than for-in on these dictionary objects).
  const keys = Object.keys(columns);
  if (keys.length === 0) return '{}';
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const v = columns[k];
    out += (i === 0 ? '' : ',') + cachedJson(keyJsonCache, k, ':') + (typeof v === 'string' ? jsonString(v) : JSON.stringify(v));
  }
  return out + '}';
}

const findingJsonCache = new WeakMap<object, string>();

/**
 * JSON.stringify(jsonFindings(findings)), compact leaving out not-applicable ones. A finding that hosts
 * share (one their OS decides) is frozen: its JSON cannot go stale, so it is cached.
 */
function findingsText(findings: HostResult['findings'], compact: boolean): string {
  let out = '[';
  let n = 0;
  for (const f of findings) {
    if (compact && f.status === 'not-applicable') continue;
    let t: string | undefined;
    if (!Object.isFrozen(f)) t = JSON.stringify(jsonFinding(f));
    else if ((t = findingJsonCache.get(f)) === undefined) findingJsonCache.set(f, (t = JSON.stringify(jsonFinding(f))));
    out += n++ === 0 ? t : ',' + t;
  }
  return out + ']';
}

/**
 * JSON.stringify(jsonHost(h)), built from cached pieces: OS objects and (memoised) finding lists are
 * shared by many hosts, so each is serialised once. The streaming JSON and NDJSON writers use this.
 */
export function jsonHostText(h: HostResult, compact = false, open = '{'): string {
  let os = osJsonCache.get(h.os);
  if (os === undefined) osJsonCache.set(h.os, (os = JSON.stringify(jsonOs(h.os))));
  const cache = compact ? compactFindingsJsonCache : findingsJsonCache;
  let findings = cache.get(h.findings);
  if (findings === undefined) cache.set(h.findings, (findings = findingsText(h.findings, compact)));
  return (
    open +
    '"hostname":' +
    jsonString(h.hostname) +
    ',"sources":' +
    sourcesText(h.sources) +
    ',"os":' +
    os +
    ',"status":"' +
    h.status +
    '","site":' +
    jsonValue(h.site) +
    ',"lastPatchDate":' +
    jsonValue(h.lastPatchDate) +
    ',"installedUpdates":' +
    h.kbCount +
    ',"risk":' +
    (compact ? compactRiskText(h.risk) : riskText(h.risk)) +
    ',"findings":' +
    findings +
    ',"columns":' +
    columnsText(h.columns) +
    '}'
  );
}

export function jsonSummary(report: AuditReport) {
  return { ...report.summary };
}

/** The policy's verdict, as the exit code gives it, for tools that read only the report. */
export function jsonVerdict(report: AuditReport) {
  const v = reportVerdict(report);
  const p = v.policy;
  return {
    passed: !v.failed,
    exitCode: v.exitCode,
    reasons: v.reasons,
    policy: { failOn: p.failOn, allowUnknown: p.allowUnknown, failOnNew: !!p.failOnNew, failOnStaleWaivers: !!p.failOnStaleWaivers },
  };
}

/** The whole report as a plain object (also the baseline format read by --baseline and diff). */
export function toJsonReport(report: AuditReport) {
  const doc: Record<string, unknown> = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: report.tool,
    asOf: report.asOf,
  };
  if (report.generatedAt) doc.generatedAt = report.generatedAt;
  doc.inputs = report.inputs;
  doc.rules = jsonRules(report);
  doc.summary = jsonSummary(report);
  doc.verdict = jsonVerdict(report);
  doc.hosts = report.hosts.map(jsonHost);
  doc.rejected = report.rejected;
  doc.warnings = report.warnings;
  if (report.waivers) doc.waivers = jsonWaivers(report);
  if (report.baseline)
    doc.baseline = {
      resolved: report.baseline.resolved,
      hostsAdded: report.baseline.hostsAdded,
      hostsRemoved: report.baseline.hostsRemoved,
      newFailures: report.baseline.newFailures,
      noLongerFailing: report.baseline.noLongerFailing,
      newUnknownHosts: report.baseline.newUnknownHosts,
    };
  if (report.timeline) doc.timeline = report.timeline;
  return doc;
}

/**
 * JSON written as hosts are evaluated: the header fields, then "hosts" one per line, then the summary and
 * the rest. The document is the same object as toJsonReport (keys in another order), so memory does not
 * grow with the inventory. Each call makes a fresh writer (it remembers whether a host was written).
 */
export function createJsonStreamReporter(options: { continuation?: boolean } = {}): StreamingReporter {
  let first = !options.continuation;
  return {
    start(header) {
      first = !options.continuation;
      const head: Record<string, unknown> = { schemaVersion: REPORT_SCHEMA_VERSION, tool: header.tool, asOf: header.asOf };
      if (header.generatedAt) head.generatedAt = header.generatedAt;
      head.inputs = header.inputs;
      head.rules = jsonRules(header as AuditReport);
      const text = JSON.stringify(head);
      return text.slice(0, -1) + ',"hosts":[';
    },
    host(h) {
      const sep = first ? '\n' : ',\n';
      first = false;
      return sep + jsonHostText(h);
    },
    end(report) {
      const full = toJsonReport({ ...report, hosts: [] }) as Record<string, unknown>;
      const tail: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(full)) if (!['schemaVersion', 'tool', 'asOf', 'generatedAt', 'inputs', 'rules', 'hosts'].includes(k)) tail[k] = v;
      return '\n],' + JSON.stringify(tail).slice(1) + '\n';
    },
  };
}

export const renderJson: Reporter = renderWhole(createJsonStreamReporter);
