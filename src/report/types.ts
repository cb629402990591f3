import type { ChalkInstance } from 'chalk';
import type { AuditSummary, HostResult } from '../evaluation/types.js';
import type { BaselineComparison } from '../evaluation/baseline.js';
import type { GatePolicy } from '../evaluation/gate.js';
import type { Timeline } from '../evaluation/timeline.js';
import type { WaiverSummary } from '../evaluation/waivers.js';
import type { InventoryFileInfo } from '../inventory/read-inventory.js';
import type { RejectedRow } from '../inventory/types.js';
import type { LoadedRule, Severity } from '../rules/types.js';

/** Everything a report is made from: the audit's outcome plus the hosts a format needs. */
export interface AuditReport {
  tool: { name: string; version: string };
  asOf: string;
  inputs: string[];
  rules: LoadedRule[];
  summary: AuditSummary;
  /** Hosts, worst first. Streaming formats receive hosts one by one instead. */
  hosts: HostResult[];
  rejected: RejectedRow[];
  warnings: string[];
  files: InventoryFileInfo[];
  /** Policy that decided the exit code, for summaries. */
  failOn: Severity | 'none';
  /**
   * The gate's verdict: the exit code of the run and why. The CLI sets it from the same evaluation that
   * gives its exit code; without it, reports judge by `failOn` with unknown hosts and rejected rows failing
   * (the default policy).
   */
  gate?: GateVerdict;
  /** Set with --timestamp only, so reports stay byte-identical between runs. */
  generatedAt?: string;
  /** With --waivers: expired, unused and expiring waivers. */
  waivers?: WaiverSummary | null;
  /** With --baseline: what changed since the earlier report. */
  baseline?: BaselineComparison | null;
  /** Hosts reaching end of support within 30/90/180/365 days, by product. */
  timeline?: Timeline | null;
  /** Show the timeline section in the table (--timeline). */
  showTimeline?: boolean;
}

export interface GateVerdict {
  /** 0 when the policy passed, 1 when it failed. */
  exitCode: number;
  /** Why the policy failed, as the gate words it (empty when it passed). */
  reasons: string[];
  /** The policy judged by, so a report can show each finding as the gate counts it. */
  policy: GatePolicy;
}

export interface ReporterContext {
  /** Colour for the terminal table; level 0 everywhere else. */
  style: ChalkInstance;
  explain: boolean;
  show: 'failing' | 'all';
  minSeverity: Severity;
  /** Terminal width for the table. */
  width: number;
}

/** A report format: a pure function of the audit result to text. */
export type Reporter = (report: AuditReport, ctx: ReporterContext) => string;

/** What is known before the first host: enough for a streaming format's header. */
export type ReportHeader = Pick<AuditReport, 'tool' | 'asOf' | 'inputs' | 'rules' | 'failOn' | 'generatedAt'>;

/**
 * A format that writes hosts as they are evaluated (ndjson, csv), so memory does not grow with the
 * inventory. The CLI writes start(), then host() for each host in evaluation order, then end() with the
 * final report (whose `hosts` is empty: streaming formats never keep hosts).
 */
export interface StreamingReporter {
  start(header: ReportHeader, ctx: ReporterContext): string;
  host(host: HostResult, ctx: ReporterContext): string;
  end(report: AuditReport, ctx: ReporterContext): string;
}
