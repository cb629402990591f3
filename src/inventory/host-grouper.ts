import { fullName, HostBuilder, hostKey, noHostnameReason, ownFqdn, recordHostname } from './hosts.js';
import { openFileSync, readInventoryBatches, textExportEventsSync, type InventoryFileInfo, type ReadInventoryOptions } from './read-inventory.js';
import type { InventoryEvent } from './read-csv.js';
import type { InventoryRecord, RejectedRow } from './types.js';

/** Where a grouper's warnings and rejected rows go, in the order they arise. */
export interface GroupSink {
  warn(message: string): void;
  reject(row: RejectedRow): void;
}

/**
 * Rows of one or more inputs grouped into hosts by hostname (an OS export and a hotfix export of the
 * same machines give one host each), in the order hosts are first seen. The audit's thread and worker
 * threads reading parts of a folder both group rows with this, so their warnings cannot differ.
 */
export class HostGrouper {
  readonly builders = new Map<string, HostBuilder>();
  /** The file whose rows are being added: a wide CSV (no KB column) must have one row per host. */
  file: InventoryFileInfo | null = null;

  constructor(private readonly sink: GroupSink) {}

  /** Add a row of a named host; true when the host is new. */
  addRecord(name: string, record: InventoryRecord): boolean {
    const key = hostKey(name);
    let b = this.builders.get(key);
    const added = b === undefined;
    if (!b) {
      b = new HostBuilder(name);
      this.builders.set(key, b);
    }
    const info = this.file;
    if (info && info.format === 'csv' && info.layout?.mapping.fields.kb === undefined) {
      const dup = b.checkDuplicateRow(record);
      if (dup) this.sink.warn(dup);
    }
    const conflict = b.add(record);
    if (conflict) this.sink.warn(conflict);
    // The name and the row's own FQDN may carry different kinds of domain ("NORTH\\SRV-01" beside srv-01.north.local).
    let clash = b.noteName(name, record.fields.domain, record.source);
    const fqdn = ownFqdn(record.fields.fqdn, b.key);
    if (fqdn !== null && fullName(fqdn) !== fullName(name)) clash ??= b.noteName(fqdn);
    if (clash) this.sink.warn(clash);
    return added;
  }

  /** Events of one input of several (no streaming, no blocks); returns the rows read (audited + rejected). */
  addEvents(batch: InventoryEvent[]): number {
    let rows = 0;
    for (const ev of batch) {
      if (ev.type === 'warning') this.sink.warn(ev.message);
      else if (ev.type === 'rejected') {
        rows++;
        this.sink.reject(ev.rejected);
      } else if (ev.type === 'record') {
        rows++;
        const name = recordHostname(ev.record);
        if (name === '') this.sink.reject({ file: ev.record.source.file, line: ev.record.source.line, reason: noHostnameReason(ev.record) });
        else this.addRecord(name, ev.record);
      }
    }
    return rows;
  }

  /**
   * Read one input of several into the groups. A small regular file that is a text export (a systeminfo
   * .txt per host: thousands of them) is read and parsed synchronously; anything else goes through the
   * streaming reader. `options.onFile` must set `file` (see above). `onRows` hears the rows of each batch;
   * `signal` stops the reading between batches.
   */
  async readInput(input: string, regular: boolean, options: ReadInventoryOptions, onRows: (rows: number) => void, signal?: AbortSignal): Promise<void> {
    const opened = regular ? openFileSync(input, options.limits) : undefined;
    const events = opened && 'whole' in opened ? textExportEventsSync(input, opened.whole, options) : null;
    if (events) {
      onRows(this.addEvents(events));
      return;
    }
    for await (const batch of readInventoryBatches(input, options, opened)) {
      if (signal?.aborted) throw signal.reason ?? new Error('aborted');
      onRows(this.addEvents(batch));
    }
  }
}
