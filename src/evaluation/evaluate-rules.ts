import { createRequire } from 'node:module';
import { isMissingColumn, isUnclearState } from '../inventory/kb-status.js';

// semver is needed only by min-version rules (users' own): loaded on first use.
type Semver = typeof import('semver');
let semverModule: Semver | null = null;
function semverLib(): Semver {
  semverModule ??= createRequire(import.meta.url)('semver') as Semver;
  return semverModule;
}
import { isCanonicalField, normaliseHeader } from '../inventory/fields.js';
import { normaliseKb } from '../inventory/kb.js';
import { parseInventoryDate } from '../inventory/dates.js';
import { truthy } from '../inventory/yes-no.js';
import type { CanonicalField, Host, OsInfo } from '../inventory/types.js';
import { catalogExtent, catalogRow, describeKind, newestRevisionBy, rollupsContainingFix, type RollupRow } from '../rules/rollups.js';
import type { EndOfSupportRule, HostMatch, LifecycleEntry, LoadedRule, MinVersionRule, PatchRule, PatchTarget, Rule } from '../rules/types.js';
import { describeOs, matchesHost, unrecognisedOsEvidence } from './match.js';
import type { Finding, FindingStatus } from './types.js';
import { daysBetween } from './days.js';

export interface EvaluationContext {
  /** Audit date, YYYY-MM-DD. */
  asOf: string;
  /** end-of-support: warn this many days before the end. */
  warnDays: number;
}

/** A rule compiled once into lookups; `evaluate` runs per host. */
export interface CompiledRule {
  rule: Rule;
  loaded: LoadedRule;
  /**
   * `kbs`: the host's KBs that are in relevantKbs or above the lowest of kbThresholds, in the host's
   * order (all of host.kbs when not given). No other KB can change a finding, so rules loop over these.
   */
  evaluate(host: Host, kbs?: readonly string[]): Finding;
  /** Host fields the rule reads besides OS and KBs (for the evaluation memo). */
  readsFields: string[];
  /** KBs the rule mentions; no other KB can change its verdict… */
  relevantKbs: string[];
  /** …except a KB above one of these numbers (newer than the rollup catalog's data). */
  kbThresholds: number[];
}

function finding(rule: Rule, status: FindingStatus, evidence: string[], decidedBy: string, remediation: string | null = null): Finding {
  return {
    ruleId: rule.id,
    status,
    severity: rule.severity,
    evidence,
    remediation: status === 'fail' || status === 'unknown' || status === 'warn' ? (remediation ?? rule.remediation) : null,
    decidedBy,
  };
}

/** Look a field up by canonical name, then by original column header. */
export function hostValue(host: Host, field: string): string {
  return hostCell(host, field) ?? '';
}

/**
 * hostValue, but undefined when the field is a column header (as a user's rule names it) that none of the
 * host's rows has: a header no row has is not an empty cell, and the rule's author may have mistyped it.
 */
export function hostCell(host: Host, field: string): string | undefined {
  const canonical = host.fields[field as CanonicalField];
  if (canonical !== undefined && canonical !== '') return canonical;
  // A canonical field's column, when present, was mapped onto it: nothing more to look for.
  if (isCanonicalField(field)) return '';
  if (Object.hasOwn(host.columns, field)) return host.columns[field] ?? '';
  const wanted = normaliseHeader(field);
  for (const k of Object.keys(host.columns)) if (normaliseHeader(k) === wanted) return host.columns[k];
  return undefined;
}

/** A host's ESU cell: enrolled (truthy), and the programme year it names ("Year 2", "Y1"), if any. */
export interface EsuReading {
  enrolled: boolean | null;
  year: number | null;
  /** A date the cell names ("Enrolled until 2026-10-13"): the cover ends there at the latest. */
  until: string | null;
  /** Words that undo a yes ("Yes (expired)", "Enrolled - pending"): the host is not read as enrolled. */
  undone?: string;
}

/**
 * A yes that is not (or not yet, or no longer) an enrolment: "Yes (expired)", "Enrolled - lapsed",
 * "Yes - not renewed", "Yes (pending)", "Licensed, not activated". "Expires 2027-10-12" is an end date,
 * not one of these.
 */
const ESU_UNDONE =
  /\b(?:expired|lapsed|not[\s-]+(?:yet[\s-]+)?(?:renewed|active|activated|applied|installed|paid|licen[cs]ed|enrolled|purchased|bought)|cancell?ed|revoked|terminated|suspended|inactive|withdrawn|pending|requested|planned|proposed|ordered|awaiting|on[\s-]+order|in[\s-]+progress|to[\s-]+be\b|tbc|tbd|trial|unpaid|no[\s-]+longer|ended|declined|rejected)\b|\?/i;

/** "Year 2", "Y1", "Years 1-3" (a range: its end), "Y1+Y2" (each); the highest year named counts. */
const ESU_YEAR = /\b(?:years?|yrs?|y)\s*-?\s*([1-9])(?!\d)(?:\s*(?:-|–|to)\s*([1-9])(?!\d))?/gi;

/**
 * Dates a cell may name, in the forms inventories are typed in: ISO, numeric ("13/10/2026", "10/13/2026",
 * "13.10.2026") and with a month name ("13 Oct 2026", "Oct 13, 2026", "13. Oktober 2026").
 */
