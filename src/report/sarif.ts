import { evidenceLine } from './evidence.js';
import { checkTitle, FAIL_CLOSED_CHECKS } from '../evaluation/checks.js';
import { createHash } from 'node:crypto';
import type { Finding, HostResult } from '../evaluation/types.js';
import { describeOs } from '../evaluation/match.js';
import { SEVERITY_RANK, type LoadedRule, type Severity } from '../rules/types.js';
import { escapeMarkdown } from './markdown.js';
import { terminalSafe } from './sanitize.js';
import type { AuditReport, Reporter } from './types.js';

/**
 * SARIF 2.1.0 for GitHub code scanning (and any SARIF viewer). Each finding that needs attention is a
 * result located at the inventory row the host came from, so alerts point at the inventory file in
 * the repository; a stable fingerprint per host × rule lets GitHub track an alert across runs.
 *
 * Choices:
 * - fail → level by severity (critical/high error, medium warning, low/info note); unknown → warning
 *   (the host could not be judged: needs data, not a fix); warn (end of support is near) → note;
 *   waived → the level of its severity plus an accepted external suppression, so the waiver is visible
 *   and GitHub shows the alert as suppressed rather than dropping it. pass/not-applicable: no result.
 * - GitHub rejects a run with more than 25,000 results, so at most MAX_SARIF_RESULTS are written,
 *   most severe first, and a tool notification says how many were left out.
 * - No wall-clock times unless the report has generatedAt (--timestamp): output is byte-identical.
 * JSON.stringify escapes every control character, so inventory text cannot break the document; text
 * meant for display (messages) additionally loses terminal escape sequences.
 */

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const FINGERPRINT_KEY = 'patchauditHostRule/v1';
/** GitHub code scanning's hard limit on results per run. */
export const MAX_SARIF_RESULTS = 25_000;
const MAX_NOTIFICATIONS = 100;
/** GitHub keeps 10 tags per rule and rejects more than 20. */
const MAX_TAGS = 10;

type Level = 'error' | 'warning' | 'note';

const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.8', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };

export function severityLevel(severity: Severity): Level {
  return severity === 'critical' || severity === 'high' ? 'error' : severity === 'medium' ? 'warning' : 'note';
}

/** Level of a finding's result, or null when the finding gets none. */
export function findingLevel(f: Finding): Level | null {
  switch (f.status) {
    case 'fail':
    case 'waived':
      return severityLevel(f.severity);
    case 'unknown':
      return 'warning';
    case 'warn':
      return 'note';
    default:
      return null;
  }
}

/** "MS17-010" → "Ms17010", "WIN-EOS" → "WinEos": a friendly name that is a Pascal identifier, as SARIF suggests. */
export function pascalName(id: string): string {
  const name = id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1).toLowerCase())
    .join('');
  return /^[A-Za-z]/.test(name) ? name : `Rule${name}`;
}

export function fingerprint(hostname: string, ruleId: string): string {
  return createHash('sha256').update(`${hostname.toLowerCase()}|${ruleId}`, 'utf8').digest('hex');
}

/** SARIF messages should be sentences (validator rule SARIF2001). */
function sentence(s: string): string {
  const t = s.trim();
  return t === '' || /[.!?]$/.test(t) ? t : `${t}.`;
}

function isUrl(s: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(s);
}

const WINDOWS_ABSOLUTE = /^[A-Za-z]:[\\/]/;

/**
 * An inventory path as a SARIF artifact location: relative paths (as given on the command line) keep
 * forward slashes, percent-encoded segments and %SRCROOT%, which GitHub resolves to the repository
 * root; absolute paths become file:// URIs; standard input is "stdin", which names no file.
 */
export function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  if (file === '-' || file === '' || file === '<stdin>') return { uri: 'stdin' };
  const slashed = file.replace(/\\/g, '/');
  const encode = (p: string) => p.split('/').map((seg) => encodeURIComponent(seg)).join('/');
  if (WINDOWS_ABSOLUTE.test(file)) return { uri: `file:///${slashed.slice(0, 2)}${encode(slashed.slice(2))}` };
  if (slashed.startsWith('//')) return { uri: `file:${encode(slashed)}` };
  if (slashed.startsWith('/')) return { uri: `file://${encode(slashed)}` };
  return { uri: encode(slashed.replace(/^(?:\.\/)+/, '')), uriBaseId: '%SRCROOT%' };
}

interface RuleInfo {
  id: string;
  title: string;
  severity: Severity;
  description?: string;
  remediation?: string;
  references: string[];
  tags: string[];
  cves: string[];
  loaded?: LoadedRule;
}

