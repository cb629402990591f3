/**
 * Long randomised run: real exports (fixtures/exports, the sample inventory), the built-in rule packs and
 * a few waiver files are mutated (byte flips, truncation, spliced lines, doubled or missing delimiters and
 * quotes, control characters, BOMs, UTF-16 halves, re-encoding, structural JSON/YAML edits) and fed
 * in-process to the inventory reader + OS normaliser + audit, the rules loader and the waiver loader.
 *
 * Property: the only exceptions are AuditError subclasses (src/errors.ts); nothing hangs (an async run
 * over FUZZ_TIMEOUT_MS, default 30 s, or any run over FUZZ_SLOW_MS, default 10 s, is a failure); the
 * accounting adds up (rowsAudited + rejectedRows === rowsRead, host counts agree); a host whose OS was not
 * recognised is never "compliant" (unless a waiver accepted its findings); the terminal table (no colour,
 * --explain, --show all) holds no ESC, BEL, C1 control or bidi override whatever the input.
 * Metamorphic twin (inventories that are plain UTF-8 with LF line ends, under 100 kB): the same text with
 * CRLF or CR line ends, or as UTF-16 LE with a BOM, must give the same rows, rejected lines, hosts and
 * verdicts (or the same refusal).
 *
 * Every failure is shrunk by fast-check and saved as test/fuzz/regressions/<hash>.<ext> (ext: csv/txt for
 * inventories, rules.json/rules.yaml, waivers.json/waivers.yaml); the run then goes on looking for failures
 * with a different signature. test/hostile/regressions.test.ts replays every saved file in `npm test`.
 *
 *   FUZZ_SECONDS=600 npm run fuzz        # time budget (default 600 s)
 *   FUZZ_SEED=1234 npm run fuzz          # reproducible run
 */
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import YAML from 'yaml';
import { AuditError } from '../../src/errors.js';
import { loadWaivers } from '../../src/evaluation/waivers.js';
import type { LoadedRule } from '../../src/rules/types.js';
import { loadRules, loadRulesFile } from '../../src/rules/load-rules.js';
import { auditAndCheck, AS_OF, digest, plainUtf8Lf, twinOf, TWINS } from '../helpers/audit-property.js';
import { tempDir } from '../helpers/tmp.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const REGRESSIONS = path.join(ROOT, 'test/fuzz/regressions');
const FUZZ_SECONDS = Number(process.env.FUZZ_SECONDS ?? 600) || 600;
const SLOW_MS = Number(process.env.FUZZ_SLOW_MS ?? 10_000);
const TIMEOUT_MS = Number(process.env.FUZZ_TIMEOUT_MS ?? 30_000);
const BASE_SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;
const work = tempDir('patchaudit-fuzz-');
/** FUZZ_TWINS=0 turns the metamorphic twin check off; FUZZ_TWIN_CR=0 leaves out the CR-only twin (a known bug). */
const TWIN_CHECK = process.env.FUZZ_TWINS !== '0';
const TWIN_CR = process.env.FUZZ_TWIN_CR !== '0';

// ------------------------------------------------------------------------------------------------
// Seeds

interface Seed {
  name: string;
  ext: string;
  bytes: Buffer;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.isFile()) out.push(p);
  }
  return out.sort();
}

function extOf(file: string): string {
  const m = /\.([A-Za-z0-9]+)$/.exec(file);
  return m ? m[1].toLowerCase() : 'csv';
}

const inventorySeeds: Seed[] = [...walk(path.join(ROOT, 'fixtures/exports')), path.join(ROOT, 'fixtures/sample-trust-inventory.csv')].map((f) => ({
  name: path.relative(ROOT, f),
  // Every seed is fed to the inventory reader; non-table files (expected.json, generator scripts) must be refused cleanly.
  ext: extOf(f) === 'txt' ? 'txt' : 'csv',
  bytes: readFileSync(f),
}));

