import { evidenceLine } from './evidence.js';
import { checkTitle } from '../evaluation/checks.js';
import type { Finding, HostResult } from '../evaluation/types.js';
import { describeOs } from '../evaluation/match.js';
import { escapeXml } from './sanitize.js';
import type { AuditReport, Reporter } from './types.js';

/**
 * JUnit XML, the test-report format Jenkins, GitLab and Azure DevOps all read: one <testsuite> per
 * rule, one <testcase> per host (classname "patchaudit.RULE", name = hostname), so a CI run shows each
 * failing host × rule as a failed test.
 *
 * Mapping (the choice for unknown is deliberate):
 * - fail → <failure type="SEVERITY">: the host is non-compliant.
 * - unknown → <error type="unknown">: the host could not be judged (missing or unrecognised OS data).
 *   It fails the run by default (the gate counts unknown hosts unless --allow-unknown), so it must not
 *   look like a pass or a skip, but it is not a verdict of non-compliance either: JUnit's "error"
 *   (the test could not run properly) says exactly that, and CI tools count it apart from failures.
 * - not-applicable → <skipped message="not applicable"/> (left out with --show failing: for most
 *   fleets they are the bulk of the cases and carry no information).
 * - waived → <skipped message="waived: reason (owner, until date)"/>.
 * - warn (end of support is near) → a passing case with the warning in <system-out>.
 * - pass → an empty passing case.
 * Rejected inventory rows get a suite of their own: one <error type="rejected"> case per row.
 * Every attribute and text goes through escapeXml (which also replaces characters XML 1.0 cannot
 * carry, such as NUL or ESC from a hostile hostname), and line breaks in attributes become spaces
 * (parsers would normalise them anyway). No timestamps unless the report has generatedAt.
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

function testCase(h: HostResult, ruleId: string, f: Finding): Case {
  const open = `    <testcase classname="${attr(`patchaudit.${classSegment(ruleId)}`)}" name="${attr(h.hostname)}" time="0"`;
  const summary = f.evidence.length > 0 ? evidenceLine(f.evidence) : f.status;
  const body = (text: string) => escapeXml(text);
  switch (f.status) {
    case 'fail':
      return {
        xml: `${open}>\n      <failure message="${attr(summary)}" type="${attr(f.severity)}">${body(`${details(f)}\n\n${hostContext(h)}`)}</failure>\n    </testcase>\n`,
        failure: true,
        error: false,
        skipped: false,
      };
    case 'unknown':
      return {
        xml: `${open}>\n      <error message="${attr(`unknown: ${summary}`)}" type="unknown">${body(`${details(f)}\n\n${hostContext(h)}`)}</error>\n    </testcase>\n`,
        failure: false,
        error: true,
        skipped: false,
      };
    case 'waived': {
      const w = f.waiver;
      const msg = w ? `waived: ${w.reason} (${w.owner}, until ${w.expires})` : 'waived';
      return { xml: `${open}>\n      <skipped message="${attr(msg)}"/>\n    </testcase>\n`, failure: false, error: false, skipped: true };
    }
    case 'not-applicable':
      return { xml: `${open}>\n      <skipped message="not applicable"/>\n    </testcase>\n`, failure: false, error: false, skipped: true };
    case 'warn':
      return { xml: `${open}>\n      <system-out>${body(`warning: ${details(f)}\n\n${hostContext(h)}`)}</system-out>\n    </testcase>\n`, failure: false, error: false, skipped: false };
    default:
      return { xml: `${open}/>\n`, failure: false, error: false, skipped: false };
  }
}

export const renderJunit: Reporter = (report: AuditReport, ctx) => {
  // Suites: the rule set in its order, then the fail-closed checks findings use, in first-seen order.
  const suites: { id: string; title: string; severity?: string; pack?: string; version?: string; dataAsOf?: string }[] = report.rules.map((l) => ({
    id: l.rule.id,
    title: l.rule.title,
    severity: l.rule.severity,
    pack: l.pack,
    version: l.packVersion,
    dataAsOf: l.dataAsOf,
  }));
  const known = new Set(suites.map((s) => s.id));
  for (const h of report.hosts) {
    for (const f of h.findings) {
      if (!known.has(f.ruleId)) {
        known.add(f.ruleId);
        suites.push({ id: f.ruleId, title: checkTitle(f.ruleId), severity: f.severity });
      }
    }
  }

  let tests = 0;
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  const body: string[] = [];
  for (const s of suites) {
    const cases: Case[] = [];
    for (const h of report.hosts) {
      for (const f of h.findings) {
        if (f.ruleId !== s.id) continue;
        if (f.status === 'not-applicable' && ctx.show !== 'all') continue;
        cases.push(testCase(h, s.id, f));
      }
    }
    const n = { tests: cases.length, failures: cases.filter((c) => c.failure).length, errors: cases.filter((c) => c.error).length, skipped: cases.filter((c) => c.skipped).length };
    tests += n.tests;
    failures += n.failures;
    errors += n.errors;
    skipped += n.skipped;
    const ts = report.generatedAt ? ` timestamp="${attr(report.generatedAt.replace(/Z$/, '').replace(/\.\d+$/, ''))}"` : '';
    const props: string[] = [];
    const prop = (name: string, value: string | undefined) => {
      if (value !== undefined) props.push(`      <property name="${attr(name)}" value="${attr(value)}"/>\n`);
    };
    prop('severity', s.severity);
    prop('pack', s.pack);
    prop('packVersion', s.version);
    prop('dataAsOf', s.dataAsOf);
    prop('asOf', report.asOf);
    body.push(
      `  <testsuite name="${attr(`${s.id}: ${s.title}`)}" tests="${n.tests}" failures="${n.failures}" errors="${n.errors}" skipped="${n.skipped}" time="0"${ts}>\n` +
        `    <properties>\n${props.join('')}    </properties>\n` +
        cases.map((c) => c.xml).join('') +
        `  </testsuite>\n`,
    );
  }
  // Rows that could not be audited fail the run too (unless --allow-unknown): a CI system reading only
  // this report must see them, as errors of their own suite, one case per row (file:line).
  if (report.summary.rejectedRows > 0) {
    const cases = report.rejected.map(
      (r) =>
        `    <testcase classname="patchaudit.REJECTED" name="${attr(`${r.file}:${r.line}`)}" time="0">\n` +
        `      <error message="${attr(`rejected: ${r.reason}`)}" type="rejected">${escapeXml(`Row ${r.line} of ${r.file} could not be audited: ${r.reason}`)}</error>\n    </testcase>\n`,
    );
    const more = report.summary.rejectedRows - report.rejected.length;
    if (more > 0) {
      cases.push(`    <testcase classname="patchaudit.REJECTED" name="${more} more" time="0">\n      <error message="${more} more rows rejected (listed in the JSON report)" type="rejected"/>\n    </testcase>\n`);
    }
    tests += cases.length;
    errors += cases.length;
    body.push(`  <testsuite name="REJECTED: inventory rows that could not be audited" tests="${cases.length}" failures="0" errors="${cases.length}" skipped="0" time="0">\n${cases.join('')}  </testsuite>\n`);
  }
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="patchaudit" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="0">\n` +
    body.join('') +
    '</testsuites>\n'
  );
};
