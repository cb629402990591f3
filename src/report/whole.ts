import type { Reporter, StreamingReporter } from './types.js';

/** A streaming format as a whole-report function: start, every collected host, end. */
export function renderWhole(create: () => StreamingReporter): Reporter {
  return (report, ctx) => {
    const w = create();
    const parts = [w.start(report, ctx)];
    for (const h of report.hosts) parts.push(w.host(h, ctx));
    parts.push(w.end(report, ctx));
    return parts.join('');
  };
}