const packFiles = walk(path.join(ROOT, 'src/rules/packs')).filter((f) => f.endsWith('.json'));
const yamlRuleFiles = (() => {
  try {
    return walk(path.join(ROOT, 'fixtures/rules')).filter((f) => /\.ya?ml$/i.test(f));
  } catch {
    return [];
  }
})();
const ruleSeeds: Seed[] = [
  ...packFiles.map((f) => ({ name: path.relative(ROOT, f), ext: 'rules.json', bytes: readFileSync(f) })),
  // The same packs as YAML, so the YAML path (anchors, tags, duplicate keys) is mutated too.
  ...packFiles.map((f) => ({ name: path.relative(ROOT, f) + ' (as YAML)', ext: 'rules.yaml', bytes: Buffer.from(YAML.stringify(JSON.parse(readFileSync(f, 'utf8')))) })),
  ...yamlRuleFiles.map((f) => ({ name: path.relative(ROOT, f), ext: 'rules.yaml', bytes: readFileSync(f) })),
  {
    name: 'small custom pack (YAML, anchors)',
    ext: 'rules.yaml',
    bytes: Buffer.from(
      [
        'pack: local-policy',
        'title: Local policy',
        'version: 1.0.0',
        'dataAsOf: "2026-11-25"',
        'rules:',
        '  - id: LOCAL-EOS',
        '    kind: end-of-support',
        '    title: &t Local end of support',
        '    severity: high',
        '    remediation: *t',
        '    lifecycle:',
        '      - match: { product: "Windows 10" }',
        '        end: "2025-10-14"',
        '',
      ].join('\n'),
    ),
  },
];

const WAIVER_HOSTS = ['THQ-W7-0004', 'HRI-W7-*', '*-SV-*', 'ngh-?7-00??', '*'];
const waiverSeeds: Seed[] = [
  {
    name: 'waivers.yaml',
    ext: 'waivers.yaml',
    bytes: Buffer.from(
      [
        'waivers:',
        '  - hosts: ["THQ-W7-0004", "HRI-W7-*"]',
        '    rules: ["MS17-010", "WIN-EOS"]',
        '    reason: Isolated lab network, replacement ordered',
        '    owner: it-security@trust.example',
        '    expires: "2027-01-31"',
        '  - where: { site: "Harrowfield*", role: ["Ward PC", "PACS*"] }',
        '    rules: ["*"]',
        '    reason: Clinical device, vendor-locked',
        '    owner: clinical-engineering',
        '    expires: "2026-12-01"',
        '  - hosts: ["*-SV-*"]',
        '    rules: ["CVE-2019-0708"]',
        '    reason: RDP disabled by GPO',
        '    owner: infra',
        '    expires: "2026-01-01"',
        '',
      ].join('\n'),
    ),
  },
  {
    name: 'waivers.json',
    ext: 'waivers.json',
    bytes: Buffer.from(
      JSON.stringify(
        {
          waivers: [
            { hosts: WAIVER_HOSTS, rules: ['*'], reason: 'r', owner: 'o', expires: '2026-12-31' },
            { where: { Department: 'Ward 7*', ESU: ['Yes', 'Y*'] }, rules: ['WIN-EOS'], reason: 'ESU bought', owner: 'finance', expires: '2027-06-30' },
          ],
        },
        null,
        2,
      ),
    ),
  },
];

// ------------------------------------------------------------------------------------------------
// Mutations

