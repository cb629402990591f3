#!/usr/bin/env node
// Writes fixtures/sample-trust-inventory.csv (a fictional NHS-style hospital trust, ~300 machines)
// and fixtures/sample-trust-inventory.expected.json (the verdicts each machine should get).
//
// Plain Node ESM, no dependencies, deterministic: a seeded PRNG drives every choice, so running it
// twice gives byte-identical files. Run from anywhere: `node scripts/make-sample-inventory.js`.
//
// Every host, user, site and date is invented. The verdicts are derived from the facts in the
// project's research notes (windows-facts.md, rollup-catalog.csv) as of AS_OF; the derivation is
// the small "oracle" below, which works from what each row was generated to be (product, service
// pack, build/revision, KBs), not by re-parsing the strings written to the CSV.

import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const AS_OF = '2026-11-25';
/** WIN-EOS / OS-EOS warn when the end of support falls within this many days after AS_OF. */
export const WARN_DAYS = 90;

// ---------------------------------------------------------------------------------------------
// PRNG (mulberry32) and helpers
// ---------------------------------------------------------------------------------------------

export function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function addDays(iso, days) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const WARN_UNTIL = addDays(AS_OF, WARN_DAYS); // 2027-02-23

// ---------------------------------------------------------------------------------------------
// KB facts used by the oracle (a subset of rollup-catalog.csv plus the direct fix KBs).
// kind: so = security-only, mr = monthly rollup, pr = preview rollup, cu = Windows 10 cumulative,
// sa = standalone. Only KBs that this generator (or the export fixtures) actually use are listed;
// any other KB is treated as irrelevant to every rule.
// ---------------------------------------------------------------------------------------------

export const KB_FACTS = {
  // Windows 7 SP1 / Server 2008 R2 SP1
  KB3212646: { fam: 'win7', kind: 'mr', month: '2017-01' }, // January 2017 MR: before the fix
  KB4012212: { fam: 'win7', kind: 'so', month: '2017-03' },
  KB4012215: { fam: 'win7', kind: 'mr', month: '2017-03' },
  KB4015546: { fam: 'win7', kind: 'so', month: '2017-04' }, // April SO: does NOT contain MS17-010
  KB4015549: { fam: 'win7', kind: 'mr', month: '2017-04' },
  KB4019264: { fam: 'win7', kind: 'mr', month: '2017-05' },
  KB4022719: { fam: 'win7', kind: 'mr', month: '2017-06' },
  KB4038777: { fam: 'win7', kind: 'mr', month: '2017-09' },
  KB4038779: { fam: 'win7', kind: 'so', month: '2017-09' },
  KB4103718: { fam: 'win7', kind: 'mr', month: '2018-05' },
  KB4480970: { fam: 'win7', kind: 'mr', month: '2019-01' },
  KB4493472: { fam: 'win7', kind: 'mr', month: '2019-04' },
  KB4499164: { fam: 'win7', kind: 'mr', month: '2019-05' },
  KB4499175: { fam: 'win7', kind: 'so', month: '2019-05' },
  KB4503292: { fam: 'win7', kind: 'mr', month: '2019-06' },
  KB4474419: { fam: 'win7', kind: 'sa', month: '2019-09' }, // SHA-2 support update
  KB4524157: { fam: 'win7', kind: 'mr', month: '2019-10' }, // out-of-band MR 2019-10-03
  KB4534310: { fam: 'win7', kind: 'mr', month: '2020-01' },
  KB4534314: { fam: 'win7', kind: 'so', month: '2020-01' },
  KB5022338: { fam: 'win7', kind: 'mr', month: '2023-01' }, // ESU year 3
  KB5034169: { fam: 'win7', kind: 'mr', month: '2024-01' }, // Server 2008 R2 only (Azure ESU)
  // Server 2008 SP2 (Vista shares KB4012598)
  KB4012598: { fam: 'oob2017', kind: 'sa', month: '2017-03' },
  KB4018466: { fam: 'ws2008', kind: 'sa', month: '2017-05' },
  KB4458010: { fam: 'ws2008', kind: 'mr', month: '2018-09' },
  KB4499149: { fam: 'ws2008', kind: 'mr', month: '2019-05' },
  KB4499180: { fam: 'ws2008', kind: 'so', month: '2019-05' },
  KB4503273: { fam: 'ws2008', kind: 'mr', month: '2019-06' },
  KB4534303: { fam: 'ws2008', kind: 'mr', month: '2020-01' },
  // Server 2012
  KB4012214: { fam: 'ws2012', kind: 'so', month: '2017-03' },
  KB4012217: { fam: 'ws2012', kind: 'mr', month: '2017-03' },
  KB4015548: { fam: 'ws2012', kind: 'so', month: '2017-04' }, // April SO: not a fix
  KB4015551: { fam: 'ws2012', kind: 'mr', month: '2017-04' },
  KB4019216: { fam: 'ws2012', kind: 'mr', month: '2017-05' },
  KB4520007: { fam: 'ws2012', kind: 'mr', month: '2019-10' },
  KB5061059: { fam: 'ws2012', kind: 'mr', month: '2025-06' },
  // Windows 8.1 / Server 2012 R2
  KB4012213: { fam: 'win81', kind: 'so', month: '2017-03' },
  KB4012216: { fam: 'win81', kind: 'mr', month: '2017-03' },
  KB4015547: { fam: 'win81', kind: 'so', month: '2017-04' }, // April SO: not a fix
  KB4015550: { fam: 'win81', kind: 'mr', month: '2017-04' },
  KB4019215: { fam: 'win81', kind: 'mr', month: '2017-05' },
  KB4520005: { fam: 'win81', kind: 'mr', month: '2019-10' },
  KB5061018: { fam: 'win81', kind: 'mr', month: '2025-06' },
  KB5062597: { fam: 'win81', kind: 'mr', month: '2025-07' },
  // Windows 10 1607 / LTSB 2016 / Server 2016 cumulative updates
  KB4013429: { fam: 'w1607', kind: 'cu', month: '2017-03', build: 953 },
  KB4019472: { fam: 'w1607', kind: 'cu', month: '2017-05', build: 1198 },
  KB5055521: { fam: 'w1607', kind: 'cu', month: '2025-04', build: 7969 },
  KB5087537: { fam: 'w1607', kind: 'cu', month: '2026-05', build: 9140 },
  KB5094122: { fam: 'w1607', kind: 'cu', month: '2026-06', build: 9234 },
  // Windows 10 1909: SMBGhost out-of-band fix
  KB4551762: { fam: 'w1909', kind: 'sa', month: '2020-03' },
  // XP / 2003 BlueKeep out-of-band fix
  KB4500331: { fam: 'oob2019', kind: 'sa', month: '2019-05' },
};

