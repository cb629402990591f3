import { evidenceLine } from './evidence.js';
import { checkTitle, FAIL_CLOSED_CHECKS } from '../evaluation/checks.js';
import { createHash } from 'node:crypto';
import type { Finding, HostResult } from '../evaluation/types.js';
import { describeOs } from '../evaluation/match.js';
import { SEVERITY_RANK, type LoadedRule, type Severity } from '../rules/types.js';
import { escapeMarkdown } from './markdown.js';
import { terminalSafe } from './sanitize.js';
import type { Reporter } from './types.js';
import { reportVerdict } from './verdict.js';

/**
 * SARIF 2.1.0 for GitHub code scanning (and any SARIF viewer). Each finding that needs attention is a
 * result located at the inventory row the host came from, so alerts point at the inventory file in
 * the repository.
 *
 * Choices:
 * - fail → level by severity (critical/high error, medium warning, low/info note); unknown → warning
 *   (the host could not be judged: needs data, not a fix), under its rule, whose security-severity it
 *   takes (an unknown fails closed); waived → the level of its severity plus an accepted external
 *   suppression. pass/not-applicable: no result.
 * - warn (support ends within --warn-days; the host passes) → note, under a rule of its own,
 *   RULE/ending-soon, without security-severity: GitHub shows a rule's security-severity rather than a
 *   result's level, so under the rule itself a passing host would show as a High alert.
 * - What else fails the run gets results too, so the upload never looks clean when the run failed:
 *   each rejected row (REJECTED-ROW, at its file and line) unless --allow-unknown or --fail-on-new, and
 *   each expired or unused waiver (STALE-WAIVER, at the waiver file) with --fail-on-stale-waivers. These
 *   and the fail-closed checks (COVERAGE, DATA-CONFLICT) have security-severity 7.0 (High).
 * - GitHub code scanning does not read suppressions: a waived result is an open alert there until it
 *   is dismissed (by hand, or from the suppressions with a dismissing action). Other SARIF viewers
 *   show it as suppressed.
 * - GitHub tracks alerts by partialFingerprints.primaryLocationLineHash, which its upload action
 *   otherwise computes from the text of the located line (the CSV row, which changes when a KB list
 *   grows): it is set here from the host and rule, so an alert stays one alert across exports. The
 *   patchauditHostRule/v1 fingerprint (same input, full hash) is kept for other tools.
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
  /** GitHub's security-severity: by default from the severity; null for none (not a security alert). */
  securitySeverity?: string | null;
  /** Default level, when not the severity's. */
  level?: Level;
  /** Name, when not pascalName(id). */
  name?: string;
}

/** Pseudo-rules for what fails the run besides findings. */
export const REJECTED_ROW_RULE = 'REJECTED-ROW';
export const STALE_WAIVER_RULE = 'STALE-WAIVER';
/** The rule of warn results (support ends within --warn-days) of rule RULE: RULE/ending-soon. */
export const ENDING_SOON_SUFFIX = '/ending-soon';
/** High on GitHub's scale: what fails the run closed (cannot be judged, not audited, stale waivers). */
const FAIL_CLOSED_SECURITY_SEVERITY = '7.0';

const RUN_FAILING_RULES: Record<string, { title: string; description: string; remediation: string }> = {
  [REJECTED_ROW_RULE]: {
    title: 'Inventory row could not be audited',
    description: 'A row of the inventory was rejected (no hostname, say), so its machine was not audited. Rejected rows fail the run unless --allow-unknown (or --fail-on-new) is given.',
    remediation: 'Fix the row in the export, or give --allow-unknown to accept unaudited rows.',
  },
  [STALE_WAIVER_RULE]: {
    title: 'Waiver expired or matches nothing',
    description: 'A waiver has passed its expiry date (it no longer applies) or matches no finding. With --fail-on-stale-waivers this fails the run.',
    remediation: 'Remove the waiver, or renew it with a new expiry date and a current reason.',
  },
};

/**
 * Rule ids used by findings but not in the rule set: the fail-closed checks (DATA-CONFLICT, COVERAGE),
 * and what else fails the run (REJECTED-ROW, STALE-WAIVER).
 */
function pseudoRule(id: string): RuleInfo {
  const base = { id, severity: 'info' as Severity, references: [], tags: [], cves: [] };
  if (Object.hasOwn(RUN_FAILING_RULES, id)) return { ...base, ...RUN_FAILING_RULES[id], securitySeverity: FAIL_CLOSED_SECURITY_SEVERITY, level: 'error' };
  if (!Object.hasOwn(FAIL_CLOSED_CHECKS, id)) return { ...base, title: checkTitle(id) };
  const check = FAIL_CLOSED_CHECKS[id];
  // Its findings are unknown (level warning), and fail the run unless --allow-unknown.
  return { ...base, title: check.title, description: check.description, remediation: check.remediation, securitySeverity: FAIL_CLOSED_SECURITY_SEVERITY, level: 'warning' };
}