const INSERTS: Buffer[] = [
  Buffer.from([0]),
  Buffer.from([0, 0, 0, 0]),
  Buffer.from('\x1b[2J\x1b[H'),
  Buffer.from('\x1b]8;;http://evil\x07click\x1b]8;;\x07'),
  Buffer.from([0x07]),
  Buffer.from([0x9b, 0x33, 0x31, 0x6d]), // raw C1 CSI byte
  Buffer.from('\u009b31m'), // C1 CSI as UTF-8
  Buffer.from('\u202e'),
  Buffer.from('\u2028'),
  Buffer.from([0xef, 0xbb, 0xbf]), // UTF-8 BOM
  Buffer.from([0xff, 0xfe]), // UTF-16 LE BOM
  Buffer.from([0xfe, 0xff]), // UTF-16 BE BOM
  Buffer.from([0x3d, 0xd8]), // UTF-16 LE high surrogate half
  Buffer.from([0xd8, 0x3d]), // UTF-16 BE high surrogate half
  Buffer.from([0x00, 0xdc]), // UTF-16 LE low surrogate alone
  Buffer.from([0xed, 0xa0, 0xbd]), // surrogate encoded in UTF-8 (invalid)
  Buffer.from([0xc3]), // truncated UTF-8 sequence
  Buffer.from([0x80, 0xbf]),
  Buffer.from([0xf4, 0x90, 0x80, 0x80]), // above U+10FFFF
  Buffer.from('"'),
  Buffer.from('""'),
  Buffer.from(','),
  Buffer.from(';'),
  Buffer.from('\t'),
  Buffer.from('|'),
  Buffer.from('\r'),
  Buffer.from('\n'),
  Buffer.from('\r\n'),
  Buffer.from('\n\n\n'),
  Buffer.from('#TYPE Selected.Microsoft.Management.Infrastructure.CimInstance\n'),
  Buffer.from('sep=;\n'),
  Buffer.from('"sep=|"\r\n'),
  Buffer.from('Hostname,OS Name,OS Version,Installed KBs\n'),
  Buffer.from('Host Name:                 EVIL-01\r\nOS Name:                   Microsoft Windows 10 Enterprise\r\n'),
  Buffer.from('Caption  CSName  Description  HotFixID  InstalledOn\r\n'),
  Buffer.from('{"a":'),
  Buffer.from('['),
  Buffer.from('<x>'),
  Buffer.from('KB4012212'),
  Buffer.from('10.0.19045.9999'),
  Buffer.from('Microsoft Windows Server 2022 Datacenter'),
  Buffer.from('__proto__'),
  Buffer.from('constructor'),
  Buffer.from('=cmd|\' /C calc\'!A0'),
  Buffer.from('31/12/2099'),
  Buffer.from('99/99/9999'),
  Buffer.from('*?*?*?*?*?*?*?*?*?*?*?*?b'),
  Buffer.from('&a [*a, *a]'),
  Buffer.from('!!js/function "x"'),
  Buffer.from('<<: *x'),
];

const CHARS = [',', ';', '\t', '|', '"', '\n', ':', ' '];
const ENCODINGS = ['utf-16le', 'utf-16be', 'windows-1252', 'cp850', 'cp866', 'gbk', 'latin1', 'utf-8'];
const EOLS = ['\n', '\r\n', '\r'];

type Op =
  | { k: 'flip'; pos: number; bit: number }
  | { k: 'set'; pos: number; byte: number }
  | { k: 'truncate'; pos: number }
  | { k: 'delete'; pos: number; len: number }
  | { k: 'dup'; pos: number; len: number; times: number }
  | { k: 'insert'; pos: number; what: number }
  | { k: 'random'; pos: number; bytes: Uint8Array }
  | { k: 'splice'; other: number; from: number; count: number; at: number }
  | { k: 'char'; ch: number; nth: number; mode: 'dup' | 'remove' | 'double-all' | 'remove-all' }
  | { k: 'eol'; to: number; nth: number }
  | { k: 'encode'; enc: number; bom: boolean }
  | { k: 'repeat-line'; line: number; times: number }
  | { k: 'big'; pos: number; size: number; quoted: boolean }
  | { k: 'tree'; nth: number; value: unknown; del: boolean };

