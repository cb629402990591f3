/**
 * Whether an update a row names is installed. Update-compliance exports list every update a machine
 * should have, each with a status (Configuration Manager's ArticleID + Status, WSUS's "Needed" and
 * "Failed"), and hand-kept sheets write "KB4012212 (failed)" or "Missing: KB…" in the update cell.
 * An update that is required, failed, pending or removed is not installed: counting it would pass a
 * machine that lacks the fix.
 */
import { parseInventoryDate } from './dates.js';
import { extractKbs } from './kb.js';
import { normaliseHeader } from './fields.js';

/** Words that say an update is not in effect on the machine (checked before the installed words). */
const NOT_INSTALLED_WORDS =
  'not[\\s_-]*(?:installed|applied|present|required|applicable|needed|compliant|ok|complete[d]?|done|yet|found|detected|deployed)|' +
  'notinstalled|notapplicable|installedpendingreboot|non[\\s_-]*compliant|incomplete|' +
  'fail(?:ed|ure|s)?|error|required|missing|needs?|needed|outstanding|awaiting|scheduled|queued|pending|' +
  // An update to install: "To install: KB…", "Recommended: KB…" (a vulnerability tool's recommended
  // update), "Vulnerable: KB…", "Unpatched".
  'to[\\s_-]*(?:be[\\s_-]*)?(?:install(?:ed)?|apply|applied|deploy(?:ed)?)|recommended|vulnerable|unpatched|' +
  'uninstall(?:ed|ing)?|removed|declined|rolled[\\s_-]*back|reverted|download(?:ed|ing)?|installing|in[\\s_-]*progress|waiting|absent|' +
  // WSUS's installed-pending-reboot state as queries of its database write it: "RebootRequired", "PendingReboot".
  'rebootrequired|pendingreboot';
/** In an update cell. */
const NOT_INSTALLED = new RegExp(`\\b(?:${NOT_INSTALLED_WORDS})\\b`, 'i');

/** A label or title that says its updates are not installed ("Missing Update(s)", "Failed updates"). */
export function saysNotInstalled(label: string): boolean {
  return NOT_INSTALLED.test(label);
}
const HAS_VOWEL = /[aeiou]/i;
/**
 * Patch tools' states for an update not (yet) installed, in a status cell only (in an update cell these
 * words may say something else): NinjaOne's APPROVED/MANUAL/REJECTED, BigFix's Relevant/Applicable, WSUS's
 * Not Approved, Ivanti's Deferred… An update in one of them is not counted.
 */
const PATCH_STATE_WORDS =
  'un[\\s_-]*approved|approved(?:[\\s_-]*for[\\s_-]*install)?|manual|rejected|relevant|applicable|available(?:[\\s_-]*for[\\s_-]*install)?|ignored|detected|' +
  'deferred|excluded|blocked|cancell?ed|postponed|staged|retrying|hidden|optional|needs[\\s_-]*approval|ready[\\s_-]*to[\\s_-]*install|assigned|published|' +
  // Windows Update for Business reports' client states before the update is in: offered, started.
  'offer(?:ed|ing|[\\s_-]*(?:received|ready))?|(?:install|download)[\\s_-]*start(?:ed)?';
/** "Installed - Approved", "Approved and Installed", "Installed (Approved)". */
const APPROVED_AND_INSTALLED = /^(?:installed[\s,;:/(-]+approved\)?|approved[\s,;:/-]+(?:and\s+|&\s*)?installed)$/i;
/** In a status cell, where a bare "No" or "False" answers "installed?". */
const STATUS_NOT_INSTALLED = new RegExp(`\\b(?:${NOT_INSTALLED_WORDS}|${PATCH_STATE_WORDS}|no|false|unknown)\\b`, 'i');

/**
 * A status that says installed, as the whole cell (a date may follow: "Installed 3/15/2017"). Anything
 * else is not read as installed: words around "installed" may deny it in ways no list foresees.
 */
const INSTALLED =
  /^(?:installed|install(?:ation)?[\s_-]*succeeded|succeeded|success(?:ful)?|applied|complete[d]?|present|compliant|ok|yes|y|true|patched|installiert|install[ée]e?|instalad[oa]|installat[oa]|ge[ïi]nstalleerd|zainstalowan[ya]|установлен[оа]?|installed[_\s-]*(?:other|rejected)|update[_\s-]*installed)(?:[\s:,;-]+(?:on[\s:]+)?[\d/.:\s-]*(?:am|pm)?)?$/i;