/** Rule ids used by findings but not in the rule set: the fail-closed checks (DATA-CONFLICT, COVERAGE). */
function pseudoRule(id: string): RuleInfo {
  const check = Object.hasOwn(FAIL_CLOSED_CHECKS, id) ? FAIL_CLOSED_CHECKS[id] : null;
  return { id, title: checkTitle(id), severity: 'info', description: check?.description, remediation: check?.remediation, references: [], tags: [], cves: [] };
}

function ruleDescriptor(r: RuleInfo) {
  const helpText: string[] = [];
  const helpMd: string[] = [];
  if (r.description) {
    helpText.push(r.description);
    helpMd.push(escapeMarkdown(r.description, 4000));
  }
  if (r.remediation) {
    helpText.push(`Remediation: ${r.remediation}`);
    helpMd.push(`**Remediation:** ${escapeMarkdown(r.remediation, 4000)}`);
  }
  if (r.cves.length > 0) {
    helpText.push(`CVEs: ${r.cves.join(', ')}`);
    helpMd.push(`**CVEs:** ${r.cves.map((c) => escapeMarkdown(c, 40)).join(', ')}`);
  }
  if (r.references.length > 0) {
    helpText.push(`References:\n${r.references.map((u) => `- ${u}`).join('\n')}`);
    helpMd.push(`**References:**\n\n${r.references.map((u) => (isUrl(u) ? `- <${u.replace(/[<>\s]/g, encodeURIComponent)}>` : `- ${escapeMarkdown(u, 400)}`)).join('\n')}`);
  }
  if (helpText.length === 0) helpText.push(r.title);
  if (helpMd.length === 0) helpMd.push(escapeMarkdown(r.title, 400));

  const tags = [...new Set(['security', ...r.tags])].slice(0, MAX_TAGS);
  const descriptor: Record<string, unknown> = {
    id: r.id,
    name: pascalName(r.id),
    shortDescription: { text: sentence(r.title) },
    fullDescription: { text: sentence(r.description ?? r.title) },
    help: { text: helpText.join('\n\n'), markdown: helpMd.join('\n\n') },
  };
  const helpUri = r.references.find(isUrl);
  if (helpUri) descriptor.helpUri = helpUri;
  descriptor.defaultConfiguration = { level: severityLevel(r.severity) };
  const properties: Record<string, unknown> = {
    'security-severity': SECURITY_SEVERITY[r.severity],
    tags,
    precision: 'high',
    severity: r.severity,
  };
  if (r.loaded) {
    properties.pack = r.loaded.pack;
    properties.packVersion = r.loaded.packVersion;
    properties.dataAsOf = r.loaded.dataAsOf;
  }
  descriptor.properties = properties;
  return descriptor;
}

interface Candidate {
  host: HostResult;
  finding: Finding;
  level: Level;
  /** Position in report order, to keep the order stable when results are capped. */
  order: number;
}

/** Most important first when results must be capped: failures by severity, then unknown, warn, waived. */
function priority(c: Candidate): number {
  const f = c.finding;
  if (f.status === 'fail') return 100 + SEVERITY_RANK[f.severity];
  if (f.status === 'unknown') return 50;
  if (f.status === 'warn') return 20;
  return 10;
}

