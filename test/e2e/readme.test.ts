/**
 * README.md quotes the product's output, names its options and documents its exit codes. These tests
 * run what README shows and compare: a quoted output must be what the command prints today (lines
 * the README leaves out are marked with "…"), every option README names must exist, every option
 * the CLI has must be documented, and documented commands must exit as documented.
 *
 * `inv.csv`, `old.json` and `new.json` are built as README describes them: five rows of the sample
 * inventory, and the reports of that file and of the next day's export.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, fixture, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const AS_OF = '2026-11-25';

// ---------------------------------------------------------------------------------------------
// The example inventory and reports README's examples use.

const dir = tempDir('patchaudit-readme-');
const sample = readFileSync(fixture('sample-trust-inventory.csv'), 'utf8').split(/\r?\n/);
function row(host: string): string {
  const line = sample.find((l) => l.startsWith(`${host},`));
  if (!line) throw new Error(`${host} is not in the sample inventory`);
  return line;
}
const header = sample[0]!;
writeFileSync(path.join(dir, 'inv.csv'), [header, ...['HRI-W7-0005', 'WCH-W11-0001', 'THQ-UNK-0007', 'NGH-XP-0006', 'SAH-W10-0054'].map(row)].join('\n') + '\n');
const upgraded = row('SAH-W10-0054').replace('Microsoft Windows 10 Enterprise,10.0.17763.1879', 'Microsoft Windows 11 Enterprise,10.0.26100.4349');
if (upgraded === row('SAH-W10-0054')) throw new Error('SAH-W10-0054 has changed in the sample inventory');
const joined = row('HRI-W7-0005').replace(/^HRI-W7-0005,/, 'KMU-W7-0099,');
writeFileSync(path.join(dir, 'new.csv'), [header, row('HRI-W7-0005'), row('THQ-UNK-0007'), row('NGH-XP-0006'), upgraded, joined].join('\n') + '\n');
writeFileSync(path.join(dir, 'old.json'), runCli(['audit', 'inv.csv', '-f', 'json', '--as-of', AS_OF], { cwd: dir }).stdout);
writeFileSync(path.join(dir, 'new.json'), runCli(['audit', 'new.csv', '-f', 'json', '--as-of', '2026-11-26'], { cwd: dir }).stdout);

/** Run a command line as README writes it (`patchaudit …`), from the folder its files are in. */
function run(command: string) {
  const args = command.replace(/^patchaudit\s+/, '').split(/\s+/).filter(Boolean);
  const cwd = args.some((a) => /^(inv\.csv|old\.json|new\.json)$/.test(a)) ? dir : ROOT;
  return runCli(args, { cwd });
}

// ---------------------------------------------------------------------------------------------
// README's fenced blocks.

