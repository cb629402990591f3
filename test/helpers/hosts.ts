import { compileRuleSet, evaluateHost } from '../../src/evaluation/evaluate-host.js';
import type { Finding } from '../../src/evaluation/types.js';
import { normaliseOs, type OsInput } from '../../src/inventory/normalise-os.js';
import type { Host } from '../../src/inventory/types.js';
import type { LoadedRule } from '../../src/rules/types.js';

/** A host of one inventory row with this OS and, when given, this ESU cell: for evaluating rules directly. */
export function syntheticHost(os: OsInput, esu?: string): Host {
  return {
    hostname: 'H',
    key: 'h',
    sources: [{ file: 'synthetic.csv', line: 2 }],
    os: normaliseOs(os),
    kbs: new Set(),
    kbEvidence: false,
    fields: esu === undefined ? {} : { esu },
    columns: Object.create(null),
  };
}

/** One rule's finding (WIN-EOS unless said) for a host of this OS, audited on this date against these rules. */
export function osFinding(rules: LoadedRule[], os: OsInput, asOf: string, opts: { esu?: string; ruleId?: string } = {}): Finding {
  const set = compileRuleSet(rules, { asOf, warnDays: 90 });
  const f = evaluateHost(syntheticHost(os, opts.esu), set).findings.find((x) => x.ruleId === (opts.ruleId ?? 'WIN-EOS'));
  if (!f) throw new Error('no finding');
  return f;
}