/**
 * "Installed successfully", "Installed: Yes", "Succeeded, reboot not required" (the denial taken out),
 * "Installed (superseded)": a superseded update is still installed.
 */
const INSTALLED_PHRASE = /^(?:installed|succeeded|success)(?:\s+successfully|[\s:,;-]+(?:yes|true|ok|successfully)|\s*[/(,;-]\s*superseded\)?)?[\s,;.]*$/i;

/**
 * Numeric update states. Configuration Manager (v_UpdateComplianceStatus.Status, the state message of
 * topic type 500): 0 detection state unknown, 1 not required, 2 required, 3 installed. WSUS
 * (UpdateInstallationState, SummarizationState): 0 unknown, 1 not applicable, 2 not installed,
 * 3 downloaded, 4 installed, 5 failed, 6 installed pending reboot (not in effect until the restart).
 * A 3 is read as installed only when no column names the WSUS states. 0 and 1 say neither installed
 * nor missing (a not-required update is often contained in a later one that is installed).
 */
const NUMERIC_INSTALLED = new Set(['3', '4']);
const NUMERIC_UNCLEAR = new Set(['0', '1']);
const WSUS_STATE_HEADER = /installation\s*_?state|summarization\s*_?state/i;
const BARE_STATE_HEADER = /^state$/;
/**
 * An update history's result (IUpdateHistoryEntry.ResultCode, exported as a number from the Windows Update
 * Agent's API): OperationResultCode 0 not started, 1 in progress, 2 succeeded, 3 succeeded with errors
 * (the results may be incomplete), 4 failed, 5 aborted.
 */
const RESULT_HEADER = /^(?:result|result ?code)$/;
const RESULT_CODE: Record<string, KbStatusReading> = { '0': 'not-installed', '1': 'not-installed', '2': 'installed', '3': 'unclear', '4': 'not-installed', '5': 'not-installed' };
const RESULT_CODE_SAYS: Record<string, string> = { '0': 'not started', '1': 'in progress', '2': 'succeeded', '3': 'succeeded with errors', '4': 'failed', '5': 'aborted' };

/** Rows of a file repeat its headers: each header is tested once against each pattern. */
const headerTests = new Map<RegExp, Map<string, boolean>>();

function headerIs(h: string, pattern: RegExp): boolean {
  let tested = headerTests.get(pattern);
  if (!tested) headerTests.set(pattern, (tested = new Map()));
  let is = tested.get(h);
  if (is === undefined) {
    if (tested.size >= 10_000) tested.clear();
    tested.set(h, (is = pattern.test(h)));
  }
  return is;
}

function namesWsusStates(columns: Record<string, string>): boolean {
  for (const h in columns) if (headerIs(h, WSUS_STATE_HEADER)) return true;
  return false;
}

/**
 * A plain "Status" column beside a row's one update may be the machine's own state (an asset list's
 * "In use", "Out for repair"): it says nothing of the update. Words that patch tools also use for an
 * update ("Deployed", "Assigned", "Testing", "Staging", "Pending") are not machine states here, and under
 * an update-state header ("Patch Status") no word is.
 */
const DEVICE_STATE =
  /^(?:active|inactive|online|offline|enabled|disabled|managed|unmanaged|healthy|unhealthy|connected|disconnected|reachable|unreachable|in[\s_-]*use|in[\s_-]*stock|retired|production|prod|live|running|in[\s_-]*service|in[\s_-]*production|operational|decommissioned|spare|archived|broken|lost|stolen|lost\s*\/\s*stolen|out[\s_-]*for[\s_-]*repair|in[\s_-]*repair)$/i;

const CAMEL = /[a-z][A-Z]/;
const CAMEL_SPLIT = /([a-z])([A-Z])/g;

/** Phrases that deny something other than the update ("reboot not required"): not a not-installed word. */
const BENIGN = /\b(?:no\s+(?:reboot|restart)\s+(?:is\s+)?(?:required|needed|pending)|(?:reboot|restart)\s+(?:is\s+)?not\s+(?:required|needed|pending))\b/gi;

export type KbStatusReading = 'installed' | 'not-installed' | 'unclear';

/** Generic headers ("Status", "State"), which may hold the machine's state rather than the update's. */
const GENERIC_STATUS_HEADER = /^\s*(?:status|state|status0|state0)\s*$/i;

/**
 * Reads a status cell. An empty cell says nothing (Win32_QuickFixEngineering's Status is blank), nor
 * does a plain machine state. `columns` (the row's cells by header) tells a WSUS export's states from
 * Configuration Manager's, and a generic "Status" column from an update-state one; `perUpdate`: the row
 * names its update in a one-update column (KB Number, ArticleID, HotFixID), so the row is the update's.
 */
