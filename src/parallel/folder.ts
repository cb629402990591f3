import type { RenderedHosts } from './block-audit.js';
import { GroupAuditor, groupErrorToError, type GroupAuditSetup, type GroupError, type GroupRead } from './group-audit.js';
import { HeldTexts } from './held-texts.js';
import path from 'node:path';
import { AuditPool } from './pool.js';

export interface FolderAuditOptions {
  /** The inputs, all regular files, in audit order. */
  files: string[];
  setup: GroupAuditSetup;
  /** Threads reading groups, this one included. */
  threads: number;
  /** Start the workers at once, rather than when the rest of the folder looks long enough. */
  forced?: boolean;
  onThreadsStarted?: () => void;
  onProgress?: (progress: { rows: number; hosts: number }) => void;
  signal?: AbortSignal;
  /** Report text held in memory until the folder is read; the rest waits in a temporary file (HeldTexts). */
  held?: { bytes?: number; dir?: string };
}

/** Groups a thread's worker may have waiting; more go to this thread, so the work balances. */
const QUEUED_PER_WORKER = 2;

/**
 * Single-thread time the rest of a folder must be expected to take before workers start: a worker's start
 * (loading and compiling the code, warming it up) costs a few hundred milliseconds of CPU, which on a
 * machine of two cores is taken from the audit's own thread.
 */
const MIN_THREADED_MS = 1000;

/** About 16 groups per thread, so that a slow start or a slow file does not leave a thread idle. */
export function groupSize(files: number, threads: number): number {
  return Math.min(256, Math.max(16, Math.ceil(files / (threads * 16))));
}

/** Words per-host export names add to the machine's name: HOST_qfe.txt, systeminfo-HOST.txt. */
const EXPORT_WORDS = /^(?:(?:qfe|hotfix(?:es)?|updates|kbs?|systeminfo|sysinfo)[_-])+|(?:[_-](?:qfe|hotfix(?:es)?|updates|kbs?|systeminfo|sysinfo))+$/gi;

/** The machine a per-host export's name is about, as far as the name tells: HOST_qfe.txt → "host". */
export function fileHostStem(file: string): string {
  return path.basename(file).replace(/\.[^.]+$/, '').replace(EXPORT_WORDS, '').toLowerCase();
}

/**
 * Consecutive files in groups of about `size`, never cut between files named for the same machine
 * (HOST.txt and HOST_qfe.txt): its rows then stay in one group. Returns where each group ends.
 */
export function groupEnds(files: string[], size: number): number[] {
  const ends: number[] = [];
  for (let end = size; end < files.length; end += size) {
    while (end < files.length && fileHostStem(files[end]) === fileHostStem(files[end - 1])) end++;
    if (end < files.length) ends.push(end);
  }
  ends.push(files.length);
  return ends;
}

/**
 * Do the names say one machine's exports are apart in the folder (qfe-HOST.txt … systeminfo-HOST.txt)?
 * Then groups would be read only to find a host in two of them: the folder is read in one thread at once.
 */
export function namesApart(files: string[]): boolean {
  const last = new Map<string, number>();
  for (let i = 0; i < files.length; i++) {
    const stem = fileHostStem(files[i]);
    const seen = last.get(stem);
    if (seen !== undefined && seen !== i - 1) return true;
    last.set(stem, i);
  }
  return false;
}

/**
 * A folder of many files read a group of consecutive files at a time, by several threads or by this one.
 * Each reader groups its files' rows into hosts as the sequential audit does, and evaluates and writes a
 * group's hosts as soon as it is read; the text is held here (HeldTexts) until the folder is read. The
 * result is the sequential one: the logs replayed in group order give the same warnings, rejected rows
 * and files, and hosts written group by group come in the order first seen. A host with rows in two
 * groups (its exports apart in the folder) is not whole in either: the groups that share hosts are read
 * again at the end, together and in order, by this thread, so each such host is whole and written with
 * the group where it is first seen. When many groups share hosts, `read` returns null as soon as that
 * shows (before reading anything when the file names say so), and the caller audits the folder host by
 * host.
 */
export class FolderAudit {
  private constructor(
    /** Each group's read, without its text (held in `texts`). */
    readonly reads: GroupRead[],
    private readonly texts: HeldTexts,
    /** Groups read by worker threads (the rest by the audit's own thread). */
    readonly groupsReadByWorkers: number,
    private readonly local: GroupAuditor,
    private readonly pool: AuditPool | null,
  ) {}