const SPECIAL_VALUES: unknown[] = [
  '__proto__',
  'constructor',
  '',
  ' ',
  '*',
  '2026-02-30',
  '9999-99-99',
  '0000-00-00',
  '>=1.0.0 <',
  '**********************************************a',
  'x'.repeat(5000),
  -1,
  0,
  1e308,
  null,
  true,
  [],
  {},
  { __proto__: null, polluted: 1 },
  '\u0000DEEP\u0000',
];

const posArb = fc.nat({ max: 1_000_000 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ k: fc.constant('flip' as const), pos: posArb, bit: fc.integer({ min: 0, max: 7 }) }), weight: 3 },
  { arbitrary: fc.record({ k: fc.constant('set' as const), pos: posArb, byte: fc.integer({ min: 0, max: 255 }) }), weight: 2 },
  { arbitrary: fc.record({ k: fc.constant('truncate' as const), pos: posArb }), weight: 2 },
  { arbitrary: fc.record({ k: fc.constant('delete' as const), pos: posArb, len: fc.integer({ min: 1, max: 200 }) }), weight: 2 },
  { arbitrary: fc.record({ k: fc.constant('dup' as const), pos: posArb, len: fc.integer({ min: 1, max: 200 }), times: fc.integer({ min: 1, max: 20 }) }), weight: 1 },
  { arbitrary: fc.record({ k: fc.constant('insert' as const), pos: posArb, what: fc.nat({ max: INSERTS.length - 1 }) }), weight: 5 },
  { arbitrary: fc.record({ k: fc.constant('random' as const), pos: posArb, bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }), weight: 2 },
  {
    arbitrary: fc.record({ k: fc.constant('splice' as const), other: fc.nat(), from: fc.nat(), count: fc.integer({ min: 1, max: 30 }), at: fc.nat() }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      k: fc.constant('char' as const),
      ch: fc.nat({ max: CHARS.length - 1 }),
      nth: fc.nat(),
      mode: fc.constantFrom('dup' as const, 'remove' as const, 'double-all' as const, 'remove-all' as const),
    }),
    weight: 4,
  },
  { arbitrary: fc.record({ k: fc.constant('eol' as const), to: fc.nat({ max: EOLS.length - 1 }), nth: fc.nat({ max: 3 }) }), weight: 1 },
  { arbitrary: fc.record({ k: fc.constant('encode' as const), enc: fc.nat({ max: ENCODINGS.length - 1 }), bom: fc.boolean() }), weight: 1 },
  { arbitrary: fc.record({ k: fc.constant('repeat-line' as const), line: fc.nat(), times: fc.integer({ min: 1, max: 300 }) }), weight: 1 },
  {
    arbitrary: fc.record({ k: fc.constant('big' as const), pos: posArb, size: fc.constantFrom(10_000, 999_999, 1_000_001, 3_000_000), quoted: fc.boolean() }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      k: fc.constant('tree' as const),
      nth: fc.nat(),
      value: fc.oneof(fc.constantFrom(...SPECIAL_VALUES), fc.jsonValue({ maxDepth: 2 })),
      del: fc.boolean(),
    }),
    weight: 4,
  },
);

const at = (buf: Buffer, pos: number) => (buf.length === 0 ? 0 : pos % (buf.length + 1));

function splitLines(buf: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] === 0x0a) {
      lines.push(buf.subarray(start, i + 1));
      start = i + 1;
    }
  }
  if (start < buf.length) lines.push(buf.subarray(start));
  return lines;
}

function nthIndex(buf: Buffer, byte: number, nth: number): number {
  const hits: number[] = [];
  for (let i = 0; i < buf.length && hits.length <= 10_000; i++) if (buf[i] === byte) hits.push(i);
  return hits.length === 0 ? -1 : hits[nth % hits.length];
}

