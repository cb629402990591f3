/**
 * The hostile-input corpus, generated at test time (so the repository stays small): every case is a
 * function that writes its file(s) into a folder and returns the path to audit. hostile.test.ts writes
 * them into a fresh temp folder; set PATCHAUDIT_CORPUS_DIR=test/hostile/corpus to keep them for a look
 * (the large cases — 50 MB field, a million empty lines — are only written when their test runs).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Deterministic bytes (xorshift32), so "random" junk is the same on every run. */
export function pseudoRandomBytes(n: number, seed = 0x9e3779b9): Buffer {
  const out = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/** The 8-byte PNG signature and an IHDR chunk header: what `file` calls "PNG image data". */
export const PNG_HEADER = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);

const HEADER = 'Hostname,OS Name,OS Version,Installed KBs,Site';

/** Terminal-hostile strings: OSC 8 hyperlink, clear screen, bell, C1 CSI, right-to-left override, … */
export const TERMINAL_EVIL = [
  '\x1b]8;;http://evil.example/\x07click-me\x1b]8;;\x07',
  '\x1b[2J\x1b[H',
  '\x07\x07bell',
  '\u009b31mred',
  'gpj.\u202eexe',
  '\x1b]0;pwned title\x1b\\',
  '\x1bP1;2|secret\x1b\\',
  '\u009d0;c1 osc\u009c',
  '\x1b[12',
  'trailing-esc\x1b',
  'del\x7f',
  '\x1b[?1049h alt screen',
  '\u2066isolate\u2069',
];

