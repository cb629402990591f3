import { AuditError, InventoryError } from '../errors.js';
import type { HostResult } from '../evaluation/types.js';
import { HostGrouper } from '../inventory/host-grouper.js';
import type { HostBuilder } from '../inventory/hosts.js';
import type { InventoryFileInfo, ReadInventoryOptions } from '../inventory/read-inventory.js';
import type { RejectedRow } from '../inventory/types.js';
import { HostRenderer, RenderingAuditor, type RenderedHosts, type RenderSetup } from './block-audit.js';

/** What a thread needs to read groups of files: the reader's options without callbacks or streams. */
export interface GroupAuditSetup extends RenderSetup {
  read: Omit<ReadInventoryOptions, 'stdin' | 'onFile' | 'blocks'>;
}

/** Consecutive files of a folder, read and grouped into hosts by one thread. */
export interface GroupJob {
  seq: number;
  files: string[];
}

/** What happened while reading a group, in order: replayed by the audit's thread as if it had read the files. */
export type GroupLogEntry = { file: InventoryFileInfo } | { warning: string } | { rejected: RejectedRow };

/** An error that stopped a group, as data (errors lose their class between threads). */
export interface GroupError {
  message: string;
  /** Bad input (exit code 2, one line) rather than a defect. */
  input: { file: string; line: number | null } | null;
}

/**
 * A group's hosts, evaluated and written as soon as the group is read, but for the first: whether it
 * starts the report (JSON's separator) is known only once every group before it is read, so it waits,
 * evaluated, to be written then (see GroupAuditor.compose).
 */
export interface GroupText extends RenderedHosts {
  /** The group's first host, evaluated; null: the group has no hosts. */
  head: HostResult | null;
}

export interface GroupRead {
  seq: number;
  /** Host keys in the order first seen: the audit checks that no host spans two groups. */
  keys: string[];
  log: GroupLogEntry[];
  rows: number;
  /** The first file that could not be read ends the group (the log holds what came before it). */
  error: GroupError | null;
  /** The group's report text (null when the group failed). */
  text: GroupText | null;
}

/** Rebuild a group's error in the audit's thread: bad input stays a one-line input error. */
export function groupErrorToError(e: GroupError): Error {
  if (e.input) {
    const prefix = `${e.input.file}${e.input.line !== null ? `:${e.input.line}` : ''}: `;
    return new InventoryError(e.input.file, e.input.line, e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message);
  }
  return new Error(e.message);
}

function errorToGroupError(err: unknown): GroupError {
  if (err instanceof InventoryError) return { message: err.message, input: { file: err.file, line: err.line } };
  if (err instanceof AuditError) return { message: err.message, input: null };
  return { message: (err as Error)?.message ?? String(err), input: null };
}

/**
 * Reads a folder's files a group at a time, as the sequential path does (HostGrouper), then evaluates and
 * writes the group's hosts at once, so that the hosts' rows die young instead of living until the whole
 * folder is read. The group's report text goes back with the read; the audit holds it (see HeldTexts)
 * until it knows that no host of the group has rows in another group. Used by worker threads and by the
 * audit's own thread.
 */
export class GroupAuditor extends RenderingAuditor<GroupAuditSetup> {
  /** Groups are read one after another even when their jobs arrive together. */
  private queue: Promise<unknown> = Promise.resolve();

  static async create(init: GroupAuditSetup): Promise<GroupAuditor> {
    return new GroupAuditor(init, await HostRenderer.create(init));
  }

  read(job: GroupJob, signal?: AbortSignal): Promise<GroupRead> {
    return this.readJoined([job], signal).then((reads) => reads[0]);
  }

  /**
   * Read groups again, in order, as one: for groups that share hosts (a machine's exports far apart in
   * the folder), whose separate reads the audit cannot use. Each host is then whole, and written with the
   * group where it is first seen; each group's read says which hosts those are. Stops at a group that
   * fails (the audit stops there).
   */
  readJoined(jobs: GroupJob[], signal?: AbortSignal): Promise<GroupRead[]> {
    const next = this.queue.then(() => this.readGroups(jobs, signal));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async readGroups(jobs: GroupJob[], signal?: AbortSignal): Promise<GroupRead[]> {
    let log: GroupLogEntry[] = [];
    const grouper = new HostGrouper({ warn: (warning) => log.push({ warning }), reject: (rejected) => log.push({ rejected }) });
    const options: ReadInventoryOptions = {
      ...this.init.read,
      onFile: (file) => {
        grouper.file = file;
        log.push({ file });
      },
    };
    const reads: GroupRead[] = [];
    // Where each group's hosts end among the grouper's (hosts are kept in the order first seen).
    const ends: number[] = [];
    let lastYield = Date.now();
    for (const job of jobs) {
      // Files are read synchronously: let signals and the spinner run between groups now and then.
      if (Date.now() - lastYield >= 50) {
        await new Promise((resolve) => setImmediate(resolve));
        lastYield = Date.now();
      }
      log = [];
      let rows = 0;
      const onRows = (n: number) => {
        rows += n;
      };
      let error: GroupError | null = null;
      try {
        for (const file of job.files) {
          if (signal?.aborted) throw signal.reason ?? new Error('aborted');
          await grouper.readInput(file, true, options, onRows, signal);
        }
      } catch (err) {
        if (signal?.aborted) throw err;
        error = errorToGroupError(err);
      }
      reads.push({ seq: job.seq, keys: [], log, rows, error, text: null });
      ends.push(grouper.builders.size);
      if (error) break;
    }
    const builders = [...grouper.builders.values()];
    grouper.builders.clear();
    for (let g = 0, from = 0; g < reads.length; from = ends[g++]) {
      const r = reads[g];
      const own = builders.slice(from, ends[g]);
      r.keys = own.map((b) => b.key);
      // A group that failed stops the audit: its hosts are never reported.
      if (r.error === null) r.text = this.write(r.seq, own);
    }
    return reads;
  }

  /** Evaluate a group's hosts and write the text of all but the first (see GroupText). */
  private write(seq: number, builders: HostBuilder[]): GroupText {
    const run = this.renderer.begin(seq);
    let head: HostResult | null = null;
    for (const b of builders) {
      const result = run.evaluate(b.build());
      if (head === null) head = result;
      else run.write(result);
    }
    return { ...run.end(), head };
  }

  /**
   * A group's whole report text: its first host's written before the rest, as the report's first host
   * (`first`: no earlier group has hosts) or a later one. The text's buffers are taken back.
   */
  compose(text: GroupText, first: boolean): RenderedHosts {
    if (text.head === null) return { seq: text.seq, texts: text.texts, summary: text.summary, timeline: text.timeline };
    return this.renderer.prepend(text, text.head, first);
  }
}
