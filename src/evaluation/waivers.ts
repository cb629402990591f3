import { promises as fsp } from 'node:fs';
import { FAIL_CLOSED_CHECKS } from './checks.js';
import { RulesFileError } from '../errors.js';
import { fullName, hostKey, isFqdn, ownFqdn } from '../inventory/hosts.js';
import type { Host } from '../inventory/types.js';
import { ajvProblems, readPolicy, schemaValidator } from '../rules/load-rules.js';
import { hostValue } from './evaluate-rules.js';
import type { Finding } from './types.js';
import { daysBetween } from './days.js';

/** One accepted exception, as written in a waiver file. */
export interface WaiverEntry {
  hosts?: string[];
  where?: Record<string, string | string[]>;
  rules: string[];
  reason: string;
  owner: string;
  /** Last day the waiver applies (YYYY-MM-DD). */
  expires: string;
}

export interface WaiverState {
  entry: WaiverEntry;
  /** Position in the file, for messages: "waivers[3]". */
  path: string;
  file: string;
  /** Line of the file the entry starts on, when it could be told. */
  line?: number;
  expired: boolean;
  expiring: boolean;
  /** Findings this waiver turned into `waived` (or would have, for expired ones). */
  matched: number;
}

export interface WaiverSummary {
  expired: { path: string; file: string; line?: number; entry: WaiverEntry; matched: number }[];
  unused: { path: string; file: string; line?: number; entry: WaiverEntry }[];
  expiring: { path: string; file: string; line?: number; entry: WaiverEntry; daysLeft: number }[];
}

/**
 * Glob match without regular expressions (`*` any run, `?` one character), case-insensitive.
 * Linear-time two-pointer algorithm, so a hostile pattern cannot backtrack catastrophically.
 */
