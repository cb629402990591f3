import { closeSync, constants as fsConstants, createReadStream, fstatSync, openSync, promises as fsp, readSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { InventoryError } from '../errors.js';
import { createDecoder, decodeWhole, detectEncoding, isSupportedEncoding, type DetectedEncoding, type TextDecoderLike } from './decode.js';
import { DEFAULT_LIMITS, readCsvRecords, type CsvLayout, type InventoryEvent, type Limits, type ReadCsvOptions } from './read-csv.js';
import type { CanonicalField } from './types.js';
import { looksLikeConsoleTable, looksLikeSysteminfoList, looksLikeFormatList, looksLikeSysteminfoShape, looksLikeWmicList, looksLikeWmicTable, keyValueListEvents, systeminfoListEvents, systeminfoListScan, wmicTableEvents } from './read-text-formats.js';

export interface InventoryFileInfo {
  file: string;
  encoding: string;
  encodingReason: string;
  /**
   * wmic-qfe: a `wmic qfe` table; console-table: a table PowerShell wrote (Format-Table), read the same way;
   * wmic-list: WMIC's Key=Value list output (`list full`, `/format:list`); format-list: PowerShell's
   * Format-List output (`Get-ComputerInfo > file.txt`).
   */
  format: 'csv' | 'systeminfo-list' | 'wmic-qfe' | 'console-table' | 'wmic-list' | 'format-list';
  layout: CsvLayout | null;
}

export interface ReadInventoryOptions extends ReadCsvOptions {
  encoding?: string;
  limits?: Limits;
  /** Standard input, for the "-" argument. */
  stdin?: Readable;
  onFile?: (info: InventoryFileInfo) => void;
}

const SAMPLE_BYTES = 256 * 1024;
/** Bytes decoded at once: at most 64 KiB of text even as UTF-16 (see chunks()). */
const TEXT_PIECE_BYTES = 32 * 1024;

const EMPTY_ITERATOR: AsyncIterator<Buffer> = {
  next: async () => ({ done: true, value: undefined }),
  return: async () => ({ done: true, value: undefined }),
};

/** The command-line inputs expanded, and the warnings about files of a folder that were left out. */
export interface InputListing {
  /** "-" is stdin, a folder is its inventory files (folderInventoryFiles); `regular`: a regular file when listed (safe to open: not a pipe). */
  inputs: { file: string; regular: boolean }[];
  /** One line per folder that held files Windows, Office or macOS put there (desktop.ini, Thumbs.db, …), naming them. */
  warnings: string[];
}

/** Expand the command-line inputs (see InputListing), and say which files of a folder were skipped. */
export async function listInputs(inputs: string[]): Promise<InputListing> {
  const out: { file: string; regular: boolean }[] = [];
  const warnings: string[] = [];
  for (const input of inputs) {
    if (input === '-') {
      out.push({ file: input, regular: false });
      continue;
    }
    let st;
    try {
      st = await fsp.stat(input);
    } catch (err) {
      throw new InventoryError(input, null, fsMessage(err));
    }
    if (st.isDirectory()) {
      const dirents = await fsp.readdir(input, { withFileTypes: true });
      const entries = folderInventoryFiles(input, dirents);
      const shell = folderShellFiles(dirents);
      const skipped = shell.length === 0 ? '' : `skipped ${shell.map((n) => JSON.stringify(n)).join(', ')} (files Windows, Office or macOS keep in folders, not inventory exports)`;
      if (entries.length === 0) throw new InventoryError(input, null, `folder contains no inventory files${shell.length > 0 ? `; ${skipped}` : ''}`);
      if (shell.length > 0) warnings.push(`${input}: ${skipped}`);
      for (const file of entries) out.push({ file, regular: true });
    } else out.push({ file: input, regular: st.isFile() });
  }
  return { inputs: out, warnings };
}

/**
 * Files the Windows shell, Office and macOS leave in folders (thumbnail caches, folder settings, lock
 * files of open documents): never inventory exports, so a folder's copy of them is skipped, with a
 * warning. Named on the command line, they are read like any file.
 */
const SHELL_FILE = /^(?:desktop\.ini|thumbs\.db|ehthumbs(?:_vista)?\.db|\.ds_store|\._.+|~\$.+|\.~lock\..+#|icon\r)$/i;

export function isShellFile(name: string): boolean {
  return SHELL_FILE.test(name);
}

/** The inventory files of a folder's entries: regular files, not hidden, not JSON or Markdown (reports, notes), not shell files (isShellFile), sorted. */
export function folderInventoryFiles(folder: string, entries: Dirent[]): string[] {
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith('.') && !/\.(?:json|md)$/i.test(e.name) && !SHELL_FILE.test(e.name))
    .map((e) => path.join(folder, e.name))
    .sort();
}

/** The shell files (isShellFile) among a folder's regular files, sorted. */
export function folderShellFiles(entries: Dirent[]): string[] {
  return entries
    .filter((e) => e.isFile() && SHELL_FILE.test(e.name))
    .map((e) => e.name)
    .sort();
}

export function fsMessage(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder, not a file';
    case 'ELOOP':
      return 'too many symbolic links';
    default:
      return `cannot read (${code ?? (err as Error)?.message ?? 'unknown error'})`;
  }
}

