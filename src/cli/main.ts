import { pendingTempFiles } from './sinks.js';
import { realIo } from './io.js';
import { run } from './run.js';
import { rmSync } from 'node:fs';

/** Process entry: wires signals and the exit code; all behaviour is in run(). */
export async function main(): Promise<void> {
  // The CLI never prints a stack trace (PATCHAUDIT_DEBUG=1 shows them for bug reports), and csv-parse
  // builds an Error for every ragged or blank line it tolerates: without stack capture that is cheap.
  if (!process.env.PATCHAUDIT_DEBUG) Error.stackTraceLimit = 0;
  const controller = new AbortController();
  const onSigint = () => {
    for (const f of pendingTempFiles) rmSync(f, { force: true });
    // 128 + SIGINT: the conventional code, so shells and CI see an interruption.
    process.exit(130);
  };
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', () => {
    for (const f of pendingTempFiles) rmSync(f, { force: true });
    process.exit(143);
  });
  // A closed pipe (e.g. `| head`) is not an error: writes to it are dropped (see writeOut), the run goes
  // on to complete its report files and exits with its verdict. Every write to the closed pipe emits an
  // error event again; without a listener each would be an uncaught exception.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  process.exitCode = await run(process.argv, realIo(controller.signal));
}
