import type { HostResult } from './types.js';
import { daysBetween } from './days.js';

/** Windows for lifecycle planning, in days after the audit date. */
export const TIMELINE_WINDOWS = [30, 90, 180, 365] as const;

export interface TimelineRow {
  product: string;
  /** Hosts whose end of support falls within each window (cumulative: within 90 includes within 30). */
  within: Record<(typeof TIMELINE_WINDOWS)[number], number>;
}

export interface Timeline {
  asOf: string;
  windows: readonly number[];
  rows: TimelineRow[];
  totals: Record<(typeof TIMELINE_WINDOWS)[number], number>;
}


/** Counts hosts reaching end of support soon, by product, as hosts stream past. */
export class TimelineBuilder {
  private rows = new Map<string, TimelineRow>();
  private totals = { 30: 0, 90: 0, 180: 0, 365: 0 };

  constructor(private readonly asOf: string) {}

  addHost(h: HostResult): void {
    // The soonest future end among the host's end-of-support findings (pass or warn: not yet ended).
    let soonest: number | null = null;
    for (const f of h.findings) {
      if (!f.endDate || (f.status !== 'pass' && f.status !== 'warn' && f.status !== 'waived')) continue;
      const d = daysBetween(this.asOf, f.endDate);
      if (d >= 0 && (soonest === null || d < soonest)) soonest = d;
    }
    if (soonest === null || soonest > 365) return;
    const product = [h.os.product ?? 'unknown', h.os.release].filter(Boolean).join(' ');
    let row = this.rows.get(product);
    if (!row) this.rows.set(product, (row = { product, within: { 30: 0, 90: 0, 180: 0, 365: 0 } }));
    for (const w of TIMELINE_WINDOWS) {
      if (soonest <= w) {
        row.within[w]++;
        this.totals[w]++;
      }
    }
  }

  /** Add counts gathered by another builder for the same audit date (a worker's share of the hosts). */
  merge(other: Timeline): void {
    for (const r of other.rows) {
      let row = this.rows.get(r.product);
      if (!row) this.rows.set(r.product, (row = { product: r.product, within: { 30: 0, 90: 0, 180: 0, 365: 0 } }));
      for (const w of TIMELINE_WINDOWS) row.within[w] += r.within[w];
    }
    for (const w of TIMELINE_WINDOWS) this.totals[w] += other.totals[w];
  }

  build(): Timeline {
    const rows = [...this.rows.values()].sort((a, b) => b.within[365] - a.within[365] || a.product.localeCompare(b.product));
    return { asOf: this.asOf, windows: TIMELINE_WINDOWS, rows, totals: this.totals };
  }
}
