import { accessSync, constants, fstatSync, lstatSync, openSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import path from 'node:path';
import { OutputError, UsageError } from '../errors.js';
import { folderInventoryFiles } from '../inventory/read-inventory.js';
import { FORMATS } from '../report/index.js';

/** One --output report, checked before anything is read. */
export interface OutputSpec {
  format: string;
  /** The path as given, for messages. */
  path: string;
  /**
   * Where the report goes: the absolute path, through symbolic links (a link to a report file stays a
   * link, and the file it names is replaced).
   */
  target: string;
  /**
   * An existing target that is not a regular file (a terminal, /dev/null, a FIFO, a process
   * substitution), or a descriptor path such as /dev/stdout: written as it is produced, with no temp file
   * and no rename, so the device or pipe itself is never replaced.
   */
  direct: boolean;
  /**
   * A socket named by a descriptor path (/dev/stdout, /dev/fd/N, /proc/self/fd/N): a socket cannot be
   * opened by path, so the report is written through the descriptor itself.
   */
  fd?: number;
  /** A FIFO: opened without blocking the process (see openFifo), then written as a pipe. */
  fifo?: boolean;
}

/** The descriptor a path names, if it names one. */
function descriptorOf(abs: string): number | undefined {
  if (abs === '/dev/stdout') return 1;
  if (abs === '/dev/stderr') return 2;
  const m = /^\/(?:dev\/fd|proc\/self\/fd)\/(\d+)$/.exec(abs);
  return m ? Number(m[1]) : undefined;
}

/**
 * Paths that name an open descriptor (/dev/stdout, /dev/fd/3, /proc/self/fd/1, /proc/1234/fd/1): written
 * as they are even when the descriptor is a regular file the shell opened, never replaced. Other paths
 * under /dev or /proc (a file in /dev/shm, /proc/self/cwd/…) are ordinary files.
 */
function isDescriptorPath(abs: string): boolean {
  return descriptorOf(abs) !== undefined || /^\/proc\/\d+\/fd\/\d+$/.test(abs);
}

// A file name's ending for each report format, for examples in messages.
const REPORT_EXTENSION: Record<string, string> = { table: 'txt', markdown: 'md', junit: 'xml', sarif: 'sarif' };

/** The descriptor of this process a path names (/dev/fd/N, /proc/self/fd/N, /proc/<this pid>/fd/N). */
function ownDescriptorOf(abs: string): number | undefined {
  const named = descriptorOf(abs);
  if (named !== undefined) return named;
  const m = /^\/proc\/(\d+)\/fd\/(\d+)$/.exec(abs);
  return m && Number(m[1]) === process.pid ? Number(m[2]) : undefined;
}

/**
 * Whether descriptor `fd` is one Node.js opened for itself rather than one the shell passed in: its event
 * loop's epoll and eventfd descriptors, or a pipe whose reading end is open in this process too (the
 * loop's wake-up pipes, or the reading end itself). A report written there feeds the event loop its own input and the run hangs.
 * Read from /proc (Linux); where /proc cannot tell, nothing is refused.
 */
export function isRuntimeDescriptor(fd: number, procFd = '/proc/self/fd', procFdinfo = '/proc/self/fdinfo'): boolean {
  let link: string;
  try {
    link = readlinkSync(`${procFd}/${fd}`);
  } catch {
    return false;
  }
  if (link.startsWith('anon_inode:')) return true;
  if (!link.startsWith('pipe:')) return false;
  let others: string[];
  try {
    others = readdirSync(procFd);
  } catch {
    return false;
  }
  for (const other of others) {
    try {
      if (readlinkSync(`${procFd}/${other}`) !== link) continue;
      const flags = /^flags:\s*([0-7]+)/m.exec(readFileSync(`${procFdinfo}/${other}`, 'utf8'));
      // O_ACCMODE 0 is O_RDONLY: this process holds the pipe's reading end.
      if (flags && (parseInt(flags[1], 8) & 3) === 0) return true;
    } catch {
      // closed meanwhile
    }
  }
  return false;
}

function statOrNull(p: string): Stats | null {
  try {
    return statSync(p);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw err;
  }
}

const key = (st: Stats) => `${st.dev}:${st.ino}`;

/** A folder entry as the folder reader would see a regular file of this name. */
function asFile(name: string): Dirent {
  return { name, isFile: () => true } as unknown as Dirent;
}

/**
 * Parse and check every --output FORMAT=PATH, before any input is read:
 * - usage errors (exit 2): a bad entry, an unknown format, the same file twice (by path, through links,
 *   or the same existing file by another name), an input file, or a file the folder reader would take
 *   as an inventory file of an input folder (a later run would read the report as inventory);
 * - output errors (exit 2): a folder, a parent that is not a folder, a folder that cannot be written.
 */
export function planOutputs(entries: string[], inputs: string[], cwd: string): OutputSpec[] {
  const inputFiles = new Map<string, string>();
  const inputFolders = new Map<string, string>();
  for (const input of inputs) {
    if (input === '-') continue;
    let st: Stats | null;
    try {
      st = statSync(path.resolve(cwd, input));
    } catch {
      continue; // reported when the input is read
    }
    (st.isDirectory() ? inputFolders : inputFiles).set(key(st), input);
  }

  const seen = new Map<string, string>();
  // The files standard output and standard error go to: a report naming one of them (/dev/stdout, a
  // link to the file stdout is redirected to) goes through that stream, so the two never overwrite
  // each other.
  const streams = new Map<string, number>();
  for (const fd of [1, 2]) {
    try {
      const st = fstatSync(fd);
      if (!streams.has(key(st))) streams.set(key(st), fd);
    } catch {
      // closed
    }
  }
  return entries.map((e) => {
    const i = e.indexOf('=');
    if (i <= 0) throw new UsageError(`--output "${e}": expected FORMAT=PATH, e.g. --output json=audit.json`);
    const format = e.slice(0, i).trim().toLowerCase();
    const file = e.slice(i + 1).trim();
    if (!FORMATS.includes(format)) throw new UsageError(`--output "${e}": unknown format "${format}" (formats: ${FORMATS.join(', ')})`);
    if (file === '') throw new UsageError(`--output "${e}": missing path`);
    const abs = path.resolve(cwd, file);
    const cannotWrite = (code: string) => new OutputError(`${abs}: cannot write (${code})`);
    const own = ownDescriptorOf(abs);
    if (own !== undefined && own > 2 && isRuntimeDescriptor(own)) {
      throw new UsageError(`--output "${e}": descriptor ${own} was not opened for patchaudit (Node.js uses it internally); open it in the shell first, e.g. ${own}>report.${REPORT_EXTENSION[format] ?? format}`);
    }

    let st: Stats | null;
    try {
      st = statOrNull(abs);
    } catch (err) {
      throw cannotWrite((err as NodeJS.ErrnoException).code ?? (err as Error).message);
    }
    let spec: OutputSpec;
    let id: string;
    let folder: string;
    if (st) {
      if (st.isDirectory()) throw new OutputError(`${abs}: is a folder, not a file (--output "${e}")`);
      id = key(st);
      const prev = seen.get(id);
      if (prev !== undefined) throw new UsageError(`--output "${e}": the same file as --output "${prev}"`);
      if (inputFiles.has(id)) throw new UsageError(`--output "${e}": refusing to overwrite an input file`);
      const direct = !st.isFile() || isDescriptorPath(abs);
      let target = abs;
      if (!direct) {
        try {
          target = realpathSync(abs);
        } catch {
          // a path stat could follow: keep it as given
        }
      }
      spec = { format, path: file, target, direct, fifo: st.isFIFO() || undefined };
      folder = path.dirname(target);
      const named = descriptorOf(abs);
      const std = named === 1 || named === 2 ? named : streams.get(id);
      if (std !== undefined) {
        spec = { format, path: file, target: abs, direct: true, fd: std };
      } else if (st.isSocket()) {
        const fd = named;
        if (fd === undefined || fd === 0) throw cannotWrite('ENXIO: a socket can be written only as an open descriptor, e.g. /dev/fd/3');
        spec.fd = fd;
      } else {
        try {
          accessSync(direct ? target : folder, constants.W_OK | (direct ? 0 : constants.X_OK));
        } catch (err) {
          throw cannotWrite((err as NodeJS.ErrnoException).code ?? 'EACCES');
        }
      }
    } else {
      // A new file (or a dangling link, replaced): the nearest existing folder above it must be writable.
      let ancestor = path.dirname(abs);
      const rest = [path.basename(abs)];
      for (;;) {
        let ast: Stats | null;
        try {
          ast = statOrNull(ancestor);
        } catch (err) {
          throw cannotWrite((err as NodeJS.ErrnoException).code ?? (err as Error).message);
        }
        if (ast) {
          if (!ast.isDirectory()) throw cannotWrite('ENOTDIR');
          break;
        }
        rest.unshift(path.basename(ancestor));
        ancestor = path.dirname(ancestor);
      }
      try {
        accessSync(ancestor, constants.W_OK | constants.X_OK);
      } catch (err) {
        throw cannotWrite((err as NodeJS.ErrnoException).code ?? 'EACCES');
      }
      let real = ancestor;
      try {
        real = realpathSync(ancestor);
      } catch {
        // keep the path as given
      }
      const isLink = (() => {
        try {
          return lstatSync(abs).isSymbolicLink();
        } catch {
          return false;
        }
      })();
      const target = isLink ? abs : path.join(real, ...rest);
      id = `path:${target}`;
      const prev = seen.get(id);
      if (prev !== undefined) throw new UsageError(`--output "${e}": the same file as --output "${prev}"`);
      spec = { format, path: file, target, direct: false };
      folder = path.dirname(target);
    }
    seen.set(id, e);
    if (!spec.direct) {
      // The folder reader takes regular, non-hidden files other than *.json and *.md: a report written
      // there would be read as inventory by the next run (its temp file is hidden, so never read).
      const folderStat = statOrNull(folder);
      const input = folderStat ? inputFolders.get(key(folderStat)) : undefined;
      if (input !== undefined && folderInventoryFiles(folder, [asFile(path.basename(spec.target))]).length > 0) {
        throw new UsageError(`--output "${e}": ${file} is in the input folder ${input} and would be read as an inventory file; write it outside the folder`);
      }
    }
    return spec;
  });
}

/**
 * Open a FIFO target for writing without blocking any thread: a blocking open (or write) to a pipe no one
 * reads would hold a thread the process cannot exit without, so Ctrl-C would be ignored. The open is
 * retried until a reader comes (as the shell's `> fifo` waits); the descriptor is then non-blocking and
 * written as a pipe through the event loop.
 */
export async function openFifo(target: string, signal?: AbortSignal): Promise<number> {
  for (;;) {
    try {
      return openSync(target, constants.O_WRONLY | constants.O_NONBLOCK);
    } catch (err) {
      // ENXIO: no reader yet.
      if ((err as NodeJS.ErrnoException).code !== 'ENXIO') throw new OutputError(`${target}: cannot write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    if (signal?.aborted) throw signal.reason ?? new Error('aborted');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
