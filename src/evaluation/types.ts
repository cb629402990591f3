import type { Host, OsInfo, RejectedRow, SourceRef } from '../inventory/types.js';
import type { Severity } from '../rules/types.js';

export type FindingStatus = 'pass' | 'fail' | 'warn' | 'unknown' | 'not-applicable' | 'waived';
export type HostStatus = 'compliant' | 'non-compliant' | 'unknown';

export interface WaiverRef {
  reason: string;
  owner: string;
  expires: string;
}

export interface Finding {
  ruleId: string;
  status: FindingStatus;
  severity: Severity;
  /** What decided the verdict, in words, most decisive first. */
  evidence: string[];
  /** What to do about it (null when nothing is needed). */
  remediation: string | null;
  /** Kind of evidence that decided: kb, rollup, build, file-version, lifecycle, esu, service-pack, no-fix, not-yet-released, none, ... */
  decidedBy: string;
  /** Set when a waiver turned a fail/unknown into waived. */
  waiver?: WaiverRef;
  /** With --baseline: whether this failure existed before. */
  change?: 'new' | 'existing';
  /** End-of-support rules: the date support ends/ended, for the timeline. */
  endDate?: string;
}

export interface RiskFactor {
  factor: string;
  points: number;
}

export interface HostResult {
  hostname: string;
  sources: SourceRef[];
  os: OsInfo;
  status: HostStatus;
  findings: Finding[];
  risk: { score: number; factors: RiskFactor[] };
  /** Canonical fields that reports show (site, last patch date, ...). */
  site: string | null;
  lastPatchDate: string | null;
  kbCount: number;
  /** Original columns, passed through. */
  columns: Record<string, string>;
  /** The host as read; present during evaluation only, never serialised. */
  host?: Host;
}

export interface RuleCounts {
  pass: number;
  fail: number;
  warn: number;
  unknown: number;
  notApplicable: number;
  waived: number;
}

export interface AuditSummary {
  hosts: number;
  compliant: number;
  nonCompliant: number;
  unknown: number;
  /** Non-compliant hosts with a check that could not be judged (unknown): the policy cannot pass them on it. */
  nonCompliantPartlyUnknown?: number;
  rejectedRows: number;
  /** Data rows read from every input (audited rows + rejected rows). */
  rowsRead: number;
  /** Rows that went into hosts. */
  rowsAudited: number;
  byRule: Record<string, RuleCounts>;
  /** Failing findings by severity. */
  failuresBySeverity: Record<Severity, number>;
}

export type { RejectedRow };
