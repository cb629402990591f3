/**
 * patchaudit as a library: the same pipeline the CLI runs, without printing or exiting.
 * inventory → rules → evaluation → report.
 */
export { runAudit, auditToResult, type AuditOptions, type AuditOutcome } from './audit.js';
export { inspectInventory, type InspectResult } from './inspect.js';
export { loadRules, loadRulesFile, validateRulePack, BUILTIN_PACKS } from './rules/load-rules.js';
export { loadWaivers, globMatch } from './evaluation/waivers.js';
export { loadBaseline, parseBaseline } from './evaluation/baseline.js';
export { diffReports } from './evaluation/diff.js';
export { evaluateGate } from './evaluation/gate.js';
export { normaliseOs, type OsInput } from './inventory/normalise-os.js';
export { readInventorySource } from './inventory/read-inventory.js';
export { formats, FORMATS, loadReporter } from './report/index.js';
export { toJsonReport, REPORT_SCHEMA_VERSION } from './report/json.js';
export { AuditError, UsageError, InventoryError, RulesFileError, OutputError } from './errors.js';
export type { Finding, FindingStatus, HostResult, HostStatus, AuditSummary } from './evaluation/types.js';
export type { OsInfo, Host, InventoryRecord, RejectedRow, SourceRef, CanonicalField } from './inventory/types.js';
export type { Rule, RulePack, LoadedRule, Severity } from './rules/types.js';
export type { AuditReport, Reporter, StreamingReporter, ReporterContext } from './report/types.js';