const ESU_DATES = [
  // ISO, and year first with slashes or dots ("2026/10/13"); a time may follow ("2026-10-13T00:00:00Z").
  /(?<![\p{L}\p{N}])\d{4}([-/.])\d{1,2}\1\d{1,2}(?![\p{L}\p{N}]|[.,]\d)|(?<![\p{L}\p{N}])\d{4}-\d{1,2}-\d{1,2}(?=T\d)/gu,
  /(?<![\p{L}\p{N}])\d{1,2}([/.-])\d{1,2}\1(?:\d{4}|\d{2})(?![\p{L}\p{N}])/gu,
  /(?<![\p{L}\p{N}])\d{1,2}\.?[\s-]+\p{L}+\.?[\s-]+(?:\d{4}|\d{2})(?![\p{L}\p{N}])/gu,
  /(?<![\p{L}\p{N}])\p{L}+\.?\s+\d{1,2},?\s+\d{4}(?![\p{L}\p{N}])/gu,
];

/**
 * The earliest date the cell names. A numeric date that reads both ways ("01/10/2026") is taken at its
 * earlier reading: the cover must not outlast the licence because the order was guessed.
 */
function esuUntil(value: string): string | null {
  let until: string | null = null;
  // Each form is looked for on its own, so that one form's match cannot hide another's.
  for (const re of ESU_DATES) {
    for (const m of value.matchAll(re)) {
      for (const order of ['dmy', 'mdy'] as const) {
        const d = parseInventoryDate(m[0], order);
        if (d.kind === 'date' && (until === null || d.iso < until)) until = d.iso;
      }
    }
  }
  return until;
}

export function readEsu(value: string): EsuReading {
  const enrolled = truthy(value);
  if (enrolled !== true) return { enrolled, year: null, until: null };
  // Read as not enrolled: the cover it names is over, or not begun.
  const undone = ESU_UNDONE.exec(value);
  if (undone) return { enrolled: false, year: null, until: null, undone: undone[0] };
  // A date in the cell is the end of the licence: the year words before it are not ESU years.
  const until = esuUntil(value);
  let year: number | null = null;
  if (until === null) for (const m of value.matchAll(ESU_YEAR)) year = Math.max(year ?? 0, Number(m[2] ?? m[1]));
  return { enrolled, year, until };
}

/** Compare dotted numeric versions ("6.1.7601.23689"). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// patch

interface CompiledTarget {
  target: PatchTarget;
  kbs: Set<string>;
  rollups: Map<string, RollupRow>;
  /** Rollups that contain the fix but came out after the audit date (an --as-of replay): not counted. */
  laterRollups: Map<string, RollupRow>;
  /** The highest build revision out by the audit date, when the catalog knows later ones (an --as-of replay). */
  lastRevisionAtAsOf: number | null;
  notFixedBy: Set<string>;
  possibleKbs: Set<string>;
  /** For rollup-based targets: where the catalog's data ends. */
  newerThanCatalog: { maxKb: number; lastMonth: string } | null;
  /**
   * For targets judged by build revision with no rollup catalog (SMBGhost on 1903/1909): the highest fix
   * KB. A later update may be a cumulative update that contains the fix, which only the revision shows.
   */
  newerThanFix: number | null;
}

function compilePatch(rule: PatchRule, ctx: EvaluationContext): { evaluate: (host: Host, kbs?: readonly string[]) => Finding; targets: CompiledTarget[] } {
  const asOfMonth = ctx.asOf.slice(0, 7);
  const targets: CompiledTarget[] = rule.targets.map((t) => {
    const rollups: Map<string, RollupRow> = t.rollups ? rollupsContainingFix(t.rollups.family, t.rollups.fixMonth, t.minRevision) : new Map();
    // An update from a month after the audit date did not exist then: an inventory listing it is newer
    // than the date the audit speaks for, and it cannot show the machine was fixed on that date.
    const laterRollups = new Map<string, RollupRow>();
    for (const [kb, row] of rollups) {
      if (row.month > asOfMonth) {
        laterRollups.set(kb, row);
        rollups.delete(kb);
      }
    }
    // Likewise a running build revision that came out after the audit date.
    const lastRevisionAtAsOf = t.rollups && t.minRevision !== undefined ? newestRevisionBy(t.rollups.family, asOfMonth) : null;
    return {
      target: t,
      kbs: new Set((t.kbs ?? []).map((k) => normaliseKb(k) ?? k.toUpperCase())),
      rollups,
      laterRollups,
      lastRevisionAtAsOf,
      notFixedBy: new Set((t.notFixedBy ?? []).map((k) => normaliseKb(k) ?? k.toUpperCase())),
      possibleKbs: new Set((t.possibleKbs ?? []).map((k) => normaliseKb(k) ?? k.toUpperCase())),
      newerThanCatalog: t.rollups ? catalogExtent(t.rollups.family) : null,
      newerThanFix: !t.rollups && t.minRevision !== undefined && (t.kbs ?? []).length > 0 ? Math.max(...(t.kbs ?? []).map((k) => Number((normaliseKb(k) ?? k).slice(2)))) : null,
    };
  });
  const families = new Set(rule.families ?? []);
  // Which platform each fix KB belongs to, to say so when a host lists another OS's fix.
  const kbOwner = new Map<string, string>();
  for (const t of targets) {
    const owner = [t.target.match.product ?? t.target.match.family ?? 'another platform'].flat().join(' / ');
    for (const kb of t.kbs) if (!kbOwner.has(kb)) kbOwner.set(kb, owner);
  }

  // What the OS alone decides: a finding, or the target whose KBs decide. OsInfo objects are shared per
  // distinct OS, so each is matched once; such a finding is shared by its hosts, so it is frozen.
  // An audit dated before the flaw was made public (a replay with --as-of) has nothing to check:
  // no fix could have been installed, and the fix KBs named in remediation did not exist yet.
  const unpublished = rule.published && ctx.asOf < rule.published.date ? rule.published.date : null;
  const byOs = (os: OsInfo): Finding | CompiledTarget => {
    if (families.has(os.family)) {
      // `families` lists the families the rule does not cover; a user's rule may cover others than Windows.
      const windowsOnly = !families.has('windows') && ['linux', 'macos', 'other'].every((f) => families.has(f as OsInfo['family']));
      const why = windowsOnly ? `${rule.id} affects Windows only` : `${rule.id} does not cover ${os.family} hosts`;
      return finding(rule, 'not-applicable', [`${why}; host is ${describeOs(os)}`], 'platform');
    }
    if (unpublished) return finding(rule, 'not-applicable', [`${rule.id} was made public on ${unpublished}, after the audit date ${ctx.asOf}`], 'not-yet-public');
    if (!os.product) {
      return finding(rule, 'unknown', [unrecognisedOsEvidence(os)], 'unrecognised-os', 'Add the OS name and version (e.g. caption and 10.0.x.y) for this host to the inventory.');
    }
    for (const na of rule.notAffected ?? []) {
      if (matchesHost(na.match, os)) return finding(rule, 'not-applicable', [`${describeOs(os)} is not affected`], 'not-affected');
    }
    for (const u of rule.unconfirmed ?? []) {
      if (matchesHost(u.match, os)) return finding(rule, 'unknown', [`${describeOs(os)}: ${u.reason}`], 'no-data', u.remediation ?? 'Check this host manually.');
    }
    const ct = targets.find((t) => matchesHost(t.target.match, os, { ignore: ['servicePack'] }));
    if (!ct) {
      return finding(rule, 'unknown', [`no ${rule.id} data for ${describeOs(os)}`], 'no-data', 'Check this host manually; the rule has no data for its OS.');
    }
    return ct;
  };
  const osCache = new WeakMap<OsInfo, Finding | CompiledTarget>();
  const evaluate = (host: Host, kbs?: readonly string[]): Finding => {
    let decided = osCache.get(host.os);
    if (decided === undefined) {
      decided = byOs(host.os);
      if (!('target' in decided)) Object.freeze(decided);
      osCache.set(host.os, decided);
    }
    if (!('target' in decided)) return decided;
    return evaluatePatchTarget(rule, decided, host, kbs ?? [...host.kbs], kbOwner, ctx.asOf);
  };
  return { evaluate, targets };
}

