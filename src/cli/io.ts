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
 * Write; returns a promise only when the stream asks the writer to wait (back-pressure on pipes).
 * No per-write callback: a stream that completes writes synchronously (a file on stdout, an in-process
 * sink) defers each callback to the next tick, and a callback closure would keep its text alive until
 * then, which over a long synchronous run (a folder of small files) is the whole report.
 */
export function writeOut(stream: Writable, text: string | Uint8Array, written?: () => void): void | Promise<void> {
  if (text.length === 0) {
    written?.();
    return;
  }
  // `written` is for bytes whose buffer is reused once the stream is done with it (never on error).
  if (written ? stream.write(text, (err) => err || written()) : stream.write(text)) return;
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      stream.off('error', onError);
      resolve();
    };
    const onError = (err: Error) => {
      stream.off('drain', onDrain);
      reject(err);
    };
    stream.once('drain', onDrain);
    stream.once('error', onError);
  });
}