export function readKbStatus(value: string, columns?: Record<string, string>, perUpdate = false): KbStatusReading | null {
  const v = value.trim();
  // Configuration Manager's "Compliance 5 - Specific computer": Installed beside Required, per update
  // (an empty cell is the report's "no", as '*' is its "yes").
  if (columns && (MARK_NO.test(v) || MARK_YES.test(v)) && underHeader(value, columns, INSTALLED_HEADER)) {
    const pair = readInstalledRequired(v, columns);
    if (pair !== null) return pair;
  }
  if (v === '') return null;
  if (DEVICE_STATE.test(v)) return !columns || underGenericHeader(value, columns) ? null : 'unclear';
  if (/^\d+$/.test(v)) {
    // Under an "Installed" header (ConnectWise Automate's hotfix table) 1/0 answer "installed?".
    if ((v === '1' || v === '0') && columns && underHeader(value, columns, INSTALLED_HEADER)) return v === '1' ? 'installed' : 'not-installed';
    // An update history's ResultCode (Windows Update Agent's OperationResultCode).
    if (columns && underHeader(value, columns, RESULT_HEADER)) return RESULT_CODE[v] ?? 'unclear';
    if (v === '3' && columns && namesWsusStates(columns)) return 'not-installed';
    // Under a bare "State" (WSUS's vUpdateInstallationInfo, or another tool's) a 3 may be either.
    if (v === '3' && columns && underHeader(value, columns, BARE_STATE_HEADER)) return 'unclear';
    if (NUMERIC_UNCLEAR.has(v)) return 'unclear';
    return NUMERIC_INSTALLED.has(v) ? 'installed' : 'not-installed';
  }
  // States written as one camelCase word (Windows Update for Business reports' "UpdateInstalled",
  // "InstallFailed", "RestartRequired", WSUS's "InstalledPendingReboot") are read word by word.
  const words = (CAMEL.test(v) ? v.replace(CAMEL_SPLIT, '$1 $2') : v).replace(BENIGN, ' ').trim();
  // WSUS's "Not Applicable", Configuration Manager's "Not Required": the update does not apply to the
  // machine, often because a later update that contains it is installed. Neither installed nor missing;
  // nor is a state not known ("Unknown": the client has not reported).
  if (NOT_APPLICABLE_STATE.test(words)) return 'unclear';
  // Approved and installed, in either order: the approval came first, the install followed.
  if (APPROVED_AND_INSTALLED.test(words)) return 'installed';
  if (STATUS_NOT_INSTALLED.test(words)) return 'not-installed';
  if (INSTALLED.test(words) || INSTALLED_PHRASE.test(words)) return 'installed';
  // An install date in the state column ("Installed" = 3/15/2017): installed then.
  if (parseInventoryDate(v).kind === 'date') return 'installed';
  // Any other word is not read as installed: patch tools have many states for an update that is not
  // installed (Approved, Available, Relevant, Deferred, Rejected…) and no list foresees them all. The
  // one exception is a generic "Status" beside an update list (a machine sheet whose list names one
  // update): there the word is more likely the machine's ("Deployed" in an asset list).
  if (!perUpdate && columns && underGenericHeader(value, columns)) return null;
  return 'unclear';
}

/** The status is in a generic "Status"/"State" column (not an update-state one). */
function underGenericHeader(value: string, columns: Record<string, string>): boolean {
  return underHeader(value, columns, GENERIC_STATUS_HEADER);
}

const INSTALLED_HEADER = /^\s*(?:is\s*)?installed\s*$/i;
/** Configuration Manager's "Compliance 5 - Specific computer" report: Required (its dataset's IsRequired) beside Installed. */
const REQUIRED_HEADER = /^(?:is\s*)?required$/;
/** The report's marks: '*' or Yes for yes, an empty cell or No for no. */
const MARK_YES = /^(?:\*|yes|y|true|1|x|✓|✔)$/i;
const MARK_NO = /^(?:no|n|false|0|-)?$/i;

/**
 * An update's Installed cell read with the row's Required cell (Configuration Manager's "Compliance 5 -
 * Specific computer": both Yes/No, or '*' and empty, from v_UpdateComplianceStatus.Status 3 and 2).
 * Installed: installed. Not installed and required: not installed. Not installed and not required:
 * Status 1 (not required, often because a later update that contains it is installed) or 0 (detection
 * state unknown), neither installed nor missing. Null when the row has no Required column, or its
 * Installed cell is no yes/no mark.
 */
