import type { Host } from '../inventory/types.js';
import type { Severity } from '../rules/types.js';
import { hostValue } from './evaluate-rules.js';
import { truthy } from '../inventory/yes-no.js';
import type { Finding, RiskFactor } from './types.js';

/**
 * Risk score (documented in README "Risk ranking"):
 *   base     = Σ over failing findings of severity points (critical 40, high 20, medium 8, low 3, info 0),
 *              unknown findings count half; a finding tagged wormable or known-exploited counts ×1.5.
 *   exposure = multipliers applied to the base when the host's column says so, or when the column is
 *              missing (an unknown exposure is assumed, so a missing column never lowers the score):
 *              internet-facing ×1.5; SMBv1 enabled ×1.3 (only if an SMB flaw fails); RDP exposed ×1.3
 *              (only if an RDP flaw fails); clinical/critical role ×1.25.
 * Waived and passing findings add nothing. The score is rounded to one decimal.
 */
const SEVERITY_POINTS: Record<Severity, number> = { critical: 40, high: 20, medium: 8, low: 3, info: 0 };

const CRITICAL_ROLE = /\b(?:clinical|critical|life[- ]?support|icu|itu|theatres?|a ?& ?e|ed|emergency|pacs|labs?|laboratory|pathology|radiology|imaging|high|tier ?[01]|patient|medical|infusion|wards?|maternity)\b|^1$/i;
const LOW_ROLE = /^\s*(?:low|tier ?3|non[- ]?critical|test|dev|lab test|test lab|training)\s*$/i;

export interface RuleTraits {
  wormable: boolean;
  smb: boolean;
  rdp: boolean;
}

export function ruleTraits(tags: string[] | undefined, id: string, title: string): RuleTraits {
  const t = (tags ?? []).map((x) => x.toLowerCase());
  const text = `${id} ${title} ${t.join(' ')}`.toLowerCase();
  return {
    wormable: t.includes('wormable') || t.includes('known-exploited'),
    smb: /smb/.test(text) || id === 'MS17-010' || id === 'CVE-2020-0796',
    rdp: /rdp|remote desktop/.test(text) || id === 'CVE-2019-0708',
  };
}

function exposure(host: Host, field: string): { applies: boolean; assumed: boolean } {
  const v = truthy(hostValue(host, field));
  if (v === null) return { applies: true, assumed: true };
  return { applies: v, assumed: false };
}

export function scoreHost(host: Host, findings: Finding[], traits: Map<string, RuleTraits>): { score: number; factors: RiskFactor[] } {
  const factors: RiskFactor[] = [];
  let base = 0;
  let smbFails = false;
  let rdpFails = false;
  for (const f of findings) {
    if (f.status !== 'fail' && f.status !== 'unknown') continue;
    const tr = traits.get(f.ruleId);
    let pts = SEVERITY_POINTS[f.severity];
    if (f.status === 'unknown') pts /= 2;
    if (tr?.wormable) pts *= 1.5;
    if (pts === 0) continue;
    base += pts;
    factors.push({ factor: `${f.ruleId} ${f.status} (${f.severity}${tr?.wormable ? ', wormable/known-exploited ×1.5' : ''}${f.status === 'unknown' ? ', unknown ×0.5' : ''})`, points: round(pts) });
    if (f.status === 'fail' && tr?.smb) smbFails = true;
    if (f.status === 'fail' && tr?.rdp) rdpFails = true;
  }
  if (base === 0) return { score: 0, factors };
  let mult = 1;
  const apply = (name: string, field: string, m: number, when = true) => {
    if (!when) return;
    const e = exposure(host, field);
    if (!e.applies) return;
    mult *= m;
    factors.push({ factor: `${name} ×${m}${e.assumed ? ' (no data; assumed)' : ''}`, points: 0 });
  };
  apply('internet-facing', 'internet_facing', 1.5);
  apply('SMBv1 enabled', 'smb1_enabled', 1.3, smbFails);
  apply('RDP exposed', 'rdp_exposed', 1.3, rdpFails);
  const criticality = hostValue(host, 'criticality').trim();
  const roleText = hostValue(host, 'role').trim();
  const role = `${criticality} ${roleText}`.trim();
  // A yes/no criticality column ("Clinical: Yes") decides by itself; an explicit low one wins over a
  // clinical-sounding role name.
  const flag = truthy(criticality);
  const low = flag === false || LOW_ROLE.test(criticality) || (criticality === '' && LOW_ROLE.test(roleText));
  if (flag === true || role === '' || (CRITICAL_ROLE.test(role) && !low)) {
    mult *= 1.25;
    factors.push({ factor: `critical/clinical role ×1.25${role === '' ? ' (no data; assumed)' : ` (${role})`}`, points: 0 });
  }
  return { score: round(base * mult), factors };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