/** The host's version of the target's fixed file (srv.sys) against the fix; null when the inventory has none. */
function fileVersionReading(target: PatchTarget, host: Host): { fixed: boolean; file: string; text: string } | null {
  const fv = target.fileVersion;
  if (!fv) return null;
  const m = /^\d+(?:\.\d+){1,3}/.exec(hostValue(host, fv.field).trim());
  if (!m) return null;
  const version = m[0];
  const fourth = version.split('.')[3] ?? '';
  const branch = Number(fourth.charAt(0));
  const fix = fv.fixes.find((f) => f.branchDigit === undefined || f.branchDigit === branch) ?? fv.fixes[fv.fixes.length - 1];
  const fixed = compareVersions(version, fix.min) >= 0;
  const file = `${fv.file} ${version}`;
  return { fixed, file, text: `${file} ${fixed ? '≥' : '<'} ${fix.min}` };
}

/** The updates fixing the target that the host lists as not installed for a reason `says` matches. */
function fixesListedAs(host: Host, ct: CompiledTarget, says: (reason: string) => boolean): string[] {
  const out: string[] = [];
  if (host.kbsNotInstalled) for (const [kb, reason] of host.kbsNotInstalled) if (says(reason) && fixesTarget(ct, kb)) out.push(kb);
  return out;
}

/** The first three updates, and how many more: "KB1, KB2, KB3 and 4 more". */
function firstFew(kbs: string[]): string {
  return kbs.slice(0, 3).join(', ') + (kbs.length > 3 ? ` and ${kbs.length - 3} more` : '');
}

/** Does an update fix the target, directly or as a later rollup the catalog knows? */
function fixesTarget(ct: CompiledTarget, kb: string): boolean {
  return ct.kbs.has(kb) || ct.rollups.has(kb);
}

