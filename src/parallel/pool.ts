import { Worker } from 'node:worker_threads';
import type { BlockAuditSetup, BlockJob, BlockResult } from './block-audit.js';
import type { GroupAuditSetup, GroupJob, GroupRead } from './group-audit.js';

/** What a worker is set up to do: audit blocks of one CSV file, or read groups of a folder's files. */
export type WorkerSetup = { kind: 'blocks'; setup: BlockAuditSetup } | { kind: 'groups'; setup: GroupAuditSetup };

/** Messages to a worker; each but `recycle` is answered with a Reply carrying the same id. */
export type WorkerRequest = { id: number; kind: 'block'; job: BlockJob } | { id: number; kind: 'group-read'; job: GroupJob } | { kind: 'recycle'; buffer: ArrayBuffer };

/** A request before the pool numbers it. */
type Unnumbered<R> = R extends { id: number } ? Omit<R, 'id'> : never;

export type WorkerReply = { id: number; ok: true; result: BlockResult | GroupRead } | { id: number; ok: false; message: string };

/**
 * A worker auditing blocks holds only caches and the block in hand: a small young generation and a
 * bounded old one make it collect garbage early instead of growing (the default limits are sized for a
 * whole program). A worker reading groups of files holds a whole group's hosts while it reads it, and a
 * group's files can be large inventories of their own, so it gets the default limits as the audit's own
 * thread does: a cap would fail a folder that one thread audits.
 */
const BLOCK_WORKER_HEAP = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 256 };

type Pending = { resolve: (r: never) => void; reject: (e: Error) => void };

/**
 * Worker threads auditing blocks of a file or groups of files; answers come back by request, in any order.
 * Each worker is a whole JavaScript heap (tens of megabytes): the audit's own thread works too, so N
 * threads of work need N - 1 workers.
 */
export class AuditPool {
  private readonly workers: Worker[] = [];
  /** Unanswered requests, per worker. */
  private readonly pending: Map<number, Pending>[] = [];
  private nextWorker = 0;
  private nextId = 0;
  private failure: Error | null = null;

  /** Settles once every worker is running (or has failed: requests then report the failure). */
  readonly ready: Promise<void>;

  constructor(setup: WorkerSetup, size: number) {
    let starting = size;
    let started!: () => void;
    this.ready = size === 0 ? Promise.resolve() : new Promise<void>((resolve) => (started = resolve));
    for (let i = 0; i < size; i++) {
      const w = new Worker(new URL('./worker.js', import.meta.url), { workerData: setup, stdout: true, stderr: true, resourceLimits: setup.kind === 'blocks' ? BLOCK_WORKER_HEAP : {} });
      const pending = new Map<number, Pending>();
      const up = () => {
        if (--starting === 0) started();
      };
      w.once('online', up);
      w.once('error', up);
      w.on('message', (reply: WorkerReply) => {
        const p = pending.get(reply.id);
        if (!p) return;
        pending.delete(reply.id);
        if (reply.ok) p.resolve(reply.result as never);
        else p.reject(new Error(reply.message));
      });
      w.on('error', (err) => this.fail(err));
      w.on('exit', (code) => {
        if (pending.size > 0) this.fail(new Error(`audit worker stopped (exit code ${code})`));
      });
      this.workers.push(w);
      this.pending.push(pending);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** Requests sent and not yet answered. */
  get busy(): number {
    let n = 0;
    for (const p of this.pending) n += p.size;
    return n;
  }

  /** The worker the next request without a chosen worker goes to. */
  private pick(): number {
    const w = this.nextWorker;
    this.nextWorker = (this.nextWorker + 1) % this.workers.length;
    return w;
  }

  private request<T>(worker: number, message: Unnumbered<WorkerRequest>): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending[worker].set(id, { resolve: resolve as (r: never) => void, reject });
      this.workers[worker].postMessage({ ...message, id });
    });
  }

  submit(job: BlockJob): Promise<BlockResult> {
    return this.request(this.pick(), { kind: 'block', job });
  }

  /** Read a group of files in some worker, and write its hosts' report text (see GroupAuditor). */
  readGroup(job: GroupJob): Promise<GroupRead> {
    return this.request(this.pick(), { kind: 'group-read', job });
  }

  /** Hand a written report buffer back to a worker, to write a later run into (moved, not copied). */
  recycle(buffer: ArrayBuffer): void {
    if (this.failure || this.workers.length === 0) return;
    this.workers[this.pick()].postMessage({ kind: 'recycle', buffer }, [buffer]);
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const pending of this.pending) {
      for (const p of pending.values()) p.reject(err);
      pending.clear();
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