export const renderSarif: Reporter = (report) => {
  // Rules: the rule set in its order, then any pseudo-rule a finding uses.
  const infos: RuleInfo[] = report.rules.map((l) => ({
    id: l.rule.id,
    title: l.rule.title,
    severity: l.rule.severity,
    description: l.rule.description,
    remediation: l.rule.remediation,
    references: l.rule.references ?? [],
    tags: l.rule.tags ?? [],
    cves: l.rule.cves ?? [],
    loaded: l,
  }));
  const ruleIndex = new Map(infos.map((r, i) => [r.id, i]));

  const candidates: Candidate[] = [];
  for (const h of report.hosts) {
    for (const f of h.findings) {
      const level = findingLevel(f);
      if (!level) continue;
      if (!ruleIndex.has(f.ruleId)) {
        ruleIndex.set(f.ruleId, infos.length);
        infos.push(pseudoRule(f.ruleId));
      }
      candidates.push({ host: h, finding: f, level, order: candidates.length });
    }
  }
  let kept = candidates;
  if (candidates.length > MAX_SARIF_RESULTS) {
    kept = [...candidates].sort((a, b) => priority(b) - priority(a) || a.order - b.order).slice(0, MAX_SARIF_RESULTS);
    kept.sort((a, b) => a.order - b.order);
  }

  // Artifacts: every inventory file read, then any other file a host row names, in first-seen order.
  const artifacts: { location: { uri: string; uriBaseId?: string }; roles: string[]; encoding?: string }[] = [];
  const artifactIndex = new Map<string, number>();
  const addArtifact = (file: string, encoding?: string) => {
    const loc = artifactLocation(file);
    const key = `${loc.uriBaseId ?? ''}|${loc.uri}`;
    if (artifactIndex.has(key)) return artifactIndex.get(key)!;
    const a: (typeof artifacts)[number] = { location: loc, roles: ['analysisTarget'] };
    if (encoding) a.encoding = encoding;
    artifacts.push(a);
    artifactIndex.set(key, artifacts.length - 1);
    return artifacts.length - 1;
  };
  for (const f of report.files) addArtifact(f.file, f.encoding);

  const results = kept.map(({ host: h, finding: f, level }) => {
    const src = h.sources[0] ?? { file: report.inputs[0] ?? '-', line: 1 };
    const loc = artifactLocation(src.file);
    const index = addArtifact(src.file);
    const name = terminalSafe(h.hostname);
    const evidence = f.evidence.length > 0 ? evidenceLine(f.evidence) : f.status;
    let text = `${name}: ${terminalSafe(evidence)}`;
    if (f.remediation && f.status !== 'waived') text = `${sentence(text)} Fix: ${terminalSafe(f.remediation)}`;
    const result: Record<string, unknown> = {
      ruleId: f.ruleId,
      ruleIndex: ruleIndex.get(f.ruleId),
      level,
      message: { text: sentence(text) },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { ...loc, index },
            region: { startLine: Math.max(1, Math.floor(src.line) || 1) },
          },
          logicalLocations: [{ name, kind: 'resource' }],
        },
      ],
      partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(h.hostname, f.ruleId) },
    };
    if (f.status === 'waived') {
      const w = f.waiver;
      const justification = w ? `${w.reason} (owner ${w.owner}, until ${w.expires})` : 'waived';
      result.suppressions = [{ kind: 'external', status: 'accepted', justification }];
    }
    const props: Record<string, unknown> = { status: f.status, severity: f.severity, hostStatus: h.status, os: describeOs(h.os), risk: h.risk.score };
    if (h.site) props.site = h.site;
    if (f.endDate) props.endDate = f.endDate;
    if (f.change) props.change = f.change;
    result.properties = props;
    return result;
  });

  const notifications: Record<string, unknown>[] = [];
  if (kept.length < candidates.length) {
    notifications.push({
      level: 'warning',
      message: { text: `${candidates.length - kept.length} of ${candidates.length} results were left out (GitHub code scanning accepts at most ${MAX_SARIF_RESULTS} per run); the most severe are kept. The JSON and CSV reports have every finding.` },
    });
  }
  for (const w of report.warnings.slice(0, MAX_NOTIFICATIONS)) notifications.push({ level: 'warning', message: { text: sentence(terminalSafe(w)) } });
  for (const r of report.rejected.slice(0, MAX_NOTIFICATIONS)) {
    const loc = artifactLocation(r.file);
    notifications.push({
      level: 'warning',
      message: { text: sentence(`Row rejected: ${terminalSafe(r.reason)}`) },
      locations: [{ physicalLocation: { artifactLocation: { ...loc, index: addArtifact(r.file) }, region: { startLine: Math.max(1, Math.floor(r.line) || 1) } } }],
    });
  }
  const dropped = Math.max(0, report.warnings.length - MAX_NOTIFICATIONS) + Math.max(0, report.rejected.length - MAX_NOTIFICATIONS);
  if (dropped > 0) notifications.push({ level: 'note', message: { text: `${dropped} more warnings or rejected rows are in the JSON report.` } });

  const invocation: Record<string, unknown> = { executionSuccessful: true };
  if (report.generatedAt) invocation.endTimeUtc = report.generatedAt;
  if (notifications.length > 0) invocation.toolExecutionNotifications = notifications;

  const driver: Record<string, unknown> = { name: 'patchaudit', fullName: `patchaudit ${report.tool.version}`, version: report.tool.version };
  if (/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.test(report.tool.version)) driver.semanticVersion = report.tool.version;
  driver.rules = infos.map(ruleDescriptor);

  const run: Record<string, unknown> = {
    tool: { driver },
    invocations: [invocation],
    originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The folder patchaudit ran in: relative inventory paths are relative to it.' } } },
    artifacts,
    results,
    columnKind: 'utf16CodeUnits',
    properties: {
      asOf: report.asOf,
      failOn: report.failOn,
      summary: {
        hosts: report.summary.hosts,
        compliant: report.summary.compliant,
        nonCompliant: report.summary.nonCompliant,
        unknown: report.summary.unknown,
        rejectedRows: report.summary.rejectedRows,
      },
    },
  };
  return JSON.stringify({ $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] }, null, 2) + '\n';
};