interface Block {
  lang: string;
  text: string;
  /** The nearest heading above the block. */
  heading: string;
}
function blocks(): Block[] {
  const out: Block[] = [];
  let heading = '';
  const re = /^(#{1,6}) (.*)$|^```(\w*)\n([\s\S]*?)^```$/gm;
  for (const m of README.matchAll(re)) {
    if (m[1]) heading = m[2]!;
    else out.push({ lang: m[3]!, text: m[4]!, heading });
  }
  return out;
}
function blockUnder(heading: string, lang: string): Block {
  const b = blocks().find((x) => x.heading === heading && x.lang === lang);
  if (!b) throw new Error(`README has no ${lang} block under "${heading}"`);
  return b;
}

/**
 * The quoted lines appear in the output in order, consecutive unless README put a "…" line between
 * them. A quoted line ending in "…" quotes the start of its line.
 */
function expectQuoted(quoted: string[], output: string, what: string): void {
  const lines = output.replace(/\r\n/g, '\n').split('\n');
  let cursor = 0;
  let gap = true;
  for (const q of quoted) {
    // "…" leaves lines out; so does a blank line next to it (the gap it leaves).
    if (q.trim() === '…' || (gap && q === '')) {
      gap = true;
      continue;
    }
    const cut = q.endsWith(' …') ? q.slice(0, -2) : null;
    const matches = (l: string) => l === q || (cut !== null && l.startsWith(cut));
    let at = -1;
    for (let i = cursor; i < lines.length; i++) {
      if (matches(lines[i]!)) {
        at = i;
        break;
      }
      if (!gap) break;
    }
    if (at < 0) throw new Error(`${what}: README quotes a line the product does not print there:\n  ${q}\nnear:\n  ${lines.slice(cursor, cursor + 3).join('\n  ')}`);
    cursor = at + 1;
    gap = false;
  }
}

/** Every key README shows is in `actual`, with the value shown. Arrays of records are matched by id. */
function expectSubset(shown: unknown, actual: unknown, where: string): void {
  if (Array.isArray(shown)) {
    expect(Array.isArray(actual)).toBe(true);
    const list = actual as unknown[];
    if (shown.length === 0) {
      expect({ where, value: list }).toEqual({ where, value: [] });
      return;
    }
    shown.forEach((item, i) => {
      const key = item && typeof item === 'object' ? (['hostname', 'ruleId', 'id'] as const).find((k) => k in (item as object)) : undefined;
      const match = key ? list.find((x) => (x as Record<string, unknown>)[key] === (item as Record<string, unknown>)[key]) : list[i];
      expect({ where: `${where}[${i}]`, found: match !== undefined }).toEqual({ where: `${where}[${i}]`, found: true });
      expectSubset(item, match, `${where}[${i}]`);
    });
    return;
  }
  if (shown && typeof shown === 'object') {
    expect({ where, type: typeof actual }).toEqual({ where, type: 'object' });
    for (const [k, v] of Object.entries(shown)) {
      if (k === '…') continue;
      expect({ where: `${where}.${k}`, present: k in (actual as object) }).toEqual({ where: `${where}.${k}`, present: true });
      expectSubset(v, (actual as Record<string, unknown>)[k], `${where}.${k}`);
    }
    return;
  }
  if (shown === '…') return;
  expect({ where, value: actual }).toEqual({ where, value: shown });
}

// ---------------------------------------------------------------------------------------------

describe('README: quoted terminal output is what the command prints', () => {
  const quoted = blocks().filter((b) => b.lang === 'text' && b.text.startsWith('$ patchaudit '));

  test('README quotes the commands these tests know', () => {
    expect(quoted.map((b) => b.text.split('\n')[0]!.split(/\s+/).slice(1, 3).join(' '))).toEqual([
      'patchaudit inspect',
      'patchaudit audit',
      'patchaudit rules',
      'patchaudit rules',
      'patchaudit audit',
      'patchaudit diff',
      'patchaudit audit',
    ]);
  });

  test.each(quoted.map((b) => [b.text.split('\n')[0]!.slice(2), b] as const))('%s', (command, b) => {
    const r = run(command);
    expect(r.stderr).toBe('');
    // Documented exit codes: inspect, rules and diff (without --fail-on-new) exit 0; an audit exits
    // 1 when its policy fails (these inventories fail it) and 0 with --fail-on none --allow-unknown.
    const lenient = /--fail-on none/.test(command) && /--allow-unknown/.test(command);
    expect({ command, code: r.code }).toEqual({ command, code: command.startsWith('patchaudit audit') && !lenient ? 1 : 0 });
    expectQuoted(b.text.replace(/\n$/, '').split('\n').slice(1), r.stdout, command);
  });

  test('the sample audit README quotes is what `npm start` runs, with the date fixed', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
    const start = pkg.scripts.start.replace(/^node bin\/patchaudit\.js\s+/, 'patchaudit ');
    const sampleBlock = quoted.find((b) => b.text.startsWith('$ patchaudit audit fixtures/sample-trust-inventory.csv --fail-on'));
    expect(sampleBlock?.text.split('\n')[0]).toBe(`$ ${start} --as-of ${AS_OF}`);
    // npm start itself: the demo always exits 0 and prints only the report.
    const r = run(start);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^patchaudit: 310 hosts audited as of \d{4}-\d{2}-\d{2} /);
  });
});

