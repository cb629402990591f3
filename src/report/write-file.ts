import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { OutputError } from '../errors.js';

/** Temp files in flight, removed if the run is interrupted. */
export const pendingTempFiles = new Set<string>();

/**
 * Write a report atomically: to a temp file beside the target, then rename, so an interrupted run
 * never leaves half a report under the real name.
 */
export async function writeFileAtomic(target: string, content: string | Buffer): Promise<void> {
  const dir = path.dirname(path.resolve(target));
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  pendingTempFiles.add(tmp);
  try {
    await fsp.mkdir(dir, { recursive: true });
    await fsp.writeFile(tmp, content);
    await fsp.rename(tmp, target);
  } catch (err) {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw new OutputError(`${target}: cannot write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  } finally {
    pendingTempFiles.delete(tmp);
  }
}
