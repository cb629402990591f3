// Worker thread entry: audits blocks of rows, or reads groups of files, for the main thread (see pool.ts). Never prints.
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerSetup } from './pool.js';
import type { serveWorker } from './worker-serve.js';

/**
 * The worker's code comes from the CLI's bundle with its code cache, as the CLI's own thread loads it
 * (see src/cli/launch.ts): a worker then starts in tens of milliseconds with its functions compiled,
 * instead of loading and compiling some fifty modules before its first read. Without a bundle (only
 * tsc was run), or when it cannot be loaded, the modules themselves are loaded.
 */
async function loadServe(): Promise<typeof serveWorker> {
  try {
    const cli = (await import('../cli/launch.js')).loadCli();
    if (typeof cli.serveWorker === 'function') return cli.serveWorker;
  } catch {
    // No usable bundle: the modules below.
  }
  return (await import('./worker-serve.js')).serveWorker;
}

const port = parentPort;
if (port) await (await loadServe())(port, workerData as WorkerSetup);