describe('README: quoted reports are what the product writes for inv.csv', () => {
  const audit = (format: string) => runCli(['audit', 'inv.csv', '-f', format, '--as-of', AS_OF], { cwd: dir });

  test('json: every field and value of the trimmed example', () => {
    const shown = JSON.parse(blockUnder('json', 'json').text) as unknown;
    expectSubset(shown, JSON.parse(audit('json').stdout), 'report');
  });

  test('csv: the header and rows quoted', () => {
    const b = blockUnder('csv', 'text');
    const out = audit('csv').stdout.split('\r\n');
    for (const line of b.text.replace(/\n$/, '').split('\n')) expect(out).toContain(line);
  });

  test('markdown: the quoted lines, in order', () => {
    const b = blockUnder('markdown', 'markdown');
    expectQuoted(b.text.replace(/\n$/, '').split('\n'), audit('markdown').stdout, 'markdown');
  });

  test('junit: the quoted lines, in order', () => {
    const b = blockUnder('junit', 'xml');
    const out = audit('junit').stdout.split('\n').slice(1).join('\n');
    expectQuoted(b.text.replace(/\n$/, '').split('\n'), out, 'junit');
  });

  test('sarif: the quoted result', () => {
    const shown = JSON.parse(blockUnder('sarif', 'json').text) as { ruleId: string; message: { text: string } };
    const sarif = JSON.parse(audit('sarif').stdout) as { runs: { results: { ruleId: string; message: { text: string } }[] }[] };
    const result = sarif.runs[0]!.results.find((x) => x.ruleId === shown.ruleId && x.message.text === shown.message.text);
    expect(result).toBeDefined();
    expectSubset(shown, result, 'result');
  });
});

describe('README: options', () => {
  const commands = [[], ['audit'], ['inspect'], ['diff'], ['rules', 'list'], ['rules', 'show'], ['rules', 'validate']];
  const help = new Map(commands.map((c) => [c.join(' '), runCli([...c, '--help']).stdout]));
  const longOptions = (text: string) => new Set([...text.matchAll(/(?<![\w-])(--[a-z][a-z0-9-]*)/g)].map((m) => m[1]!));

  test.each(commands.map((c) => [c.join(' ') || '(no command)', c.join(' ')]))('every option of %s is documented', (_name, key) => {
    const documented = longOptions(README);
    const missing = [...longOptions(help.get(key)!)].filter((o) => !documented.has(o));
    expect(missing).toEqual([]);
  });

  test('every option README names exists (other tools named in README excepted)', () => {
    const known = new Set([...help.values()].flatMap((h) => [...longOptions(h)]));
    // bench options, Node.js, git and osqueryi options README mentions.
    const otherTools = new Set(['--sizes', '--formats', '--keep', '--no-systeminfo', '--no-single-thread', '--cpu-prof', '--depth', '--csv']);
    const unknown = [...longOptions(README)].filter((o) => !known.has(o) && !otherTools.has(o));
    expect(unknown).toEqual([]);
  });
});

describe('README: documented exit codes', () => {
  test('rules validate: "exit 0 valid, 2 invalid"', () => {
    expect(runCli(['rules', 'validate', fixture('rules', 'custom-rules.yaml')]).code).toBe(0);
    expect(runCli(['rules', 'validate', fixture('rules', 'invalid', 'unknown-severity.yaml')]).code).toBe(2);
  });

  test('diff exits 0; with --fail-on-new, 1 when there is a new failure', () => {
    expect(run('patchaudit diff old.json new.json').code).toBe(0);
    const r = run('patchaudit diff old.json new.json --fail-on-new');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
  });

  test('a --rules value that is no built-in pack, rule id or file is a usage error naming the choices', () => {
    const r = run('patchaudit audit inv.csv --rules MS17-01O');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'patchaudit: error: --rules "MS17-01O": not a built-in pack (ms17-010, win-eos, cve-2019-0708, cve-2020-0796, os-eos), a built-in rule id (patchaudit rules list) or a rules file\n',
    );
    expect(runCli(['rules', 'show', 'MS17-010', '--rules', 'ms17O10']).code).toBe(2);
  });
});
