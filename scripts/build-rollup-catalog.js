#!/usr/bin/env node
// Builds src/rules/data/rollup-catalog.json from the researched rollup catalog CSV.
//
//   node scripts/build-rollup-catalog.js [input.csv] [output.json]
//
// input  defaults to ../shared/research/rollup-catalog.csv (relative to the repository root)
// output defaults to src/rules/data/rollup-catalog.json (relative to the repository root)
//
// CSV columns: os,kb,month,kind,supersedes,confidence,note (see rollup-catalog.md next to the CSV).
// Every CSV row becomes one row of the JSON; nothing is dropped or merged. The script fails
// (exit code 1) on any malformed row instead of writing a partial catalog.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const inputPath = process.argv[2]
  ? resolve(process.cwd(), process.argv[2])
  : resolve(repoRoot, '../shared/research/rollup-catalog.csv');
const outputPath = process.argv[3]
  ? resolve(process.cwd(), process.argv[3])
  : resolve(repoRoot, 'src/rules/data/rollup-catalog.json');

const EXPECTED_HEADER = ['os', 'kb', 'month', 'kind', 'supersedes', 'confidence', 'note'];
const FAMILIES = [
  'win7-2008r2',
  'win81-2012r2',
  'ws2012',
  'ws2008',
  'win10-1507',
  'win10-1511',
  'win10-1607-ws2016',
];
const KINDS = new Set(['monthly-rollup', 'security-only', 'preview-rollup', 'cumulative', 'standalone']);
const CONFIDENCES = new Set(['confirmed', 'secondary', 'inferred']);
const KB_RE = /^KB\d{6,7}$/;
const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Minimal RFC 4180 parser: quoted fields, doubled quotes, CRLF or LF line ends. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let inQuotes = false;
  let i = 0;
  if (text.charCodeAt(0) === 0xfeff) i = 1; // BOM
  for (; i < text.length; i++) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          inQuotes = false;
        }
      } else {
        field += c;
      }
    } else if (c === '"') {
      if (field !== '') throw new Error(`unexpected quote inside an unquoted field (row ${rows.length + 1})`);
      inQuotes = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (inQuotes) throw new Error('unterminated quoted field at end of file');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  // Drop blank lines.
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

/** Second Tuesday (Patch Tuesday) of a YYYY-MM month, as YYYY-MM-DD. */
function patchTuesday(month) {
  const [y, m] = month.split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 1, 1));
  const firstTuesday = 1 + ((2 - first.getUTCDay() + 7) % 7);
  return `${month}-${String(firstTuesday + 7).padStart(2, '0')}`;
}

function fail(msg) {
  console.error(`build-rollup-catalog: ${msg}`);
  process.exit(1);
}

let text;
try {
  text = readFileSync(inputPath, 'utf8');
} catch (err) {
  fail(`cannot read ${inputPath}: ${err.message}`);
}

const rows = parseCsv(text);
const header = rows.shift();
if (!header || header.join(',') !== EXPECTED_HEADER.join(',')) {
  fail(`unexpected header ${JSON.stringify(header)}; expected ${EXPECTED_HEADER.join(',')}`);
}

const families = Object.fromEntries(FAMILIES.map((f) => [f, []]));
const seen = new Set();
const counts = { rows: 0, builds: 0, prePatchTuesday: 0 };

rows.forEach((cells, idx) => {
  const line = idx + 2;
  if (cells.length !== EXPECTED_HEADER.length) fail(`line ${line}: ${cells.length} fields, expected 7`);
  const [os, kb, month, kind, supersedesRaw, confidence, note] = cells.map((c) => c.trim());
  if (!(os in families)) fail(`line ${line}: unknown os family "${os}"`);
  if (!KB_RE.test(kb)) fail(`line ${line}: malformed KB "${kb}"`);
  if (!MONTH_RE.test(month)) fail(`line ${line}: malformed month "${month}"`);
  if (!KINDS.has(kind)) fail(`line ${line}: unknown kind "${kind}"`);
  if (!CONFIDENCES.has(confidence)) fail(`line ${line}: unknown confidence "${confidence}"`);
  const key = `${os}/${kb}`;
  if (seen.has(key)) fail(`line ${line}: duplicate ${key}`);
  seen.add(key);

  const supersedes = supersedesRaw === '' ? [] : supersedesRaw.split(';').map((s) => s.trim());
  for (const s of supersedes) if (!KB_RE.test(s)) fail(`line ${line}: malformed supersedes entry "${s}"`);

  // Windows 10 / Server 2016 rows carry "build=14393.953; released=2017-03-14" in the note.
  const buildMatch = /(?:^|[;\s])build=(\d+)\.(\d+)\b/.exec(note);
  const build = buildMatch ? `${buildMatch[1]}.${buildMatch[2]}` : null;
  if (os.startsWith('win10-') && (kind === 'cumulative') && !build && kb !== 'KB4103728') {
    // KB4103728 is the one documented cumulative row without an update-history build.
    fail(`line ${line}: Windows 10 cumulative update ${kb} has no build= in its note`);
  }
  const releasedMatch = /(?:^|[;\s])released=(\d{4}-\d{2}-\d{2})\b/.exec(note);
  const released = releasedMatch ? releasedMatch[1] : null;
  if (released && !DATE_RE.test(released)) fail(`line ${line}: malformed released date`);

  const flags = [];
  if (/out-of-band/i.test(note)) flags.push('out-of-band');
  if (/non-Patch-Tuesday/i.test(note)) flags.push('non-patch-tuesday');
  // Released before its month's Patch Tuesday: does NOT contain that month's Patch Tuesday fixes.
  // The 2018-01 Windows 10 updates of 2018-01-03 ARE that month's security release (published
  // early for Meltdown/Spectre); their note says so and they are not flagged.
  const monthsSecurityRelease = /security release, published ahead of Patch Tuesday/i.test(note);
  const beforePt =
    /\(before the \d{4}-\d{2} Patch Tuesday\)/.test(note) ||
    (released !== null && released < patchTuesday(month) && !monthsSecurityRelease);
  if (beforePt) {
    flags.push('before-patch-tuesday');
    counts.prePatchTuesday++;
  }
  if (/not in the MSRC data/i.test(note)) flags.push('not-in-msrc-data');

  families[os].push([kb, month, kind, confidence, supersedes, build, released, flags]);
  counts.rows++;
  if (build) counts.builds++;
});

