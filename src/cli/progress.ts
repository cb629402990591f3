import type { Io } from './io.js';

export interface Progress {
  update(rows: number, hosts: number): void;
  stop(): void;
}

const NONE: Progress = { update() {}, stop() {} };

/**
 * A spinner on stderr with rows read, hosts and rows/s, only when stderr is a TTY and not --quiet.
 * ora is loaded only then, so piped and CI runs never pay for it. Updates are throttled to ~10/s.
 */
export async function createProgress(io: Io, enabled: boolean): Promise<Progress> {
  if (!enabled || !io.stderr.isTTY || io.env.CI) return NONE;
  // A pseudo-terminal that reports no width (some CI runners, `script`) makes a spinner erase an
  // unbounded number of lines: no spinner there.
  const columns = io.stderr.columns ?? 0;
  if (columns < 20) return NONE;
  const { default: ora } = await import('ora');
  const spinner = ora({ text: 'Reading inventory…', stream: io.stderr as NodeJS.WriteStream, discardStdin: false }).start();
  const started = Date.now();
  let last = 0;
  return {
    update(rows, hosts) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      const secs = (now - started) / 1000;
      const rate = secs > 0 ? Math.round(rows / secs) : 0;
      const text = `Reading inventory: ${rows.toLocaleString('en-GB')} rows, ${hosts.toLocaleString('en-GB')} hosts (${rate.toLocaleString('en-GB')} rows/s)`;
      // One line only: a wrapped spinner line cannot be erased cleanly.
      spinner.text = text.length > columns - 4 ? text.slice(0, columns - 5) + '…' : text;
    },
    stop() {
      spinner.stop();
    },
  };
}