/** A file opened for reading: small regular files read whole; others to stream (from `fd` when kept open). */
export type OpenedFile = { whole: Buffer } | { fd: number | null };

/**
 * Open a file for the reader: one synchronous open, then a read to the end for a small file (see
 * readSmallWhole), else a stat and read of the open file. A folder of 10,000 small exports would otherwise
 * spend its time in thread-pool round trips, and a stat by path costs a second path lookup. Opened
 * non-blocking so that a named pipe without a writer cannot hang the audit's thread (pipes are then read
 * as streams).
 */
export function openFileSync(file: string, limits: Limits = DEFAULT_LIMITS): OpenedFile {
  let fd: number;
  try {
    fd = openSync(file, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw new InventoryError(file, null, fsMessage(err));
  }
  let keepFd = false;
  try {
    const small = readSmallWhole(fd);
    if (small !== null) {
      if (limits.maxFileBytes > 0 && small.length > limits.maxFileBytes) {
        throw new InventoryError(file, null, `file is ${small.length} bytes, over the limit of ${limits.maxFileBytes} (--max-file-size)`);
      }
      return { whole: small };
    }
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new InventoryError(file, null, 'is a folder, not a file');
    if (limits.maxFileBytes > 0 && st.isFile() && st.size > limits.maxFileBytes) {
      throw new InventoryError(file, null, `file is ${st.size} bytes, over the limit of ${limits.maxFileBytes} (--max-file-size)`);
    }
    if (st.isFile() && st.size <= SAMPLE_BYTES) {
      // Small files (a systeminfo .txt per host: thousands of them) are read in one call, no stream.
      // One byte more than the size tells a file that grew since the stat.
      const whole = Buffer.allocUnsafe(st.size + 1);
      let got = 0;
      // At explicit positions: readSmallWhole may have moved the file's offset.
      for (let n = 1; n > 0 && got < whole.length; got += n) n = readSync(fd, whole, got, whole.length - got, got);
      if (got <= st.size) return { whole: whole.subarray(0, got) };
      // It grew between stat and read: stream it.
    }
    keepFd = st.isFile();
  } catch (err) {
    if (err instanceof InventoryError) throw err;
    throw new InventoryError(file, null, fsMessage(err));
  } finally {
    if (!keepFd) closeSync(fd);
  }
  return { fd: keepFd ? fd : null };
}

let readScratch: Buffer | null = null;

/**
 * The content of an open file read to its end, when that is 1 to SAMPLE_BYTES bytes (a folder's per-host
 * exports), copied out of a buffer kept for the purpose: no stat, whose Stats object costs more than the
 * read. Null when the stat must decide, as for every file before: nothing read (an empty file, or a pipe
 * swapped in since the listing), more than SAMPLE_BYTES, or a read error (a folder, a pipe that would block).
 * Callers open only what was listed or stat'ed as a regular file.
 */
function readSmallWhole(fd: number): Buffer | null {
  const buf = (readScratch ??= Buffer.allocUnsafeSlow(SAMPLE_BYTES + 1));
  let got = 0;
  try {
    for (let n = 1; n > 0 && got < buf.length; got += n) n = readSync(fd, buf, got, buf.length - got, null);
  } catch {
    return null;
  }
  if (got === 0 || got > SAMPLE_BYTES) return null;
  return Buffer.from(buf.subarray(0, got));
}

/** Read a byte stream: the first SAMPLE_BYTES for sniffing, then the rest as an iterator. */
async function openBytes(file: string, options: ReadInventoryOptions, opened?: OpenedFile): Promise<{ sample: Buffer; rest: AsyncIterator<Buffer>; done: boolean }> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  let stream: Readable;
  if (file === '-') {
    if (!options.stdin) throw new InventoryError('-', null, 'standard input is not available');
    stream = options.stdin;
  } else {
    // Only a regular file is opened here: opening a named pipe (even non-blocking) and closing it again
    // would connect and disconnect its writer, which then fails; pipes are read as streams by path.
    let o = opened;
    if (!o) {
      let st;
      try {
        st = statSync(file);
      } catch (err) {
        throw new InventoryError(file, null, fsMessage(err));
      }
      if (st.isDirectory()) throw new InventoryError(file, null, 'is a folder, not a file');
      o = st.isFile() ? openFileSync(file, limits) : { fd: null };
    }
    if ('whole' in o) return { sample: o.whole, rest: EMPTY_ITERATOR, done: true };
    stream = o.fd !== null ? createReadStream(file, { fd: o.fd, start: 0, highWaterMark: 256 * 1024 }) : createReadStream(file, { highWaterMark: 256 * 1024 });
  }
  const it = (stream as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  const parts: Buffer[] = [];
  let size = 0;
  let done = false;
  let total = 0;
  try {
    while (size < SAMPLE_BYTES) {
      const r = await it.next();
      if (r.done) {
        done = true;
        break;
      }
      const buf = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
      parts.push(buf);
      size += buf.length;
    }
  } catch (err) {
    throw new InventoryError(file, null, fsMessage(err));
  }
  total = size;
  const limit = limits.maxFileBytes;
  // The sample counts too: standard input or a pipe smaller than the sample is checked here.
  if (limit > 0 && total > limit) throw new InventoryError(file, null, `input is over the limit of ${limit} bytes (--max-file-size)`);
  const rest: AsyncIterator<Buffer> = {
    async next() {
      if (done) return { done: true, value: undefined };
      let r;
      try {
        r = await it.next();
      } catch (err) {
        throw new InventoryError(file, null, `read failed: ${fsMessage(err)}`);
      }
      if (r.done) return { done: true, value: undefined };
      const buf = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
      total += buf.length;
      if (limit > 0 && total > limit) throw new InventoryError(file, null, `input is over the limit of ${limit} bytes (--max-file-size)`);
      return { done: false, value: buf };
    },
    async return() {
      await it.return?.();
      return { done: true, value: undefined };
    },
  };
  return { sample: Buffer.concat(parts), rest, done };
}

const CONTROL_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffd]/;
/** Characters of a text's start checked for control characters. */
const PROBE_CHARS = 8192;

