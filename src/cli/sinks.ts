import { createWriteStream, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { link, rename } from 'node:fs/promises';
import path from 'node:path';
import { OutputError } from '../errors.js';
import { readerGone, writeOut, type Io } from './io.js';
import { openFifo } from './outputs.js';

/** Temp files in flight, removed if the run is interrupted (SIGINT/SIGTERM in main.ts). */
export const pendingTempFiles = new Set<string>();

/** Where one report goes: stdout or a file (written to a temp file and renamed when complete). */
export interface Sink {
  /**
   * Returns a promise only when the caller must wait (back-pressure). Bytes are UTF-8 text; `written`
   * is called once the sink no longer needs them (their buffer can then be reused).
   */
  write(text: string | Uint8Array, written?: () => void): void | Promise<void>;
  /** Everything written: flush (stdout) or rename into place (file). */
  finish(): Promise<void>;
  /** The run failed: drop what is not yet out, remove temp files. */
  abort(): void;
}

/**
 * stdout, buffered up to `flushBytes` so that a run that fails early (bad input, exit 2) prints nothing
 * on stdout; a large streamed report is flushed in chunks with back-pressure.
 */
export function stdoutSink(io: Io, flushBytes = 1 << 20): Sink {
  let buf = '';
  // After the first flush, small chunks: big buffers outlive young-generation GCs and inflate RSS.
  let threshold = flushBytes;
  return {
    write(text, written) {
      if (readerGone(io.stdout)) {
        // The reader went away: nothing more goes out (the run still completes its files).
        buf = '';
        written?.();
        return;
      }
      if (typeof text !== 'string') {
        // Report bytes from a worker: go out as they are once the first flush has happened.
        if (threshold === flushBytes && buf.length + text.length < threshold) {
          buf += Buffer.from(text.buffer, text.byteOffset, text.length).toString('utf8');
          written?.();
          return;
        }
        const before = buf;
        buf = '';
        threshold = 64 * 1024;
        if (before === '') return writeOut(io.stdout, text, written);
        const first = writeOut(io.stdout, before);
        return first ? first.then(() => writeOut(io.stdout, text, written)) : writeOut(io.stdout, text, written);
      }
      buf += text;
      if (buf.length < threshold) return;
      const out = buf;
      buf = '';
      threshold = 64 * 1024;
      return writeOut(io.stdout, out);
    },
    async finish() {
      const out = buf;
      buf = '';
      await writeOut(io.stdout, out);
    },
    abort() {
      buf = '';
    },
  };
}

/** A report file: see FileSink. */
export interface FileSink extends Sink {
  /** Everything written: end the stream and wait until the bytes are in the temp file (or the device). */
  complete(): Promise<void>;
  /**
   * Rename the temp file over the target (nothing for a direct target). An existing target is first
   * kept under a hidden name (a hard link) so that `rollback` can put it back if a later report cannot
   * be put in place.
   */
  commit(): Promise<void>;
  /** After a later commit failed: put the earlier report back (or remove the new one if there was none). */
  rollback(): void;
  /** After every commit: drop the kept earlier report. */
  settle(): void;
}

let tempSeq = 0;

/**
 * Create a report's folder and the missing folders above it, one level at a time, each tried once.
 * Node's mkdir with { recursive: true } never returns when a folder's parent exists but mkdir still
 * answers ENOENT (a path under /proc or /sys as root, some network and FUSE file systems): it retries
 * the parent and the child forever in native code, so the run hangs at full CPU and ignores Ctrl-C and
 * SIGTERM. Here that ENOENT is the error, and the report cannot be written (exit 2).
 */
export function makeFolder(dir: string): void {
  const missing: string[] = [];
  for (let d = path.resolve(dir); ; ) {
    try {
      statSync(d);
      break; // exists (a file here makes the mkdir below, or the write, fail with ENOTDIR)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    missing.unshift(d);
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

function removeQuietly(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // nothing was written there
  }
}

/**
 * A report file. A regular file (or new path) is streamed into a hidden temp file beside the target and
 * renamed only when every report is complete (see commitFiles), so a failed run leaves no report file
 * and readers never see a half-written one. A direct target (a device, FIFO or descriptor path, see
 * OutputSpec) is written as the report is produced: it is never replaced. A socket inherited as a
 * descriptor (which cannot be opened by path) is written through that descriptor; standard output and
 * standard error through the process's own streams. When the reader of a pipe goes away (EPIPE), the
 * rest of that report is dropped, as for standard output.
 */
export function fileSink(out: { target: string; direct: boolean; fd?: number; fifo?: boolean }, io?: Io): FileSink {
  const { target, direct } = out;
  let fd = out.fd;
  const dir = path.dirname(target);
  const tmp = direct ? target : path.join(dir, `.${path.basename(target)}.${process.pid}.${Date.now()}.${tempSeq++}.tmp`);
  const kept = path.join(dir, `.${path.basename(target)}.${process.pid}.${Date.now()}.${tempSeq++}.old`);
  // The process's own stdout or stderr: written to, never ended.
  const shared = fd === 1 ? io?.stdout : fd === 2 ? io?.stderr : undefined;
  let stream: Writable | null = null;
  let failed: Error | null = null;
  let gone = false;
  let renamed = false;
  let hadOld = false;
  const isEpipe = (err: Error) => direct && (err as NodeJS.ErrnoException).code === 'EPIPE';
  // A FIFO is opened when the first bytes are ready (a run that fails before never waits for a
  // reader), without blocking (see openFifo), and written as a pipe.
  let opening: Promise<void> | null = null;
  const openFifoOnce = (): Promise<void> =>
    (opening ??= openFifo(target, io?.signal).then((opened) => {
      fd = opened;
      open();
    }));
  const open = (): Writable => {
    if (stream) return stream;
    if (!direct) {
      pendingTempFiles.add(tmp);
      try {
        makeFolder(dir);
      } catch {
        // reported by the stream's error below
      }
    }
    if (shared) stream = shared;
    else if (fd !== undefined) stream = new Socket({ fd, readable: false, writable: true });
    // Appending: a descriptor path such as /dev/stdout may name a file the shell opened, and nothing is
    // truncated behind its back. A FIFO or device ignores it.
    else stream = createWriteStream(tmp, { flags: direct ? 'a' : 'w' });
    stream.on('error', (err: Error) => {
      if (isEpipe(err)) gone = true;
      else failed ??= err;
    });
    return stream;
  };
  const cannotWrite = (err: Error) => new OutputError(`${target}: cannot write (${(err as NodeJS.ErrnoException).code ?? err.message})`);
  const removeTemp = () => {
    if (!direct) removeQuietly(tmp);
    pendingTempFiles.delete(tmp);
  };
  let completed: Promise<void> | null = null;
  const sink: FileSink = {
    write(text, written) {
      if (failed) throw cannotWrite(failed);
      if (out.fifo && stream === null) return openFifoOnce().then(() => sink.write(text, written));
      const s = open();
      if (text.length === 0 || gone || (shared && readerGone(shared))) {
        written?.();
        return;
      }
      const ok = written ? s.write(text, (err) => (err && !isEpipe(err)) || written()) : s.write(text);
      if (ok) return;
      // Back-pressure: wait for the stream to drain, but a stream that fails never drains (a full disk,
      // a folder that cannot be written): its error ends the wait.
      return new Promise<void>((resolve, reject) => {
        const settle = (err: Error | null) => {
          s.off('drain', onDrain);
          s.off('error', onError);
          s.off('close', onClose);
          if (err && !isEpipe(err)) reject(cannotWrite(err));
          else resolve();
        };
        const onDrain = () => settle(null);
        const onError = (err: Error) => settle(err);
        const onClose = () => settle(gone ? null : (failed ?? new Error('closed before the report was written')));
        s.on('drain', onDrain);
        s.on('error', onError);
        s.on('close', onClose);
      });
    },
    complete() {
      completed ??= (async () => {
        if (out.fifo && stream === null) await openFifoOnce();
        const s = open();
        await new Promise<void>((resolve) => {
          if (failed || gone) return resolve();
          const done = (err?: Error | null) => {
            if (err && !isEpipe(err)) failed ??= err;
            resolve();
          };
          // A shared stream is flushed (its callbacks run in order), not ended.
          if (shared) s.write('', done);
          else s.end(done);
        });
        if (failed) throw cannotWrite(failed);
      })();
      return completed;
    },
    async commit() {
      await this.complete();
      if (direct) return;
      try {
        makeFolder(dir);
        try {
          await link(target, kept);
          pendingTempFiles.add(kept);
          hadOld = true;
        } catch {
          // no earlier report (or a file system without hard links: it cannot be put back)
        }
        await rename(tmp, target);
        renamed = true;
        pendingTempFiles.delete(tmp);
      } catch (err) {
        throw cannotWrite(err as Error);
      }
    },
    rollback() {
      if (!renamed) return;
      try {
        if (hadOld) renameSync(kept, target);
        else rmSync(target, { force: true });
      } catch {
        // left as it is: the best that can be done
      }
      pendingTempFiles.delete(kept);
    },
    settle() {
      if (hadOld) removeQuietly(kept);
      pendingTempFiles.delete(kept);
    },
    async finish() {
      await commitFiles([this]);
    },
    abort() {
      if (stream && !shared) stream.destroy();
      removeTemp();
      if (hadOld && !renamed) removeQuietly(kept);
    },
  };
  return sink;
}

/**
 * Put every report file in place, only once all of them are complete. If any cannot be completed or
 * renamed, none is left: the temp files are removed and the files already renamed are rolled back to
 * what was there before (an earlier report is put back; a new one is removed). Direct targets (devices,
 * FIFOs) have had their bytes already and cannot be taken back.
 */
export async function commitFiles(sinks: FileSink[]): Promise<void> {
  try {
    for (const s of sinks) await s.complete();
    for (const s of sinks) await s.commit();
  } catch (err) {
    for (const s of sinks) s.rollback();
    for (const s of sinks) s.abort();
    throw err;
  }
  for (const s of sinks) s.settle();
}
