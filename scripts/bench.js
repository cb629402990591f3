#!/usr/bin/env node
// `npm run bench`: generates inventories (deterministic seed), then times the audit against a bare
// csv-parse pass over the same file, in the same run, and prints a table of ratios and peak RSS.
// Each measured run follows a baseline run of its own; a ratio is the median over those pairs.
//
//   node scripts/bench.js [--sizes 10000,100000,1000000] [--formats ndjson,csv,json] [--keep] [--no-systeminfo] [--no-single-thread]
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const SIZES = opt('sizes', '10000,100000,1000000').split(',').map(Number);
const FORMATS = opt('formats', 'ndjson,csv').split(',');
const KEEP = args.includes('--keep');
const SYSTEMINFO = !args.includes('--no-systeminfo');
const SINGLE = !args.includes('--no-single-thread');

// ---------------------------------------------------------------------------------------------
// Deterministic inventory generator (a hospital-trust-like mix of products, KB lists and sites).

function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SITES = ['Northgate General', "St Aldhelm's", 'Westmoor Community Hospital', 'Harrowfield Royal Infirmary', 'Kingsbridge Maternity Unit', 'Trust HQ'];
const ROLES = ['Ward PC', 'Clinical workstation', 'PACS viewer', 'Lab analyser PC', 'Kiosk', 'File server', 'Domain controller', 'Theatre PC'];
const PROFILES = [
  // weight, name, version, sp, kbs pool
  [6, 'Microsoft Windows XP Professional', '5.1.2600', 'Service Pack 3', ['KB4012598', 'KB4500331', 'KB958644', 'KB2347290']],
  [14, 'Microsoft Windows 7 Enterprise ', '6.1.7601', 'Service Pack 1', ['KB4012212', 'KB4012215', 'KB4015546', 'KB4019264', 'KB4534310', 'KB4499175', 'KB2999226', 'KB976902']],
  [4, 'Microsoft Windows Server 2008 R2 Standard ', '6.1.7601', 'Service Pack 1', ['KB4012212', 'KB4019264', 'KB5022872', 'KB4499164']],
  [3, 'Microsoft Windows Server 2012 R2 Standard', '6.3.9600', '', ['KB4012213', 'KB4012216', 'KB5031419', 'KB4015547']],
  [2, 'Microsoft Windows Server 2008 Enterprise ', '6.0.6002', 'Service Pack 2', ['KB4012598', 'KB4018466', 'KB4499180']],
  [10, 'Microsoft Windows 10 Enterprise', '10.0.14393.447', '', ['KB4013429', 'KB4015217']],
  [30, 'Microsoft Windows 10 Enterprise', '10.0.19045.6036', '', ['KB5062554', 'KB5063159']],
  [5, 'Microsoft Windows 10 Enterprise LTSC', '10.0.17763.7009', '', ['KB5053596']],
  [18, 'Microsoft Windows 11 Enterprise', '10.0.26100.4349', '', ['KB5060842', 'KB5062553']],
  [4, 'Microsoft Windows Server 2019 Standard', '10.0.17763.7009', '', ['KB5053596']],
  [3, 'Microsoft Windows Server 2022 Datacenter', '10.0.20348.3328', '', ['KB5053603']],
  [1, 'Ubuntu 22.04.4 LTS', '22.04', '', []],
];
const TOTAL_WEIGHT = PROFILES.reduce((n, p) => n + p[0], 0);