/** Normalise "kb4012212", "4012212", "KB 4012212" to "KB4012212". */
export function normKb(s) {
  const m = /(?:KB|Q)?\s*(\d{6,7})/i.exec(String(s));
  return m ? `KB${m[1]}` : null;
}

// ---------------------------------------------------------------------------------------------
// Lifecycle (windows-facts.md §2) — last day of support, and ESU end where a programme exists.
// ---------------------------------------------------------------------------------------------

const W10 = {
  // release: [consumer (Home/Pro) end, enterprise (Ent/Edu) end]
  1507: ['2017-05-09', '2017-05-09'],
  1511: ['2017-10-10', '2017-10-10'],
  1607: ['2018-04-10', '2019-04-09'],
  1703: ['2018-10-09', '2019-10-08'],
  1709: ['2019-04-09', '2020-10-13'],
  1803: ['2019-11-12', '2021-05-11'],
  1809: ['2020-11-10', '2021-05-11'],
  1903: ['2020-12-08', '2020-12-08'],
  1909: ['2021-05-11', '2022-05-10'],
  2004: ['2021-12-14', '2021-12-14'],
  '20H2': ['2022-05-10', '2023-05-09'],
  '21H1': ['2022-12-13', '2022-12-13'],
  '21H2': ['2023-06-13', '2024-06-11'],
  '22H2': ['2025-10-14', '2025-10-14'],
};
const W10_LTSC = {
  1507: '2025-10-14', // LTSB 2015
  1607: '2026-10-13', // LTSB 2016
  1809: '2029-01-09', // LTSC 2019
  '21H2': '2027-01-12', // LTSC 2021
};
const W10_IOT_LTSC = { '21H2': '2032-01-13', 1809: '2029-01-09' };
const W11 = {
  '21H2': ['2023-10-10', '2024-10-08'],
  '22H2': ['2024-10-08', '2025-10-14'],
  '23H2': ['2025-11-11', '2026-11-10'],
  '24H2': ['2026-10-13', '2027-10-12'],
  '25H2': ['2027-10-12', '2028-10-10'],
};
const W11_LTSC = { '24H2': '2029-10-09' };
const W11_IOT_LTSC = { '24H2': '2034-10-10' };

const FIXED = {
  'Windows 2000': { end: '2010-07-13' },
  'Windows XP': { end: '2014-04-08' },
  'Windows XP Embedded': { end: '2016-01-12' },
  'Windows Embedded POSReady 2009': { end: '2019-04-09' },
  'Windows Server 2003': { end: '2015-07-14' },
  'Windows Vista': { end: '2017-04-11' },
  'Windows Server 2008': { end: '2020-01-14', esuEnd: '2024-01-09' },
  'Windows 7': { end: '2020-01-14', esuEnd: '2023-01-10' },
  'Windows Server 2008 R2': { end: '2020-01-14', esuEnd: '2024-01-09' },
  'Windows 8': { end: '2016-01-12' },
  'Windows 8.1': { end: '2023-01-10' },
  'Windows Server 2012': { end: '2023-10-10', esuEnd: '2026-10-13' },
  'Windows Server 2012 R2': { end: '2023-10-10', esuEnd: '2026-10-13' },
  'Windows Server 2016': { end: '2027-01-12' },
  'Windows Server 2019': { end: '2029-01-09' },
  'Windows Server 2022': { end: '2031-10-14' },
  'Windows Server 2025': { end: '2034-11-14' },
};

function lifeVerdict(end, esuEnd, esu) {
  if (AS_OF <= end) return end <= WARN_UNTIL ? 'warn' : 'pass';
  if (esu && esuEnd && AS_OF <= esuEnd) return esuEnd <= WARN_UNTIL ? 'warn' : 'pass';
  return 'fail';
}

// OS-EOS: Linux / macOS end of standard support (general knowledge, not in the research notes).
const OTHER_EOS = {
  'Ubuntu 16.04': '2021-04-30',
  'Ubuntu 18.04': '2023-05-31',
  'Ubuntu 20.04': '2025-05-31',
  'Ubuntu 22.04': '2027-04-01',
  'Ubuntu 24.04': '2029-04-25',
  'Red Hat Enterprise Linux 6': '2020-11-30',
  'Red Hat Enterprise Linux 7': '2024-06-30',
  'Red Hat Enterprise Linux 8': '2029-05-31',
  'Red Hat Enterprise Linux 9': '2032-05-31',
  'CentOS 7': '2024-06-30',
  'macOS 12': '2024-09-16',
  'macOS 13': '2025-09-15',
  'macOS 15': '2027-09-30',
};

// ---------------------------------------------------------------------------------------------
// The oracle. `s` describes what a host IS:
//   family: windows | linux | macos | other | unknown
//   product, release, editionClass (consumer|enterprise|ltsc|iot-ltsc|null), server (bool)
//   sp (number|null), build (number|null), revision (number|null)
//   kbs: string[] (normalised), kbEvidence: bool (a KB column/list existed for the host)
//   esu: bool
// Returns verdicts for the five built-in rules, plus a list of the rule ids whose verdict rests on
// an unclear fact (those are left out of the expected file) and notes.
// ---------------------------------------------------------------------------------------------

const NA = 'not-applicable';