/** The rule of a rule's warn results: the host passes today, and its support ends within --warn-days. */
function endingSoonRule(r: RuleInfo): RuleInfo {
  return {
    ...r,
    id: `${r.id}${ENDING_SOON_SUFFIX}`,
    name: `${pascalName(r.id)}EndingSoon`,
    title: `Support ends soon (${r.id}: ${r.title})`,
    description: `The host passes ${r.id} today, but its support ends within the warning period (--warn-days). This does not fail the run: plan the upgrade.`,
    // Not a finding to fix now: no severity, and no security-severity (GitHub shows it as a note).
    severity: 'info',
    tags: ['end-of-support', 'ending-soon', ...r.tags.filter((t) => t !== 'security')],
    cves: [],
    securitySeverity: null,
    level: 'note',
  };
}

/** A rule's name differs from its id (SARIF1001): "Foo" → "FooRule". */
function ruleName(r: RuleInfo): string {
  const name = r.name ?? pascalName(r.id);
  return name === r.id ? `${name}Rule` : name;
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

  const securitySeverity = r.securitySeverity === undefined ? SECURITY_SEVERITY[r.severity] : r.securitySeverity;
  // GitHub treats a rule tagged "security" as a security alert, which needs a security-severity.
  const tags = [...new Set([...(securitySeverity === null ? [] : ['security']), ...r.tags])].slice(0, MAX_TAGS);
  const descriptor: Record<string, unknown> = {
    id: r.id,
    name: ruleName(r),
    shortDescription: { text: sentence(r.title) },
    fullDescription: { text: sentence(r.description ?? r.title) },
    help: { text: helpText.join('\n\n'), markdown: helpMd.join('\n\n') },
  };
  const helpUri = r.references.find(isUrl);
  if (helpUri) descriptor.helpUri = helpUri;
  descriptor.defaultConfiguration = { level: r.level ?? severityLevel(r.severity) };
  const properties: Record<string, unknown> = {};
  if (securitySeverity !== null) properties['security-severity'] = securitySeverity;
  properties.tags = tags;
  properties.precision = 'high';
  properties.severity = r.severity;
  if (r.loaded) {
    properties.pack = r.loaded.pack;
    properties.packVersion = r.loaded.packVersion;
    properties.dataAsOf = r.loaded.dataAsOf;
  }
  descriptor.properties = properties;
  return descriptor;
}

interface Candidate {
  ruleId: string;
  level: Level;
  /** Most important first when results must be capped. */
  priority: number;
  /** Position in report order, to keep the order stable when results are capped. */
  order: number;
  /** Host and rule, or what else identifies the result across runs (never its line). */
  identity: [string, string];
  build: () => Record<string, unknown>;
}

/** Most important first when results must be capped: failures by severity, then what else fails the run, unknown, warn, waived. */
function findingPriority(f: Finding): number {
  if (f.status === 'fail') return 100 + SEVERITY_RANK[f.severity];
  if (f.status === 'unknown') return 50;
  if (f.status === 'warn') return 20;
  return 10;
}

type ArtifactLocation = { uri: string; uriBaseId?: string; index: number };

function physicalLocation(artifactLocation: ArtifactLocation, line: number) {
  return { artifactLocation, region: { startLine: Math.max(1, Math.floor(line) || 1) } };
}

