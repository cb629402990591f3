/**
 * End to end, every report format on a hostile inventory: a Snipe-IT custom asset report whose asset
 * names and locations were typed by machine owners (spreadsheet formulas, ANSI and OSC 8 escape
 * sequences, BEL and backspaces, a bidi override, zero-width characters that make two hostnames look the
 * same, HTML and Markdown markup, XML's "]]>", line separators, CJK text, a combining accent and an
 * emoji). Each format must stay well-formed and show every value as text, never as markup, a formula or
 * a terminal control; and the command line must keep its stream and exit-code contract.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import Ajv2020 from 'ajv/dist/2020.js';
import { fixture, ROOT, runCli } from '../helpers/cli.js';

const AS_OF = ['--as-of', '2026-11-25'];
const FILE = fixture('hostile', 'snipeit-custom-hostile.csv');
const audit = (format: string, env: NodeJS.ProcessEnv = {}) => runCli(['audit', FILE, ...AS_OF, '-f', format], { env });

// Hidden characters: C0/C1 controls, line and paragraph separators, bidi controls, zero-width and other
// default-ignorable characters.
const HIDDEN = /[\p{Cc}\u2028\u2029\p{Default_Ignorable_Code_Point}]/u;
const HIDDEN_BUT_LINES = /(?![\n\r\t])[\p{Cc}\u2028\u2029\p{Default_Ignorable_Code_Point}]/u;

// Each pair: a hostname in the file with a hidden character, and the plain hostname also in the file.
// The human formats must show them differently.
const LOOKALIKES = [
  ['HRI-PC-10-1602\\u200b', 'HRI-PC-10-1602'],
  ['HRI-PC-10-1603\\u2060', 'HRI-PC-10-1603'],
];

describe('a hostile inventory, every format', () => {
  test.each(['table', 'json', 'ndjson', 'csv', 'markdown', 'junit', 'sarif', 'html'])('%s: the verdict on stdout, nothing on stderr', (format) => {
    const r = audit(format);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout.length).toBeGreaterThan(0);
  });

  test('json validates against the report schema, and keeps every value exactly', () => {
    const ajv = new Ajv2020.default({ allErrors: true, strict: true });
    const validate = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, 'schema/report.schema.json'), 'utf8')));
    const doc = JSON.parse(audit('json').stdout);
    expect(validate.errors ?? []).toEqual([]);
    expect(validate(doc)).toBe(true);
    // A name with an invisible character is the same name: each look-alike pair is one host, and its two
    // rows (two serial numbers) a DATA-CONFLICT, never one silently judged machine.
    expect(doc.summary).toMatchObject({ hosts: 18, rowsRead: 20, rejectedRows: 0 });
    const names = doc.hosts.map((h: { hostname: string }) => h.hostname);
    expect(names).toEqual(expect.arrayContaining(['HRI-PC-10-1602\u200b', 'HRI-PC-10-1611\x1b[31m', '</script><script>alert(1)</script>', 'KBM-PC-7-0004\u2028x']));
    expect(names).not.toContain('HRI-PC-10-1602');
    for (const name of ['HRI-PC-10-1602\u200b', 'HRI-PC-10-1603\u2060']) {
      const h = doc.hosts.find((x: { hostname: string }) => x.hostname === name);
      expect(h.findings.find((f: { ruleId: string }) => f.ruleId === 'DATA-CONFLICT')?.status).toBe('unknown');
      expect(h.status).not.toBe('compliant');
    }
  });

  test('ndjson: every line validates against $defs/ndjsonLine', () => {
    const ajv = new Ajv2020.default({ allErrors: true, strict: true });
    ajv.addSchema(JSON.parse(readFileSync(path.join(ROOT, 'schema/report.schema.json'), 'utf8')));
    const validate = ajv.getSchema('urn:patchaudit:report:1#/$defs/ndjsonLine')!;
    const lines = audit('ndjson').stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(19);
    for (const line of lines) {
      // A U+2028 in a value is escaped or kept inside a string: the record stays on one line either way.
      expect(validate(JSON.parse(line))).toBe(true);
    }
  });

  test('table: no control, bidi or invisible character reaches the terminal; a look-alike name is shown with its hidden character and its host flagged; columns line up', () => {
    for (const env of [{}, { FORCE_COLOR: '1' }]) {
      const out = audit('table', env).stdout;
      // Only the product's own colour (SGR) sequences, with FORCE_COLOR.
      const bare = out.replace(/\x1b\[[0-9;]*m/g, '');
      expect(bare).not.toMatch(HIDDEN_BUT_LINES);
      expect(bare).not.toContain('\r');
    }
    const out = audit('table').stdout;
    // Each look-alike pair is one host, shown with its hidden character and flagged as a conflict.
    for (const [hidden, plain] of LOOKALIKES) {
      expect(out).toContain(` ${hidden} `);
      expect(out).not.toMatch(new RegExp(` ${plain} `));
      expect(out.split('\n').find((l) => l.includes(` ${hidden} `))).toMatch(/DATA-CONFLICT \?/);
    }
    expect(out).toContain(' HRI-PC-10-1611\\x1b[3…'); // cut to the column
    expect(out).toContain('HRI-LT-11-1620\\u202e');
    // Where the OS column starts, in terminal columns (wide ideographs and the emoji count two, the
    // combining accent none): the same on every host row.
    const columns = (s: string) => [...s].reduce((n, ch) => n + (/\p{Mn}/u.test(ch) ? 0 : /[\p{Script=Han}\p{Emoji_Presentation}]/u.test(ch) ? 2 : 1), 0);
    const rows = out.split('\n').filter((l) => l.startsWith('non-compliant '));
    expect(rows).toHaveLength(18);
    const starts = new Set(rows.map((l) => columns(l.slice(0, l.indexOf(' Windows ')))));
    expect([...starts]).toHaveLength(1);
    const cjk = rows.find((l) => l.includes('東京'))!;
    const accent = rows.find((l) => l.includes('CAFE\u0301'))!;
    expect(columns(cjk.slice(0, cjk.indexOf(' 195 ')))).toBe(columns(accent.slice(0, accent.indexOf(' 195 '))));
  });

  test('csv: no cell can run as a formula; values read back with the quote taken off; numbers untouched', () => {
    const out = audit('csv').stdout;
    const records: Record<string, string>[] = parse(out, { columns: true, bom: true });
    expect(records.length).toBeGreaterThan(20);
    for (const r of records) {
      for (const [k, v] of Object.entries(r)) {
        expect([k, v]).not.toEqual([k, expect.stringMatching(/^[=+\-@\t\r\n\uff1d\uff0b\uff0d\uff20]/)]);
        expect([k, v]).not.toEqual([k, expect.stringMatching(/[\p{Cc}\p{Default_Ignorable_Code_Point}](?<![\t\n\r])/u)]);
      }
      expect(r.risk_score).toMatch(/^\d+(\.\d+)?$/);
      expect(r.source_line).toMatch(/^\d+$/);
    }
    const hosts = new Set(records.map((r) => r.hostname));
    expect(hosts).toContain(`'=HYPERLINK("http://x.example/","click")`);
    expect(hosts).toContain(`'+cmd|' /C calc'!A0`);
    expect(hosts).toContain('HRI-PC-10-1602\\u200b');
    expect(hosts).not.toContain('HRI-PC-10-1602');
    expect(hosts).toContain('</script><script>alert(1)</script>');
    const sites = new Set(records.map((r) => r.site));
    expect(sites).toContain("'@SUM(1+1)");
    expect(sites).toContain("'-2+3");
    expect(sites).toContain("'- Kingsbridge\nMaternity | Unit");
  });

  test('markdown: nothing becomes markup, a link, an image or a heading; tables keep their columns; hidden characters shown', () => {
    const md = audit('markdown').stdout;
    expect(md.replace(/:\u2060\/\//g, '://').replace(/[@#]\u2060/g, '')).not.toMatch(HIDDEN_BUT_LINES);
    expect(md).not.toMatch(/(?<!\\)</);
    expect(md).not.toMatch(/(?<!\\)\[/);
    expect(md.replace(/^```$/gm, '')).not.toMatch(/(?<!\\)`/);
    expect(md).not.toMatch(/https?:\/\//);
    for (const line of md.split('\n')) {
      expect(line).not.toMatch(/^(#|>|-|\+|=)(?!#|\s*_|\s+\S+\s+\S)/);
      expect(line).not.toMatch(/^(# KBM|> Kingsbridge|- Kingsbridge)/);
    }
    let pipes = -1;
    for (const line of md.split('\n')) {
      if (!line.startsWith('|')) {
        pipes = -1;
        continue;
      }
      const n = (line.match(/(?<!\\)\|/g) ?? []).length;
      if (pipes === -1) pipes = n;
      expect(n).toBe(pipes);
    }
    for (const [hidden] of LOOKALIKES) expect(md).toContain(`| ${hidden.replace('\\', '\\\\')} |`);
    expect(md).toContain('HRI-PC-10-1611\\\\x1b\\[31m');
  });

  test('html: inventory text never becomes markup or script, no external resource, look-alikes differ', () => {
    const html = audit('html').stdout;
    expect(html.match(/<script\b[^>]*>/g)).toEqual(['<script type="application/json" id="data">', '<script>']);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).not.toContain('<!--');
    expect(html).not.toContain('<img');
    expect(html).not.toMatch(/\b(?:src|href)\s*=\s*"(?!data:|#)/i);
    expect(html).not.toMatch(/url\((?!data:)/i);
    expect(html).not.toMatch(HIDDEN_BUT_LINES);
    for (const [hidden] of LOOKALIKES) expect(html).toContain(`>${hidden}<`);
    // The JSON data island: no way out of the script element, and the same strings back.
    const data = /<script type="application\/json" id="data">([^]*?)<\/script>/.exec(html)![1];
    expect(data).not.toMatch(/[<>&]/);
    expect(data).not.toMatch(HIDDEN);
    expect(JSON.parse(data).sites).toEqual(expect.arrayContaining(['<!--', '@SUM(1+1)']));
  });

  test('junit: well-formed XML 1.0 whatever the hostnames hold', () => {
    const xml = audit('junit').stdout;
    expect(xml).toMatch(/^[\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u);
    expect(xml).not.toContain(']]>');
    expect(xml).toContain('KBM-PC-7-0005]]&gt;\\x01');
    // Tags nest, attribute values and text carry no raw < or bare &.
    const stack: string[] = [];
    const body = xml.replace(/^<\?xml[^>]*\?>\n/, '');
    for (const m of body.matchAll(/<(\/?)([A-Za-z_][-\w.:]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g)) {
      if (m[6]) throw new Error(`stray < at ${m.index}`);
      if (m[5] !== undefined) {
        expect(m[5]).not.toMatch(/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i);
        continue;
      }
      for (const a of m[3].matchAll(/="([^"]*)"/g)) expect(a[1]).not.toMatch(/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i);
      if (m[1]) expect(stack.pop()).toBe(m[2]);
      else if (!m[4]) stack.push(m[2]);
    }
    expect(stack).toEqual([]);
  });

  test('sarif: SARIF 2.1.0, one result per failing finding, messages carry no hidden character', () => {
    const doc = JSON.parse(audit('sarif').stdout);
    expect(doc.version).toBe('2.1.0');
    expect(doc.$schema).toMatch(/sarif-(schema-)?2\.1\.0/);
    const results = doc.runs[0].results as { ruleId: string; message: { text: string }; ruleIndex: number }[];
    expect(results.length).toBeGreaterThan(20);
    for (const r of results) {
      expect(r.message.text).not.toMatch(HIDDEN);
      expect(doc.runs[0].tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    }
    const texts = results.map((r) => r.message.text).join('\n');
    expect(texts).toContain('HRI-PC-10-1602\\u200b:');
    expect(texts).toContain('HRI-PC-10-1611\\x1b[31m:');
  });
});

describe('the command line contract', () => {
  test('a report folder that cannot be made (under /proc) → exit 2 at once with one line, not a hang', () => {
    const r = runCli(['audit', FILE, ...AS_OF, '-f', 'csv', '-o', 'json=/proc/patchaudit-reports/nov/audit.json'], { timeout: 60_000 });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^patchaudit: error: \/proc\/patchaudit-reports\/nov\/audit\.json: cannot write \([A-Z]+\)\n$/);
  });

  test('an option value quoted back in a usage error carries no escape sequence or line break', () => {
    const r = runCli(['audit', FILE, '-f', 'html\x1b]8;;http://x.example/\x07\nsarif']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
    expect(r.stderr.split('\n')).toEqual([expect.stringMatching(/^patchaudit: error: option '-f, --format <format>' argument 'html\\x1b\]8;;http:\/\/x\.example\/\\x07 sarif' is invalid/), '']);
  });
});
