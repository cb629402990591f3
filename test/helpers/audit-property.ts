// The property every fuzzed or replayed input must keep (test/fuzz and the saved regressions share it).
import iconv from 'iconv-lite';
import { auditToResult, type AuditOutcome } from '../../src/audit.js';
import { createStyle } from '../../src/cli/style.js';
import { AuditError } from '../../src/errors.js';
import type { HostResult } from '../../src/evaluation/types.js';
import type { loadWaivers } from '../../src/evaluation/waivers.js';
import { renderTable } from '../../src/report/table.js';
import type { LoadedRule } from '../../src/rules/types.js';

export const AS_OF = '2026-11-25';

export type Outcome = AuditOutcome & { hosts: HostResult[] };

/** Run an audit; AuditErrors are fine (returned), anything else propagates; check the invariants of the outcome. */
export async function auditAndCheck(inputs: string[], rules: LoadedRule[], waivers: Awaited<ReturnType<typeof loadWaivers>> | null = null): Promise<Outcome | AuditError> {
  let outcome: Outcome;
  try {
    outcome = await auditToResult({ inputs, rules, asOf: AS_OF, warnDays: 90, waivers });
  } catch (err) {
    if (err instanceof AuditError) return err;
    throw err;
  }
  const s = outcome.summary;
  if (s.rowsAudited + s.rejectedRows !== s.rowsRead) throw new Error(`accounting: rowsAudited ${s.rowsAudited} + rejectedRows ${s.rejectedRows} !== rowsRead ${s.rowsRead}`);
  if (s.rejectedRows !== outcome.rejected.length) throw new Error(`accounting: rejectedRows ${s.rejectedRows} but ${outcome.rejected.length} rejected rows listed`);
  if (s.hosts !== outcome.hosts.length) throw new Error(`accounting: summary.hosts ${s.hosts} but ${outcome.hosts.length} hosts`);
  if (s.compliant + s.nonCompliant + s.unknown !== s.hosts) throw new Error('accounting: compliant + nonCompliant + unknown !== hosts');
  if (s.rowsAudited < 0 || s.rejectedRows < 0) throw new Error('accounting: negative counts');
  for (const r of outcome.rejected) {
    if (!Number.isInteger(r.line) || r.line < 1) throw new Error(`rejected row with line ${r.line}`);
  }
  for (const h of outcome.hosts) {
    // (A waiver may accept an unknown finding on purpose; without one, unknown OS must never pass.)
    if (h.status === 'compliant' && h.os.product === null && !h.findings.some((f) => f.status === 'waived')) throw new Error(`host ${JSON.stringify(h.hostname)} is compliant although its OS was not recognised (${JSON.stringify(h.os.raw).slice(0, 80)})`);
    if (h.hostname.trim() === '') throw new Error('host with an empty hostname');
  }
  if (({} as Record<string, unknown>).polluted !== undefined) throw new Error('Object.prototype polluted');
  checkTable(outcome, inputs);
  return outcome;
}

/** The terminal table without colour must not hold a single control character from the input. */
function checkTable(outcome: Outcome, inputs: string[]): void {
  const report = {
    tool: { name: 'patchaudit', version: '0.0.0' },
    asOf: AS_OF,
    inputs,
    rules: outcome.rules,
    summary: outcome.summary,
    hosts: outcome.hosts,
    rejected: outcome.rejected,
    warnings: outcome.warnings,
    files: outcome.files,
    failOn: 'high',
    waivers: outcome.waivers,
    baseline: outcome.baseline,
    timeline: outcome.timeline,
    showTimeline: true,
  } as unknown as Parameters<typeof renderTable>[0];
  const text = renderTable(report, { style: createStyle(0), explain: true, show: 'all', minSeverity: 'info', width: 120 });
  const bad = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/.exec(text);
  if (bad) throw new Error(`table output holds control character U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0')}: ${JSON.stringify(text.slice(Math.max(0, bad.index - 40), bad.index + 20))}`);
}

/** What must not change between twins: refusal message, rows, rejected lines, hosts and verdicts. */
export function digest(r: Outcome | AuditError): unknown {
  if (r instanceof AuditError) return { refused: r.message.replace(/^[^:]*(?:\/|\\)[^:]*:/, '<file>:') };
  const nl = (x: string) => x.replace(/\r\n?|\n/g, '\n');
  return {
    rowsRead: r.summary.rowsRead,
    rejected: r.rejected.map((x) => x.line).sort((a, b) => a - b),
    hosts: r.hosts.map((h) => `${nl(h.hostname)} ${h.status} ${h.os.product} ${h.os.build} ${h.findings.map((f) => f.status).join(',')} @${h.sources.map((x) => x.line).join(',')}`).sort(),
  };
}

export const TWINS = ['crlf', 'cr', 'utf-16le'] as const;

export function twinOf(bytes: Buffer, kind: (typeof TWINS)[number]): Buffer {
  const text = bytes.toString('utf8');
  if (kind === 'crlf') return Buffer.from(text.replace(/\n/g, '\r\n'));
  if (kind === 'cr') return Buffer.from(text.replace(/\n/g, '\r'));
  return iconv.encode(text, 'utf-16le', { addBOM: true });
}

export function plainUtf8Lf(bytes: Buffer): boolean {
  if (bytes.length === 0 || bytes.length > 100_000 || bytes.includes(0x0d) || bytes.includes(0x00)) return false;
  if (bytes[0] === 0xef || bytes[0] === 0xff || bytes[0] === 0xfe) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

