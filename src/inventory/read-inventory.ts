import { createReadStream, promises as fsp, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { InventoryError } from '../errors.js';
import { createDecoder, detectEncoding, isSupportedEncoding, type DetectedEncoding } from './decode.js';
import { DEFAULT_LIMITS, readCsvRecords, type CsvLayout, type InventoryEvent, type Limits, type ReadCsvOptions } from './read-csv.js';
import type { CanonicalField } from './types.js';
import { looksLikeSysteminfoList, looksLikeWmicTable, readSysteminfoList, readWmicTable } from './read-text-formats.js';

export interface InventoryFileInfo {
  file: string;
  encoding: string;
  encodingReason: string;
  format: 'csv' | 'systeminfo-list' | 'wmic-qfe';
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

/** Expand the command-line inputs: "-" is stdin, a folder is every regular file in it (sorted). */
export async function expandInputs(inputs: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const input of inputs) {
    if (input === '-') {
      out.push(input);
      continue;
    }
    let st;
    try {
      st = await fsp.stat(input);
    } catch (err) {
      throw new InventoryError(input, null, fsMessage(err));
    }
    if (st.isDirectory()) {
      const entries = (await fsp.readdir(input, { withFileTypes: true }))
        .filter((e) => e.isFile() && !e.name.startsWith('.') && !/\.(?:json|md)$/i.test(e.name))
        .map((e) => path.join(input, e.name))
        .sort();
      if (entries.length === 0) throw new InventoryError(input, null, 'folder contains no inventory files');
      out.push(...entries);
    } else out.push(input);
  }
  return out;
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

/** Read a byte stream: the first SAMPLE_BYTES for sniffing, then the rest as an iterator. */
async function openBytes(file: string, options: ReadInventoryOptions): Promise<{ sample: Buffer; rest: AsyncIterator<Buffer>; done: boolean }> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  let stream: Readable;
  if (file === '-') {
    if (!options.stdin) throw new InventoryError('-', null, 'standard input is not available');
    stream = options.stdin;
  } else {
    // Synchronous stat and read: a folder of 10,000 small exports would otherwise spend its time in
    // thread-pool round trips (six per file), not in reading.
    let st;
    try {
      st = statSync(file);
    } catch (err) {
      throw new InventoryError(file, null, fsMessage(err));
    }
    if (st.isDirectory()) throw new InventoryError(file, null, 'is a folder, not a file');
    if (limits.maxFileBytes > 0 && st.isFile() && st.size > limits.maxFileBytes) {
      throw new InventoryError(file, null, `file is ${st.size} bytes, over the limit of ${limits.maxFileBytes} (--max-file-size)`);
    }
    // Small files (a systeminfo .txt per host: thousands of them) are read in one call, no stream.
    if (st.isFile() && st.size <= SAMPLE_BYTES) {
      let whole: Buffer;
      try {
        whole = readFileSync(file);
      } catch (err) {
        throw new InventoryError(file, null, fsMessage(err));
      }
      if (whole.length <= SAMPLE_BYTES) return { sample: whole, rest: EMPTY_ITERATOR, done: true };
      // It grew between stat and read: fall through to streaming it.
    }
    stream = createReadStream(file, { highWaterMark: 256 * 1024 });
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

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

/** Refuse what is clearly not a text table, with a message saying what it is. */
function checkLooksLikeText(file: string, sample: Buffer, text: string): void {
  if (sample.subarray(0, 4).equals(PNG)) throw new InventoryError(file, null, 'is a PNG image, not a CSV inventory');
  if (sample.subarray(0, 4).toString('latin1') === '%PDF') throw new InventoryError(file, null, 'is a PDF document, not a CSV inventory');
  if (sample.subarray(0, 2).toString('latin1') === 'PK') throw new InventoryError(file, null, 'is a ZIP archive (or XLSX workbook), not a CSV inventory; extract or save it as CSV first');
  let control = 0;
  const probe = text.slice(0, 8192);
  for (let i = 0; i < probe.length; i++) {
    const c = probe.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffd) control++;
  }
  if (probe.length > 0 && control / probe.length > 0.1) throw new InventoryError(file, null, 'looks like a binary file, not a CSV inventory');
  const start = probe.trimStart();
  if (start.startsWith('{') || /^\[\s*(?:[{["\]]|$)/.test(start)) {
    throw new InventoryError(file, null, 'looks like JSON, not a CSV inventory');
  }
  if (start.startsWith('<?xml') || /^<[A-Za-z!]/.test(start)) throw new InventoryError(file, null, 'looks like XML or HTML, not a CSV inventory');
}

/**
 * Read one inventory input (a file path or "-"), yielding records, rejected rows and warnings.
 * Format, encoding, delimiter and header row are detected; `options` can force them.
 */
export async function* readInventorySource(file: string, options: ReadInventoryOptions = {}): AsyncGenerator<InventoryEvent> {
  for await (const batch of readInventoryBatches(file, options)) yield* batch;
}

/** As readInventorySource, in batches (the audit's hot path: no promise per row). */
export async function* readInventoryBatches(file: string, options: ReadInventoryOptions = {}): AsyncGenerator<InventoryEvent[]> {
  const { sample, rest, done } = await openBytes(file, options);
  if (sample.length === 0) throw new InventoryError(file, null, 'file is empty');
  let enc: DetectedEncoding;
  if (options.encoding) {
    if (!isSupportedEncoding(options.encoding)) throw new InventoryError(file, null, `unknown encoding "${options.encoding}"`);
    const auto = detectEncoding(sample);
    enc = { encoding: options.encoding, bomLength: auto.encoding === options.encoding.toLowerCase() ? auto.bomLength : 0, reason: '--encoding' };
  } else enc = detectEncoding(sample);
  const decoder = createDecoder(enc.encoding);
  let sampleText = decoder.write(sample.subarray(enc.bomLength)).replace(/^\uFEFF/, '') + (done ? decoder.end() : '');
  let finished = done;
  // Blank lines above the header (a million of them, even) must not hide it: read on until text appears.
  let extra = 0;
  while (sampleText.trim() === '' && !finished && extra < 64 * 1024 * 1024) {
    const r = await rest.next();
    if (r.done) {
      finished = true;
      sampleText += decoder.end();
      break;
    }
    extra += r.value.length;
    sampleText += decoder.write(r.value);
  }
  if (sampleText.trim() === '') throw new InventoryError(file, null, 'file is empty');

  checkLooksLikeText(file, sample, sampleText);

  async function* chunks(): AsyncGenerator<string> {
    yield sampleText;
    if (finished) return;
    for (;;) {
      const r = await rest.next();
      if (r.done) break;
      // Decoded a piece at a time: text over V8's 128 KiB object limit lives in the large-object space,
      // freed only by a full collection, so 256 KiB chunks of text would pile up between collections.
      const bytes = r.value;
      for (let at = 0; at < bytes.length; at += TEXT_PIECE_BYTES) yield decoder.write(at === 0 && bytes.length <= TEXT_PIECE_BYTES ? bytes : bytes.subarray(at, at + TEXT_PIECE_BYTES));
    }
    const tail = decoder.end();
    if (tail) yield tail;
  }

  const info: InventoryFileInfo = { file, encoding: enc.encoding, encodingReason: enc.reason, format: 'csv', layout: null };
  const listFormat = looksLikeSysteminfoList(sampleText) ? 'systeminfo-list' : looksLikeWmicTable(sampleText) ? 'wmic-qfe' : null;
  if (listFormat) {
    // Per-host text files are small: read whole.
    let text = '';
    const limit = options.limits?.maxFileBytes || 64 * 1024 * 1024;
    for await (const c of chunks()) {
      text += c;
      if (text.length > limit) throw new InventoryError(file, null, `text export larger than ${limit} characters`);
    }
    info.format = listFormat;
    options.onFile?.(info);
    yield [...(listFormat === 'systeminfo-list' ? readSysteminfoList(file, text, options.dateOrder) : readWmicTable(file, text, options.dateOrder))];
    return;
  }
  yield* readCsvRecords(file, sampleText, chunks(), options, (layout) => {
    info.layout = layout;
    options.onFile?.(info);
  });
}

export type { CanonicalField };