export const renderSarif: Reporter = (report) => {
  const verdict = reportVerdict(report);
  // Rules: the rule set in its order, then any other rule a result uses, in first-seen order.
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
  const useRule = (id: string, make: () => RuleInfo) => {
    if (!ruleIndex.has(id)) {
      ruleIndex.set(id, infos.length);
      infos.push(make());
    }
    return id;
  };

  // Artifacts: every inventory file read, then any other file a result names, in first-seen order.
  const artifacts: { location: { uri: string; uriBaseId?: string }; roles: string[]; encoding?: string }[] = [];
  const artifactIndex = new Map<string, number>();
  const addArtifact = (file: string, encoding?: string, role = 'analysisTarget'): ArtifactLocation => {
    const loc = artifactLocation(file);
    const key = `${loc.uriBaseId ?? ''}|${loc.uri}`;
    let index = artifactIndex.get(key);
    if (index === undefined) {
      const a: (typeof artifacts)[number] = { location: loc, roles: [role] };
      if (encoding) a.encoding = encoding;
      artifacts.push(a);
      index = artifacts.length - 1;
      artifactIndex.set(key, index);
    }
    return { ...loc, index };
  };
  for (const f of report.files) addArtifact(f.file, f.encoding);

  const findingResult = (h: HostResult, f: Finding): Record<string, unknown> => {
    const src = h.sources[0] ?? { file: report.inputs[0] ?? '-', line: 1 };
    const name = terminalSafe(h.hostname);
    const evidence = f.evidence.length > 0 ? evidenceLine(f.evidence) : f.status;
    let text = `${name}: ${terminalSafe(evidence)}`;
    if (f.remediation && f.status !== 'waived') text = `${sentence(text)} Fix: ${terminalSafe(f.remediation)}`;
    const result: Record<string, unknown> = {
      message: { text: sentence(text) },
      locations: [{ physicalLocation: physicalLocation(addArtifact(src.file), src.line), logicalLocations: [{ name, kind: 'resource' }] }],
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
  };
  const candidates: Candidate[] = [];
  for (const h of report.hosts) {
    for (const f of h.findings) {
      const level = findingLevel(f);
      if (!level) continue;
      let ruleId = useRule(f.ruleId, () => pseudoRule(f.ruleId));
      if (f.status === 'warn') ruleId = useRule(`${f.ruleId}${ENDING_SOON_SUFFIX}`, () => endingSoonRule(infos[ruleIndex.get(f.ruleId)!]));
      candidates.push({ ruleId, level, priority: findingPriority(f), order: candidates.length, identity: [h.hostname, ruleId], build: () => findingResult(h, f) });
    }
  }
  // What fails the run besides findings, so that an upload of a failed run is never empty.
  if (verdict.rejectedRowsFail) {
    const ruleId = useRule(REJECTED_ROW_RULE, () => pseudoRule(REJECTED_ROW_RULE));
    for (const r of report.rejected) {
      candidates.push({
        ruleId,
        level: 'error',
        priority: 55,
        order: candidates.length,
        identity: [`${r.file}:${r.line}`, ruleId],
        build: () => ({
          message: { text: sentence(`Row ${r.line} was rejected and not audited: ${terminalSafe(r.reason)}`) },
          locations: [{ physicalLocation: physicalLocation(addArtifact(r.file), r.line) }],
          properties: { status: 'rejected', reason: r.reason },
        }),
      });
    }
  }
  if (verdict.staleWaiversFail) {
    const ruleId = useRule(STALE_WAIVER_RULE, () => pseudoRule(STALE_WAIVER_RULE));
    for (const w of verdict.staleWaivers) {
      const expired = 'matched' in w;
      const what = expired ? `expired ${w.entry.expires} and no longer applies` : 'matches no finding';
      candidates.push({
        ruleId,
        level: 'error',
        priority: 60,
        order: candidates.length,
        // The entry itself, not its position: inserting a waiver above it does not make it another alert.
        identity: [`${w.file}|${JSON.stringify(w.entry)}`, ruleId],
        build: () => ({
          message: { text: sentence(`Waiver ${w.path} (${terminalSafe(w.entry.owner)}: ${terminalSafe(w.entry.reason)}) ${what}`) },
          locations: [{ physicalLocation: physicalLocation(addArtifact(w.file, undefined, 'userSpecifiedConfiguration'), w.line ?? 1) }],
          properties: { status: expired ? 'expired' : 'unused', waiver: w.path, owner: w.entry.owner, expires: w.entry.expires },
        }),
      });
    }
  }

  let kept = candidates;
  if (candidates.length > MAX_SARIF_RESULTS) {
    kept = [...candidates].sort((a, b) => b.priority - a.priority || a.order - b.order).slice(0, MAX_SARIF_RESULTS);
    kept.sort((a, b) => a.order - b.order);
  }

  // A host on two entries gives the same identity twice: numbered, as GitHub numbers equal line hashes.
  const seen = new Map<string, number>();
  const results = kept.map((c) => {
    const { message, ...rest } = c.build();
    const fp = fingerprint(...c.identity);
    const n = (seen.get(fp) ?? 0) + 1;
    seen.set(fp, n);
    const { properties, ...located } = rest;
    return {
      ruleId: c.ruleId,
      ruleIndex: ruleIndex.get(c.ruleId),
      level: c.level,
      message,
      ...located,
      partialFingerprints: { [FINGERPRINT_KEY]: fp, primaryLocationLineHash: `${fp.slice(0, 16)}:${n}` },
      properties,
    };
  });

  const notifications: Record<string, unknown>[] = [];
  if (kept.length < candidates.length) {
    notifications.push({
      level: 'warning',
      message: { text: `${candidates.length - kept.length} of ${candidates.length} results were left out (GitHub code scanning accepts at most ${MAX_SARIF_RESULTS} per run); the most severe are kept. The JSON and CSV reports have every finding.` },
    });
  }
  for (const w of report.warnings.slice(0, MAX_NOTIFICATIONS)) notifications.push({ level: 'warning', message: { text: sentence(terminalSafe(w)) } });
  // Rejected rows that do not fail the run (--allow-unknown, --fail-on-new) are notifications only.
  const rejectedNotes = verdict.rejectedRowsFail ? [] : report.rejected;
  for (const r of rejectedNotes.slice(0, MAX_NOTIFICATIONS)) {
    notifications.push({
      level: 'warning',
      message: { text: sentence(`Row rejected: ${terminalSafe(r.reason)}`) },
      locations: [{ physicalLocation: physicalLocation(addArtifact(r.file), r.line) }],
    });
  }
  const dropped = Math.max(0, report.warnings.length - MAX_NOTIFICATIONS) + Math.max(0, rejectedNotes.length - MAX_NOTIFICATIONS);
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
      exitCode: verdict.exitCode,
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
