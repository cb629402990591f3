import type { Arch, EditionClass, OsFamily } from '../inventory/types.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;

/** Severity order for comparisons: critical 4 … info 0. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };
export type Severity = (typeof SEVERITIES)[number];

/** Which hosts a data row is about. Every given key must match; an omitted key matches anything. */
export interface HostMatch {
  family?: OsFamily | OsFamily[];
  product?: string | string[];
  release?: string | string[];
  editionClass?: EditionClass | EditionClass[];
  /** Exact build numbers. */
  build?: number | number[];
  minBuild?: number;
  maxBuild?: number;
  server?: boolean;
  arch?: Arch | Arch[];
  /** Service pack the row is about, e.g. 3 for XP SP3 (hosts below are "below the fix's SP"). */
  servicePack?: number | number[];
}

/** A fixed file version, optionally only for one servicing branch (Vista/2008 GDR vs LDR). */
export interface FileVersionFix {
  /** Minimum fixed version, four dotted parts. */
  min: string;
  /**
   * Servicing branch by the first digit of the 4th field (1 = GDR, 2 = LDR on Vista/2008);
   * omitted = any branch.
   */
  branchDigit?: number;
}

/** Later cumulative updates (rollup catalog) that also carry the fix. */
export interface RollupEvidence {
  /** Catalog family: win7-2008r2, win81-2012r2, ws2012, ws2008, win10-1507, win10-1511, win10-1607-ws2016. */
  family: string;
  /** YYYY-MM of the fix: monthly rollups / cumulative updates of later months contain it. */
  fixMonth: string;
}

/** One affected platform of a patch rule and the evidence that shows it is fixed. */
export interface PatchTarget {
  match: HostMatch;
  /** Hosts matching `match` below this service pack have no applicable fix (fail). */
  minServicePack?: number;
  /** KBs that fix it directly (security-only, monthly rollup, out-of-band). */
  kbs?: string[];
  rollups?: RollupEvidence;
  /** For builds that carry a revision (UBR): minimum revision on that build. */
  minRevision?: number;
  fileVersion?: {
    /** Canonical field or original column header holding the file version. */
    field: string;
    /** File name for the evidence text, e.g. srv.sys. */
    file: string;
    fixes: FileVersionFix[];
  };
  /** KBs known NOT to contain the fix (said so in the evidence when present). */
  notFixedBy?: string[];
  /**
   * KBs only secondary sources say contain the fix: not counted as the fix, but not ruled out either, so a
   * host whose only candidate is one of them is unknown rather than failed.
   */
  possibleKbs?: string[];
  /** Remediation for this platform (overrides the rule's). */
  remediation?: string;
  /** Remediation when the host is below minServicePack. */
  belowServicePackRemediation?: string;
  /** When true the platform is affected and no fix exists at all (always fail). */
  noFix?: boolean;
  source: string;
}

export interface NotAffectedEntry {
  match: HostMatch;
  source: string;
}

/** Hosts the rule has no confirmed fix data for: judged unknown, with the reason, never pass or fail. */
export interface UnconfirmedEntry {
  match: HostMatch;
  /** Why, for the evidence: "which update fixes it on Windows Embedded 8 Standard is not confirmed". */
  reason: string;
  remediation?: string;
  source: string;
}

/** One lifecycle row: end dates for the matching hosts. */
export interface LifecycleEntry {
  match: HostMatch;
  /** Display name for evidence: "Windows 10 22H2 (Home/Pro)". */
  name: string;
  /**
   * When the release first became available (general availability, or an earlier availability date
   * where sources differ). An audit dated earlier cannot judge a host running it: unknown. Omitted =
   * no such check.
   */
  released?: string;
  mainstreamEnd?: string;
  /** Last day of support (ISO date). */
  end: string;
  /** Last day of Extended Security Updates, when a programme exists. */
  esuEnd?: string;
  /** Last day of each year of a programme bought a year at a time (the last is esuEnd). */
  esuYears?: string[];
  /** Last day of Extended Security Updates for Home editions, when they can have only a shorter (consumer) programme. */
  homeEsuEnd?: string;
  /** Extra text for the evidence (e.g. ESU prerequisites). */
  note?: string;
  source: string;
}

interface RuleBase {
  id: string;
  title: string;
  severity: Severity;
  description?: string;
  references?: string[];
  cves?: string[];
  /** wormable, known-exploited, ... (used by the risk ranking). */
  tags?: string[];
  remediation: string;
}

export interface PatchRule extends RuleBase {
  kind: 'patch';
  targets: PatchTarget[];
  notAffected?: NotAffectedEntry[];
  /** Platforms with no confirmed fix data (tried before the targets): unknown. */
  unconfirmed?: UnconfirmedEntry[];
  /** Families this rule says nothing about (e.g. linux for a Windows flaw): not-applicable. */
  families?: OsFamily[];
  /** When the flaw and its fix were made public: an audit dated earlier finds the rule not applicable. */
  published?: { date: string; source: string };
}

export interface EndOfSupportRule extends RuleBase {
  kind: 'end-of-support';
  families?: OsFamily[];
  lifecycle: LifecycleEntry[];
}

export interface MinVersionRule extends RuleBase {
  kind: 'min-version';
  /** Canonical field or original column header. */
  field: string;
  /** semver range, e.g. ">=7.2.0". Windows-style versions (7.2.0.1234) are coerced. */
  range: string;
  appliesTo?: HostMatch;
  /** Verdict when the field is missing or empty: default unknown. */
  whenMissing?: 'unknown' | 'fail' | 'not-applicable';
}

export type Rule = PatchRule | EndOfSupportRule | MinVersionRule;

/** A rules file or built-in pack. */
export interface RulePack {
  pack: string;
  title?: string;
  version: string;
  /** Date (YYYY-MM-DD) the pack's data was last checked. */
  dataAsOf: string;
  sources?: { id: string; title: string; url?: string }[];
  rules: Rule[];
}

/** A rule as loaded, with where it came from. */
export interface LoadedRule {
  rule: Rule;
  pack: string;
  packVersion: string;
  dataAsOf: string;
  /** "builtin:ms17-010" or the file path. */
  origin: string;
  /** The pack's source list, which the rows' `source` texts cite by id ([S1] …). */
  sources?: { id: string; title: string; url?: string }[];
}
