import { evidenceLine } from './evidence.js';
import { checkTitle } from '../evaluation/checks.js';
import type { Finding, HostResult } from '../evaluation/types.js';
import { describeOs } from '../evaluation/match.js';
import { escapeXml } from './sanitize.js';
import type { AuditReport, Reporter } from './types.js';
import { reportVerdict } from './verdict.js';
import { findingFailsGate, type GatePolicy } from '../evaluation/gate.js';

/**
 * JUnit XML, the test-report format Jenkins, GitLab and Azure DevOps all read: one <testsuite> per
 * rule, one <testcase> per host (classname "patchaudit.RULE", name = hostname), so a CI run shows each
 * failing host × rule as a failed test.
 *
 * The report follows the policy, so a CI system judges the run as the exit code does: a test fails
 * exactly when what it reports fails the run.
 * - fail → <failure type="SEVERITY"> when the finding fails the run (at or above --fail-on; with
 *   --fail-on-new, only when new since the baseline); otherwise a passing case with the finding in
 *   <system-out> ("below the policy").
 * - unknown → <error type="unknown">: the host could not be judged (missing or unrecognised OS data).
 *   It fails the run unless --allow-unknown (or, with --fail-on-new, when it was already unknown), and
 *   is not a verdict of non-compliance either: JUnit's "error" (the test could not run properly) says
 *   exactly that, and CI tools count it apart from failures. When it does not fail the run: a passing
 *   case with the details in <system-out>.
 * - waived → <skipped message="waived: reason (owner, until date)"/>.
 * - warn (end of support is near) → a passing case with the warning in <system-out>.
 * - pass → an empty passing case.
 * - not-applicable → no case (as in the CSV report): for most fleets they are the bulk of the cases,
 *   and GitLab refuses a test report over 30 MB.
 * Rejected inventory rows get a suite of their own, one case per row: <error type="rejected"> when
 * they fail the run (unless --allow-unknown or --fail-on-new), passing with <system-out> otherwise.
 * With --fail-on-stale-waivers, each expired or unused waiver is a <failure type="stale-waiver"> of a
 * STALE-WAIVERS suite.
 * Only attributes Jenkins' xUnit schema (junit-10.xsd) allows are written: <testsuites> has no
 * "skipped" (each <testsuite> has it). Every attribute and text goes through escapeXml (which also
 * replaces characters XML 1.0 cannot carry, such as NUL or ESC from a hostile hostname), and line
 * breaks in attributes become spaces (parsers would normalise them anyway). No timestamps unless the
 * report has generatedAt.
 */

interface Case {
  xml: string;
  failure: boolean;
  error: boolean;
  skipped: boolean;
}

function attr(s: string): string {
  return escapeXml(s.replace(/\r\n|[\r\n\t]/g, ' '));
}

/** A classname segment: dots would make CI tools nest the rule id as packages. */
function classSegment(id: string): string {
  return id.replace(/[.\s]+/g, '_');
}

function details(f: Finding): string {
  const lines = [...f.evidence];
  if (f.remediation) lines.push(`Remediation: ${f.remediation}`);
  if (f.endDate) lines.push(`End of support: ${f.endDate}`);
  if (f.change) lines.push(`Change since baseline: ${f.change}`);
  return lines.join('\n');
}

function hostContext(h: HostResult): string {
  const src = h.sources[0];
  const parts = [`Host: ${h.hostname}`, `OS: ${describeOs(h.os)}`];
  if (h.site) parts.push(`Site: ${h.site}`);
  if (src) parts.push(`Source: ${src.file}:${src.line}`);
  return parts.join('\n');
}

const PASSED: Omit<Case, 'xml'> = { failure: false, error: false, skipped: false };

/** A case with one child element (failure, error, skipped or system-out). */
function withChild(open: string, child: string, kind: Omit<Case, 'xml'> = PASSED): Case {
  return { xml: `${open}>\n      ${child}\n    </testcase>\n`, ...kind };
}