export function oracle(s) {
  const out = { product: s.product ?? null, release: s.release ?? null };
  const v = {};
  const uncertain = new Set(s.uncertain ?? []);
  const notes = [...(s.notes ?? [])];
  const kbs = new Set((s.kbs ?? []).map(normKb).filter(Boolean));
  const ev = s.kbEvidence !== false;
  const has = (...ids) => ids.some((k) => kbs.has(k));
  const laterRollup = (fam, fromMonth) =>
    [...kbs].some((k) => {
      const f = KB_FACTS[k];
      return f && f.fam === fam && (f.kind === 'mr' || f.kind === 'pr' || f.kind === 'cu') && f.month >= fromMonth;
    });
  const byKb = (fixed) => (fixed ? 'pass' : ev ? 'fail' : 'unknown');

  if (s.family === 'unknown' || (s.family === 'windows' && !s.product)) {
    for (const r of ['MS17-010', 'WIN-EOS']) v[r] = 'unknown';
    for (const r of ['CVE-2019-0708', 'CVE-2020-0796', 'OS-EOS']) uncertain.add(r);
    return finish(out, v, uncertain, notes);
  }
  if (s.family !== 'windows') {
    v['MS17-010'] = NA;
    v['WIN-EOS'] = NA;
    v['CVE-2019-0708'] = NA;
    v['CVE-2020-0796'] = NA;
    if (s.family === 'linux' || s.family === 'macos') {
      const key = `${s.product} ${s.release}`;
      const end = s.product ? OTHER_EOS[key] : undefined;
      v['OS-EOS'] = end ? lifeVerdict(end) : 'unknown';
      if (end) notes.push(`OS-EOS: ${key} end of standard support ${end} (general knowledge, not in the research notes)`);
      else notes.push('OS-EOS unknown: distribution/version not identified');
    } else {
      // OS-EOS covers the other family too (VMware ESXi); phones and tablets have no lifecycle data.
      v['OS-EOS'] = 'unknown';
      notes.push('no lifecycle data for this platform: the host is unknown, never compliant by default');
    }
    return finish(out, v, uncertain, notes);
  }

  const p = s.product;
  const sp = s.sp;
  const rev = s.revision;

  // ---------------- MS17-010 ----------------
  switch (p) {
    case 'Windows 2000':
      v['MS17-010'] = 'fail'; // affected, no update exists
      break;
    case 'Windows XP':
      if (s.ntVersion === '5.2') v['MS17-010'] = sp !== null && sp < 2 ? 'fail' : byKb(has('KB4012598'));
      else if (sp !== null && sp < 3) v['MS17-010'] = 'fail'; // no update for XP SP2 x86
      else v['MS17-010'] = byKb(has('KB4012598'));
      break;
    case 'Windows Server 2003':
      v['MS17-010'] = sp !== null && sp < 2 ? 'fail' : byKb(has('KB4012598'));
      break;
    case 'Windows Vista':
    case 'Windows 8':
      v['MS17-010'] = p === 'Windows Vista' && sp !== null && sp < 2 ? 'fail' : byKb(has('KB4012598'));
      break;
    case 'Windows Server 2008':
      v['MS17-010'] = sp !== null && sp < 2 ? 'fail' : byKb(has('KB4012598', 'KB4018466'));
      break;
    case 'Windows 7':
    case 'Windows Server 2008 R2':
      v['MS17-010'] =
        sp !== null && sp < 1 ? 'fail' : byKb(has('KB4012212', 'KB4012215') || laterRollup('win7', '2017-03'));
      break;
    case 'Windows Server 2012':
      v['MS17-010'] = byKb(has('KB4012214', 'KB4012217') || laterRollup('ws2012', '2017-03'));
      break;
    case 'Windows 8.1':
    case 'Windows Server 2012 R2':
      v['MS17-010'] = byKb(has('KB4012213', 'KB4012216') || laterRollup('win81', '2017-03'));
      break;
    case 'Windows 10':
    case 'Windows Server 2016': {
      const min = { 10240: 17319, 10586: 839, 14393: 953 }[s.build];
      if (min === undefined) {
        v['MS17-010'] = s.build >= 15063 ? NA : 'unknown';
      } else if (rev !== null && rev !== undefined) {
        v['MS17-010'] = rev >= min ? 'pass' : 'fail';
      } else if (s.build === 14393 && (has('KB4013429') || laterRollup('w1607', '2017-03'))) {
        v['MS17-010'] = 'pass';
      } else {
        v['MS17-010'] = 'unknown';
        if (ev) notes.push('no revision (UBR) and no qualifying cumulative update in the KB list');
      }
      break;
    }
    default:
      v['MS17-010'] = NA; // Windows 11, Server 2019/2022/2025: not affected
  }

  // ---------------- WIN-EOS ----------------
  if (p === 'Windows 10' || p === 'Windows 11') {
    const cls = s.editionClass;
    const table = p === 'Windows 10' ? W10 : W11;
    const ltsc = p === 'Windows 10' ? W10_LTSC : W11_LTSC;
    const iot = p === 'Windows 10' ? W10_IOT_LTSC : W11_IOT_LTSC;
    const esuEnd = p === 'Windows 10' && s.release === '22H2' ? '2028-10-10' : undefined;
    if (!s.release) v['WIN-EOS'] = 'unknown';
    else if (cls === 'ltsc') v['WIN-EOS'] = lifeVerdict(ltsc[s.release]);
    else if (cls === 'iot-ltsc') v['WIN-EOS'] = lifeVerdict(iot[s.release]);
    else if (cls === 'consumer' || cls === 'enterprise') {
      const end = table[s.release][cls === 'consumer' ? 0 : 1];
      v['WIN-EOS'] = lifeVerdict(end, esuEnd, s.esu);
      if (s.esu && cls === 'consumer' && esuEnd) {
        uncertain.add('WIN-EOS');
        notes.push('consumer ESU end unclear (2026-10-13 vs 2027-10-12); commercial ESU runs to 2028-10-10');
      }
    } else {
      // Edition not given: every servicing class the build could be must agree.
      const [w, e] = table[s.release];
      const alts = [lifeVerdict(w, esuEnd, s.esu), lifeVerdict(e, esuEnd, s.esu)];
      if (ltsc[s.release]) alts.push(lifeVerdict(ltsc[s.release]));
      if (iot[s.release]) alts.push(lifeVerdict(iot[s.release]));
      v['WIN-EOS'] = alts.every((x) => x === alts[0]) ? alts[0] : 'unknown';
      if (v['WIN-EOS'] === 'unknown') notes.push('edition not given: the possible editions (Home/Pro, Enterprise/Education, LTSC) have different end dates');
    }
  } else {
    const f = FIXED[p];
    v['WIN-EOS'] = f ? lifeVerdict(f.end, f.esuEnd, s.esu) : 'unknown';
  }

  // ---------------- CVE-2019-0708 (BlueKeep) ----------------
  switch (p) {
    case 'Windows XP':
    case 'Windows Server 2003':
      // KB4500331 exists for XP SP3 x86, XP x64 SP2 and Server 2003 SP2 only
      if (sp !== null && sp < (s.ntVersion === '5.2' ? 2 : 3)) v['CVE-2019-0708'] = 'fail';
      else v['CVE-2019-0708'] = byKb(has('KB4500331'));
      break;
    case 'Windows Vista':
      v['CVE-2019-0708'] = 'fail'; // affected, no Microsoft fix found
      break;
    case 'Windows Server 2008':
      v['CVE-2019-0708'] =
        sp !== null && sp < 2 ? 'fail' : byKb(has('KB4499180', 'KB4499149') || laterRollup('ws2008', '2019-06'));
      break;
    case 'Windows 7':
    case 'Windows Server 2008 R2':
      v['CVE-2019-0708'] =
        sp !== null && sp < 1 ? 'fail' : byKb(has('KB4499175', 'KB4499164') || laterRollup('win7', '2019-06'));
      break;
    case 'Windows 2000':
      uncertain.add('CVE-2019-0708'); // not in MSRC's affected list; rule coverage unclear
      break;
    default:
      v['CVE-2019-0708'] = NA;
  }

  // ---------------- CVE-2020-0796 (SMBGhost) ----------------
  if ((p === 'Windows 10' || p === 'Windows Server') && (s.build === 18362 || s.build === 18363)) {
    if (rev !== null && rev !== undefined) v['CVE-2020-0796'] = rev >= 720 ? 'pass' : 'fail';
    else v['CVE-2020-0796'] = has('KB4551762') ? 'pass' : 'unknown';
  } else v['CVE-2020-0796'] = NA;

  v['OS-EOS'] = NA;
  return finish(out, v, uncertain, notes);
}

