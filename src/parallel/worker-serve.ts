import type { MessagePort } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest, WorkerSetup } from './pool.js';

/**
 * A worker thread's work: audits blocks of rows, or reads groups of files, for the main thread (see
 * pool.ts), answering each request on `port`. Never prints.
 */
export async function serveWorker(port: MessagePort, data: WorkerSetup): Promise<void> {
  // Only the kind of work this worker is set up for is made ready.
  const blocks = data.kind === 'blocks' ? await (await import('./block-audit.js')).BlockAuditor.create(data.setup) : null;
  const groups = data.kind === 'groups' ? await (await import('./group-audit.js')).GroupAuditor.create(data.setup) : null;
  const reply = (r: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(r, transfer);
  port.on('message', async (msg: WorkerRequest) => {
    if (msg.kind === 'recycle') {
      (blocks ?? groups)!.recycle(msg.buffer);
      return;
    }
    try {
      if (msg.kind === 'block') {
        const result = blocks!.audit(msg.job);
        // The report bytes move to the main thread without a copy.
        reply({ id: msg.id, ok: true, result }, result.texts.map((t) => t.buffer as ArrayBuffer));
      } else {
        const result = await groups!.read(msg.job);
        reply({ id: msg.id, ok: true, result }, result.text ? result.text.texts.map((t) => t.buffer as ArrayBuffer) : []);
      }
    } catch (err) {
      reply({ id: msg.id, ok: false, message: (err as Error)?.message ?? String(err) });
    }
  });
}