/** `kbs`: the host's KBs that can matter, in its order (see CompiledRule.evaluate); host.kbs for the rest. */
function evaluatePatchTarget(rule: PatchRule, ct: CompiledTarget, host: Host, kbs: readonly string[], kbOwner: Map<string, string>, asOf: string): Finding {
  const { target } = ct;
  const os = host.os;
  const osText = describeOs(os);
  const remediation = target.remediation ?? rule.remediation;
  if (target.noFix) {
    return finding(rule, 'fail', [`${osText}: affected and no security update exists`], 'no-fix', target.belowServicePackRemediation ?? remediation);
  }
  if (target.minServicePack !== undefined && os.servicePack !== null && os.servicePack < target.minServicePack) {
    return finding(
      rule,
      'fail',
      [`${osText}: service pack ${os.servicePack} is below SP${target.minServicePack}, which the fix requires; no update applies`],
      'service-pack',
      target.belowServicePackRemediation ?? `Install Service Pack ${target.minServicePack}, then the fix; or retire the host.`,
    );
  }

  const notes: string[] = [];
  if (target.minServicePack !== undefined && os.servicePack === null) notes.push(`service pack unknown (the fix needs SP${target.minServicePack})`);
  for (const kb of ct.notFixedBy) {
    if (host.kbs.has(kb) && !kbOwner.has(kb)) notes.push(`${kb} installed, but it does not contain the fix${kbKindNote(target, kb)}`);
  }
  for (const kb of kbs) {
    const owner = kbOwner.get(kb);
    if (owner && !fixesTarget(ct, kb)) notes.push(`${kb} installed, but it is the fix for ${owner}, not for ${os.product}`);
  }
  if (host.kbsNotInstalled) {
    for (const [kb, says] of host.kbsNotInstalled) {
      if (fixesTarget(ct, kb)) notes.push(`${kb} is listed as ${says}: not counted as installed`);
    }
  }
  if (ct.laterRollups.size > 0) {
    for (const kb of kbs) {
      const later = ct.laterRollups.get(kb);
      if (later) notes.push(`${kb} (${later.month}) came out after the audit date ${asOf}: not counted`);
    }
  }

  // 1. The running build revision is the most direct evidence where updates change it (Windows 10).
  if (target.minRevision !== undefined && os.revision !== null && os.build !== null) {
    const have = `${os.build}.${os.revision}`;
    const need = `${os.build}.${target.minRevision}`;
    if (ct.lastRevisionAtAsOf !== null && os.revision > ct.lastRevisionAtAsOf) {
      // The inventory is newer than the audit date: its build cannot show the fix was in place then.
      notes.push(`build ${have} came out after the audit date ${asOf} (the newest out by ${asOf.slice(0, 7)} is ${os.build}.${ct.lastRevisionAtAsOf}): not counted`);
    } else {
      if (os.revision >= target.minRevision) return finding(rule, 'pass', [`build ${have} ≥ ${need}`, ...notes], 'build');
      const listed = kbs.filter((kb) => fixesTarget(ct, kb));
      if (listed.length > 0) notes.push(`${listed.join(', ')} listed as installed, but the running build is still ${have} (pending restart?)`);
      return finding(rule, 'fail', [`build ${have} < ${need}`, ...notes], 'build', remediation);
    }
  }

  // The fixed file's version below the fix: the vulnerable driver is what runs, whatever updates are
  // listed (installed, not yet restarted; or rolled back). Checked before the updates for that reason.
  const file = fileVersionReading(target, host);
  if (file !== null && !file.fixed) {
    const listed = kbs.filter((kb) => fixesTarget(ct, kb));
    if (listed.length > 0) notes.push(`${listed.join(', ')} listed as installed, but ${file.file} is still below the fix (pending restart?)`);
    return finding(rule, 'fail', [file.text, ...notes], 'file-version', remediation);
  }

  // 2. A KB that fixes it directly.
  for (const kb of ct.kbs) {
    if (host.kbs.has(kb)) return finding(rule, 'pass', [`${kb} installed${directKbNote(target, kb)}`, ...notes], 'kb');
  }

  // 3. A later monthly rollup / cumulative update that contains the fix.
  let best: RollupRow | null = null;
  for (const kb of kbs) {
    const row = ct.rollups.get(kb);
    if (row && (best === null || rank(row) > rank(best))) best = row;
  }
  if (best) {
    const conf = best.confidence === 'confirmed' ? 'confirmed in Microsoft data' : best.confidence === 'secondary' ? 'from a secondary source' : 'inferred from its position in the rollup order';
    return finding(
      rule,
      'pass',
      [`${best.kb} installed: ${describeKind(best.kind)} of ${best.month}, later than the ${target.rollups?.fixMonth} fix, so it contains it (catalog: ${conf})`, ...notes],
      'rollup',
    );
  }

  // 4. The fixed file version, when the inventory has it.
  if (file !== null) return finding(rule, 'pass', [file.text, ...notes], 'file-version');

  // An update newer than the rollup catalog may be a later cumulative update that contains the fix:
  // it cannot be judged either way, so the verdict is unknown, never a false fail (or pass).
  // (With an audit date before the catalog's end, such an update came out after the audit date.)
  if (ct.newerThanCatalog && ct.newerThanCatalog.lastMonth <= asOf.slice(0, 7)) {
    const newer = kbs.filter((kb) => Number(kb.slice(2)) > ct.newerThanCatalog!.maxKb && !ct.notFixedBy.has(kb));
    if (newer.length > 0) {
      return finding(
        rule,
        'unknown',
        [`no known fix among the installed updates, but ${firstFew(newer)} ${newer.length === 1 ? 'is' : 'are'} newer than the rollup catalog (data to ${ct.newerThanCatalog.lastMonth}) and may be a cumulative update containing it`, ...notes],
        'catalog-gap',
        `Confirm the newest monthly rollup installed on this host (or add an srv.sys version column). ${remediation}`,
      );
    }
  }
  // Without the running revision, an update newer than the fix KB may be a later cumulative update
  // (which carries the fix) or not: no rollup catalog tells which, so unknown, never a false fail.
  if (ct.newerThanFix !== null && os.revision === null) {
    const newer = kbs.filter((kb) => Number(kb.slice(2)) > ct.newerThanFix! && !ct.notFixedBy.has(kb));
    if (newer.length > 0) {
      return finding(
        rule,
        'unknown',
        [`no known fix among the installed updates and no build revision, but ${firstFew(newer)} ${newer.length === 1 ? 'is' : 'are'} newer than the fix and may be a cumulative update containing it`, ...notes],
        'revision-gap',
        `Add the build revision (e.g. 10.0.${os.build ?? 'x'}.y, the UBR) for this host to the inventory. ${remediation}`,
      );
    }
  }
  // An update that would fix it, listed with a state that says neither installed nor missing ("Not
  // Required", Configuration Manager's 0 and 1) or that patchaudit cannot read (a word in another
  // language): not counted, but not known to be missing either, so no confident fail.
  const unreadable = fixesListedAs(host, ct, isUnclearState);
  if (unreadable.length > 0) {
    const which = firstFew(unreadable);
    return finding(
      rule,
      'unknown',
      [`${which}, which would contain the fix, ${unreadable.length === 1 ? 'is' : 'are'} listed with an update state that says neither installed nor missing (or that patchaudit cannot read): whether ${unreadable.length === 1 ? 'it is' : 'they are'} installed is not known`, ...notes],
      'kb-state',
      `Confirm whether ${which} is installed on this host (or use an export whose state column says Installed / Failed / Missing). ${remediation}`,
    );
  }
  // An update only secondary sources say contains the fix: neither counted nor ruled out.
  // (One from after the audit date did not exist then.)
  const possible = kbs.filter((kb) => {
    if (!ct.possibleKbs.has(kb)) return false;
    const row = target.rollups ? catalogRow(target.rollups.family, kb) : undefined;
    return !row || row.month <= asOf.slice(0, 7);
  });
  if (possible.length > 0) {
    return finding(
      rule,
      'unknown',
      [`${possible.join(', ')} installed: only secondary sources say ${possible.length === 1 ? 'it contains' : 'they contain'} the fix, so it is not counted, nor ruled out`, ...notes],
      'kb-secondary',
      `Confirm the fix another way (the srv.sys version, or a later monthly rollup), or install one of the updates that contain it. ${remediation}`,
    );
  }
  // Only a list can show the fix is missing here: a build revision that could has decided above (or
  // came out after the audit date, and shows nothing for it).
  if (host.kbEvidence) {
    const n = host.kbs.size;
    const evidence = n === 0 ? 'the installed-updates list is empty' : `none of the ${n} installed update${n === 1 ? '' : 's'} contains the fix`;
    const hint = target.minRevision !== undefined && os.revision === null ? '; no build revision to check' : '';
    // A list not read in full (cut short, or a type name in its place) may hold the fix in the part not read.
    if (host.updatesUnread !== undefined) {
      return finding(rule, 'unknown', [`${evidence}${hint}, but ${host.updatesUnread}`, ...notes], 'none', `Collect the full list of installed updates (Get-HotFix, systeminfo) for this host. ${remediation}`);
    }
    return finding(rule, 'fail', [evidence + hint, ...notes], 'kb', remediation);
  }
  // No installed-updates list, but a column of missing updates names an update that would be the fix: the
  // inventory says the fix is not installed. (An update such a column does not name proves nothing.)
  const listed = fixesListedAs(host, ct, isMissingColumn);
  if (listed.length > 0) {
    return finding(rule, 'fail', [`${firstFew(listed)}, ${listed.length === 1 ? 'an update that contains the fix, is' : 'updates that contain the fix, are'} listed as missing (no installed-updates list)`, ...notes], 'kb', remediation);
  }
  const missing = ['no installed-updates list'];
  if (target.minRevision !== undefined && os.revision === null) missing.push('no build revision');
  if (target.fileVersion) missing.push(`no ${target.fileVersion.file} version`);
  return finding(rule, 'unknown', [missing.join(', ') + (host.updatesUnread ? `; ${host.updatesUnread}` : ''), ...notes], 'none', `Collect installed updates (Get-HotFix, systeminfo) for this host. ${remediation}`);
}

