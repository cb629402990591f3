#!/usr/bin/env node
// By-hand check that no corner is cut for scale: the verdicts of one large file audited whole (streamed,
// worker threads by default) equal those of the same rows audited in chunks of 10,000 in one thread.
//
//   node scripts/verify-chunks.js <inventory.csv> [--chunk 10000] [--as-of 2026-11-25]
// Needs a one-row-per-host file with unique hostnames (as `npm run bench -- --keep` generates).
import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, def) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : def);
const file = args[0];
const CHUNK = Number(opt('chunk', '10000'));
const AS_OF = opt('as-of', '2026-11-25');
if (!file) {
  console.error('usage: node scripts/verify-chunks.js <inventory.csv> [--chunk 10000] [--as-of YYYY-MM-DD]');
  process.exit(2);
}

/** Audit to NDJSON and fold each host line into "status score rule=status:evidence …". */
function verdicts(input, extra) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/patchaudit.js'), 'audit', input, '--format', 'ndjson', '--as-of', AS_OF, '--fail-on', 'none', '--allow-unknown', '--quiet', ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
    const out = new Map();
    const rl = createInterface({ input: child.stdout, crlfDelay: Infinity });
    rl.on('line', (line) => {
      const h = JSON.parse(line);
      if (h.type !== 'host') return;
      out.set(h.hostname, `${h.status} ${h.risk.score} ${h.findings.map((f) => `${f.ruleId}=${f.status}:${f.evidence.join('|')}`).join(' ')}`);
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`audit of ${input} exited ${code}`))));
  });
}

const whole = await verdicts(file, []);
const dir = mkdtempSync(path.join(tmpdir(), 'patchaudit-verify-'));
let header = null;
let rows = [];
let chunks = 0;
let compared = 0;
const mismatches = [];
async function flush() {
  if (rows.length === 0) return;
  const part = path.join(dir, `chunk-${chunks++}.csv`);
  writeFileSync(part, [header, ...rows].join('\n') + '\n');
  rows = [];
  for (const [name, v] of await verdicts(part, ['--workers', '0'])) {
    compared++;
    if (whole.get(name) !== v && mismatches.length < 10) mismatches.push({ name, whole: whole.get(name), chunk: v });
  }
}
try {
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (header === null) header = line;
    else if (line !== '') {
      rows.push(line);
      if (rows.length >= CHUNK) await flush();
    }
  }
  await flush();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`${whole.size} hosts audited whole, ${compared} in ${chunks} chunks of ${CHUNK}; ${mismatches.length ? 'MISMATCHES' : 'identical verdicts'}`);
for (const m of mismatches) console.log(JSON.stringify(m));
process.exit(mismatches.length === 0 && compared === whole.size ? 0 : 1);
