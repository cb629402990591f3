import { createWriteStream, mkdirSync, rmSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { OutputError } from '../errors.js';
import { writeOut, type Io } from './io.js';

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

/** A report file: streamed into a temp file beside the target, renamed only when complete. */
export function fileSink(target: string): Sink {
  const dir = path.dirname(path.resolve(target));
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  let stream: WriteStream | null = null;
  let failed: Error | null = null;
  const open = () => {
    if (stream) return stream;
    pendingTempFiles.add(tmp);
    try {
      mkdirSync(dir, { recursive: true });
    } catch {
      // reported by the stream's error below
    }
    stream = createWriteStream(tmp);
    stream.on('error', (err) => {
      failed = err;
    });
    return stream;
  };
  const cannotWrite = (err: Error) => new OutputError(`${target}: cannot write (${(err as NodeJS.ErrnoException).code ?? err.message})`);
  /** Removing the temp file must not hide the error being reported (its folder may not even exist). */
  const removeTemp = () => {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // nothing was written there
    }
  };
  return {
    write(text, written) {
      if (failed) throw cannotWrite(failed);
      const s = open();
      if (text.length === 0) {
        written?.();
        return;
      }
      const ok = written ? s.write(text, (err) => err || written()) : s.write(text);
      if (ok) return;
      // Back-pressure: wait for the stream to drain, but a stream that fails never drains (a full disk,
      // a folder that cannot be written): its error ends the wait.
      return new Promise<void>((resolve, reject) => {
        const settle = (err: Error | null) => {
          s.off('drain', onDrain);
          s.off('error', onError);
          s.off('close', onClose);
          if (err) reject(cannotWrite(err));
          else resolve();
        };
        const onDrain = () => settle(null);
        const onError = (err: Error) => settle(err);
        const onClose = () => settle(failed ?? new Error('closed before the report was written'));
        s.on('drain', onDrain);
        s.on('error', onError);
        s.on('close', onClose);
      });
    },
    async finish() {
      const s = open();
      await new Promise<void>((resolve, reject) => {
        s.end((err?: Error | null) => (err ? reject(err) : resolve()));
      }).catch((err) => {
        failed = err;
      });
      try {
        if (failed) throw failed;
        const { rename, mkdir } = await import('node:fs/promises');
        await mkdir(dir, { recursive: true });
        await rename(tmp, target);
      } catch (err) {
        removeTemp();
        throw cannotWrite(err as Error);
      } finally {
        pendingTempFiles.delete(tmp);
      }
    },
    abort() {
      (stream as WriteStream | null)?.destroy();
      removeTemp();
      pendingTempFiles.delete(tmp);
    },
  };
}
