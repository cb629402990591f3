import { promises as fsp } from 'node:fs';
import { Command, Option } from 'commander';
import { AuditError } from '../errors.js';
import type { DiffFormat } from '../report/diff.js';
import { writeOut, type Io } from './io.js';

async function read(file: string): Promise<string> {
  try {
    return await fsp.readFile(file, 'utf8');
  } catch (err) {
    throw new AuditError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

export function registerDiffCommand(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('diff')
    .description('compare two JSON reports: new failures, resolved findings, hosts added and removed')
    .argument('<old>', 'earlier report (audit --format json)')
    .argument('<new>', 'later report')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'markdown', 'csv']).default('table'))
    .option('--fail-on-new', 'exit 1 when there is any new failure, or a check that can no longer be judged')
    .option('--allow-unknown', 'with --fail-on-new: do not fail on checks that can no longer be judged')
    .action(async (oldFile: string, newFile: string, opts: { format: DiffFormat; failOnNew?: boolean; allowUnknown?: boolean }) => {
      const [{ diffReports }, { renderDiff }] = await Promise.all([import('../evaluation/diff.js'), import('../report/diff.js')]);
      const d = diffReports(oldFile, await read(oldFile), newFile, await read(newFile));
      await writeOut(io.stdout, renderDiff(d, opts.format));
      // As audit --baseline --fail-on-new: new failures, and checks that cannot be judged any more.
      setExit(opts.failOnNew && (d.newFailures.length > 0 || (!opts.allowUnknown && d.newUnknown.length > 0)) ? 1 : 0);
    });
}
