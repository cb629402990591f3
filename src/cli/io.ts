import type { Readable, Writable } from 'node:stream';

/** The process surface the CLI uses, injected so tests can run it in-process. */
export interface Io {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean; columns?: number };
  stdin: Readable;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on SIGINT. */
  signal?: AbortSignal;
}

export function realIo(signal?: AbortSignal): Io {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd(), signal };
}

/**
 * The reader of a pipe went away (`| head`): nothing more can be written, and that is not a failure of
 * the run. Such a stream takes no more writes: they are dropped (see writeOut).
 */
export function readerGone(stream: Writable): boolean {
  return (stream.errored as NodeJS.ErrnoException | null | undefined)?.code === 'EPIPE';
}

function isEpipe(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | null | undefined)?.code === 'EPIPE';
}

/**
 * Write; returns a promise only when the stream asks the writer to wait (back-pressure on pipes).
 * No per-write callback: a stream that completes writes synchronously (a file on stdout, an in-process
 * sink) defers each callback to the next tick, and a callback closure would keep its text alive until
 * then, which over a long synchronous run (a folder of small files) is the whole report.
 *
 * Once the reader of a pipe has gone away (EPIPE), writes are dropped and the caller carries on: the run
 * still completes its report files and exits with its verdict.
 */
export function writeOut(stream: Writable, text: string | Uint8Array, written?: () => void): void | Promise<void> {
  if (text.length === 0 || readerGone(stream)) {
    written?.();
    return;
  }
  // `written` is for bytes whose buffer is reused once the stream is done with it (never on another error).
  if (written ? stream.write(text, (err) => (err && !isEpipe(err)) || written()) : stream.write(text)) return;
  if (readerGone(stream)) return;
  return new Promise((resolve, reject) => {
    const settle = (err: Error | null) => {
      stream.off('drain', onDrain);
      stream.off('error', onError);
      if (err && !isEpipe(err)) reject(err);
      else resolve();
    };
    const onDrain = () => settle(null);
    const onError = (err: Error) => settle(err);
    stream.on('drain', onDrain);
    stream.on('error', onError);
  });
}