function csvQuote(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export type CaseWriter = (dir: string) => string;

/** Small and medium cases (big ones have their own writers below). */
export const CORPUS: Record<string, CaseWriter> = {
  'empty.csv': (dir) => write(dir, 'empty.csv', ''),
  'header-only.csv': (dir) => write(dir, 'header-only.csv', HEADER + '\r\n'),
  'png-named.csv': (dir) => write(dir, 'png-named.csv', Buffer.concat([PNG_HEADER, pseudoRandomBytes(4096, 7)])),
  'gzip-named.csv': (dir) => write(dir, 'gzip-named.csv', Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), pseudoRandomBytes(4096, 11)])),
  'random-bytes.csv': (dir) => write(dir, 'random-bytes.csv', pseudoRandomBytes(8192, 3)),
  'invalid-utf8.csv': (dir) =>
    write(
      dir,
      'invalid-utf8.csv',
      Buffer.concat([
        Buffer.from('Hostname,OS Name,OS Version,Site\nPC-01,Microsoft Windows 7 Enterprise,6.1.7601,Zürich\nPC-02,Microsoft Windows 10 Enterprise,10.0.19045.4291,København 北京\nPC-03,Windows 7 '),
        Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80, 0xf8, 0x88, 0x80, 0x80, 0x80]),
        Buffer.from(' Professional,6.1.7601,Genève\n'),
      ]),
    ),
  'nul-in-cells.csv': (dir) => write(dir, 'nul-in-cells.csv', 'Hostname,OS Name,OS Version\nPC\u000001,Win\u0000dows 10 Enterprise,10.0.19045.4291\nPC-02,Microsoft Windows 7 Professional\u0000\u0000,6.1.7601\n'),
  'unterminated-quote.csv': (dir) => write(dir, 'unterminated-quote.csv', 'Hostname,OS Name,OS Version\nPC-01,Microsoft Windows 7 Enterprise,6.1.7601\nPC-02,"Microsoft Windows 10 Enterprise,10.0.19045\nPC-03,Windows 11 Pro,10.0.26100\n'),
  'duplicate-headers.csv': (dir) => write(dir, 'duplicate-headers.csv', 'Hostname,OS Name,OS Name,Hostname,Notes,Notes\nPC-01,Microsoft Windows 7 Enterprise,Microsoft Windows 11 Enterprise,PC-99,a,b\n'),
  'proto-headers.csv': (dir) =>
    write(
      dir,
      'proto-headers.csv',
      [
        'Hostname,__proto__,constructor,prototype,hasOwnProperty,toString,valueOf,OS Name,OS Version',
        '__proto__,__proto__,__proto__,__proto__,__proto__,__proto__,__proto__,Microsoft Windows 7 Enterprise,6.1.7601',
        'constructor,{"polluted":1},constructor,prototype,x,y,z,Microsoft Windows 10 Enterprise,10.0.19045.4291',
        'hasOwnProperty,a,b,c,d,e,f,Microsoft Windows 11 Enterprise,10.0.26100.4349',
        '',
      ].join('\n'),
    ),
  'ragged-rows.csv': (dir) =>
    write(dir, 'ragged-rows.csv', 'Hostname,OS Name,OS Version\nPC-01,Microsoft Windows 7 Enterprise,6.1.7601\nPC-02,Microsoft Windows 10 Enterprise\nPC-03,Microsoft Windows 10 Enterprise,10.0.19045.4291,extra,more\nPC-04,Microsoft Windows 11 Enterprise,10.0.26100.4349\n'),
  'really-json.csv': (dir) => write(dir, 'really-json.csv', '[{"Hostname":"PC-01","OS Name":"Microsoft Windows 7 Enterprise"}]\n'),
  'really-json-object.csv': (dir) => write(dir, 'really-json-object.csv', '{\n  "Hostname": "PC-01",\n  "OS Name": "Microsoft Windows 7 Enterprise"\n}\n'),
  'really-json-spaced.csv': (dir) => write(dir, 'really-json-spaced.csv', '[ {"Hostname": "PC-01", "OS Name": "Microsoft Windows 7 Enterprise"} ]\n'),
  // What PowerShell 5.1 ConvertTo-Json | Out-File writes.
  'really-json-powershell.csv': (dir) => write(dir, 'really-json-powershell.csv', '[\r\n    {\r\n        "Hostname":  "PC-01",\r\n        "OS Name":  "Microsoft Windows 7 Enterprise"\r\n    }\r\n]\r\n'),
  'really-xml.csv': (dir) => write(dir, 'really-xml.csv', '<?xml version="1.0" encoding="utf-8"?>\n<hosts><host name="PC-01" os="Microsoft Windows 7 Enterprise"/></hosts>\n'),
  'really-html.csv': (dir) => write(dir, 'really-html.csv', '<!DOCTYPE html>\n<html><body><table><tr><td>Hostname</td><td>OS Name</td></tr></table></body></html>\n'),
  'bom-in-middle.csv': (dir) =>
    write(dir, 'bom-in-middle.csv', 'Hostname,OS Name,OS Version\nPC-01,Microsoft Windows 7 Enterprise,6.1.7601\n\uFEFFPC-02,Microsoft Windows 10 Enterprise,10.0.19045.4291\nPC-03,\uFEFFMicrosoft Windows 11 Enterprise,10.0.26100.4349\n'),
  // `copy /b a.csv+b.csv`: two UTF-8 exports with BOMs, the second header repeated after a BOM.
  'concatenated-bom-exports.csv': (dir) =>
    write(dir, 'concatenated-bom-exports.csv', '\uFEFFHostname,OS Name,OS Version\r\nPC-01,Microsoft Windows 7 Enterprise,6.1.7601\r\n\uFEFFHostname,OS Name,OS Version\r\nPC-02,Microsoft Windows 10 Enterprise,10.0.19045.4291\r\n'),
  'delimiter-line.csv': (dir) => write(dir, 'delimiter-line.csv', 'Hostname,OS Name\nPC-01,Microsoft Windows 7 Enterprise\n' + ','.repeat(100_000) + '\nPC-02,Microsoft Windows 10 Enterprise\n'),
  'control-hostnames.csv': (dir) =>
    write(
      dir,
      'control-hostnames.csv',
      ['Hostname,OS Name,OS Version', ...CONTROL_HOSTNAMES.map((h) => `${csvQuote(h)},Microsoft Windows 7 Enterprise,6.1.7601`), ''].join('\n'),
    ),
  // A compromised machine reporting the name of an unpatched server (with its own domain suffix, or the
  // very same name) and a full list of updates.
  'spoofed-hostname-fqdn.csv': (dir) =>
    write(
      dir,
      'spoofed-hostname-fqdn.csv',
      'Hostname,OS Name,OS Version,Installed KBs\nVICTIM-SRV,Microsoft Windows Server 2008 R2 Enterprise,6.1.7601,\nvictim-srv.attacker.example,Microsoft Windows Server 2008 R2 Enterprise,6.1.7601,KB4012212 KB4012215 KB4499175 KB4500331\n',
    ),
  'spoofed-hostname-same.csv': (dir) =>
    write(
      dir,
      'spoofed-hostname-same.csv',
      'Hostname,OS Name,OS Version,Installed KBs\nVICTIM-SRV,Microsoft Windows Server 2008 R2 Enterprise,6.1.7601,\nVICTIM-SRV,Microsoft Windows Server 2008 R2 Enterprise,6.1.7601,KB4012212 KB4012215 KB4499175 KB4500331\n',
    ),
  'terminal-evil.csv': (dir) =>
    write(
      dir,
      'terminal-evil.csv',
      ['Hostname,OS Name,OS Version,Site,Role', ...TERMINAL_EVIL.map((e, i) => [`PC-${i}${e}`, `Microsoft Windows 7 ${e}`, '6.1.7601', `Site ${e}`, `clinical ${e}`].map(csvQuote).join(',')), ''].join('\n'),
    ),
};

/** Hostnames with control characters (each should survive into JSON exactly, escaped). */
export const CONTROL_HOSTNAMES = ['PC\u0001-01', 'PC-\u001b[31m02', 'PC-03\u0007', 'PC-04\u007f', 'PC-05\u0085', 'PC-\u200b06', 'PC-07\u2028x', 'PC-08\u0008\u0008'];