function finish(out, v, uncertain, notes) {
  const all = Object.entries(v);
  // A host no rule applies to cannot be judged: unknown (fail closed), never compliant.
  const noneApplies = uncertain.size === 0 && all.every(([, x]) => x === NA);
  const status = all.some(([, x]) => x === 'fail')
    ? 'non-compliant'
    : all.some(([, x]) => x === 'unknown') || uncertain.size > 0 || noneApplies
      ? 'unknown'
      : 'compliant';
  const res = { ...out };
  for (const r of ['MS17-010', 'WIN-EOS', 'CVE-2019-0708', 'CVE-2020-0796', 'OS-EOS']) {
    if (uncertain.has(r) || v[r] === undefined) continue;
    res[r] = v[r];
  }
  // An uncertain rule can only be left out when the status does not depend on it.
  if (uncertain.size > 0 && status === 'unknown' && !all.some(([, x]) => x === 'unknown')) {
    throw new Error(`status of ${JSON.stringify(out)} depends on an uncertain rule: ${[...uncertain]}`);
  }
  res.status = status;
  if (notes.length) res.note = notes.join('; ');
  return res;
}

// ---------------------------------------------------------------------------------------------
// The trust
// ---------------------------------------------------------------------------------------------

const SITES = [
  { code: 'NGH', name: 'Northgate General' },
  { code: 'SAH', name: "St Aldhelm's" },
  { code: 'WCH', name: 'Westmoor Community Hospital' },
  { code: 'HRI', name: 'Harrowfield Royal Infirmary' },
  { code: 'KMU', name: 'Kingsbridge Maternity Unit' },
  { code: 'THQ', name: 'Trust HQ, Copse Lane' },
];

const CLINICAL_DEPTS = ['Radiology', 'Pathology', 'Cardiology', 'A&E', 'Theatres', 'Oncology', 'Renal Unit', 'Endoscopy'];
const WARD_DEPTS = ['Ward 7 (Elderly Care)', 'Ward 12 (Surgical)', 'Ward 3 (Paediatrics)', 'Outpatients', 'Maternity', 'Acute Medical Unit', 'Pharmacy', 'Medical Records'];
const SERVER_DEPTS = ['IT Services', 'Radiology', 'Pathology', 'Estates', 'Information Governance'];

