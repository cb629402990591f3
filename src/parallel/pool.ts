import { Worker } from 'node:worker_threads';
import type { BlockAuditSetup, BlockJob, BlockResult } from './block-audit.js';

type Reply = { ok: true; result: BlockResult } | { ok: false; seq: number; message: string };

/**
 * A worker holds only caches and the block in hand: a small young generation and a bounded old one make
 * it collect garbage early instead of growing (the default limits are sized for a whole program).
 */
const WORKER_HEAP = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 256 };

/** Worker threads auditing blocks; results come back by sequence number, in any order. */
// Each worker is a whole JavaScript heap (tens of megabytes): the audit's own thread audits blocks too,
// so N threads of work need N - 1 workers.
export class BlockPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, { resolve: (r: BlockResult) => void; reject: (e: Error) => void }>();
  private nextWorker = 0;
  private failure: Error | null = null;

  /** Settles once every worker is running (or has failed: submit then reports the failure). */
  readonly ready: Promise<void>;

  constructor(setup: BlockAuditSetup, size: number) {
    let starting = size;
    let started!: () => void;
    this.ready = size === 0 ? Promise.resolve() : new Promise<void>((resolve) => (started = resolve));
    for (let i = 0; i < size; i++) {
      const w = new Worker(new URL('./worker.js', import.meta.url), { workerData: setup, stdout: true, stderr: true, resourceLimits: WORKER_HEAP });
      const up = () => {
        if (--starting === 0) started();
      };
      w.once('online', up);
      w.once('error', up);
      w.on('message', (reply: Reply) => {
        const seq = reply.ok ? reply.result.seq : reply.seq;
        const p = this.pending.get(seq);
        if (!p) return;
        this.pending.delete(seq);
        if (reply.ok) p.resolve(reply.result);
        else p.reject(new Error(reply.message));
      });
      w.on('error', (err) => this.fail(err));
      w.on('exit', (code) => {
        if (this.pending.size > 0) this.fail(new Error(`audit worker stopped (exit code ${code})`));
      });
      this.workers.push(w);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** Blocks submitted and not yet answered. */
  get busy(): number {
    return this.pending.size;
  }

  submit(job: BlockJob): Promise<BlockResult> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending.set(job.seq, { resolve, reject });
      this.workers[this.nextWorker].postMessage(job);
      this.nextWorker = (this.nextWorker + 1) % this.workers.length;
    });
  }

  /** Hand a written report buffer back to a worker, to write a later block into (moved, not copied). */
  recycle(buffer: ArrayBuffer): void {
    if (this.failure || this.workers.length === 0) return;
    this.workers[this.nextWorker].postMessage({ recycle: buffer }, [buffer]);
    this.nextWorker = (this.nextWorker + 1) % this.workers.length;
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
