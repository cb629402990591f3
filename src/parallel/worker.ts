// Worker thread entry: audits blocks of rows for the main thread (see pool.ts). Never prints.
import { parentPort, workerData } from 'node:worker_threads';
import { BlockAuditor, type BlockAuditSetup, type BlockJob } from './block-audit.js';

const port = parentPort;
if (port) {
  const auditor = await BlockAuditor.create(workerData as BlockAuditSetup);
  port.on('message', (job: BlockJob | { recycle: ArrayBuffer }) => {
    if ('recycle' in job) {
      auditor.recycle(job.recycle);
      return;
    }
    try {
      const result = auditor.audit(job);
      // The report bytes move to the main thread without a copy.
      port.postMessage({ ok: true, result }, result.texts.map((t) => t.buffer as ArrayBuffer));
    } catch (err) {
      port.postMessage({ ok: false, seq: job.seq, message: (err as Error)?.message ?? String(err) });
    }
  });
}