function rank(r: RollupRow): number {
  const c = r.confidence === 'confirmed' ? 3 : r.confidence === 'secondary' ? 2 : 1;
  return c * 100000 + Number(r.month.replace('-', '')) / 100;
}

function kbKindNote(target: PatchTarget, kb: string): string {
  const row = target.rollups ? catalogRow(target.rollups.family, kb) : undefined;
  return row ? ` (${describeKind(row.kind)} of ${row.month}; not cumulative)` : '';
}

function directKbNote(target: PatchTarget, kb: string): string {
  const row = target.rollups ? catalogRow(target.rollups.family, kb) : undefined;
  return row ? ` (${describeKind(row.kind)} of ${row.month})` : '';
}

// ---------------------------------------------------------------------------------------------
// end-of-support

/**
 * The audit date is before the release came out (an --as-of replay with a newer inventory): no host
 * could run it on that date, so the inventory does not say what the host ran then.
 */
function releasedAfter(entry: LifecycleEntry, asOf: string): boolean {
  return entry.released !== undefined && asOf < entry.released;
}

function releasedAfterText(entry: LifecycleEntry, asOf: string): string {
  return `${entry.name} was released ${entry.released}, after the audit date ${asOf}`;
}

const NOT_YET_RELEASED_ADVICE =
  'The inventory lists an OS release that came out after the audit date, so it was taken later than that date: audit an inventory from the audit date, or audit this one at a later date (--as-of).';

interface LifecycleVerdict {
  status: FindingStatus;
  evidence: string[];
  decidedBy: string;
  endDate: string;
}

/** How long an enrolled host's ESU lasts, and how the evidence says it. */
interface EsuCover {
  end: string;
  what: string;
  /** "run" or "runs" (one year). */
  runs: string;
  /** Said with the days left while covered. */
  whileLeft: string;
  /** Said after "also ended …". */
  after: string;
}

/**
 * The cover of an enrolled host: the programme's end, or the end of the year the cell names (esuYears),
 * unless something ends it sooner: the consumer programme for a Home edition (homeEsuEnd), or a date the
 * cell names. The earliest decides.
 */