function csvCell(s) {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

async function generate(file, hosts, seed = 20170512) {
  const rnd = prng(seed + hosts);
  const out = createWriteStream(file);
  const write = (s) => (out.write(s) ? Promise.resolve() : new Promise((r) => out.once('drain', r)));
  await write('Hostname,OS Name,OS Version,Service Pack,Installed KBs,Last Patch Date,Site,Role,ESU,SMBv1\n');
  let buf = '';
  for (let i = 0; i < hosts; i++) {
    let w = rnd() * TOTAL_WEIGHT;
    let p = PROFILES[0];
    for (const x of PROFILES) {
      if ((w -= x[0]) <= 0) {
        p = x;
        break;
      }
    }
    const kbs = p[4].filter(() => rnd() < 0.45).join('; ');
    const month = 1 + Math.floor(rnd() * 12);
    const day = 1 + Math.floor(rnd() * 28);
    const row = [
      `PC-${String(i).padStart(7, '0')}`,
      p[1],
      p[2],
      p[3],
      kbs,
      `20${20 + Math.floor(rnd() * 6)}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      SITES[Math.floor(rnd() * SITES.length)],
      ROLES[Math.floor(rnd() * ROLES.length)],
      rnd() < 0.1 ? 'yes' : '',
      rnd() < 0.3 ? 'True' : 'False',
    ];
    buf += row.map(csvCell).join(',') + '\n';
    if (buf.length > 1 << 16) {
      await write(buf);
      buf = '';
    }
  }
  await write(buf);
  await new Promise((r) => out.end(r));
}

/**
 * One host's `systeminfo > HOST.txt` as Windows writes it: every section (BIOS, memory, network cards
 * with their addresses, …), and the hotfix list at its real length: a few cumulative updates on Windows
 * 10/11, hundreds of separate updates on Windows 7 and Server 2008 R2. A quarter are UTF-16 with a BOM
 * (PowerShell's redirection), the rest in the console's code page. Returns bytes.
 */
const SI_PRODUCTS = [
  // caption, version, updates a fully patched machine lists (oldest first), their KB number range, the March 2017 fix
  ['Microsoft Windows 10 Enterprise', '10.0.19045 N/A Build 19045', 25, [4500000, 5100000], null],
  ['Microsoft Windows 11 Enterprise', '10.0.22631 N/A Build 22631', 15, [5020000, 5100000], null],
  ['Microsoft Windows 7 Enterprise ', '6.1.7601 Service Pack 1 Build 7601', 260, [2400000, 5030000], 'KB4012212'],
  ['Microsoft Windows Server 2008 R2 Standard ', '6.1.7601 Service Pack 1 Build 7601', 240, [2400000, 5030000], 'KB4012215'],
  ['Microsoft Windows Server 2012 R2 Standard', '6.3.9600 N/A Build 9600', 200, [2900000, 5100000], 'KB4012213'],
  ['Microsoft Windows Server 2016 Standard', '10.0.14393 N/A Build 14393', 20, [4500000, 5100000], 'KB4013429'],
  ['Microsoft Windows XP Professional', '5.1.2600 Service Pack 3 Build 2600', 300, [890000, 4500000], 'KB4012598'],
];

/**
 * The updates each product's machines can list, oldest first: fixed per product, as in a real fleet,
 * where machines of one product share most of their hotfix list and differ in how far they are patched.
 */
const SI_POOLS = SI_PRODUCTS.map(([, , size, [low, high], fix], p) => {
  const rand = prng(0x7e57 + p);
  const kbs = [];
  for (let k = 0; k < size; k++) kbs.push(Math.floor(low + ((high - low) * (k + rand())) / size));
  const pool = kbs.map((n) => `KB${n}`);
  if (fix) pool.splice(Math.floor(size * 0.6), 0, fix);
  return pool;
});

function systeminfoBytes(i) {
  const rand = prng(0x51 + i);
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const p = i % 10 < 5 ? i % 2 : 2 + (i % 5);
  const [product, version] = SI_PRODUCTS[p];
  const host = `SI-${String(i).padStart(5, '0')}`;
  const L = (label, value) => `${label.padEnd(27)}${value}`;
  const more = (value, indent = 27) => `${' '.repeat(indent)}${value}`;
  // Patched up to some point (most machines nearly up to date), with the odd update skipped.
  const pool = SI_POOLS[p];
  const upTo = Math.ceil(pool.length * (rand() < 0.7 ? 0.9 + rand() * 0.1 : 0.3 + rand() * 0.6));
  const kbs = pool.slice(0, upTo).filter(() => rand() > 0.03);
  const lines = [
    '',
    L('Host Name:', host),
    L('OS Name:', product),
    L('OS Version:', version),
    L('OS Manufacturer:', 'Microsoft Corporation'),
    L('OS Configuration:', i % 10 < 5 ? 'Member Workstation' : 'Member Server'),
    L('OS Build Type:', 'Multiprocessor Free'),
    L('Registered Owner:', 'IT Services'),
    L('Registered Organization:', pick(SITES)),
    L('Product ID:', `00${330 + (i % 60)}-80000-00000-AA${String(100 + (i % 900))}`),
    L('Original Install Date:', `${1 + (i % 28)}/${1 + (i % 12)}/20${String(10 + (i % 14)).padStart(2, '0')}, 14:33:50`),
    L('System Boot Time:', `${1 + (i % 25)}/11/2026, 07:41:02`),
    L('System Manufacturer:', pick(['Dell Inc.', 'HP', 'LENOVO', 'VMware, Inc.'])),
    L('System Model:', pick(['OptiPlex 7010', 'HP EliteDesk 800 G4', 'ThinkCentre M920q', 'VMware Virtual Platform'])),
    L('System Type:', 'x64-based PC'),
    L('Processor(s):', '1 Processor(s) Installed.'),
    more('[01]: Intel64 Family 6 Model 158 Stepping 10 GenuineIntel ~3192 Mhz'),
    L('BIOS Version:', 'Dell Inc. 1.21.0, 13/06/2023'),
    L('Windows Directory:', 'C:\\Windows'),
    L('System Directory:', 'C:\\Windows\\system32'),
    L('Boot Device:', '\\Device\\HarddiskVolume1'),
    L('System Locale:', 'en-gb;English (United Kingdom)'),
    L('Input Locale:', 'en-gb;English (United Kingdom)'),
    L('Time Zone:', '(UTC+00:00) Dublin, Edinburgh, Lisbon, London'),
    L('Total Physical Memory:', `${pick(['8,191', '16,303', '32,614'])} MB`),
    L('Available Physical Memory:', `${1000 + (i % 7000)} MB`),
    L('Virtual Memory: Max Size:', '18,495 MB'),
    L('Virtual Memory: Available:', '9,912 MB'),
    L('Virtual Memory: In Use:', '8,583 MB'),
    L('Page File Location(s):', 'C:\\pagefile.sys'),
    L('Domain:', 'trust.nhs.uk'),
    L('Logon Server:', '\\\\TRUST-DC02'),
    L('Hotfix(s):', `${kbs.length} Hotfix(s) Installed.`),
    ...kbs.map((kb, k) => more(`[${String(k + 1).padStart(2, '0')}]: ${kb}`)),
    L('Network Card(s):', '2 NIC(s) Installed.'),
    more('[01]: Intel(R) Ethernet Connection (7) I219-LM'),
    more('Connection Name: Ethernet', 33),
    more('DHCP Enabled:    Yes', 33),
    more('DHCP Server:     10.10.0.1', 33),
    more('IP address(es)', 33),
    more(`[01]: 10.${10 + (i % 40)}.${(i >> 8) % 256}.${i % 256}`, 33),
    more(`[02]: fe80::${(i * 2654435761 >>> 0).toString(16)}:1c2d:3e4f:5a6b`, 33),
    more('[02]: Bluetooth Device (Personal Area Network)'),
    more('Connection Name: Bluetooth Network Connection', 33),
    more('Status:          Media disconnected', 33),
    L('Hyper-V Requirements:', 'A hypervisor has been detected. Features required for Hyper-V will not be displayed.'),
    '',
  ];
  const text = lines.join('\r\n');
  return i % 4 === 0 ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]) : Buffer.from(text, 'latin1');
}

// ---------------------------------------------------------------------------------------------
// Timed runs: each in its own process so peak RSS is that run's alone.

function timed(argv) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/bench-child.js'), ...argv], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`bench run failed (${argv.join(' ')}): exit ${r.status}\n${r.stderr}`);
  const m = /BENCH (\S+) (\S+)/.exec(r.stderr);
  if (!m) throw new Error(`no measurement from ${argv.join(' ')}:\n${r.stderr}`);
  // Wall time of the whole process (start-up included), measured here for every kind of run alike.
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, rssMb: Number(m[2]) / 1024 };
}

/**
 * `reps` pairs of runs, the baseline and the measured run one after the other, so that both see the
 * machine in the same state (a VM's speed drifts by tens of percent within a minute). The ratio is the
 * median of the pairs' ratios; seconds are medians; peak RSS is the largest seen.
 */
function paired(reps, baseline, measured) {
  const pairs = [];
  for (let i = 0; i < reps; i++) {
    const b = baseline();
    const m = measured();
    pairs.push({ b, m, ratio: m.seconds / b.seconds });
  }
  const median = (xs) => {
    const v = [...xs].sort((x, y) => x - y);
    return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  };
  return {
    base: { seconds: median(pairs.map((p) => p.b.seconds)), rssMb: Math.max(...pairs.map((p) => p.b.rssMb)) },
    run: { seconds: median(pairs.map((p) => p.m.seconds)), rssMb: Math.max(...pairs.map((p) => p.m.rssMb)) },
    ratio: median(pairs.map((p) => p.ratio)),
  };
}

const fmt = (n, d = 2) => n.toFixed(d);
const pad = (s, n) => String(s).padStart(n);

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'patchaudit-bench-'));
  console.log(`patchaudit benchmark: node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB; data in ${dir}`);
  console.log('');
  const rows = [];
  try {
    for (const n of SIZES) {
      const file = path.join(dir, `inventory-${n}.csv`);
      await generate(file, n);
      const mb = statSync(file).size / 2 ** 20;
      const reps = n >= 1_000_000 ? 3 : 5;
      const baseline = () => timed(['baseline', file]);
      const audit = (...extra) => () => timed(['audit', file, ...extra, '--as-of', '2026-11-25', '--quiet', '--fail-on', 'none', '--allow-unknown']);
      const runs = [];
      for (const f of FORMATS) runs.push({ what: `audit → ${f}`, ...paired(reps, baseline, audit('--format', f)) });
      // The same in one thread (--workers 0): what a machine without spare cores gets.
      if (SINGLE && n >= 1_000_000) runs.push({ what: `audit → ${FORMATS[0]}, one thread`, ...paired(reps, baseline, audit('--format', FORMATS[0], '--workers', '0')) });
      rows.push({ rows: n, what: 'csv-parse baseline', mb, ...runs[0].base, ratio: 1 });
      for (const r of runs) rows.push({ rows: n, what: r.what, mb, ...r.run, ratio: r.ratio });
    }
    // Start-up: a 10-host file to JSON against `node -e 0`.
    const small = path.join(dir, 'inventory-10.csv');
    await generate(small, 10);
    const start = paired(21, () => timed(['noop']), () => timed(['audit', small, '--format', 'json', '--as-of', '2026-11-25', '--quiet', '--fail-on', 'none', '--allow-unknown']));
    rows.push({ rows: 10, what: 'start-up: node -e 0', mb: 0, ...start.base, ratio: 1 });
    rows.push({ rows: 10, what: 'start-up: audit → json', mb: 0, ...start.run, ratio: start.ratio });
    if (SYSTEMINFO) {
      const si = path.join(dir, 'systeminfo');
      mkdirSync(si);
      for (let i = 0; i < 10_000; i++) writeFileSync(path.join(si, `SI-${String(i).padStart(5, '0')}.txt`), systeminfoBytes(i));
      const mb = readdirSync(si).reduce((n, f) => n + statSync(path.join(si, f)).size, 0) / 2 ** 20;
      const readAll = () => timed(['readall', si]);
      const auditFolder = (...extra) => () => timed(['audit', si, '--format', 'ndjson', '--as-of', '2026-11-25', '--quiet', '--fail-on', 'none', '--allow-unknown', ...extra]);
      const folder = paired(5, readAll, auditFolder());
      rows.push({ rows: 10_000, what: 'systeminfo files: read only', mb, ...folder.base, ratio: 1 });
      // The floor: reading, decoding and finding the KB numbers, nothing else.
      const floor = paired(5, readAll, () => timed(['readkbs', si]));
      rows.push({ rows: 10_000, what: 'systeminfo files: read + KBs (floor)', mb, ...floor.run, ratio: floor.ratio });
      // The same floor over two threads (half the files in a worker, its start-up included).
      const floor2 = paired(5, readAll, () => timed(['readkbs2', si]));
      rows.push({ rows: 10_000, what: 'systeminfo files: floor, 2 threads', mb, ...floor2.run, ratio: floor2.ratio });
      rows.push({ rows: 10_000, what: 'systeminfo files: audit → ndjson', mb, ...folder.run, ratio: folder.ratio });
      if (SINGLE) {
        const one = paired(5, readAll, auditFolder('--workers', '0'));
        rows.push({ rows: 10_000, what: 'systeminfo files: one thread', mb, ...one.run, ratio: one.ratio });
      }
    }
  } finally {
    if (!KEEP) rmSync(dir, { recursive: true, force: true });
  }
  console.log(`${'rows'.padStart(9)}  ${'run'.padEnd(34)} ${'MB'.padStart(6)} ${'seconds'.padStart(8)} ${'rows/s'.padStart(10)} ${'ratio'.padStart(6)} ${'peak RSS MB'.padStart(12)}`);
  for (const r of rows) {
    console.log(`${pad(r.rows, 9)}  ${r.what.padEnd(34)} ${pad(r.mb ? fmt(r.mb, 1) : '', 6)} ${pad(fmt(r.seconds, 3), 8)} ${pad(Math.round(r.rows / r.seconds), 10)} ${pad(fmt(r.ratio), 6)} ${pad(fmt(r.rssMb, 0), 12)}`);
  }
  // Memory must not grow with the inventory: peak RSS from the smallest to the largest size.
  const sizes = SIZES.filter((n) => n >= 100_000);
  if (sizes.length > 1) {
    const [lo, hi] = [sizes[0], sizes[sizes.length - 1]];
    const growth = FORMATS.map((f) => {
      const a = rows.find((r) => r.rows === lo && r.what === `audit → ${f}`);
      const b = rows.find((r) => r.rows === hi && r.what === `audit → ${f}`);
      return `${f} ${b.rssMb >= a.rssMb ? '+' : ''}${fmt((100 * (b.rssMb - a.rssMb)) / a.rssMb, 0)}%`;
    });
    console.log(`\npeak RSS from ${lo.toLocaleString('en')} to ${hi.toLocaleString('en')} rows: ${growth.join(', ')}`);
  }
}

main().catch((err) => {
  console.error(err.message);
  process.exit(1);
});
