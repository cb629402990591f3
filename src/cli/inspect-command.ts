import { Command, Option } from 'commander';
import { inspectInventory, type InspectResult } from '../inspect.js';
import { terminalSafe } from '../report/sanitize.js';
import { writeOut, type Io } from './io.js';
import { parseMap } from './options.js';
import { createStyle, preloadColour, resolveColorLevel } from './style.js';

function delimiterName(d: string | null): string {
  return d === null ? '–' : d === '\t' ? 'tab' : d;
}

async function renderInspect(r: InspectResult, io: Io, color: boolean | undefined): Promise<string> {
  const lvl = resolveColorLevel(color, io.env, io.stdout);
        await preloadColour(lvl);
        const st = createStyle(lvl);
  const out: string[] = [];
  for (const f of r.files) {
    out.push(st.bold(terminalSafe(f.file)));
    out.push(`  format ${f.format}, encoding ${f.encoding} (${f.encodingReason}), delimiter ${delimiterName(f.delimiter)}${f.headerLine ? `, header on line ${f.headerLine}` : ''}${f.preambleLines ? ` (${f.preambleLines} line${f.preambleLines === 1 ? '' : 's'} above skipped)` : ''}, ${f.rows} row${f.rows === 1 ? '' : 's'}`);
    if (f.dateOrder) out.push(`  dates: ${f.dateOrder === 'dmy' ? 'day first' : f.dateOrder === 'mdy' ? 'month first' : f.dateOrder}`);
    if (f.columns.length) {
      out.push('  columns:');
      for (const c of f.columns) out.push(`    ${terminalSafe(c.header).padEnd(40)} → ${c.field ?? st.dim(c.note ?? '(kept, not used)')}`);
    }
  }
  const rec = r.recognition;
  out.push('');
  out.push(st.bold(`${r.rows} rows, ${r.hosts} hosts, ${r.rejected.length} rejected rows`));
  out.push(`OS recognised for ${rec.recognised} of ${r.hosts} hosts (${rec.percent}%)`);
  for (const p of rec.byProduct) out.push(`  ${String(p.hosts).padStart(6)}  ${p.product}${p.release ? ' ' + p.release : ''}`);
  if (rec.unrecognisedStrings.length) {
    out.push(st.magenta('Unrecognised OS strings:'));
    for (const u of rec.unrecognisedStrings.slice(0, 50)) out.push(`  ${String(u.hosts).padStart(6)}  ${terminalSafe(u.raw)}`);
    if (rec.unrecognisedStrings.length > 50) out.push(`  … and ${rec.unrecognisedStrings.length - 50} more`);
  }
  for (const x of r.rejected.slice(0, 20)) out.push(`  rejected ${terminalSafe(x.file)}:${x.line}: ${terminalSafe(x.reason)}`);
  for (const w of r.warnings.slice(0, 20)) out.push(st.yellow('  warning: ') + terminalSafe(w));
  return out.join('\n') + '\n';
}

export function registerInspectCommand(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('inspect')
    .description('show how an export is read: encoding, delimiter, header, column mapping and OS recognition')
    .argument('<inventory...>', 'inventory files, folders, or - for stdin')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--map <field=Header>', 'map a column to a field; repeatable', (v: string, p: string[] = []) => [...p, v])
    .option('--encoding <name>', 'input encoding (default: detected)')
    .option('--delimiter <char>', 'field delimiter (default: detected)')
    .option('--color', 'force colour')
    .option('--no-color', 'no colour')
    .action(async (inputs: string[], opts: { format: string; map?: string[]; encoding?: string; delimiter?: string; color?: boolean }) => {
      const result = await inspectInventory(inputs, { map: parseMap(opts.map ?? []), encoding: opts.encoding, delimiter: opts.delimiter === 'tab' ? '\t' : opts.delimiter, stdin: io.stdin });
      await writeOut(io.stdout, opts.format === 'json' ? JSON.stringify(result, null, 2) + '\n' : await renderInspect(result, io, opts.color));
      setExit(0);
    });
}
