import { compareHostResults, compileRuleSet, evaluateHost, SummaryBuilder, type CompiledRuleSet } from './evaluation/evaluate-host.js';
import type { AuditSummary, HostResult } from './evaluation/types.js';
import { HostBuilder, hostKey, recordHostname } from './inventory/hosts.js';
import { expandInputs, readInventorySource, type InventoryFileInfo, type ReadInventoryOptions } from './inventory/read-inventory.js';
import type { RejectedRow } from './inventory/types.js';
import type { LoadedRule } from './rules/types.js';
import { BaselineTracker, type Baseline, type BaselineComparison } from './evaluation/baseline.js';
import { TimelineBuilder, type Timeline } from './evaluation/timeline.js';
import type { WaiverSet, WaiverSummary } from './evaluation/waivers.js';

export interface AuditOptions {
  inputs: string[];
  rules: LoadedRule[];
  /** Audit date YYYY-MM-DD: every date comparison uses it. */
  asOf: string;
  warnDays: number;
  read?: ReadInventoryOptions;
  onWarning?: (message: string) => void;
  /** Called every few thousand rows while reading. */
  onProgress?: (progress: { rows: number; hosts: number }) => void;
  /** Stops reading between rows when aborted. */
  signal?: AbortSignal;
  waivers?: WaiverSet | null;
  baseline?: Baseline | null;
}

export interface AuditOutcome {
  asOf: string;
  rules: LoadedRule[];
  summary: AuditSummary;
  rejected: RejectedRow[];
  files: InventoryFileInfo[];
  warnings: string[];
  ruleSet: CompiledRuleSet;
  waivers: WaiverSummary | null;
  baseline: BaselineComparison | null;
  timeline: Timeline;
}

/**
 * Read every input, group rows into hosts by hostname (across files: an OS export and a hotfix export
 * give one host each), evaluate each host against the rules and hand it to `onHost` in input order.
 * The core never prints: warnings and progress go to the callbacks.
 */
export async function runAudit(options: AuditOptions, onHost: (host: HostResult) => void | Promise<void>): Promise<AuditOutcome> {
  const ruleSet = compileRuleSet(options.rules, { asOf: options.asOf, warnDays: options.warnDays }, options.waivers ?? null);
  const tracker = options.baseline ? new BaselineTracker(options.baseline) : null;
  const timeline = new TimelineBuilder(options.asOf);
  const summary = new SummaryBuilder(options.rules.map((r) => r.rule.id));
  const rejected: RejectedRow[] = [];
  const files: InventoryFileInfo[] = [];
  const warnings: string[] = [];
  const warn = (msg: string) => {
    warnings.push(msg);
    options.onWarning?.(msg);
  };
  const builders = new Map<string, HostBuilder>();
  let rows = 0;
  const inputs = await expandInputs(options.inputs);
  const readOptions: ReadInventoryOptions = {
    ...options.read,
    onFile: (info) => {
      files.push(info);
      const order = info.layout?.dateOrder;
      if (order === 'ambiguous' && !options.read?.dateOrder) warn(`${info.file}: dates are ambiguous (no day above 12); read as month/day/year. Use --date-order dmy if they are day first.`);
      if (order === 'conflict') warn(`${info.file}: date columns mix day-first and month-first values; check the export's locale.`);
      options.read?.onFile?.(info);
    },
  };

  for (const input of inputs) {
    for await (const ev of readInventorySource(input, readOptions)) {
      if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
      if (ev.type === 'warning') {
        warn(ev.message);
        continue;
      }
      rows++;
      if (ev.type === 'rejected') {
        rejected.push(ev.rejected);
      } else {
        const name = recordHostname(ev.record);
        if (name === '') {
          rejected.push({ file: ev.record.source.file, line: ev.record.source.line, reason: 'no hostname' });
        } else {
          const key = hostKey(name);
          let b = builders.get(key);
          if (!b) {
            b = new HostBuilder(name);
            builders.set(key, b);
          }
          const conflict = b.add(ev.record);
          if (conflict) warn(conflict);
        }
      }
      if (options.onProgress && rows % 5000 === 0) options.onProgress({ rows, hosts: builders.size });
    }
  }
  options.onProgress?.({ rows, hosts: builders.size });

  for (const b of builders.values()) {
    const result = evaluateHost(b.build(), ruleSet);
    tracker?.markHost(result.hostname, result.findings);
    summary.addHost(result);
    timeline.addHost(result);
    await onHost(result);
  }
  const s = summary.summary;
  s.rejectedRows = rejected.length;
  s.rowsRead = rows;
  s.rowsAudited = rows - rejected.length;
  return {
    asOf: options.asOf,
    rules: options.rules,
    summary: s,
    rejected,
    files,
    warnings,
    ruleSet,
    waivers: options.waivers ? options.waivers.summary(options.asOf) : null,
    baseline: tracker ? tracker.finish() : null,
    timeline: timeline.build(),
  };
}

/** Convenience for tests and the API: collect every host, worst first. */
export async function auditToResult(options: AuditOptions): Promise<AuditOutcome & { hosts: HostResult[] }> {
  const hosts: HostResult[] = [];
  const outcome = await runAudit(options, (h) => {
    hosts.push(h);
  });
  hosts.sort(compareHostResults);
  return { ...outcome, hosts };
}