function makeSample() {
  const rng = mulberry32(20261125);
  const pick = (arr) => arr[Math.floor(rng() * arr.length)];
  const chance = (p) => rng() < p;
  const int = (lo, hi) => lo + Math.floor(rng() * (hi - lo + 1));
  const date = (from, to) => {
    const a = Date.parse(`${from}T00:00:00Z`);
    const b = Date.parse(`${to}T00:00:00Z`);
    return new Date(a + Math.floor(rng() * ((b - a) / 86400000 + 1)) * 86400000).toISOString().slice(0, 10);
  };

  /** Format a KB list in one of the shapes seen in hand-made sheets. */
  const kbCell = (list) => {
    if (list.length === 0) return '';
    const digits = list.map((k) => k.replace(/^KB/i, ''));
    switch (int(0, 6)) {
      case 0:
        return list.join('; ');
      case 1:
        return digits.join(',');
      case 2:
        return list.map((k) => k.toLowerCase()).join(' ');
      case 3:
        return list.join(', ');
      case 4:
        return list.join(';');
      case 5:
        return list.join(' ');
      default:
        return list.map((k, i) => (i % 2 ? k.toLowerCase() : k)).join('; ');
    }
  };
  const shuffle = (arr) => {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [arr[i], arr[j]] = [arr[j], arr[i]];
    }
    return arr;
  };
  const spCell = (n) => (n === 0 ? '' : pick([`Service Pack ${n}`, `Service Pack ${n}`, `SP${n}`, `${n}`]));
  const yesNo = (b) => (b ? pick(['Yes', 'Yes', 'yes']) : pick(['No', 'No', '']));
  const smb = (on) => (on === null ? '' : on ? pick(['Enabled', 'True']) : pick(['Disabled', 'False']));

  const hosts = [];
  const add = (h) => hosts.push(h);

  // Row builder: `sem` is what the host is; the other fields are what the CSV says.
  const row = (o) => ({
    site: null,
    dept: null,
    role: '',
    esu: '',
    smb1: '',
    internet: 'No',
    lastPatch: '',
    ...o,
  });

  const XP_OLD = ['KB958644', 'KB2347290', 'KB2926765', 'KB2929961', 'KB2934207', 'KB923561', 'KB946648'];
  const W7_OLD = ['KB976902', 'KB2534111', 'KB2552343', 'KB2999226', 'KB3125574', 'KB3138612', 'KB3177467'];
  const SRV08_OLD = ['KB955430', 'KB2999226', 'KB3081320', 'KB3177186', 'KB3205638'];
  const SRV12_OLD = ['KB2919355', 'KB2919442', 'KB2937220', 'KB2938772', 'KB2999226', 'KB3173424'];

  // ---- Windows XP (40): SP3 clinical PCs, a few SP2 ----
  for (let i = 0; i < 40; i++) {
    const sp = i < 36 ? 3 : 2;
    const fixed = sp === 3 && i % 3 === 0 && i < 30; // 10 with KB4012598
    const bluekeep = fixed && i % 2 === 0;
    const kbs = shuffle(XP_OLD.filter(() => chance(0.5)));
    if (fixed) kbs.push('KB4012598');
    if (bluekeep) kbs.push('KB4500331');
    const caption = pick(['Microsoft Windows XP Professional', 'Microsoft Windows XP Professional', 'Windows XP Professional', 'Microsoft Windows XP Professional ', 'Windows XP SP3'.replace('SP3', `SP${sp}`)]);
    const version = sp === 3 ? pick(['5.1.2600', '5.1.2600 Service Pack 3 Build 2600', '5.1 (2600)', '5.1.2600']) : pick(['5.1.2600', '5.1 (2600)']);
    add(row({
      prefix: 'XP',
      group: 'clinical',
      osName: caption,
      osVersion: version,
      sp: spCell(sp),
      kbs: kbCell(kbs),
      lastPatch: fixed ? date('2017-05-13', bluekeep ? '2019-06-30' : '2017-12-31') : chance(0.8) ? date('2012-01-01', '2014-04-08') : '',
      role: pick(['Clinical PC', 'Modality workstation', 'Lab analyser PC', 'Clinical PC']),
      smb1: smb(true),
      sem: { family: 'windows', product: 'Windows XP', release: null, ntVersion: '5.1', server: false, sp, build: 2600, kbs, esu: false },
    }));
  }

  // ---- Windows 7 (92): ward PCs ----
  const w7cohorts = [
    ...Array(14).fill(['KB4012212']),
    ...Array(10).fill(['KB4012215']),
    ...Array(4).fill(['KB4015549']),
    ...Array(4).fill(['KB4019264']),
    ...Array(3).fill(['KB4534310']),
    ...Array(3).fill(['KB4503292']),
    ...Array(2).fill(['KB4524157']),
    ...Array(2).fill(['KB4038777', 'KB4038779']),
    ...Array(2).fill(['KB4480970']),
    ...Array(10).fill(['KB4015546']),
    ...Array(6).fill(['KB3212646']),
    ...Array(18).fill([]),
    ...Array(6).fill(['KB4012212', 'KB4499175']),
    ...Array(6).fill(['KB5022338', 'KB4474419']),
  ];
  w7cohorts.forEach((fix) => {
    const kbs = shuffle([...W7_OLD.filter(() => chance(0.4)), ...fix]);
    const esu = fix.includes('KB5022338');
    const caption = pick(['Microsoft Windows 7 Enterprise ', 'Microsoft Windows 7 Enterprise ', 'Microsoft Windows 7 Professional ', 'Windows 7 Enterprise', 'Microsoft Windows 7 Enterprise']);
    const version = pick(['6.1.7601', '6.1.7601', '6.1.7601 Service Pack 1 Build 7601', '6.1 (7601)']);
    const newest = fix.map((k) => KB_FACTS[k]?.month).filter(Boolean).sort().pop();
    add(row({
      prefix: 'W7',
      group: 'ward',
      osName: caption,
      osVersion: version,
      sp: spCell(1),
      kbs: kbCell(kbs),
      esu: esu ? 'Yes' : yesNo(false),
      lastPatch: newest ? date(`${newest}-14`, addDays(`${newest}-14`, 40)) : chance(0.7) ? date('2015-01-01', '2017-02-28') : '',
      role: pick(['Ward PC', 'Ward PC', 'Nurses station', 'Clinic room PC', 'Reception PC']),
      smb1: smb(chance(0.6)),
      sem: { family: 'windows', product: 'Windows 7', release: null, ntVersion: '6.1', server: false, sp: 1, build: 7601, kbs, esu },
    }));
  });
  // Windows 7 RTM (no SP1): MS17-010 has no update below SP1
  for (let i = 0; i < 2; i++) {
    const kbs = ['KB2534111'];
    add(row({
      prefix: 'W7',
      group: 'ward',
      osName: 'Microsoft Windows 7 Professional ',
      osVersion: '6.1.7600',
      sp: '',
      kbs: kbCell(kbs),
      lastPatch: date('2011-01-01', '2012-12-31'),
      role: 'Ward PC',
      smb1: smb(true),
      sem: { family: 'windows', product: 'Windows 7', release: null, ntVersion: '6.1', server: false, sp: 0, build: 7600, kbs, esu: false },
    }));
  }

  // ---- Legacy servers (40) ----
  const serverRole = () => pick(['PACS archive', 'Lab system (LIMS)', 'File server', 'Print server', 'Pharmacy stock system', 'Theatre scheduling', 'Pathology middleware', 'Badge access controller']);
  // Server 2008 SP2 (8)
  [['KB4012598'], ['KB4012598', 'KB4499180'], ['KB4012598'], ['KB4018466'], ['KB4018466', 'KB4534303'], ['KB4503273'], [], []].forEach((fix, i) => {
    const kbs = shuffle([...SRV08_OLD.filter(() => chance(0.5)), ...fix]);
    const notes = fix.length === 1 && fix[0] === 'KB4503273'
      ? ['MS17-010 fail: only a 2019 Server 2008 SP2 rollup; the catalog names no 2008 SP2 rollup as superseding KB4012598/KB4018466, so no rollup evidence is counted (real-world coverage unclear)']
      : [];
    const esu = i >= 6;
    add(row({
      prefix: 'SV',
      group: 'server',
      osName: pick(['Microsoft® Windows Server® 2008 Standard ', 'Microsoft® Windows Server® 2008 Enterprise ', 'Microsoft Windows Server 2008 Standard']),
      osVersion: pick(['6.0.6002', '6.0.6002 Service Pack 2 Build 6002']),
      sp: spCell(2),
      kbs: kbCell(kbs),
      esu: esu ? 'Yes' : yesNo(false),
      lastPatch: fix.length ? date('2017-05-01', '2020-01-31') : date('2014-01-01', '2016-12-31'),
      role: serverRole(),
      smb1: smb(true),
      internet: i === 7 ? 'Yes' : 'No',
      sem: { family: 'windows', product: 'Windows Server 2008', release: null, ntVersion: '6.0', server: true, sp: 2, build: 6002, kbs, esu, notes },
    }));
  });
  // Server 2008 R2 SP1 (12)
  [['KB4012212'], ['KB4012215'], ['KB4019264'], ['KB4534310'], ['KB5034169'], ['KB5022338'], ['KB4015546'], ['KB4499164', 'KB4012212'], [], [], ['KB4103718'], ['KB3212646']].forEach((fix, i) => {
    const kbs = shuffle([...W7_OLD.filter(() => chance(0.4)), ...fix]);
    const esu = fix.includes('KB5034169') || fix.includes('KB5022338') || i === 8 || i === 3;
    add(row({
      prefix: 'SV',
      group: 'server',
      osName: pick(['Microsoft Windows Server 2008 R2 Enterprise ', 'Microsoft Windows Server 2008 R2 Standard ', 'Microsoft Windows Server 2008 R2 Datacenter ']),
      osVersion: pick(['6.1.7601', '6.1.7601 Service Pack 1 Build 7601']),
      sp: spCell(1),
      kbs: kbCell(kbs),
      esu: esu ? 'Yes' : yesNo(false),
      lastPatch: date('2017-04-01', '2024-02-15'),
      role: serverRole(),
      smb1: smb(chance(0.5)),
      internet: i === 4 ? 'Yes' : 'No',
      sem: { family: 'windows', product: 'Windows Server 2008 R2', release: null, ntVersion: '6.1', server: true, sp: 1, build: 7601, kbs, esu },
    }));
  });
  // Server 2012 (8)
  [['KB4012214'], ['KB4012217'], ['KB4015548'], ['KB5061059'], ['KB4520007'], [], ['KB4019216'], []].forEach((fix, i) => {
    const kbs = shuffle([...SRV12_OLD.filter(() => chance(0.4)), ...fix]);
    const esu = i === 3 || i === 4 || i === 6;
    add(row({
      prefix: 'SV',
      group: 'server',
      osName: pick(['Microsoft Windows Server 2012 Standard', 'Microsoft Windows Server 2012 Datacenter']),
      osVersion: '6.2.9200',
      sp: '',
      kbs: kbCell(kbs),
      esu: esu ? 'Yes' : yesNo(false),
      lastPatch: date('2017-04-01', '2025-07-10'),
      role: serverRole(),
      smb1: smb(chance(0.4)),
      sem: { family: 'windows', product: 'Windows Server 2012', release: null, ntVersion: '6.2', server: true, sp: 0, build: 9200, kbs, esu },
    }));
  });
  // Server 2012 R2 (12)
  [['KB4012213'], ['KB4012216'], ['KB4015547'], ['KB5062597'], ['KB5061018'], ['KB4520005'], ['KB4019215'], [], [], ['KB4015550'], ['KB5062597'], ['KB4015547', 'KB4012213']].forEach((fix, i) => {
    const kbs = shuffle([...SRV12_OLD.filter(() => chance(0.4)), ...fix]);
    const esu = fix.includes('KB5062597') || fix.includes('KB5061018') || i === 7;
    add(row({
      prefix: 'SV',
      group: 'server',
      osName: pick(['Microsoft Windows Server 2012 R2 Standard', 'Microsoft Windows Server 2012 R2 Datacenter']),
      osVersion: '6.3.9600',
      sp: '',
      kbs: kbCell(kbs),
      esu: esu ? 'Yes' : yesNo(false),
      lastPatch: date('2017-04-01', '2025-08-10'),
      role: serverRole(),
      smb1: smb(chance(0.3)),
      internet: i === 3 ? 'Yes' : 'No',
      sem: { family: 'windows', product: 'Windows Server 2012 R2', release: null, ntVersion: '6.3', server: true, sp: 0, build: 9600, kbs, esu },
    }));
  });

  // ---- Windows 10 (67) ----
  const w10 = (o) => {
    const kbs = o.kbs ?? [];
    add(row({
      prefix: o.prefix ?? 'W10',
      group: o.group ?? 'ward',
      osName: o.caption,
      osVersion: `10.0.${o.build}${o.rev === null ? '' : `.${o.rev}`}`,
      sp: '',
      kbs: kbCell(kbs),
      esu: o.esu ? 'Yes' : yesNo(false),
      lastPatch: o.lastPatch ?? date('2025-06-01', '2026-11-12'),
      role: o.role ?? pick(['Ward PC', 'Clinic room PC', 'Office PC', 'Reception PC']),
      smb1: smb(o.smb1 ?? false),
      sem: {
        family: 'windows', product: 'Windows 10', release: o.release, ntVersion: '10.0', server: false, sp: null,
        build: o.build, revision: o.rev, kbs, esu: !!o.esu, editionClass: o.cls, notes: o.notes,
      },
    }));
  };
  const deviceRole = () => pick(['Medical device (ultrasound)', 'Medical device (CT console)', 'Medical device (infusion pump gateway)', 'Medical device (ECG management)', 'Medical device (blood gas analyser)']);
  // 1607 Enterprise (semi-annual channel), revisions below and above 953
  [447, 693, 0, 1198, 2273, 7969].forEach((rev) =>
    w10({ caption: 'Microsoft Windows 10 Enterprise', build: 14393, rev, release: '1607', cls: 'enterprise', kbs: rev === 1198 ? ['KB4019472'] : rev === 7969 ? ['KB5055521'] : [], lastPatch: rev < 953 ? date('2016-08-02', '2017-02-28') : undefined }),
  );
  // LTSB 2016 on medical devices (support ended 2026-10-13)
  [447, 1198, 4530, 7969, 9234, 9234].forEach((rev) =>
    w10({ caption: 'Microsoft Windows 10 Enterprise 2016 LTSB', build: 14393, rev, release: '1607', cls: 'ltsc', group: 'device', role: deviceRole(), smb1: rev === 447, lastPatch: rev < 953 ? date('2016-09-01', '2017-01-31') : undefined }),
  );
  // LTSB 2015
  [21161, 20402].forEach((rev) =>
    w10({ caption: 'Microsoft Windows 10 Enterprise 2015 LTSB', build: 10240, rev, release: '1507', cls: 'ltsc', group: 'device', role: deviceRole() }),
  );
  // LTSC 2019 (supported to 2029-01-09)
  for (let i = 0; i < 8; i++) w10({ caption: 'Microsoft Windows 10 Enterprise LTSC', build: 17763, rev: pick([7919, 7922, 8027, 8148]), release: '1809', cls: 'ltsc', group: 'device', role: deviceRole() });
  // LTSC 2021 (ends 2027-01-12: warn)
  for (let i = 0; i < 5; i++) w10({ caption: 'Microsoft Windows 10 Enterprise LTSC', build: 19044, rev: pick([6456, 6575, 6691]), release: '21H2', cls: 'ltsc', group: 'device', role: deviceRole() });
  // IoT Enterprise LTSC 2021 (ends 2032-01-13)
  for (let i = 0; i < 2; i++) w10({ caption: 'Microsoft Windows 10 IoT Enterprise LTSC', build: 19044, rev: 6691, release: '21H2', cls: 'iot-ltsc', group: 'device', role: deviceRole() });
  // 22H2 Enterprise with commercial ESU (pass until 2028-10-10)
  for (let i = 0; i < 18; i++) w10({ caption: 'Microsoft Windows 10 Enterprise', build: 19045, rev: pick([6456, 6575, 6691, 6812]), release: '22H2', cls: 'enterprise', esu: true });
  // 22H2 Enterprise without ESU (fail)
  for (let i = 0; i < 8; i++) w10({ caption: 'Microsoft Windows 10 Enterprise', build: 19045, rev: pick([4291, 5737, 6036, 6093]), release: '22H2', cls: 'enterprise' });
  // 22H2 Pro without ESU (fail)
  for (let i = 0; i < 5; i++) w10({ caption: 'Microsoft Windows 10 Pro', build: 19045, rev: pick([3930, 5011, 6036]), release: '22H2', cls: 'consumer' });
  // 21H2 Enterprise (ended 2024-06-11)
  for (let i = 0; i < 3; i++) w10({ caption: 'Microsoft Windows 10 Enterprise', build: 19044, rev: pick([4529, 5131]), release: '21H2', cls: 'enterprise' });
  // 1909 Enterprise: two below 18363.720 (SMBGhost), one above
  [535, 657, 1556].forEach((rev) => w10({ caption: 'Microsoft Windows 10 Enterprise', build: 18363, rev, release: '1909', cls: 'enterprise', smb1: false, lastPatch: rev < 720 ? date('2019-12-10', '2020-02-28') : undefined }));
  // 1809 Enterprise (not LTSC): ended 2021-05-11
  w10({ caption: 'Microsoft Windows 10 Enterprise', build: 17763, rev: 1879, release: '1809', cls: 'enterprise' });

  // ---- Windows 11 (32) ----
  const w11 = (caption, build, release, cls, n) => {
    for (let i = 0; i < n; i++) {
      const rev = pick({ 22631: [5624, 6060, 6199], 26100: [4349, 6584, 6899, 7171], 26200: [6899, 7171, 7309] }[build]);
      add(row({
        prefix: 'W11',
        group: 'ward',
        osName: caption,
        osVersion: `10.0.${build}.${rev}`,
        sp: '',
        kbs: '',
        lastPatch: date('2026-06-01', '2026-11-20'),
        role: pick(['Ward PC', 'Office PC', 'Laptop', 'Clinic room PC']),
        smb1: smb(false),
        sem: { family: 'windows', product: 'Windows 11', release, ntVersion: '10.0', server: false, sp: null, build, revision: rev, kbs: [], esu: false, editionClass: cls },
      }));
    }
  };
  w11('Microsoft Windows 11 Enterprise', 22631, '23H2', 'enterprise', 8); // ended 2026-11-10
  w11('Microsoft Windows 11 Enterprise', 26100, '24H2', 'enterprise', 14);
  w11('Microsoft Windows 11 Pro', 26100, '24H2', 'consumer', 4); // ended 2026-10-13
  w11('Microsoft Windows 11 Enterprise', 26200, '25H2', 'enterprise', 4);
  w11('Microsoft Windows 11 Education', 26100, '24H2', 'enterprise', 2);

  // ---- Modern servers (21) ----
  const srv = (product, caption, build, revs) =>
    revs.forEach((rev, i) => {
      add(row({
        prefix: 'SV',
        group: 'server',
        osName: caption,
        osVersion: `10.0.${build}.${rev}`,
        sp: '',
        kbs: '',
        lastPatch: rev < 953 && build === 14393 ? date('2016-11-01', '2017-02-28') : date('2026-05-01', '2026-11-12'),
        role: pick(['PACS archive', 'EPR integration engine', 'SQL Server', 'File server', 'Domain controller', 'Citrix session host', 'Backup server']),
        smb1: smb(chance(0.2)),
        internet: i === 0 && build === 20348 ? 'Yes' : 'No',
        sem: { family: 'windows', product, release: null, ntVersion: '10.0', server: true, sp: null, build, revision: rev, kbs: [], esu: false },
      }));
    });
  srv('Windows Server 2016', 'Microsoft Windows Server 2016 Standard', 14393, [9234, 9234, 9140, 7969, 8957, 9060, 693, 447]);
  srv('Windows Server 2019', 'Microsoft Windows Server 2019 Standard', 17763, [7919, 7922, 8027, 8027, 8148, 6189, 7922]);
  srv('Windows Server 2022', 'Microsoft Windows Server 2022 Datacenter', 20348, [4297, 4405, 4405, 4529, 3932, 4297]);

  // ---- Linux / macOS (11) ----
  const other = (family, product, release, caption, version, n, role) => {
    for (let i = 0; i < n; i++) {
      add(row({
        prefix: family === 'macos' ? 'MAC' : 'LNX',
        group: 'server',
        osName: caption,
        osVersion: version,
        sp: '',
        kbs: '',
        lastPatch: date('2025-01-01', '2026-11-20'),
        role,
        smb1: '',
        sem: { family, product, release, server: family !== 'macos', kbs: [], esu: false },
      }));
    }
  };
  other('linux', 'Ubuntu', '18.04', 'Ubuntu 18.04.6 LTS', '18.04', 2, 'Nurse call gateway');
  other('linux', 'Ubuntu', '22.04', 'Ubuntu 22.04.4 LTS', '22.04', 3, 'Web proxy');
  other('linux', 'Red Hat Enterprise Linux', '7', 'Red Hat Enterprise Linux Server 7.9 (Maipo)', '7.9', 2, 'Oracle database (EPR)');
  other('linux', 'Red Hat Enterprise Linux', '9', 'Red Hat Enterprise Linux 9.4 (Plow)', '9.4', 2, 'Integration engine');
  other('macos', 'macOS', '15', 'macOS Sequoia', '15.6.1', 1, 'Medical illustration Mac');
  other('macos', 'macOS', '12', 'macOS Monterey', '12.7.6', 1, 'Medical illustration Mac');

  // ---- Windows 2000 (2): no MS17-010 update exists ----
  [['Microsoft Windows 2000 Professional', false], ['Microsoft Windows 2000 Server', true]].forEach(([caption, server]) => {
    const kbs = ['KB835732', 'KB958644'];
    add(row({
      prefix: server ? 'SV' : 'W2K',
      group: server ? 'server' : 'device',
      osName: caption,
      osVersion: '5.0.2195',
      sp: spCell(4),
      kbs: kbCell(kbs),
      lastPatch: date('2009-01-01', '2010-07-13'),
      role: server ? 'Legacy lab interface' : 'Medical device (gamma camera)',
      smb1: smb(true),
      sem: { family: 'windows', product: 'Windows 2000', release: null, ntVersion: '5.0', server, sp: 4, build: 2195, kbs, esu: false },
    }));
  });

  // ---- Unknown OS (5) ----
  ['', 'Unknown', '#N/A', 'TBC', '-'].forEach((caption) => {
    add(row({
      prefix: 'UNK',
      group: 'ward',
      osName: caption,
      osVersion: '',
      sp: '',
      kbs: '',
      lastPatch: '',
      role: pick(['Unknown', 'Spare', 'Kiosk', '']),
      smb1: '',
      sem: { family: 'unknown', product: null, release: null, kbs: [], esu: false },
    }));
  });

  // Deterministic shuffle, then hostnames (unique, site-coded)
  shuffle(hosts);
  const counters = new Map();
  for (const h of hosts) {
    const site = pick(SITES);
    h.site = site.name;
    h.dept = h.group === 'server' ? pick(SERVER_DEPTS) : h.group === 'clinical' || h.group === 'device' ? pick(CLINICAL_DEPTS) : pick(WARD_DEPTS);
    const key = `${site.code}-${h.prefix}`;
    const n = (counters.get(key) ?? 0) + int(1, 7);
    counters.set(key, n);
    const width = h.prefix === 'SV' ? 3 : 4;
    h.hostname = `${site.code}-${h.prefix}-${String(n).padStart(width, '0')}`;
  }
  return hosts;
}