function esuCover(entry: LifecycleEntry, programmeEnd: string, esu: EsuReading, os: OsInfo, asOf: string): EsuCover {
  // The year the cell names is the cover as it says (its last year ends with the programme).
  let cover: EsuCover =
    esu.year !== null && entry.esuYears && esu.year <= entry.esuYears.length
      ? {
          end: entry.esuYears[esu.year - 1],
          what: `Extended Security Updates year ${esu.year}`,
          runs: 'which runs',
          whileLeft: `; the programme runs to ${programmeEnd}`,
          after: asOf <= programmeEnd ? ` (the programme runs to ${programmeEnd}: a later year's enrolment would cover it)` : `; the programme ended ${programmeEnd}`,
        }
      : { end: programmeEnd, what: 'Extended Security Updates', runs: 'which run', whileLeft: '', after: '' };
  const limit = (c: EsuCover): void => {
    if (c.end < cover.end) cover = c;
  };
  if (os.home && entry.homeEsuEnd) {
    limit({ end: entry.homeEsuEnd, what: 'consumer Extended Security Updates (the only ESU for Home editions)', runs: 'which run', whileLeft: '', after: ` (the commercial programme, to ${programmeEnd}, is not for Home editions)` });
  }
  if (esu.until !== null) {
    limit({ end: esu.until, what: `Extended Security Updates (enrolled until ${esu.until}, as the inventory says)`, runs: 'which run', whileLeft: '', after: ` (the programme runs to ${programmeEnd}: renewing would cover it)` });
  }
  return cover;
}

/**
 * `esu`: the host's ESU cell (readEsu). Enrolled hosts are covered to the end of the year their cell
 * names when the data lists the programme's years (a "Year 1" licence does not run to the end of year
 * 3), else to the programme's end.
 */
function lifecycleVerdict(entry: LifecycleEntry, esu: EsuReading, ctx: EvaluationContext, os: OsInfo): LifecycleVerdict {
  const { asOf, warnDays } = ctx;
  const note = entry.note ? [entry.note] : [];
  if (asOf > entry.end) {
    const ago = daysBetween(entry.end, asOf);
    const ended = `${entry.name}: support ended ${entry.end} (${ago} day${ago === 1 ? '' : 's'} before ${asOf})`;
    if (entry.esuEnd && esu.enrolled === true) {
      const cover = esuCover(entry, entry.esuEnd, esu, os, asOf);
      const covered = cover.end;
      if (asOf <= covered) {
        const left = daysBetween(asOf, covered);
        const status: FindingStatus = left <= warnDays ? 'warn' : 'pass';
        return { status, evidence: [`${ended}; host is enrolled in ${cover.what}, ${cover.runs} until ${covered} (${left} days left${cover.whileLeft})`, ...note], decidedBy: 'esu', endDate: covered };
      }
      return { status: 'fail', evidence: [`${ended}; ${cover.what} also ended ${covered}${cover.after}`, ...note], decidedBy: 'esu', endDate: covered };
    }
    const recorded = esu.undone ? `the ESU cell says "${esu.undone}", so the host is not read as enrolled` : 'no ESU enrolment recorded';
    const esuHint = entry.esuEnd && asOf <= entry.esuEnd ? `; Extended Security Updates are available until ${entry.esuEnd} (${recorded})` : '';
    return { status: 'fail', evidence: [ended + esuHint, ...note], decidedBy: 'lifecycle', endDate: entry.end };
  }
  const left = daysBetween(asOf, entry.end);
  if (left <= warnDays) return { status: 'warn', evidence: [`${entry.name}: support ends ${entry.end} (in ${left} day${left === 1 ? '' : 's'})`, ...note], decidedBy: 'lifecycle', endDate: entry.end };
  return { status: 'pass', evidence: [`${entry.name}: supported until ${entry.end}`], decidedBy: 'lifecycle', endDate: entry.end };
}