export function write(dir: string, name: string, content: string | Buffer): string {
  mkdirSync(dir, { recursive: true });
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** One data row per host, the same rows with a chosen line ending. */
export function lineEndingFile(dir: string, name: string, eol: string | string[]): string {
  const rows = ['Hostname,OS Name,OS Version', 'PC-01,Microsoft Windows 7 Enterprise,6.1.7601', 'PC-02,Microsoft Windows 10 Enterprise,10.0.19045.4291', 'PC-03,Microsoft Windows 11 Enterprise,10.0.26100.4349'];
  const eols = Array.isArray(eol) ? eol : rows.map(() => eol);
  return write(dir, name, rows.map((r, i) => r + eols[i % eols.length]).join(''));
}

/** `systeminfo` list output (one host) with the chosen line end. */
export function systeminfoFile(dir: string, name: string, eol: string): string {
  const lines = [
    'Host Name:                 KMU-SV-IT-2016',
    'OS Name:                   Microsoft Windows Server 2016 Standard',
    'OS Version:                10.0.14393 N/A Build 14393',
    'Hotfix(s):                 2 Hotfix(s) Installed.',
    '                           [01]: KB4013429',
    '                           [02]: KB5040434',
    '',
  ];
  return write(dir, name, lines.join(eol));
}

/** `wmic qfe list` table (host taken from the file name, HOST_qfe.txt) with the chosen line end. */
export function wmicFile(dir: string, name: string, eol: string): string {
  const lines = [
    'Caption                                     CSName  Description      FixComments  HotFixID   InstallDate  InstalledBy          InstalledOn',
    'http://support.microsoft.com/?kbid=4012212  PC-01   Security Update               KB4012212               NT AUTHORITY\\SYSTEM  3/15/2017',
    '',
  ];
  return write(dir, name, lines.join(eol));
}

/** A single data field of `size` characters (the default limit is 1,000,000). */
export function bigFieldFile(dir: string, size: number): string {
  const p = path.join(dir, `big-field-${size}.csv`);
  mkdirSync(dir, { recursive: true });
  const head = Buffer.from('Hostname,OS Name,Notes\nPC-01,Microsoft Windows 7 Enterprise,"');
  const tail = Buffer.from('"\nPC-02,Microsoft Windows 10 Enterprise,small\n');
  writeFileSync(p, Buffer.concat([head, Buffer.alloc(size, 'A'), tail]));
  return p;
}

/** A row whose fields are all small but add up to more than a million characters. */
export function wideRowFile(dir: string, fields: number, fieldSize: number): string {
  const header = ['Hostname', 'OS Name', ...Array.from({ length: fields - 2 }, (_, i) => `Note ${i + 1}`)].join(',');
  const row = ['PC-01', 'Microsoft Windows 7 Enterprise', ...Array.from({ length: fields - 2 }, () => 'x'.repeat(fieldSize))].join(',');
  return write(dir, `wide-row-${fields}x${fieldSize}.csv`, `${header}\n${row}\nPC-02,Microsoft Windows 10 Enterprise,${Array(fields - 2).fill('y').join(',')}\n`);
}

export function manyColumnsFile(dir: string, columns: number): string {
  const header = ['Hostname', 'OS Name', 'OS Version', ...Array.from({ length: columns - 3 }, (_, i) => `Extra ${i + 1}`)].join(',');
  const row = ['PC-01', 'Microsoft Windows 7 Enterprise', '6.1.7601', ...Array(columns - 3).fill('v')].join(',');
  return write(dir, `columns-${columns}.csv`, `${header}\n${row}\n`);
}

/** A million empty lines, between rows or before the header. */
export function emptyLinesFile(dir: string, where: 'between' | 'before-header'): string {
  const blank = '\n'.repeat(1_000_000);
  const content =
    where === 'between'
      ? `Hostname,OS Name,OS Version\nPC-00,Microsoft Windows 7 Enterprise,6.1.7601\n${blank}PC-01,Microsoft Windows 10 Enterprise,10.0.19045.4291\n`
      : `${blank}Hostname,OS Name,OS Version\nPC-01,Microsoft Windows 7 Enterprise,6.1.7601\n`;
  return write(dir, `empty-lines-${where}.csv`, content);
}

/** Long-format inventory (one row per installed update): many rows, few hosts, small report. */
export function longFormatFile(dir: string, rows: number): string {
  const parts = ['Hostname,OS Name,OS Version,HotFixID\n'];
  for (let i = 0; i < rows; i++) parts.push(`PC-${i % 40},Microsoft Windows 10 Enterprise,10.0.19045.5000,KB${4_000_000 + i}\n`);
  return write(dir, `long-${rows}.csv`, parts.join(''));
}

/** Write every small case into `dir` (for a look at the corpus); returns name → path. */
export function makeCorpus(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, fn] of Object.entries(CORPUS)) out[name] = fn(dir);
  return out;
}
