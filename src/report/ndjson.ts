import { jsonHostText, jsonRules, jsonVerdict, REPORT_SCHEMA_VERSION } from './json.js';
import type { AuditReport, Reporter, StreamingReporter } from './types.js';
import { renderWhole } from './whole.js';

/**
 * Newline-delimited JSON: one `{"type":"host", ...}` line per host as it is evaluated, then one
 * `{"type":"summary", ...}` line. Each line is a complete JSON document (JSON.stringify escapes every
 * newline inside strings), described by schema/report.schema.json $defs/hostLine and $defs/summaryLine.
 */
function summaryLine(report: AuditReport): string {
  const line: Record<string, unknown> = {
    type: 'summary',
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: report.tool,
    asOf: report.asOf,
  };
  if (report.generatedAt) line.generatedAt = report.generatedAt;
  line.rules = jsonRules(report);
  line.summary = { ...report.summary };
  line.verdict = jsonVerdict(report);
  line.rejected = report.rejected;
  line.warnings = report.warnings;
  return JSON.stringify(line) + '\n';
}

export const ndjsonReporter: StreamingReporter = {
  start: () => '',
  // Lines stay lean for dashboards at fleet scale: not-applicable findings and the risk factors are left
  // out (the JSON report has them).
  host: (host) => jsonHostText(host, true, '{"type":"host",') + '\n',
  end: (report) => summaryLine(report),
};

/** The whole NDJSON document at once, for a report whose hosts are already collected. */
export const renderNdjson: Reporter = renderWhole(() => ndjsonReporter);