function compileEndOfSupport(rule: EndOfSupportRule, ctx: EvaluationContext, dataAsOf: string): (host: Host) => Finding {
  const families = new Set(rule.families ?? []);
  // The finding depends on the OS and the ESU cell only: one per (OS object, ESU reading), shared by hosts
  // (so frozen).
  const cache = new WeakMap<OsInfo, Map<string, Finding>>();
  return (host) => {
    const esu = readEsu(hostValue(host, 'esu'));
    const key = `${esu.enrolled}:${esu.year}:${esu.until}:${esu.undone ?? ''}`;
    let byEsu = cache.get(host.os);
    if (byEsu === undefined) cache.set(host.os, (byEsu = new Map()));
    let f = byEsu.get(key);
    if (f === undefined) byEsu.set(key, (f = Object.freeze(judge(host.os, esu))));
    return f;
  };

  function judge(os: OsInfo, esu: EsuReading): Finding {
    if (families.size > 0 && !families.has(os.family) && os.family !== 'unknown') {
      return finding(rule, 'not-applicable', [`${rule.id} covers ${[...families].join('/')}; host is ${describeOs(os)}`], 'platform');
    }
    if (!os.product) {
      return finding(rule, 'unknown', [unrecognisedOsEvidence(os)], 'unrecognised-os', 'Add the OS name and version for this host to the inventory.');
    }
    const entry = rule.lifecycle.find((e) => matchesHost(e.match, os));
    if (entry) {
      // The inventory and the audit date disagree: the tool cannot judge the host (never a pass).
      if (releasedAfter(entry, ctx.asOf)) {
        return finding(rule, 'unknown', [`${releasedAfterText(entry, ctx.asOf)}: the inventory is newer than the audit date, so support on that date cannot be judged`], 'not-yet-released', NOT_YET_RELEASED_ADVICE);
      }
      const v = lifecycleVerdict(entry, esu, ctx, os);
      const f = finding(rule, v.status, v.evidence, v.decidedBy);
      f.endDate = v.endDate;
      return f;
    }
    // A build no row lists (a pre-release, a typo, a release newer than the data) is judged as if the
    // release were open: against every release of the product the host could be on.
    const open = openRows(os, false) ?? (os.build !== null || os.release !== null ? openRows(os, true) : null);
    if (open) return judgeOpen(os, esu, open);
    return finding(rule, 'unknown', [`no lifecycle data for ${describeOs(os)}`], 'no-data', 'Check the product lifecycle manually.');
  }

  /**
   * The rows a host could be on when the inventory leaves its edition class or its release (feature
   * update, distribution version) open: those matching it once the unknown keys are ignored. Null when
   * nothing is open or no row is left. `unlisted`: the host's build or release is in no row, so the
   * release is open too.
   */
  function openRows(os: OsInfo, unlisted: boolean): OpenRows | null {
    const edition = os.editionClass === null;
    const release = unlisted || (os.build === null && os.release === null);
    // A service pack is part of the version where rows are kept per service pack (SLES): a release the
    // data does not list says nothing about which service pack row fits, and no service pack leaves it open.
    const servicePack = release || os.servicePack === null;
    if (!edition && !release && !servicePack) return null;
    const ignore: (keyof HostMatch)[] = [];
    if (edition) ignore.push('editionClass');
    if (release) ignore.push('build', 'minBuild', 'maxBuild', 'release');
    if (servicePack) ignore.push('servicePack');
    const rows = rule.lifecycle.filter((e) => matchesHost(e.match, os, { ignore }));
    // Only rows that depend on what is open: a row that constrains none of it would have matched.
    const versionOpen = (release && rows.some(constrainsRelease)) || (servicePack && rows.some((e) => e.match.servicePack !== undefined));
    return rows.length > 0 ? { rows, edition: edition && rows.some((e) => e.match.editionClass !== undefined), release: versionOpen, unlisted } : null;
  }

  /**
   * Fail closed on what the inventory leaves open: the host is judged against every row it could be
   * on, and the verdict is given only when they all agree; otherwise it is unknown (never the verdict
   * of the row whose support lasts longest).
   */
  function judgeOpen(os: OsInfo, esu: EsuReading, open: OpenRows): Finding {
    const what = open.edition && open.release ? 'edition and version' : open.edition ? 'edition' : 'version';
    // What is open, as the evidence says it.
    const notKnown = open.unlisted ? `${os.build !== null ? `build ${os.build}` : `release ${os.release}${os.servicePack !== null ? ` SP${os.servicePack}` : ''}`} is in no row of the lifecycle data${open.edition ? ' and the edition is not in the inventory' : ''}` : `${what} not in the inventory`;
    const decidedBy = open.release ? 'release-unknown' : 'edition-unknown';
    const advice = [
      open.release ? 'Add the OS build or version (e.g. 10.0.19045, 22H2) for this host to the inventory.' : '',
      open.edition ? 'Add the edition (e.g. Enterprise, Pro; Intune SkuFamily) for this host to the inventory.' : '',
    ].filter(Boolean).join(' ');
    if (open.edition) {
      // Decide only when the data covers both servicing classes; otherwise a missing class could differ.
      const classes = new Set(open.rows.flatMap((e) => (e.match.editionClass === undefined ? [] : [e.match.editionClass].flat())));
      if (!classes.has('consumer') || !classes.has('enterprise')) {
        return finding(rule, 'unknown', [`${notKnown}, and the lifecycle data does not cover every edition of ${describeOs(os)}`], decidedBy, advice);
      }
    }
    // A release that came out after the audit date is not one the host could have run on that date.
    const rows = open.rows.filter((e) => !releasedAfter(e, ctx.asOf));
    const later = open.rows.filter((e) => releasedAfter(e, ctx.asOf)).sort((a, b) => (a.released! < b.released! ? -1 : a.released! > b.released! ? 1 : 0));
    if (rows.length === 0) {
      const which = later.length <= 4 ? later.map((e) => `${e.name} ${e.released}`).join('; ') : `the first, ${later[0].name}, ${later[0].released}`;
      return finding(
        rule,
        'unknown',
        [`${notKnown}, and every ${what} it could be was released after the audit date ${ctx.asOf} (${which}): the inventory is newer than the audit date, so support on that date cannot be judged`],
        'not-yet-released',
        NOT_YET_RELEASED_ADVICE,
      );
    }
    const laterNote = later.length === 0 ? '' : ` (${later.length} ${later.length === 1 ? 'row' : 'rows'} released after the audit date not counted, e.g. ${releasedAfterText(later[0], ctx.asOf)})`;
    // With the edition open, a Home/Pro row is weighed as Home too (its ESU may end sooner).
    const verdicts = rows.flatMap((e) =>
      open.edition && e.homeEsuEnd !== undefined && !os.home ? [lifecycleVerdict(e, esu, ctx, os), lifecycleVerdict(e, esu, ctx, { ...os, home: true })] : [lifecycleVerdict(e, esu, ctx, os)],
    );
    const first = verdicts[0];
    const same = verdicts.every((v) => v.status === first.status);
    const earliest = verdicts.map((v) => v.endDate).sort()[0];
    const latest = verdicts.map((v) => v.endDate).sort()[verdicts.length - 1];
    // Every known release has ended, but the data may predate a newer one: fail only when the last
    // end came before the data was checked (the product line had ended by then).
    const newerPossible = open.release && same && first.status === 'fail' && latest >= dataAsOf;
    // A build or release the data does not list may be one it should have listed as ended (an old
    // release, an image the vendor never certified): it can fail with the rest, never pass.
    const unlistedPass = open.unlisted && first.status !== 'fail';
    if (same && !newerPossible && !unlistedPass) {
      const head = `${notKnown}; every ${what === 'edition' ? 'edition' : 'possible ' + what} gives the same verdict${laterNote}`;
      let evidence: string[];
      if (verdicts.length <= 4) evidence = [head, ...verdicts.flatMap((v) => v.evidence)];
      else {
        // Many rows (every feature update): the one that decides, i.e. the last to end when all have
        // ended, the first to end when all are supported.
        const pick = first.status === 'fail' ? verdicts.find((v) => v.endDate === latest)! : verdicts.find((v) => v.endDate === earliest)!;
        evidence = [`${head} (${verdicts.length} rows); ${first.status === 'fail' ? 'the last to end' : 'the first to end'}: ${pick.evidence[0]}`, ...pick.evidence.slice(1)];
      }
      const f = finding(rule, first.status, evidence, first.decidedBy, open.release ? `${rule.remediation} ${advice}` : null);
      f.endDate = earliest;
      return f;
    }
    const why = newerPossible
      ? `every ${what} in the lifecycle data has ended, but a newer one (after the data of ${dataAsOf}) may still be supported`
      : unlistedPass && same
        ? `a ${what} the data does not list may have ended: not judged (every listed one gives ${first.status})`
        : `the end of support depends on it: ${summarise(verdicts)}`;
    const f = finding(rule, 'unknown', [`${notKnown}, and ${why}${laterNote}`], decidedBy, advice);
    f.endDate = earliest;
    return f;
  }
}