  static async read(options: FolderAuditOptions): Promise<FolderAudit | null> {
    if (namesApart(options.files)) return null;
    const local = await GroupAuditor.create(options.setup);
    const texts = new HeldTexts(options.held?.bytes, options.held?.dir);
    let pool: AuditPool | null = null;
    let done = false;
    try {
      const ends = groupEnds(options.files, groupSize(options.files.length, options.threads));
      const groups = ends.length;
      const filesOf = (seq: number) => options.files.slice(seq === 0 ? 0 : ends[seq - 1], ends[seq]);
      const release = (bytes: Uint8Array): void => {
        if (!local.recycle(bytes.buffer as ArrayBuffer)) pool?.recycle(bytes.buffer as ArrayBuffer);
      };
      // By group number, whatever order the groups are read in.
      const reads: Promise<GroupRead>[] = new Array<Promise<GroupRead>>(groups);
      const byWorkers = new Set<number>();
      let rows = 0;
      let hosts = 0;
      let groupsRead = 0;
      // The group where each host was first seen (keys are unique within a group): a host seen again has
      // rows in two groups, and both are read again together at the end (see FolderAudit).
      const firstGroup = new Map<string, number>();
      const joined = new Set<number>();
      let spans = false;
      const counted = (r: GroupRead): GroupRead => {
        rows += r.rows;
        for (const key of r.keys) {
          const first = firstGroup.get(key);
          if (first === undefined) {
            firstGroup.set(key, r.seq);
            hosts++;
          } else {
            joined.add(first).add(r.seq);
          }
        }
        if (r.text) texts.put(r.seq, r.text, release);
        r.text = null;
        // Reading many groups twice costs more than reading the folder host by host from the start: past
        // a quarter of the folder, or when most groups read so far share hosts (a list of every machine).
        groupsRead++;
        if (joined.size > 2 && (joined.size > groups / 4 || joined.size * 4 > groupsRead * 3)) spans = true;
        options.onProgress?.({ rows, hosts });
        return r;
      };
      const startPool = (): AuditPool => {
        const started = new AuditPool({ kind: 'groups', setup: options.setup }, options.threads - 1);
        void started.ready.then(() => options.onThreadsStarted?.());
        return started;
      };
      if (options.forced && options.threads > 1) pool = startPool();
      // The last group first: a list of many machines (a hotfix export next to per-host files) often sorts
      // last (zz-…, wsus-…), and read first it shows at once that the groups share them, before the rest
      // is evaluated for nothing.
      const order = groups > 2 ? [groups - 1, ...Array.from({ length: groups - 1 }, (_, g) => g)] : Array.from({ length: groups }, (_, g) => g);
      let lastYield = Date.now();
      // Files not yet read or handed out.
      let filesLeft = options.files.length;
      for (let k = 0; k < groups && !spans; k++) {
        if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
        const seq = order[k];
        const job = { seq, files: filesOf(seq) };
        if (pool && pool.size > 0 && pool.busy < QUEUED_PER_WORKER * pool.size) {
          const read = pool.readGroup(job).then(counted);
          byWorkers.add(seq);
          // Awaited below with the others; a failure must not count as unhandled before then.
          read.catch(() => undefined);
          reads[seq] = read;
          filesLeft -= job.files.length;
          continue;
        }
        const t0 = performance.now();
        reads[seq] = Promise.resolve(counted(await local.read(job, options.signal)));
        const groupMs = performance.now() - t0;
        filesLeft -= job.files.length;
        // Workers start once a group read with warm code (not the first two, which compile it: their time is
        // mostly the code's, not the files') says, file for file, that the rest would take long enough to
        // repay them.
        if (!pool && options.threads > 1 && k >= 2 && (groupMs / Math.max(1, job.files.length)) * filesLeft >= MIN_THREADED_MS) pool = startPool();
        // Let replies from the workers in (they are counted, and free a worker's queue), and signals and the
        // spinner run: files are read synchronously.
        if (pool || Date.now() - lastYield >= 50) {
          await new Promise((resolve) => setImmediate(resolve));
          lastYield = Date.now();
        }
      }
      const all = await Promise.all(reads);
      if (spans) return null;
      if (joined.size > 0) {
        const seqs = [...joined].sort((a, b) => a - b);
        const again = await local.readJoined(seqs.map((seq) => ({ seq, files: filesOf(seq) })), options.signal);
        for (const r of again) {
          texts.drop(r.seq, release);
          byWorkers.delete(r.seq);
          if (r.text) texts.put(r.seq, r.text, release);
          r.text = null;
          all[r.seq] = r;
        }
      }
      done = true;
      return new FolderAudit(all, texts, byWorkers.size, local, pool);
    } finally {
      if (!done) {
        texts.close();
        await pool?.close();
      }
    }
  }

  /**
   * Hand every group's report text to `onRun` in group order. `release` takes back a buffer once
   * written, for a later group.
   */
  async finish(onRun: (run: RenderedHosts, release: (bytes: Uint8Array) => void) => void | Promise<void>): Promise<void> {
    const release = (bytes: Uint8Array): void => {
      const buffer = bytes.buffer as ArrayBuffer;
      if (!this.local.recycle(buffer)) this.pool?.recycle(buffer);
    };
    // The group holding the report's first host writes it without a separator before it.
    const firstHosts = this.reads.findIndex((r) => r.keys.length > 0);
    for (let g = 0; g < this.reads.length; g++) {
      const run = this.local.compose(this.texts.take(g, (size) => this.local.buffer(size)), g === firstHosts);
      const pending = onRun(run, release);
      // A stream that writes synchronously (stdout to a file) hands buffers back on the next tick: let it,
      // or every group's text would take fresh memory until the end.
      await (pending ?? new Promise((resolve) => setImmediate(resolve)));
    }
  }

  /** The error that stopped a group, to throw as the sequential audit would have. */
  errorOf(error: GroupError): Error {
    return groupErrorToError(error);
  }

  /** Spilled report texts so far (see HeldTexts). */
  get spilled(): number {
    return this.texts.spilledCount;
  }

  async close(): Promise<void> {
    this.texts.close();
    await this.pool?.close();
  }
}