/** Structural edit of a JSON/YAML document: replace or delete the nth node. */
function treeEdit(buf: Buffer, ext: string, op: Extract<Op, { k: 'tree' }>): Buffer {
  // (prettyErrors off: yaml's error prettifier is quadratic on long CR-only "lines" and hung an earlier run.)
  if (buf.length > 300_000) return buf;
  let doc: unknown;
  try {
    doc = YAML.parse(buf.toString('utf8'), { maxAliasCount: 100, prettyErrors: false });
  } catch {
    return buf;
  }
  if (doc === null || typeof doc !== 'object') return buf;
  const slots: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const visit = (node: unknown, depth: number) => {
    if (depth > 12 || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) node.forEach((v, i) => (slots.push({ parent: node, key: i }), visit(v, depth + 1)));
    else for (const [k, v] of Object.entries(node)) slots.push({ parent: node as Record<string, unknown>, key: k }), visit(v, depth + 1);
  };
  visit(doc, 0);
  if (slots.length === 0) return buf;
  const slot = slots[op.nth % slots.length];
  if (op.del) {
    if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1);
    else delete (slot.parent as Record<string, unknown>)[slot.key as string];
  } else if (op.value && typeof op.value === 'object' && !Array.isArray(op.value) && Object.getPrototypeOf(op.value) === null) {
    // A "__proto__" key written as an own property (what JSON.parse makes of {"__proto__": …}).
    Object.defineProperty(slot.parent, '__proto__', { value: { polluted: 1 }, enumerable: true, configurable: true, writable: true });
  } else {
    (slot.parent as Record<string | number, unknown>)[slot.key] = op.value;
  }
  let text = ext.endsWith('json') ? JSON.stringify(doc, null, 1) : YAML.stringify(doc);
  // Nesting deeper than the stringifiers would allow.
  text = text.replace(/"\\u0000DEEP\\u0000"/g, '['.repeat(20_000) + ']'.repeat(20_000));
  return Buffer.from(text);
}

function applyOp(buf: Buffer, op: Op, ext: string, others: Seed[]): Buffer {
  switch (op.k) {
    case 'flip': {
      if (buf.length === 0) return buf;
      const b = Buffer.from(buf);
      b[op.pos % b.length] ^= 1 << op.bit;
      return b;
    }
    case 'set': {
      if (buf.length === 0) return buf;
      const b = Buffer.from(buf);
      b[op.pos % b.length] = op.byte;
      return b;
    }
    case 'truncate':
      return buf.subarray(0, at(buf, op.pos));
    case 'delete': {
      const p = at(buf, op.pos);
      return Buffer.concat([buf.subarray(0, p), buf.subarray(p + op.len)]);
    }
    case 'dup': {
      const p = at(buf, op.pos);
      const piece = buf.subarray(p, p + op.len);
      return Buffer.concat([buf.subarray(0, p), ...Array(op.times + 1).fill(piece), buf.subarray(p + op.len)]);
    }
    case 'insert': {
      const p = at(buf, op.pos);
      return Buffer.concat([buf.subarray(0, p), INSERTS[op.what], buf.subarray(p)]);
    }
    case 'random': {
      const p = at(buf, op.pos);
      return Buffer.concat([buf.subarray(0, p), Buffer.from(op.bytes), buf.subarray(p)]);
    }
    case 'splice': {
      const other = others[op.other % others.length].bytes;
      const mine = splitLines(buf);
      const theirs = splitLines(other);
      if (theirs.length === 0) return buf;
      const from = op.from % theirs.length;
      const piece = theirs.slice(from, from + op.count);
      const where = mine.length === 0 ? 0 : op.at % (mine.length + 1);
      return Buffer.concat([...mine.slice(0, where), ...piece, ...mine.slice(where)]);
    }
    case 'char': {
      const byte = CHARS[op.ch].charCodeAt(0);
      if (op.mode === 'double-all' || op.mode === 'remove-all') {
        const out: number[] = [];
        for (const b of buf) {
          if (b !== byte) out.push(b);
          else if (op.mode === 'double-all') out.push(b, b);
        }
        return Buffer.from(out);
      }
      const i = nthIndex(buf, byte, op.nth);
      if (i < 0) return buf;
      return op.mode === 'dup' ? Buffer.concat([buf.subarray(0, i + 1), buf.subarray(i)]) : Buffer.concat([buf.subarray(0, i), buf.subarray(i + 1)]);
    }
    case 'eol': {
      // Rewrite line endings of the whole file (nth 0) or of one stretch of it (mixed endings).
      const text = buf.toString('latin1');
      if (op.nth === 0) return Buffer.from(text.replace(/\r\n|\r|\n/g, EOLS[op.to]), 'latin1');
      const cut = Math.floor((text.length * op.nth) / 4);
      return Buffer.from(text.slice(0, cut) + text.slice(cut).replace(/\r\n|\r|\n/g, EOLS[op.to]), 'latin1');
    }
    case 'encode': {
      const enc = ENCODINGS[op.enc];
      const text = buf.toString('utf8');
      return iconv.encode(text, enc, { addBOM: op.bom });
    }
    case 'repeat-line': {
      const lines = splitLines(buf);
      if (lines.length === 0) return buf;
      const i = op.line % lines.length;
      return Buffer.concat([...lines.slice(0, i + 1), ...Array(op.times).fill(lines[i]), ...lines.slice(i + 1)]);
    }
    case 'big': {
      const p = at(buf, op.pos);
      const body = Buffer.alloc(op.size, 0x41);
      const piece = op.quoted ? Buffer.concat([Buffer.from('"'), body, Buffer.from('"')]) : body;
      return Buffer.concat([buf.subarray(0, p), piece, buf.subarray(p)]);
    }
    case 'tree':
      return ext === 'csv' || ext === 'txt' ? buf : treeEdit(buf, ext, op);
  }
}

