/**
 * Failures found by the fuzzer (test/fuzz/fuzz.test.ts, `npm run fuzz`), replayed in `npm test`.
 *
 * 1. Every file the fuzzer saved in test/fuzz/regressions/<hash>.<ext> is checked with the fuzz property
 *    (only AuditError subclasses may be thrown; accounting adds up; an unrecognised OS is never compliant;
 *    a plain UTF-8/LF inventory gives the same result with CRLF or CR line ends and as UTF-16 LE).
 *    ext: csv/txt = inventory, rules.json/rules.yaml = rules file, waivers.json/waivers.yaml = waiver file.
 * 2. INLINE holds the minimised form of each failure, with what it exposed, so the case survives even if
 *    the saved file is cleaned up.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { AuditError } from '../../src/errors.js';
import { loadWaivers } from '../../src/evaluation/waivers.js';
import { loadRules, loadRulesFile } from '../../src/rules/load-rules.js';
import type { LoadedRule } from '../../src/rules/types.js';
import { auditAndCheck, AS_OF, digest, plainUtf8Lf, twinOf, TWINS } from '../helpers/audit-property.js';
import { ROOT } from '../helpers/cli.js';
import { tempDir, writeTemp } from '../helpers/tmp.js';

const REGRESSIONS = path.join(ROOT, 'test/fuzz/regressions');
const dir = tempDir('patchaudit-regressions-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let builtin: LoadedRule[] = [];

beforeAll(async () => {
  builtin = await loadRules([]);
});

type Kind = 'inventory' | 'rules' | 'waivers';

function kindOf(name: string): Kind {
  if (/\.rules\.(?:json|ya?ml)$/.test(name)) return 'rules';
  if (/\.waivers\.(?:json|ya?ml)$/.test(name)) return 'waivers';
  return 'inventory';
}

/** Inventory: the property, then every twin (CRLF, CR, UTF-16 LE + BOM) of a plain UTF-8/LF file must agree. */
async function checkInventory(file: string): Promise<void> {
  const bytes = readFileSync(file);
  const base = path.basename(file);
  const sub = (name: string) => {
    const d = path.join(dir, `${base}-${name}`);
    mkdirSync(d, { recursive: true });
    return path.join(d, 'input' + path.extname(file));
  };
  const original = writeTemp(path.dirname(sub('lf')), path.basename(sub('lf')), bytes);
  const first = digest(await auditAndCheck([original], builtin));
  if (!plainUtf8Lf(bytes)) return;
  for (const name of TWINS) {
    const twin = twinOf(bytes, name);
    const f = sub(name);
    const got = digest(await auditAndCheck([writeTemp(path.dirname(f), path.basename(f), twin)], builtin));
    expect({ twin: name, result: got }).toEqual({ twin: name, result: first });
  }
}

async function check(kind: Kind, file: string): Promise<void> {
  if (kind === 'inventory') return checkInventory(file);
  if (kind === 'rules') {
    try {
      await loadRulesFile(file);
      await auditAndCheck([path.join(ROOT, 'fixtures/exports/ad-computers.csv')], await loadRules([file]));
    } catch (err) {
      if (!(err instanceof AuditError)) throw err;
    }
    return;
  }
  let waivers;
  try {
    waivers = await loadWaivers(
      file,
      builtin.map((r) => r.rule.id),
      AS_OF,
      90,
    );
  } catch (err) {
    if (err instanceof AuditError) return;
    throw err;
  }
  await auditAndCheck([path.join(ROOT, 'fixtures/sample-trust-inventory.csv')], builtin, waivers);
}

const saved = existsSync(REGRESSIONS) ? readdirSync(REGRESSIONS).filter((f) => /^[0-9a-f]{8,}\./.test(f)).sort() : [];

describe('saved fuzz regressions (test/fuzz/regressions)', () => {
  if (saved.length === 0) {
    test('none saved', () => expect(saved).toEqual([]));
    return;
  }
  test.each(saved)('%s', async (name) => {
    await check(kindOf(name), path.join(REGRESSIONS, name));
  });
});

interface InlineCase {
  name: string;
  kind: Kind;
  ext: string;
  content: string | Buffer;
  /** What the fuzzer found (the file/line to fix is in the report). */
  found: string;
}

const ROWS = 'Hostname,OS Name,OS Version\nPC-01,Microsoft Windows 7 Enterprise,6.1.7601\nPC-02,Microsoft Windows 10 Enterprise,10.0.19045.4291\n';

/**
 * Minimised forms of the failures of the first fuzz runs (2 × 660 s). All four were one bug seen four ways:
 * CR-only line ends were not line ends for the header sniffer (it split on \r?\n), so the CR twin of a
 * good file was read as one long header line (saved as 41ec044d…, fde0d1fe…, 44135fdb…, 0f244c76…).
 */
const INLINE: InlineCase[] = [
  {
    name: 'CR twin: every data row rejected as "expected 7 fields, found 3"',
    kind: 'inventory',
    ext: 'csv',
    content: ROWS,
    found: 'twin cr differs (rejected)',
  },
  {
    // After the CR fix this still failed for another reason: the CRLF twin reported the unterminated quote on
    // line 6 (csv-parse counted CR and LF apart inside a quoted field), the LF file on line 5.
    name: 'CR/CRLF twins: a title block and an unterminated quote give the same refusal as the LF file',
    kind: 'inventory',
    ext: 'csv',
    content: 'Patch inventory\nExported 25/11/2026 by svc-inventory\n\nHostname,OS Name,OS Version\nPC-01,"Microsoft Windows 7 Enterprise,6.1.7601\n',
    found: 'twin cr differs (refusal message); then twin crlf differs (refusal message: line 6 vs 5)',
  },
  {
    name: 'CR twin: 700 rows of 3 cells become one 2,100-column header, over --max-columns',
    kind: 'inventory',
    ext: 'csv',
    content: 'Hostname,OS Name,OS Version\n' + Array.from({ length: 700 }, (_, i) => `PC-${i},Microsoft Windows 7 Enterprise,6.1.7601\n`).join(''),
    found: 'twin cr differs (refused vs audited)',
  },
  {
    name: 'CR twin: quoted multi-line cells and ragged rows change rowsRead',
    kind: 'inventory',
    ext: 'csv',
    content: 'Hostname,Notes,OS Name\nPC-01,"line one\nline two",Microsoft Windows 7 Enterprise\nPC-02,x\nPC-03,y,Microsoft Windows 10 Enterprise,extra\n',
    found: 'twin cr differs (rowsRead)',
  },
  {
    // Fuzz run 4 (saved as f893b507…): a systeminfo fixture, truncated, with its line ends turned into CR.
    name: 'CR twin: a systeminfo list with CR line ends is refused ("no usable header row") where the LF file is audited',
    kind: 'inventory',
    ext: 'txt',
    content: 'Host Name:                 KMU-SV-IT-2016\nOS Name:                   Microsoft Windows Server 2016 Standard\nOS Version:                10.0.14393 N/A Build 14393\nHotfix(s):                 1 Hotfix(s) Installed.\n                           [01]: KB4013429\n',
    found: 'twin cr differs (refused vs audited)',
  },
];

describe('minimised fuzz failures', () => {
  if (INLINE.length === 0) {
    test('none so far', () => expect(INLINE).toEqual([]));
    return;
  }
  test.each(INLINE.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const file = writeTemp(dir, `${c.name.replace(/\W+/g, '-')}.${c.ext}`, c.content);
    await check(c.kind, file);
  });
});
