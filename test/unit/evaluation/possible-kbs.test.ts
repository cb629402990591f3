/**
 * Updates that only secondary sources say contain a fix (the May 2017 security-only updates for MS17-010,
 * windows-facts.md §1.2 [S11b]): not counted as the fix, and not ruled out, so a host relying on one alone
 * is unknown, never a confident fail or a pass.
 */
import { compileRuleSet, evaluateHost } from '../../../src/evaluation/evaluate-host.js';
import type { Finding } from '../../../src/evaluation/types.js';
import type { OsInput } from '../../../src/inventory/normalise-os.js';
import { loadBuiltinPack, loadRules } from '../../../src/rules/load-rules.js';
import type { LoadedRule, PatchRule } from '../../../src/rules/types.js';
import { syntheticHost } from '../../helpers/hosts.js';

let loaded: LoadedRule[];

beforeAll(async () => {
  loaded = await loadRules(['ms17-010']);
});

function ms17(os: OsInput, kbs: string[], asOf = '2026-11-25'): Finding {
  const host = { ...syntheticHost(os), kbs: new Set(kbs), kbEvidence: true };
  return evaluateHost(host, compileRuleSet(loaded, { asOf, warnDays: 90 })).findings.find((f) => f.ruleId === 'MS17-010')!;
}

const WIN7 = { osName: 'Microsoft Windows 7 Enterprise', osVersion: '6.1.7601' };

describe('possibleKbs: secondary evidence of a fix', () => {
  test('the May 2017 security-only update alone: unknown (kb-secondary), with the reason', () => {
    const f = ms17(WIN7, ['KB4019263']);
    expect(f.status).toBe('unknown');
    expect(f.decidedBy).toBe('kb-secondary');
    expect(f.evidence[0]).toBe('KB4019263 installed: only secondary sources say it contains the fix, so it is not counted, nor ruled out');
  });

  test('beside a confirmed fix: pass; beside the April update that lacks it: still unknown', () => {
    expect(ms17(WIN7, ['KB4019263', 'KB4012212']).status).toBe('pass');
    expect(ms17(WIN7, ['KB4019263', 'KB4015546']).status).toBe('unknown');
    expect(ms17(WIN7, ['KB4015546']).status).toBe('fail');
  });

  test('at an audit date before it came out (May 2017), it is no candidate: fail', () => {
    expect(ms17(WIN7, ['KB4019263'], '2017-04-20').status).toBe('fail');
  });

  test('every platform pack entry lists its May 2017 security-only update, and each is cited', () => {
    const rule = loadBuiltinPack('ms17-010').rules[0] as PatchRule;
    const byProduct = (p: string) => rule.targets.find((t) => [t.match.product].flat().includes(p))!;
    expect(byProduct('Windows 7').possibleKbs).toEqual(['KB4019263']);
    expect(byProduct('Windows Server 2012').possibleKbs).toEqual(['KB4019214']);
    expect(byProduct('Windows 8.1').possibleKbs).toEqual(['KB4019213']);
    for (const t of rule.targets) for (const kb of t.possibleKbs ?? []) expect([kb, t.source.includes(kb)]).toEqual([kb, true]);
  });
});