interface Case {
  seed: number;
  ops: Op[];
}

/** Seeds that are real tables/text exports are picked 9 times out of 10; the rest (expected.json, scripts) once. */
function caseArb(seeds: Seed[]): fc.Arbitrary<Case> {
  const main = seeds.map((s, i) => (/\.(?:csv|txt)$/i.test(s.name) || !s.name.startsWith('fixtures/') ? i : -1)).filter((i) => i >= 0);
  const rest = seeds.map((_, i) => i).filter((i) => !main.includes(i));
  const seed = rest.length === 0 ? fc.constantFrom(...main) : fc.oneof({ arbitrary: fc.constantFrom(...main), weight: 9 }, { arbitrary: fc.constantFrom(...rest), weight: 1 });
  return fc.record({ seed, ops: fc.array(opArb, { minLength: 1, maxLength: 6 }) });
}

/** Inputs are capped (repeat-line × big cell grew one to 1 GB): 6 MB is past every limit worth testing. */
const MAX_INPUT = 6 * 1024 * 1024;

function build(c: Case, seeds: Seed[]): { bytes: Buffer; ext: string; seedName: string } {
  const seed = seeds[c.seed % seeds.length];
  let bytes = seed.bytes;
  for (const op of c.ops) {
    bytes = applyOp(bytes, op, seed.ext, seeds);
    if (bytes.length > MAX_INPUT) bytes = bytes.subarray(0, MAX_INPUT);
  }
  return { bytes, ext: seed.ext, seedName: seed.name };
}

// ------------------------------------------------------------------------------------------------
// Checks

let builtinRules: LoadedRule[] = [];
const SMALL_INVENTORY = path.join(ROOT, 'fixtures/exports/ad-computers.csv');
const WAIVER_INVENTORY = path.join(ROOT, 'fixtures/sample-trust-inventory.csv');