export function globMatch(pattern: string, text: string): boolean {
  const p = pattern.toLowerCase();
  const t = text.toLowerCase();
  let pi = 0;
  let ti = 0;
  let star = -1;
  let mark = 0;
  while (ti < t.length) {
    // A "*" in the pattern is always a wildcard, even where the text has a literal "*".
    if (pi < p.length && p[pi] === '*') {
      star = pi++;
      mark = ti;
    } else if (pi < p.length && (p[pi] === '?' || p[pi] === t[ti])) {
      pi++;
      ti++;
    } else if (star !== -1) {
      pi = star + 1;
      ti = ++mark;
    } else return false;
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

function hostMatches(pattern: string, host: Host): boolean {
  const name = host.hostname;
  if (!/[*?]/.test(pattern)) {
    // Exact: full name, or short names match ("PC-01" = "pc-01.trust.nhs.uk"). Two full names must be
    // the same name: a waiver for pacs-01.northgate.nhs.uk says nothing of pacs-01.westmoor.nhs.uk.
    const p = fullName(pattern);
    // The host's full names: its name, and its fqdn column when that is this machine's name.
    const fqdn = ownFqdn(host.fields.fqdn, host.key);
    const names = [fullName(name), ...(fqdn ? [fullName(fqdn)] : [])];
    if (names.includes(p)) return true;
    if (isFqdn(p) && names.some(isFqdn)) return false;
    return hostKey(pattern) === host.key;
  }
  return globMatch(pattern, name) || globMatch(pattern, host.key);
}

function whereMatches(where: Record<string, string | string[]>, host: Host): boolean {
  for (const [column, want] of Object.entries(where)) {
    const have = hostValue(host, column).trim();
    const options = Array.isArray(want) ? want : [want];
    if (!options.some((w) => globMatch(String(w).trim(), have))) return false;
  }
  return true;
}

/** Findings the evaluator adds when it cannot judge a host; waivable only by name. */
export const PSEUDO_RULES = new Set(Object.keys(FAIL_CLOSED_CHECKS));


function validDate(s: string): boolean {
  const d = new Date(s + 'T00:00:00Z');
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Where a waiver is written: file, path in it, and line when known. */
function located(s: WaiverState): { path: string; file: string; line?: number } {
  return s.line === undefined ? { path: s.path, file: s.file } : { path: s.path, file: s.file, line: s.line };
}

export class WaiverSet {
  readonly states: WaiverState[];

  constructor(states: WaiverState[]) {
    this.states = states;
  }

  /** Turn failing/unknown/warn findings that an active waiver covers into `waived`. */
  apply(host: Host, findings: Finding[]): void {
    if (this.states.length === 0) return;
    for (const f of findings) {
      if (f.status !== 'fail' && f.status !== 'unknown' && f.status !== 'warn') continue;
      let applied = false;
      for (const s of this.states) {
        const e = s.entry;
        // "*" covers the audit rules, not the fail-closed checks (DATA-CONFLICT, COVERAGE): those must be named.
        // Nor a check left unknown because the host's OS was not recognised: which risks such a host carries
        // is not known, so a blanket waiver cannot have accepted them (the host stays unknown, not compliant).
        const ruleMatch = e.rules.some((r) => (r === '*' ? !PSEUDO_RULES.has(f.ruleId) && f.decidedBy !== 'unrecognised-os' : r.toLowerCase() === f.ruleId.toLowerCase()));
        if (!ruleMatch) continue;
        if (e.hosts && e.hosts.length > 0 && !e.hosts.some((h) => hostMatches(h, host))) continue;
        if (e.where && !whereMatches(e.where, host)) continue;
        // Every matching waiver counts as used; the first active one applies.
        s.matched++;
        if (s.expired || applied) continue;
        f.evidence = [...f.evidence, `was ${f.status}; waived until ${e.expires}`];
        f.status = 'waived';
        f.waiver = { reason: e.reason, owner: e.owner, expires: e.expires };
        applied = true;
      }
    }
  }

  summary(asOf: string): WaiverSummary {
    return {
      expired: this.states.filter((s) => s.expired).map((s) => ({ ...located(s), entry: s.entry, matched: s.matched })),
      unused: this.states.filter((s) => !s.expired && s.matched === 0).map((s) => ({ ...located(s), entry: s.entry })),
      expiring: this.states.filter((s) => s.expiring).map((s) => ({ ...located(s), entry: s.entry, daysLeft: daysBetween(asOf, s.entry.expires) })),
    };
  }
}

/**
 * Load and validate a waiver file (YAML or JSON). Every problem is an error naming its path:
 * a waiver without expiry, with an invalid date or naming an unknown rule is never ignored.
 */
export async function loadWaivers(file: string, ruleIds: string[], asOf: string, warnDays: number): Promise<WaiverSet> {
  const { data, lineOf } = await readPolicy(file);
  const validate = await schemaValidator('waivers.schema.json');
  const problems = ajvProblems(validate(data));
  if (problems.length === 0) {
    const known = new Set([...ruleIds, ...PSEUDO_RULES].map((r) => r.toLowerCase()));
    (data as { waivers: WaiverEntry[] }).waivers.forEach((w, i) => {
      if (!validDate(w.expires)) problems.push(`waivers[${i}].expires: "${w.expires}" is not a real date (YYYY-MM-DD)`);
      w.rules.forEach((r, j) => {
        if (r !== '*' && !known.has(r.toLowerCase())) problems.push(`waivers[${i}].rules[${j}]: unknown rule id "${r}" (rules in this audit: ${ruleIds.join(', ')})`);
      });
      if ((!w.hosts || w.hosts.length === 0) && (!w.where || Object.keys(w.where).length === 0)) problems.push(`waivers[${i}]: needs "hosts" or "where" (a waiver for every host must say so with hosts: ["*"])`);
    });
  }
  if (problems.length > 0) throw new RulesFileError(file, problems, lineOf(problems));
  const entries = (data as { waivers: WaiverEntry[] }).waivers;
  const lines = await waiverLines(file);
  return new WaiverSet(
    entries.map((entry, i) => {
      const expired = asOf > entry.expires;
      const state: WaiverState = { entry, path: `waivers[${i}]`, file, expired, expiring: !expired && daysBetween(asOf, entry.expires) <= warnDays, matched: 0 };
      if (lines[i]) state.line = lines[i];
      return state;
    }),
  );
}

/**
 * The line each entry of a valid waiver file's list starts on (1-based; 0 where it cannot be told), so
 * reports can point at a stale waiver. JSON is read as the YAML it also is.
 */
async function waiverLines(file: string): Promise<number[]> {
  try {
    const text = (await fsp.readFile(file, 'utf8')).replace(/^\uFEFF/, '');
    const YAML = await import('yaml');
    const lineCounter = new YAML.LineCounter();
    const doc = YAML.parseDocument(text, { schema: 'core', customTags: [], lineCounter });
    const list = doc.get('waivers', true);
    if (!YAML.isSeq(list)) return [];
    return list.items.map((item) => (YAML.isNode(item) && item.range ? lineCounter.linePos(item.range[0]).line : 0));
  } catch {
    return [];
  }
}
