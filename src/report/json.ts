import type { HostResult } from '../evaluation/types.js';
import type { AuditReport, Reporter } from './types.js';

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

/** One host as it appears in JSON and NDJSON reports (the contract in README "JSON report"). */
export function jsonHost(h: HostResult) {
  const os = h.os;
  return {
    hostname: h.hostname,
    sources: h.sources.map((s) => ({ file: s.file, line: s.line })),
    os: {
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
    },
    status: h.status,
    site: h.site,
    lastPatchDate: h.lastPatchDate,
    installedUpdates: h.kbCount,
    risk: h.risk,
    findings: h.findings.map((f) => {
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
    }),
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

export function jsonSummary(report: AuditReport) {
  return { ...report.summary };
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
  doc.hosts = report.hosts.map(jsonHost);
  doc.rejected = report.rejected;
  doc.warnings = report.warnings;
  if (report.waivers) doc.waivers = jsonWaivers(report);
  if (report.baseline) doc.baseline = { resolved: report.baseline.resolved, hostsAdded: report.baseline.hostsAdded, hostsRemoved: report.baseline.hostsRemoved, newFailures: report.baseline.newFailures };
  if (report.timeline) doc.timeline = report.timeline;
  return doc;
}

export const renderJson: Reporter = (report) => JSON.stringify(toJsonReport(report), null, 2) + '\n';