/** Refuse what is clearly not a text table, with a message saying what it is. */
function checkLooksLikeText(file: string, sample: Buffer, text: string): void {
  checkMagic(file, sample);
  let control = 0;
  const probe = text.slice(0, PROBE_CHARS);
  // Most text has no control character at all: one pattern scan says so.
  if (CONTROL_CHAR.test(probe)) for (let i = 0; i < probe.length; i++) {
    const c = probe.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffd) control++;
  }
  checkTextStart(file, text, control);
}

/** checkLooksLikeText's first part: file types known by their first bytes. */
function checkMagic(file: string, sample: Buffer): void {
  const b0 = sample[0];
  if (b0 === 0x89 && sample[1] === 0x50 && sample[2] === 0x4e && sample[3] === 0x47) throw new InventoryError(file, null, 'is a PNG image, not a CSV inventory');
  if (b0 === 0x25 && sample[1] === 0x50 && sample[2] === 0x44 && sample[3] === 0x46) throw new InventoryError(file, null, 'is a PDF document, not a CSV inventory');
  if (b0 === 0x50 && sample[1] === 0x4b) throw new InventoryError(file, null, 'is a ZIP archive (or XLSX workbook), not a CSV inventory; extract or save it as CSV first');
}

/** checkLooksLikeText's second part, given the control characters among the first PROBE_CHARS of `text`. */
function checkTextStart(file: string, text: string, control: number): void {
  const probeLength = Math.min(text.length, PROBE_CHARS);
  if (probeLength > 0 && control / probeLength > 0.1) throw new InventoryError(file, null, 'looks like a binary file, not a CSV inventory');
  // Only a text starting (after whitespace) with {, [ or < can be JSON or markup; the first visible ASCII
  // character says it is not, without trimming.
  let i = 0;
  while (i < probeLength) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && (c < 0x09 || c > 0x0d)) break;
    i++;
  }
  if (i < probeLength) {
    const c = text.charCodeAt(i);
    if (c < 0x7f && c !== 0x7b && c !== 0x5b && c !== 0x3c) return;
  }
  const start = text.slice(0, PROBE_CHARS).trimStart();
  if (start.startsWith('{') || /^\[\s*(?:[{["\]]|$)/.test(start)) {
    throw new InventoryError(file, null, 'looks like JSON, not a CSV inventory');
  }
  if (start.startsWith('<?xml') || /^<[A-Za-z!]/.test(start)) throw new InventoryError(file, null, 'looks like XML or HTML, not a CSV inventory');
}

/** text.trim() === '', without trimming a text that starts with a visible ASCII character after ASCII blanks. */
function isBlankText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) continue;
    return c < 0x80 ? false : text.trim() === '';
  }
  return true;
}

/**
 * Read one inventory input (a file path or "-"), yielding records, rejected rows and warnings.
 * Format, encoding, delimiter and header row are detected; `options` can force them.
 */
export async function* readInventorySource(file: string, options: ReadInventoryOptions = {}): AsyncGenerator<InventoryEvent> {
  for await (const batch of readInventoryBatches(file, options)) yield* batch;
}

/** The encoding of an input: --encoding if given (keeping a matching BOM out of the text), else detected. */
function encodingOf(file: string, sample: Buffer, options: ReadInventoryOptions): DetectedEncoding {
  if (options.encoding) {
    if (!isSupportedEncoding(options.encoding)) throw new InventoryError(file, null, `unknown encoding "${options.encoding}"`);
    const auto = detectEncoding(sample);
    return { encoding: options.encoding, bomLength: auto.encoding === options.encoding.toLowerCase() ? auto.bomLength : 0, reason: '--encoding' };
  }
  return detectEncoding(sample);
}

function dropBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

const TEXT_EXPORT_LIMIT = 64 * 1024 * 1024;

/**
 * Which per-host text export the start of a file is, if any. systeminfo output whose labels are not listed
 * is told by its shape, last (no cost for the rest): the list reader then reads it by systeminfo's field
 * order (see read-text-formats.ts, withFieldOrder).
 */
function textExportFormat(sampleText: string): TextExportFormat | null {
  // A console table first: the text a script printed before it ("Computer: WS01") is no systeminfo.
  if (looksLikeConsoleTable(sampleText)) return 'console-table';
  // Before systeminfo's labels: Format-List's Name (Win32_OperatingSystem's "caption|folder|partition") is
  // one of them, and its objects are read by their keys, not systeminfo's order.
  if (looksLikeFormatList(sampleText)) return 'format-list';
  if (looksLikeSysteminfoList(sampleText)) return 'systeminfo-list';
  if (looksLikeWmicTable(sampleText)) return 'wmic-qfe';
  if (looksLikeWmicList(sampleText)) return 'wmic-list';
  return looksLikeSysteminfoShape(sampleText) ? 'systeminfo-list' : null;
}

type TextExportFormat = 'systeminfo-list' | 'wmic-qfe' | 'console-table' | 'wmic-list' | 'format-list';

function textExportEventsOf(file: string, format: TextExportFormat, text: string, options: ReadInventoryOptions): InventoryEvent[] {
  if (format === 'systeminfo-list') return systeminfoListEvents(file, text, options.dateOrder);
  if (format === 'wmic-list') return keyValueListEvents(file, text, 'wmic', options.dateOrder);
  if (format === 'format-list') return keyValueListEvents(file, text, 'format-list', options.dateOrder);
  return wmicTableEvents(file, text, options.dateOrder);
}

/**
 * The events of a file read whole (see openFileSync) when it is a systeminfo or wmic text export, with no
 * promise or generator: what readInventoryBatches yields for it, after the same checks, errors and
 * onFile call. Null for anything else (a CSV): pass the bytes on to readInventoryBatches.
 */
export function textExportEventsSync(file: string, bytes: Buffer, options: ReadInventoryOptions = {}): InventoryEvent[] | null {
  if (bytes.length === 0) throw new InventoryError(file, null, 'file is empty');
  const enc = encodingOf(file, bytes, options);
  const text = dropBom(decodeWhole(enc.encoding, enc.bomLength === 0 ? bytes : bytes.subarray(enc.bomLength)));
  if (isBlankText(text)) throw new InventoryError(file, null, 'file is empty');
  checkMagic(file, bytes);
  const limit = options.limits?.maxFileBytes || TEXT_EXPORT_LIMIT;
  // The format is found first (it only reads the text): for systeminfo output, the reader counts the
  // control characters as it goes, and the checks then run in their usual order on its count.
  const format = textExportFormat(text);
  if (format === 'systeminfo-list' && text.length <= limit) {
    const { events, control } = systeminfoListScan(file, text, options.dateOrder ?? 'mdy', PROBE_CHARS);
    checkTextStart(file, text, control);
    options.onFile?.({ file, encoding: enc.encoding, encodingReason: enc.reason, format, layout: null });
    return events;
  }
  checkLooksLikeText(file, bytes, text);
  if (!format) return null;
  if (text.length > limit) throw new InventoryError(file, null, `text export larger than ${limit} characters`);
  options.onFile?.({ file, encoding: enc.encoding, encodingReason: enc.reason, format, layout: null });
  return textExportEventsOf(file, format, text, options);
}

/**
 * As readInventorySource, in batches (the audit's hot path: no promise per row). `opened`: the file as
 * openFileSync left it, when the caller opened it already.
 */
export async function* readInventoryBatches(file: string, options: ReadInventoryOptions = {}, opened?: OpenedFile): AsyncGenerator<InventoryEvent[]> {
  const { sample, rest, done } = await openBytes(file, options, opened);
  if (sample.length === 0) throw new InventoryError(file, null, 'file is empty');
  const enc = encodingOf(file, sample, options);
  let decoder: TextDecoderLike | null = null;
  let sampleText: string;
  if (done) sampleText = dropBom(decodeWhole(enc.encoding, sample.subarray(enc.bomLength)));
  else {
    decoder = createDecoder(enc.encoding);
    sampleText = dropBom(decoder.write(sample.subarray(enc.bomLength)));
  }
  let finished = done;
  // Blank lines above the header (a million of them, even) must not hide it: read on until text appears.
  let extra = 0;
  while (sampleText.trim() === '' && !finished && extra < 64 * 1024 * 1024) {
    const r = await rest.next();
    if (r.done) {
      finished = true;
      sampleText += decoder!.end();
      break;
    }
    extra += r.value.length;
    sampleText += decoder!.write(r.value);
  }
  if (isBlankText(sampleText)) throw new InventoryError(file, null, 'file is empty');

  checkLooksLikeText(file, sample, sampleText);

  // The encoding was chosen from the first SAMPLE_BYTES: bytes further on that do not fit it (a
  // Windows-1252 row after a quarter megabyte of ASCII) decode to U+FFFD. Found per piece of text, once.
  const utf = enc.encoding.toLowerCase().startsWith('utf');
  let offset = sample.length + extra;
  let invalidAt: number | null = null;
  // NUL characters: a stretch of the file zeroed (a copy cut short, a disk or sync fault). Rows there are
  // gone or cut, and a name led by NULs names no machine the other files know.
  let nulAt: number | null = null;
  let nulLine: number | null = null;
  const checked = (text: string, bytes: Buffer, at: number): string => {
    if (invalidAt === null && utf && text.indexOf('\uFFFD') !== -1 && bytes.indexOf(ENCODED_REPLACEMENT) === -1) invalidAt = at;
    if (nulAt === null) {
      const k = text.indexOf('\u0000');
      if (k !== -1) {
        nulAt = at;
        if (at === 0) nulLine = lineAt(text, k);
      }
    }
    return text;
  };
  // The sample itself (UTF-8 chosen though a few bytes do not fit: "UTF-8 with 2 invalid bytes").
  checked(sampleText, sample, 0);

  async function* chunks(): AsyncGenerator<string> {
    yield sampleText;
    if (finished) return;
    for (;;) {
      const r = await rest.next();
      if (r.done) break;
      // Decoded a piece at a time: text over V8's 128 KiB object limit lives in the large-object space,
      // freed only by a full collection, so 256 KiB chunks of text would pile up between collections.
      const bytes = r.value;
      for (let at = 0; at < bytes.length; at += TEXT_PIECE_BYTES) {
        const piece = at === 0 && bytes.length <= TEXT_PIECE_BYTES ? bytes : bytes.subarray(at, at + TEXT_PIECE_BYTES);
        yield checked(decoder!.write(piece), piece, offset);
        offset += piece.length;
      }
    }
    const tail = decoder!.end();
    if (tail) yield checked(tail, Buffer.alloc(0), offset);
  }
  const invalidWarning = (): InventoryEvent[] =>
    invalidAt === null
      ? []
      : [
          {
            type: 'warning',
            message:
              invalidAt === 0
                ? `${file}: some bytes are not ${enc.encoding.toUpperCase()} (${enc.reason}); they are read as U+FFFD (�), so names holding them may not match the same machine in other files. If the file is in a legacy code page, give it with --encoding (windows-1252, cp850, …)`
                : `${file}: some bytes at or after byte ${invalidAt} are not ${enc.encoding.toUpperCase()} (the encoding was chosen from the first ${SAMPLE_BYTES / 1024} KB: ${enc.reason}); characters there are read as U+FFFD (�), so names holding them may not match the same machine in other files. If the file is in a legacy code page, give it with --encoding (windows-1252, cp850, …)`,
          },
        ];

  const info: InventoryFileInfo = { file, encoding: enc.encoding, encodingReason: enc.reason, format: 'csv', layout: null };
  const listFormat = textExportFormat(sampleText);
  if (listFormat) {
    // Per-host text files are small: read whole.
    let text = '';
    const limit = options.limits?.maxFileBytes || TEXT_EXPORT_LIMIT;
    for await (const c of chunks()) {
      text += c;
      if (text.length > limit) throw new InventoryError(file, null, `text export larger than ${limit} characters`);
    }
    info.format = listFormat;
    options.onFile?.(info);
    yield textExportEventsOf(file, listFormat, text, options);
    return;
  }
  yield* readCsvRecords(file, sampleText, chunks(), options, (layout) => {
    info.layout = layout;
    options.onFile?.(info);
  });
  const warning = invalidWarning();
  if (nulAt !== null) {
    const where = nulLine !== null ? `at line ${nulLine}` : `at or after byte ${nulAt}`;
    warning.push({ type: 'warning', message: `${file}: NUL characters ${where}: part of the file may be blanked (a copy cut short or damaged), so rows there may be missing or cut short; check the file against its source` });
  }
  if (warning.length > 0) yield warning;
}

/** The physical line (1-based) of text[index]: CRLF, LF or CR each end one. */
function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) line++;
  }
  return line;
}

/** U+FFFD as UTF-8 bytes: a file may hold the character itself, which is no decoding error. */
const ENCODED_REPLACEMENT = Buffer.from([0xef, 0xbf, 0xbd]);

export type { CanonicalField };