/** The lifecycle rows a host could be on (see openRows). */
interface OpenRows {
  rows: LifecycleEntry[];
  edition: boolean;
  release: boolean;
  unlisted: boolean;
}

/** A row's match names a release (feature update, build or distribution version). */
function constrainsRelease(e: LifecycleEntry): boolean {
  const m = e.match;
  return m.build !== undefined || m.minBuild !== undefined || m.maxBuild !== undefined || m.release !== undefined;
}

/** The verdicts of several rows in one line: each distinct outcome once, with its first rows. */
function summarise(verdicts: LifecycleVerdict[]): string {
  if (verdicts.length <= 4) return verdicts.map((v) => v.evidence[0]).join('; ');
  const byStatus = new Map<FindingStatus, LifecycleVerdict[]>();
  for (const v of verdicts) byStatus.set(v.status, [...(byStatus.get(v.status) ?? []), v]);
  return [...byStatus.entries()]
    .map(([status, vs]) => `${vs.length} ${status === 'fail' ? 'ended' : status === 'warn' ? 'ending soon' : 'supported'} (e.g. ${vs[0].evidence[0]}${vs.length > 1 ? `; ${vs[vs.length - 1].evidence[0]}` : ''})`)
    .join('; ');
}

// ---------------------------------------------------------------------------------------------
// min-version

function compileMinVersion(rule: MinVersionRule): (host: Host) => Finding {
  const semver = semverLib();
  const range = new semver.Range(rule.range, { loose: true });
  return (host) => {
    if (rule.appliesTo && !matchesHost(rule.appliesTo, host.os)) return finding(rule, 'not-applicable', [`rule applies to other hosts`], 'platform');
    const cell = hostCell(host, rule.field);
    const raw = (cell ?? '').trim();
    if (raw === '') {
      // whenMissing is for empty cells; no such column at all says nothing about the host (fail closed).
      if (cell === undefined) {
        return finding(rule, 'unknown', [`the inventory has no ${rule.field} column for this host`], 'none', `Add the ${rule.field} column to the inventory, or correct the rule's field. ${rule.remediation}`);
      }
      const status = rule.whenMissing ?? 'unknown';
      return finding(rule, status, [`no ${rule.field} value`], 'none');
    }
    const v = semver.coerce(raw, { loose: true });
    if (!v) return finding(rule, 'unknown', [`${rule.field} "${raw}" is not a version`], 'none');
    const ok = semver.satisfies(v, range);
    return finding(rule, ok ? 'pass' : 'fail', [`${rule.field} ${raw} ${ok ? 'satisfies' : 'does not satisfy'} ${rule.range}`], 'version');
  };
}

export function compileRule(loaded: LoadedRule, ctx: EvaluationContext): CompiledRule {
  const rule = loaded.rule;
  let evaluate: (host: Host, kbs?: readonly string[]) => Finding;
  const readsFields: string[] = [];
  const relevantKbs: string[] = [];
  const kbThresholds: number[] = [];
  switch (rule.kind) {
    case 'patch': {
      const compiled = compilePatch(rule, ctx);
      evaluate = compiled.evaluate;
      for (const t of compiled.targets) {
        if (t.target.fileVersion) readsFields.push(t.target.fileVersion.field);
        relevantKbs.push(...t.kbs, ...t.notFixedBy, ...t.possibleKbs, ...t.rollups.keys(), ...t.laterRollups.keys());
        if (t.newerThanCatalog) kbThresholds.push(t.newerThanCatalog.maxKb);
        if (t.newerThanFix !== null) kbThresholds.push(t.newerThanFix);
      }
      break;
    }
    case 'end-of-support':
      evaluate = compileEndOfSupport(rule, ctx, loaded.dataAsOf);
      readsFields.push('esu');
      break;
    case 'min-version':
      evaluate = compileMinVersion(rule);
      readsFields.push(rule.field);
      break;
  }
  return { rule, loaded, evaluate, readsFields, relevantKbs, kbThresholds };
}