function readInstalledRequired(installed: string, columns: Record<string, string>): KbStatusReading | null {
  let required: string | undefined;
  for (const h in columns) {
    if (headerIs(normaliseHeader(h), REQUIRED_HEADER)) {
      required = columns[h]!.trim();
      break;
    }
  }
  if (required === undefined) return null;
  if (MARK_YES.test(installed)) return 'installed';
  if (!MARK_NO.test(installed)) return null;
  return MARK_YES.test(required) ? 'not-installed' : 'unclear';
}
/**
 * States that say neither installed nor missing: not applicable or not required (WSUS, Configuration
 * Manager), and a state not known ("Unknown", Configuration Manager's "Detection state unknown").
 */
const NOT_APPLICABLE_STATE = /^(?:not[\s_-]*(?:applicable|required|needed)|notapplicable|notrequired|unknown|(?:detection[\s_-]*)?state[\s_-]*unknown)$/i;

/** Whether the value is in a column whose header (normalised: "Details_Table0_Installed", "Status0") matches. */
function underHeader(value: string, columns: Record<string, string>, header: RegExp): boolean {
  for (const h in columns) if (columns[h] === value && headerIs(normaliseHeader(h), header)) return true;
  return false;
}

/** What the numeric states read as neither installed nor missing mean, for the evidence. */
const NUMERIC_UNCLEAR_SAYS: Record<string, string> = { '0': 'detection state unknown', '1': 'not required, or not applicable' };

/**
 * A row's update state as the evidence quotes it: the cell, with what a number means ("1 (not required,
 * or not applicable)"), or the Installed and Required cells of a report that gives both.
 */
export function kbStatusWords(value: string, columns?: Record<string, string>): string {
  const v = value.trim();
  if (columns && underHeader(value, columns, INSTALLED_HEADER)) {
    for (const h in columns) {
      if (headerIs(normaliseHeader(h), REQUIRED_HEADER)) return `Required: ${show(columns[h]!)}, Installed: ${show(v)}`;
    }
    // Under "Installed" a number answers yes or no.
    return v;
  }
  if (columns && underHeader(value, columns, RESULT_HEADER)) {
    const means = RESULT_CODE_SAYS[v];
    return means ? `${v} (${means})` : v;
  }
  const means = NUMERIC_UNCLEAR_SAYS[v];
  return means ? `${v} (${means})` : v;
}

function show(cell: string): string {
  const c = cell.trim();
  return c === '' ? '(blank)' : c;
}

/** The words a host's not-installed map gives an update whose state could not be read (see addCell in hosts.ts). */
export function unclearStateSays(state: string): string {
  return `status "${state.trim()}", not read as installed`;
}

/** The words a host's not-installed map gives an update named in a column of missing updates (see addMissing in hosts.ts). */
export function missingColumnSays(header: string): string {
  return `missing (column ${JSON.stringify(header.trim())})`;
}

/** Whether a not-installed reason is a column of missing updates naming the update. */
export function isMissingColumn(says: string): boolean {
  return says.startsWith('missing (column "') && says.endsWith('")');
}

/** Whether a not-installed reason is an unreadable state rather than a state saying not installed. */
export function isUnclearState(says: string): boolean {
  return says.startsWith('status "') && says.endsWith('", not read as installed');
}

/**
 * Adds the KBs of an update cell to `installed`; KBs the cell itself says are not installed go to
 * `notInstalled` (KB → the words that say so), made when first needed: the map is returned. A cell of
 * several entries ("KB1, KB2 (failed)") is read entry by entry, and a label ("Missing: KB1 KB2;
 * Installed: KB3") holds for the entries after it.
 */
export function addCellKbs(cell: string, installed: Set<string>, notInstalled: Map<string, string> | null): Map<string, string> | null {
  // Most cells hold only KB numbers and list punctuation: every word above has a vowel, and a search
  // for one is several times quicker than for the words.
  if (!HAS_VOWEL.test(cell) || !NOT_INSTALLED.test(cell)) {
    extractKbs(cell, installed);
    return notInstalled;
  }
  let labelSays: string | null = null;
  for (const entry of cell.split(/[,;|\r\n]+/)) {
    const label = /^\s*(\p{L}[\p{L}\s_-]*?)\s*:/u.exec(entry);
    if (label) labelSays = NOT_INSTALLED.test(label[1]!) ? label[1]!.trim() : null;
    const says = NOT_INSTALLED.exec(entry)?.[0] ?? labelSays;
    if (says === null) {
      extractKbs(entry, installed);
      continue;
    }
    const kbs = new Set<string>();
    extractKbs(entry, kbs);
    for (const kb of kbs) (notInstalled ??= new Map()).set(kb, `"${says}"`);
  }
  return notInstalled;
}