const systemOut = (text: string) => `<system-out>${escapeXml(text)}</system-out>`;

/** Why the policy does not count a failing or unknown finding. */
function notCounted(f: Finding, policy: GatePolicy): string {
  if (f.status === 'unknown') return policy.allowUnknown ? 'unknown, allowed with --allow-unknown' : 'unknown already in the baseline (--fail-on-new)';
  if (policy.failOn === 'none') return `failing (${f.severity}), with --fail-on none`;
  if (findingFailsGate(f, { ...policy, failOnNew: false })) return `failing (${f.severity}) already in the baseline (--fail-on-new)`;
  return `failing (${f.severity}), below --fail-on ${policy.failOn}`;
}

/** The case of one finding, or null for none (not-applicable). `failsRun`: the finding fails the run. */
function testCase(h: HostResult, ruleId: string, f: Finding, failsRun: boolean, policy: GatePolicy): Case | null {
  const open = `    <testcase classname="${attr(`patchaudit.${classSegment(ruleId)}`)}" name="${attr(h.hostname)}" time="0"`;
  const summary = f.evidence.length > 0 ? evidenceLine(f.evidence) : f.status;
  const body = `${details(f)}\n\n${hostContext(h)}`;
  switch (f.status) {
    case 'fail':
      if (!failsRun) return withChild(open, systemOut(`${notCounted(f, policy)}: does not fail the run.\n\n${body}`));
      return withChild(open, `<failure message="${attr(summary)}" type="${attr(f.severity)}">${escapeXml(body)}</failure>`, { ...PASSED, failure: true });
    case 'unknown':
      if (!failsRun) return withChild(open, systemOut(`${notCounted(f, policy)}: does not fail the run.\n\n${body}`));
      return withChild(open, `<error message="${attr(`unknown: ${summary}`)}" type="unknown">${escapeXml(body)}</error>`, { ...PASSED, error: true });
    case 'waived': {
      const w = f.waiver;
      const msg = w ? `waived: ${w.reason} (${w.owner}, until ${w.expires})` : 'waived';
      return withChild(open, `<skipped message="${attr(msg)}"/>`, { ...PASSED, skipped: true });
    }
    case 'not-applicable':
      return null;
    case 'warn':
      return withChild(open, systemOut(`warning: ${body}`));
    default:
      return { xml: `${open}/>\n`, ...PASSED };
  }
}

interface Suite {
  name: string;
  properties: [string, string | undefined][];
  cases: Case[];
}

function suiteXml(s: Suite, timestamp: string): string {
  const count = (k: keyof Omit<Case, 'xml'>) => s.cases.filter((c) => c[k]).length;
  const props = s.properties.filter(([, v]) => v !== undefined).map(([name, value]) => `      <property name="${attr(name)}" value="${attr(value!)}"/>\n`);
  return (
    `  <testsuite name="${attr(s.name)}" tests="${s.cases.length}" failures="${count('failure')}" errors="${count('error')}" skipped="${count('skipped')}" time="0"${timestamp}>\n` +
    `    <properties>\n${props.join('')}    </properties>\n` +
    s.cases.map((c) => c.xml).join('') +
    `  </testsuite>\n`
  );
}