async function checkInventory(bytes: Buffer, ext: string): Promise<void> {
  mkdirSync(path.join(work, 'a'), { recursive: true });
  const file = path.join(work, 'a', `input.${ext}`);
  writeFileSync(file, bytes);
  const first = await auditAndCheck([file], builtinRules);
  if (!TWIN_CHECK || !plainUtf8Lf(bytes)) return;
  // One twin per input, chosen by its length (deterministic, so shrinking keeps it).
  const kind = TWINS[bytes.length % TWINS.length];
  if (!TWIN_CR && kind === 'cr') return;
  mkdirSync(path.join(work, 'b'), { recursive: true });
  const twinFile = path.join(work, 'b', `input.${ext}`);
  writeFileSync(twinFile, twinOf(bytes, kind));
  const second = await auditAndCheck([twinFile], builtinRules);
  const da = digest(first) as Record<string, unknown>;
  const db = digest(second) as Record<string, unknown>;
  const a = JSON.stringify(da);
  const b = JSON.stringify(db);
  if (a === b) return;
  // The aspect that differs goes into the failure signature (one saved case per twin kind and aspect).
  const aspect = 'refused' in da || 'refused' in db ? ('refused' in da && 'refused' in db ? 'refusal message' : 'refused vs audited') : (['rowsRead', 'rejected', 'hosts'] as const).find((k) => JSON.stringify(da[k]) !== JSON.stringify(db[k]));
  throw new Error(`twin ${kind} differs (${aspect}): ${firstDifference(a, b)}`);
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `LF gives …${a.slice(Math.max(0, i - 60), i + 60)}… but twin gives …${b.slice(Math.max(0, i - 60), i + 60)}…`;
}

async function checkRules(bytes: Buffer, ext: string): Promise<void> {
  const file = path.join(work, `input.${ext}`);
  writeFileSync(file, bytes);
  try {
    await loadRulesFile(file);
  } catch (err) {
    if (err instanceof AuditError) return;
    throw err;
  }
  // A file the loader accepts must also be usable: audit a small inventory with it.
  let rules: LoadedRule[];
  try {
    rules = await loadRules([file]);
  } catch (err) {
    if (err instanceof AuditError) return;
    throw err;
  }
  await auditAndCheck([SMALL_INVENTORY], rules);
}

async function checkWaivers(bytes: Buffer, ext: string): Promise<void> {
  const file = path.join(work, `input.${ext}`);
  writeFileSync(file, bytes);
  let waivers;
  try {
    waivers = await loadWaivers(
      file,
      builtinRules.map((r) => r.rule.id),
      AS_OF,
      90,
    );
  } catch (err) {
    if (err instanceof AuditError) return;
    throw err;
  }
  await auditAndCheck([WAIVER_INVENTORY], builtinRules, waivers);
}

// ------------------------------------------------------------------------------------------------
// Driver