const catalog = {
  $comment:
    'Generated by scripts/build-rollup-catalog.js from the research file rollup-catalog.csv. Do not edit by hand: fix the CSV and regenerate.',
  source:
    'rollup-catalog.csv / rollup-catalog.md (patchaudit research). Rows rest on MSRC security-update data as redistributed in bitsadmin/wesng definitions.zip CVEs_20260628.csv (commit 026a581d55d653f6612d1374eb77b1db94778fde, 2026-06-28); Windows 10 builds and release dates from the Windows 10 update-history list as compiled in altrhombus/DataForGeeks buildnumbers.json (2026-06-23); rollup order from future-architect/vuls scanner/windows.go (commit 386ec57). Confidence per row: confirmed / secondary / inferred, as defined in rollup-catalog.md.',
  dataAsOf: '2026-06-28',
  generatedFrom: relative(repoRoot, inputPath).split('\\').join('/'),
  columns: ['kb', 'month', 'kind', 'confidence', 'supersedes', 'build', 'released', 'flags'],
  columnNotes: {
    kb: 'KB id, "KB" + digits.',
    month:
      'YYYY-MM of release (Patch Tuesday month; out-of-band and preview releases carry the month they were released in).',
    kind: 'monthly-rollup | security-only | preview-rollup | cumulative (Windows 10 / Server 2016) | standalone.',
    confidence: 'confirmed | secondary | inferred (see rollup-catalog.md).',
    supersedes: 'KBs this KB supersedes within the same family in the MSRC data (may be empty).',
    build:
      'Windows 10 / Server 2016 rows: "build.revision" of the OS after installing the update (e.g. "14393.953"); null otherwise.',
    released: 'Exact release date when the source gives one (Windows 10 rows), else null.',
    flags:
      'out-of-band; non-patch-tuesday; before-patch-tuesday (released before its month\'s Patch Tuesday, so it does NOT contain that month\'s Patch Tuesday fixes); not-in-msrc-data.',
  },
  usage: [
    'A monthly-rollup, preview-rollup or cumulative row of month M (and without the before-patch-tuesday flag) contains every security fix of earlier Patch Tuesday months in the same family and of month M itself.',
    'A before-patch-tuesday row of month M contains the fixes of months before M only.',
    'security-only rows contain only their own month\'s fixes and are never evidence for an earlier month\'s fix; standalone rows are never cumulative.',
    'Families are separate: never use a KB of one family as evidence for a host of another (KB4012213 is Windows 8.1/2012 R2, not Server 2012).',
    'Server 2008 SP2 (ws2008) rollups start 2018-09 and are not documented to contain the pre-2018-09 standalone updates (e.g. MS17-010 KB4012598/KB4018466).',
  ],
  counts: { ...counts, perFamily: Object.fromEntries(FAMILIES.map((f) => [f, families[f].length])) },
  families,
};

mkdirSync(dirname(outputPath), { recursive: true });
// One row per line keeps the file diffable while staying compact.
const lines = [];
lines.push('{');
const topKeys = Object.keys(catalog).filter((k) => k !== 'families');
for (const k of topKeys) lines.push(`  ${JSON.stringify(k)}: ${JSON.stringify(catalog[k])},`);
lines.push('  "families": {');
FAMILIES.forEach((f, fi) => {
  lines.push(`    ${JSON.stringify(f)}: [`);
  families[f].forEach((r, ri) => lines.push(`      ${JSON.stringify(r)}${ri < families[f].length - 1 ? ',' : ''}`));
  lines.push(`    ]${fi < FAMILIES.length - 1 ? ',' : ''}`);
});
lines.push('  }');
lines.push('}');
const out = lines.join('\n') + '\n';
JSON.parse(out); // sanity: the hand-assembled layout is valid JSON
writeFileSync(outputPath, out);
console.log(
  `build-rollup-catalog: wrote ${counts.rows} rows (${counts.builds} with build, ${counts.prePatchTuesday} before Patch Tuesday) to ${relative(process.cwd(), outputPath) || outputPath}`,
);