export const renderJunit: Reporter = (report: AuditReport) => {
  const verdict = reportVerdict(report);
  // Suites: the rule set in its order, then the fail-closed checks findings use, in first-seen order.
  const ruleSuites: { id: string; title: string; severity?: string; pack?: string; version?: string; dataAsOf?: string }[] = report.rules.map((l) => ({
    id: l.rule.id,
    title: l.rule.title,
    severity: l.rule.severity,
    pack: l.pack,
    version: l.packVersion,
    dataAsOf: l.dataAsOf,
  }));
  const known = new Set(ruleSuites.map((s) => s.id));
  for (const h of report.hosts) {
    for (const f of h.findings) {
      if (!known.has(f.ruleId)) {
        known.add(f.ruleId);
        ruleSuites.push({ id: f.ruleId, title: checkTitle(f.ruleId), severity: f.severity });
      }
    }
  }

  const suites: Suite[] = ruleSuites.map((s) => {
    const cases: Case[] = [];
    for (const h of report.hosts) {
      for (const f of h.findings) {
        if (f.ruleId !== s.id) continue;
        const c = testCase(h, s.id, f, verdict.findingFails(h, f), verdict.policy);
        if (c) cases.push(c);
      }
    }
    return { name: `${s.id}: ${s.title}`, properties: [['severity', s.severity], ['pack', s.pack], ['packVersion', s.version], ['dataAsOf', s.dataAsOf], ['asOf', report.asOf]], cases };
  });
  // Rows that could not be audited fail the run too (unless --allow-unknown or --fail-on-new): a CI
  // system reading only this report must see them, as errors of their own suite, one case per row (file:line).
  if (report.summary.rejectedRows > 0) {
    const fails = verdict.rejectedRowsFail;
    const rejectedCase = (name: string, message: string, text: string) => {
      const open = `    <testcase classname="patchaudit.REJECTED" name="${attr(name)}" time="0"`;
      if (!fails) return withChild(open, systemOut(`${text} (allowed by the policy: does not fail the run)`));
      return withChild(open, `<error message="${attr(message)}" type="rejected">${escapeXml(text)}</error>`, { ...PASSED, error: true });
    };
    const cases = report.rejected.map((r) => rejectedCase(`${r.file}:${r.line}`, `rejected: ${r.reason}`, `Row ${r.line} of ${r.file} could not be audited: ${r.reason}`));
    const more = report.summary.rejectedRows - report.rejected.length;
    if (more > 0) cases.push(rejectedCase(`${more} more`, `${more} more rows rejected (listed in the JSON report)`, `${more} more rows rejected (listed in the JSON report)`));
    suites.push({ name: 'REJECTED: inventory rows that could not be audited', properties: [['asOf', report.asOf]], cases });
  }
  // With --fail-on-stale-waivers, waivers that expired or match nothing fail the run: one failure each.
  if (verdict.staleWaiversFail) {
    const cases = verdict.staleWaivers.map((w) => {
      const expired = 'matched' in w;
      const what = expired ? `expired ${w.entry.expires} and no longer applies` : 'matches no finding';
      const where = `${w.file}${w.line ? `:${w.line}` : ''} ${w.path}`;
      const open = `    <testcase classname="patchaudit.STALE-WAIVERS" name="${attr(`${w.file} ${w.path}`)}" time="0"`;
      const text = `Waiver ${where} (owner ${w.entry.owner}, rules ${w.entry.rules.join(', ')}): ${w.entry.reason}\nIt ${what}; remove or renew it.`;
      return withChild(open, `<failure message="${attr(`${expired ? 'expired' : 'unused'}: ${w.path} ${what}`)}" type="stale-waiver">${escapeXml(text)}</failure>`, { ...PASSED, failure: true });
    });
    suites.push({ name: 'STALE-WAIVERS: waivers that expired or match nothing', properties: [['asOf', report.asOf]], cases });
  }

  const ts = report.generatedAt ? ` timestamp="${attr(report.generatedAt.replace(/Z$/, '').replace(/\.\d+$/, ''))}"` : '';
  const all = suites.flatMap((s) => s.cases);
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    // No "skipped" here: Jenkins' xUnit schema does not allow it on <testsuites> (each suite has it).
    `<testsuites name="patchaudit" tests="${all.length}" failures="${all.filter((c) => c.failure).length}" errors="${all.filter((c) => c.error).length}" time="0">\n` +
    suites.map((s) => suiteXml(s, ts)).join('') +
    '</testsuites>\n'
  );
};