function signature(err: unknown): string {
  const e = err as Error | undefined;
  const twin = /^twin [\w-]+ differs \([^)]*\)/.exec(String(e?.message));
  if (twin) return twin[0];
  const name = e?.constructor?.name ?? typeof err;
  const msg = String(e?.message ?? err)
    .replace(/\/[^\s:'"]+/g, '<path>')
    .replace(/\d+/g, 'N')
    .slice(0, 120);
  return `${name}: ${msg}`;
}

function saveRegression(bytes: Buffer, ext: string): string {
  mkdirSync(REGRESSIONS, { recursive: true });
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  const file = path.join(REGRESSIONS, `${hash}.${ext}`);
  writeFileSync(file, bytes);
  return file;
}

interface FuzzStats {
  target: string;
  iterations: number;
  ms: number;
  failures: { file: string; signature: string; seed: string; error: string }[];
}

async function fuzz(target: string, seeds: Seed[], check: (bytes: Buffer, ext: string) => Promise<void>, budgetMs: number, seedOffset: number): Promise<FuzzStats> {
  const started = Date.now();
  const end = started + budgetMs;
  const known = new Set<string>();
  const stats: FuzzStats = { target, iterations: 0, ms: 0, failures: [] };
  let round = 0;
  while (Date.now() < end - 500) {
    const seed = (BASE_SEED + seedOffset + round++ * 7919) % 2 ** 31;
    const property = fc.asyncProperty(caseArb(seeds), async (c) => {
      stats.iterations++;
      const { bytes, ext } = build(c, seeds);
      const t0 = Date.now();
      try {
        await check(bytes, ext);
      } catch (err) {
        if (known.has(signature(err))) return true;
        throw err;
      }
      const ms = Date.now() - t0;
      if (ms > SLOW_MS) {
        const sig = `slow: over ${SLOW_MS} ms`;
        if (!known.has(sig)) throw new Error(`${sig} (${ms} ms)`);
      }
      return true;
    });
    const details = await fc.check(property, {
      seed,
      numRuns: 100_000_000,
      interruptAfterTimeLimit: Math.max(1000, end - Date.now()),
      markInterruptAsFailure: false,
      timeout: TIMEOUT_MS,
    });
    if (!details.failed) break;
    const c = details.counterexample![0] as Case;
    const { bytes, ext, seedName } = build(c, seeds);
    const err = details.errorInstance;
    const sig = signature(err);
    known.add(sig.startsWith('Error: slow:') ? `slow: over ${SLOW_MS} ms` : sig);
    const file = saveRegression(bytes, ext);
    const message = String((err as Error)?.stack ?? err).split('\n').slice(0, 6).join('\n');
    stats.failures.push({ file: path.relative(ROOT, file), signature: sig, seed: seedName, error: message });
    process.stdout.write(`\nfuzz ${target}: FAILURE saved to ${path.relative(ROOT, file)} (seed file ${seedName}, fc seed ${seed}, ops ${JSON.stringify(c.ops).slice(0, 300)})\n  ${message.replace(/\n/g, '\n  ')}\n`);
  }
  stats.ms = Date.now() - started;
  return stats;
}

const all: FuzzStats[] = [];

beforeAll(async () => {
  builtinRules = await loadRules([]);
  process.stdout.write(`fuzz: budget ${FUZZ_SECONDS} s, base seed ${BASE_SEED}, ${inventorySeeds.length} inventory seeds, ${ruleSeeds.length} rule seeds, ${waiverSeeds.length} waiver seeds; current input is written to ${work}\n`);
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  const total = all.reduce((n, s) => n + s.iterations, 0);
  const ms = all.reduce((n, s) => n + s.ms, 0);
  process.stdout.write(
    `\nfuzz summary: ${total} iterations in ${(ms / 1000).toFixed(1)} s (${all.map((s) => `${s.target} ${s.iterations} in ${(s.ms / 1000).toFixed(0)} s`).join(', ')}); ` +
      `${all.reduce((n, s) => n + s.failures.length, 0)} failure(s)\n`,
  );
  for (const s of all) for (const f of s.failures) process.stdout.write(`  ${s.target}: ${f.file}  ${f.signature}\n`);
});

describe('fuzz (mutated real inputs, in-process)', () => {
  test('seeds are present', () => {
    expect(inventorySeeds.length).toBeGreaterThan(10);
    expect(ruleSeeds.length).toBeGreaterThan(packFiles.length);
  });

  test('inventory reader + OS normaliser + audit', async () => {
    const stats = await fuzz('inventory', inventorySeeds, checkInventory, FUZZ_SECONDS * 700, 0);
    all.push(stats);
    expect(stats.failures.map((f) => `${f.file}: ${f.signature}`)).toEqual([]);
  });

  test('rules loader (built-in packs and YAML, mutated)', async () => {
    const stats = await fuzz('rules', ruleSeeds, checkRules, FUZZ_SECONDS * 150, 1);
    all.push(stats);
    expect(stats.failures.map((f) => `${f.file}: ${f.signature}`)).toEqual([]);
  });

  test('waiver loader (mutated) + audit with the waivers', async () => {
    const stats = await fuzz('waivers', waiverSeeds, checkWaivers, FUZZ_SECONDS * 150, 2);
    all.push(stats);
    expect(stats.failures.map((f) => `${f.file}: ${f.signature}`)).toEqual([]);
  });
});