/**
 * A cell that says the updates are not known ("Unknown", "Access denied", "TSE-Error: …", "[current
 * result unavailable]"): no evidence either way, unlike an empty list, which says none is installed.
 */
const UNKNOWN_UPDATES =
  /^\W*(?:unknown|unavailable|#n\/a|tbc|tbd|to be confirmed|no data|not (?:scanned|collected|available|reported|known|checked)|pending scan|access denied|\?+)\W*$|\b(?:error|timed?[\s-]*out|unavailable|access denied|not scanned)\b/i;

export function saysUpdatesUnknown(cell: string): boolean {
  return readUnreadUpdates(cell) !== null;
}

/**
 * How an update cell that is no whole list is read: `why` for the evidence; `whole`, the part of a list cut
 * short whose entries are whole ("{KB1, KB2, KB3, KB4...}": the first three; the last may itself be cut),
 * whose updates are installed; `partial`, whether the cell stands for a list of the machine's that was not
 * read in full (cut short, or a type name in its place), so that no other list of the host can show an
 * update missing. Null for a cell read as a list.
 */
export interface UnreadUpdates {
  why: string;
  whole: string;
  partial: boolean;
}

export function readUnreadUpdates(cell: string): UnreadUpdates | null {
  // A list cut short is not the machine's list: an update missing from it may be in the part cut off.
  if (endsCutShort(cell)) {
    // Up to the last separator before the cut: what follows it may be an entry cut in the middle.
    const cut = cell.replace(/[\s}]*(?:\.\.\.|…)[\s}]*$/u, '');
    const sep = Math.max(cut.lastIndexOf(','), cut.lastIndexOf(';'), cut.lastIndexOf('|'), cut.lastIndexOf('\n'), cut.lastIndexOf('\r'), cut.search(/\s\S*$/));
    return { why: 'is a list cut short, so the updates cut off are not known', whole: sep > 0 ? cut.slice(0, sep) : '', partial: true };
  }
  // Short cells only, and none holding a KB number: a list with a stray word is still a list.
  if (/\d{6}/.test(cell)) return null;
  if (isTypeNames(cell)) return { why: "is the type name PowerShell writes for a list it did not export (join the list when exporting: -join ', ')", whole: '', partial: true };
  if (cell.length > 120 || !UNKNOWN_UPDATES.test(cell)) return null;
  return { why: 'says the updates are not known', whole: '', partial: false };
}

/**
 * A .NET type name where the list should be: PowerShell's Export-Csv writes a property holding a list
 * (Get-ComputerInfo's OsHotFixes, a Get-HotFix result) as "System.Object[]",
 * "Microsoft.PowerShell.Commands.HotFix[]" or "System.Collections.Generic.List`1[System.String]". The
 * list was never written: it is not known, not empty.
 */
const TYPE_NAME = /^(?:System|Microsoft)(?:\.[\w`]+)+(?:\[[\w.,` ]*\])*$/;

/**
 * The cell is a type name (TYPE_NAME), or several: `$_.OsHotFixes -join ','` and "$($_.OsHotFixes)" join
 * what each object prints as, "Microsoft.PowerShell.Commands.HotFix", not its KB number.
 */
function isTypeNames(cell: string): boolean {
  const t = cell.trim();
  if (TYPE_NAME.test(t)) return true;
  if (!/^(?:System|Microsoft)\./.test(t)) return false;
  const items = t.split(/[\s,;|]+/);
  return items.every((item) => /^(?:System|Microsoft)(?:\.[\w`]+)+(?:\[\])?$/.test(item));
}

/**
 * Does the cell end the way console output cuts a list short: "{KB1, KB2, KB3, KB4...}" (PowerShell's
 * Format-List and Format-Table show four items, then "..."), or with "…"? Looked at from the end: a long
 * list costs no scan.
 */
function endsCutShort(cell: string): boolean {
  let e = cell.length - 1;
  // Blanks and the closing brace of PowerShell's collection display.
  while (e >= 0 && (cell.charCodeAt(e) <= 0x20 || cell.charCodeAt(e) === 0x7d)) e--;
  if (e < 0) return false;
  if (cell.charCodeAt(e) === 0x2026) return true;
  return e >= 2 && cell.charCodeAt(e) === 0x2e && cell.charCodeAt(e - 1) === 0x2e && cell.charCodeAt(e - 2) === 0x2e;
}