// ---------------------------------------------------------------------------------------------
// CSV writing
// ---------------------------------------------------------------------------------------------

export function csvCell(v) {
  const s = String(v ?? '');
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const HEADER = ['Hostname', 'OS Name', 'OS Version', 'Service Pack', 'Installed KBs', 'Last Patch Date', 'Site', 'Department', 'Role', 'ESU', 'SMBv1', 'Internet Facing'];

function main() {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const outDir = join(root, 'fixtures');
  mkdirSync(outDir, { recursive: true });
  const hosts = makeSample();

  // Two rows that must be rejected (no hostname), placed at fixed positions.
  const rejects = [
    { at: 57, cells: ['', 'Microsoft Windows 7 Enterprise ', '6.1.7601', 'Service Pack 1', 'KB4012212', '2017-03-20', 'Northgate General', 'Outpatients', 'Ward PC', 'No', 'Enabled', 'No'] },
    { at: 211, cells: ['   ', 'Microsoft Windows 10 Enterprise', '10.0.19045.6456', '', '', '2026-10-20', "St Aldhelm's", 'Pharmacy', 'Office PC', 'Yes', 'Disabled', 'No'] },
  ];

  const rows = hosts.map((h) => ({ h, cells: [h.hostname, h.osName, h.osVersion, h.sp, h.kbs, h.lastPatch, h.site, h.dept, h.role, h.esu, h.smb1, h.internet] }));
  for (const r of rejects) rows.splice(r.at, 0, { h: null, cells: r.cells });

  const lines = [HEADER.join(',')];
  const expected = { asOf: AS_OF, file: 'sample-trust-inventory.csv', hosts: {}, rejected: [] };
  for (const { h, cells } of rows) {
    lines.push(cells.map(csvCell).join(','));
    if (h) expected.hosts[h.hostname] = oracle(h.sem);
    else expected.rejected.push({ line: lines.length, reason: 'blank hostname' });
  }
  writeFileSync(join(outDir, 'sample-trust-inventory.csv'), `${lines.join('\n')}\n`);

  const counts = {};
  for (const v of Object.values(expected.hosts)) counts[v.status] = (counts[v.status] ?? 0) + 1;
  expected.counts = { hosts: Object.keys(expected.hosts).length, rejected: expected.rejected.length, ...counts };
  writeFileSync(join(outDir, 'sample-trust-inventory.expected.json'), `${JSON.stringify(expected, null, 2)}\n`);
  process.stdout.write(`wrote fixtures/sample-trust-inventory.csv (${lines.length - 1} data rows) and its expected verdicts ${JSON.stringify(expected.counts)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
