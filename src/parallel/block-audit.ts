import { compileRuleSet, evaluateHost, SummaryBuilder, type CompiledRuleSet } from '../evaluation/evaluate-host.js';
import { TimelineBuilder, type Timeline } from '../evaluation/timeline.js';
import type { AuditSummary, HostResult } from '../evaluation/types.js';
import { CsvTokenizer, type TokenizedRecord } from '../inventory/csv-tokenizer.js';
import { HostBuilder, noHostnameReason, recordHostname } from '../inventory/hosts.js';
import { RecordDecoder, type DecoderSetup } from '../inventory/read-csv.js';
import type { Host, RejectedRow } from '../inventory/types.js';
import { formats } from '../report/index.js';
import { createStyle } from '../cli/style.js';
import type { ReporterContext, StreamingReporter } from '../report/types.js';
import type { LoadedRule } from '../rules/types.js';

/** Written report buffers an auditor keeps for reuse. */
const MAX_SPARE = 2;

/** A streaming report target as a worker writes it: plain text (no colour), continuing a started report. */
export interface BlockTarget {
  format: string;
  csvBom: boolean;
  ctx: Omit<ReporterContext, 'style'>;
}

/** What a thread needs to evaluate hosts and write their report text: plain data, so it crosses threads. */
export interface RenderSetup {
  rules: LoadedRule[];
  asOf: string;
  warnDays: number;
  targets: BlockTarget[];
}

/** What a worker needs to audit blocks of a CSV file. */
export interface BlockAuditSetup extends RenderSetup {
  delimiter: string;
  maxRecordChars: number;
  /** The file's line break inside quoted fields (see CsvTokenizer). */
  lineBreak: '\n' | '\r';
}

/** Well-formed rows of one file, as text, with the column state in force where they start. */
export interface BlockJob {
  seq: number;
  /** The rows' text, in pieces (see RowBlock). */
  texts: string[];
  line: number;
  setup: DecoderSetup;
}

/** Report text and counts of a run of hosts evaluated together (a block, or a group of files). */
export interface RenderedHosts {
  seq: number;
  /** Report text of the hosts as UTF-8, one buffer per target, in input order. */
  texts: Uint8Array[];
  summary: AuditSummary;
  timeline: Timeline;
}

export interface BlockResult extends RenderedHosts {
  /** Rows read (audited + rejected). */
  rows: number;
  rejected: RejectedRow[];
  /** Hostnames and lines of the audited rows, in order (the caller checks for repeats). */
  names: string[];
  lines: number[];
  /** The setup in force after the block, when a header row inside it changed the columns. */
  setupAfter: DecoderSetup | null;
}

/**
 * Evaluates hosts and writes their report text, as the sequential path (runAudit) does, a run of hosts
 * at a time: each run's text goes into buffers of its own, which the caller hands back once written.
 */
export class HostRenderer {
  readonly ruleSet: CompiledRuleSet;
  private readonly ruleIds: string[];
  /** Output size of the last run per target: the next run's buffer starts about that big. */
  private readonly lastSizes: number[] = [];
  /** Written report buffers handed back (see recycle). */
  private readonly spare: ArrayBuffer[] = [];

  private constructor(
    readonly init: RenderSetup,
    private readonly reporters: { reporter: StreamingReporter; ctx: ReporterContext }[],
    /** The same reporters for the run that holds the report's first host (no separator before it). */
    private readonly firstReporters: { reporter: StreamingReporter; ctx: ReporterContext }[],
  ) {
    this.ruleSet = compileRuleSet(init.rules, { asOf: init.asOf, warnDays: init.warnDays }, null);
    this.ruleIds = init.rules.map((r) => r.rule.id);
  }

  static async create(init: RenderSetup): Promise<HostRenderer> {
    const plain = createStyle(0);
    const reporters = [];
    const firstReporters = [];
    for (const t of init.targets) {
      const entry = formats[t.format];
      if (!entry || entry.kind !== 'streaming') throw new Error(`format ${t.format} cannot be written by a worker`);
      const ctx = { ...t.ctx, style: plain };
      reporters.push({ reporter: await entry.load({ csvBom: t.csvBom, continuation: true }), ctx });
      firstReporters.push({ reporter: await entry.load({ csvBom: t.csvBom, continuation: false }), ctx });
    }
    return new HostRenderer(init, reporters, firstReporters);
  }

  /**
   * Take back a report buffer the caller has written, to write a later run into: without this every
   * run's output is fresh memory outside the heap, released only when a collection finds it dead.
   * Returns false (and keeps nothing) when enough buffers are held already.
   */
  recycle(buffer: ArrayBuffer): boolean {
    if (buffer.byteLength === 0) return false;
    if (this.spare.length < MAX_SPARE) {
      this.spare.push(buffer);
      return true;
    }
    // Full: a bigger buffer replaces the smallest (runs need buffers about as big as the last ones).
    let smallest = 0;
    for (let i = 1; i < this.spare.length; i++) if (this.spare[i].byteLength < this.spare[smallest].byteLength) smallest = i;
    if (this.spare[smallest].byteLength >= buffer.byteLength) return false;
    this.spare[smallest] = buffer;
    return true;
  }

  /** Start a run of hosts; `first`: no host of the report is written before this run's. */
  begin(seq: number, first = false): HostRun {
    return new HostRun(
      seq,
      this,
      first ? this.firstReporters : this.reporters,
      new SummaryBuilder(this.ruleIds),
      new TimelineBuilder(this.init.asOf),
      this.reporters.map((_, t) => new ByteWriter(this.lastSizes[t] ?? 1 << 16, this.spare)),
    );
  }

  /**
   * A run's text with one host's text before it: `head`, evaluated (and counted) with the run's hosts,
   * written only now that it is known whether it starts the report (`first`). The run's buffers are taken
   * back.
   */
  prepend(run: RenderedHosts, head: HostResult, first: boolean): RenderedHosts {
    const reporters = first ? this.firstReporters : this.reporters;
    const texts = run.texts.map((body, t) => {
      const text = reporters[t].reporter.host(head, reporters[t].ctx);
      const out = new ByteWriter(text.length * 3 + body.length, this.spare);
      out.write(text);
      out.writeBytes(body);
      this.recycle(body.buffer as ArrayBuffer);
      return out.bytes();
    });
    return { seq: run.seq, texts, summary: run.summary, timeline: run.timeline };
  }

  /** A buffer of `size` bytes to read held report text back into (a spare one when there is one). */
  buffer(size: number): Uint8Array {
    return takeBuffer(this.spare, size).subarray(0, size);
  }

  /** Called by a run that ends: the next run's buffers start at this size. */
  noteSizes(sizes: number[]): void {
    for (let t = 0; t < sizes.length; t++) this.lastSizes[t] = sizes[t];
  }
}

/** One run of hosts being evaluated and written (see HostRenderer.begin). */
export class HostRun {
  constructor(
    private readonly seq: number,
    private readonly renderer: HostRenderer,
    private readonly reporters: { reporter: StreamingReporter; ctx: ReporterContext }[],
    private readonly summary: SummaryBuilder,
    private readonly timeline: TimelineBuilder,
    private readonly out: ByteWriter[],
  ) {}

  add(host: Host): void {
    this.write(this.evaluate(host));
  }

  /** Evaluate a host and count it in the run's summary and timeline (its text is written by `write`). */
  evaluate(host: Host): HostResult {
    const result = evaluateHost(host, this.renderer.ruleSet);
    this.summary.addHost(result);
    this.timeline.addHost(result);
    delete result.host;
    return result;
  }

  write(result: HostResult): void {
    for (let t = 0; t < this.reporters.length; t++) this.out[t].write(this.reporters[t].reporter.host(result, this.reporters[t].ctx));
  }

  end(): RenderedHosts {
    this.renderer.noteSizes(this.out.map((w) => w.length));
    return { seq: this.seq, texts: this.out.map((w) => w.bytes()), summary: this.summary.summary, timeline: this.timeline.build() };
  }
}

/** An auditor that writes its hosts' report text with a HostRenderer, and takes back written buffers. */
export abstract class RenderingAuditor<Setup extends RenderSetup> {
  protected constructor(
    protected readonly init: Setup,
    protected readonly renderer: HostRenderer,
  ) {}

  /** See HostRenderer.recycle. */
  recycle(buffer: ArrayBuffer): boolean {
    return this.renderer.recycle(buffer);
  }

  /** See HostRenderer.buffer. */
  buffer(size: number): Uint8Array {
    return this.renderer.buffer(size);
  }
}

/**
 * Audits blocks of a streamed single-file inventory: the same decoding, evaluation and report text as
 * the sequential path (runAudit), for rows that need nothing from other rows. Used by worker threads.
 */
export class BlockAuditor extends RenderingAuditor<BlockAuditSetup> {
  static async create(init: BlockAuditSetup): Promise<BlockAuditor> {
    return new BlockAuditor(init, await HostRenderer.create(init));
  }

  audit(job: BlockJob): BlockResult {
    const tokenizer = new CsvTokenizer(this.init.delimiter, 0, this.init.maxRecordChars, job.line, this.init.lineBreak);
    const decoder = new RecordDecoder(job.setup);
    const run = this.renderer.begin(job.seq);
    const rejected: RejectedRow[] = [];
    const names: string[] = [];
    const lines: number[] = [];
    let rows = 0;
    const records: TokenizedRecord[] = [];
    const auditRecords = (): void => {
      // The reader checked these rows with the same tokenizer: a hand-off here is a defect, not bad input.
      if (tokenizer.stopped) throw new Error(`internal error: block at line ${job.line} is not well formed`);
      for (let r = 0; r < records.length; r++) {
        const { cells, line, lastLine } = records[r];
        const ev = decoder.decode(cells, line, lastLine);
        if (ev === null) continue;
        rows++;
        if (ev.type === 'rejected') {
          rejected.push(ev.rejected);
          continue;
        }
        if (ev.type !== 'record') continue;
        const name = recordHostname(ev.record);
        if (name === '') {
          rejected.push({ file: ev.record.source.file, line: ev.record.source.line, reason: noHostnameReason(ev.record) });
          continue;
        }
        names.push(name);
        lines.push(line);
        run.add(HostBuilder.fromRecord(name, ev.record).build());
      }
      records.length = 0;
    };
    // The block is tokenized a piece at a time so that only a hundred or so rows are alive at once: rows
    // die in the young generation instead of being promoted and collected later (peak memory).
    for (const text of job.texts) {
      for (const piece of tokenizer.pieces(text)) {
        tokenizer.push(piece, records);
        auditRecords();
      }
    }
    tokenizer.end(records);
    auditRecords();
    return {
      ...run.end(),
      rows,
      rejected,
      names,
      lines,
      setupAfter: decoder.setup !== job.setup ? decoder.setup : null,
    };
  }
}

/** A spare buffer of at least `size` bytes, else a new one. */
function takeBuffer(spare: ArrayBuffer[], size: number): Buffer {
  for (let i = 0; i < spare.length; i++) {
    if (spare[i].byteLength >= size) return Buffer.from(spare.splice(i, 1)[0]);
  }
  // With room to spare, so that the buffer serves later blocks of a similar size when handed back.
  return Buffer.allocUnsafeSlow(Math.ceil((size * 1.25) / 65536) * 65536);
}

/**
 * Report text written straight into a buffer of its own (transferred to the main thread, not copied):
 * a block's text never exists as one long string, which the heap would keep until a full collection.
 */
class ByteWriter {
  private buf: Buffer;
  length = 0;

  constructor(
    size: number,
    private readonly spare: ArrayBuffer[],
  ) {
    this.buf = takeBuffer(this.spare, Math.max(size, 1024));
  }

  write(text: string): void {
    // A UTF-16 unit takes at most 3 bytes; the exact count is asked only near the end of the buffer, so
    // a buffer sized from the last block is filled, not replaced by one twice as big.
    let need = this.length + text.length * 3;
    if (need > this.buf.length) need = this.length + Buffer.byteLength(text);
    if (need > this.buf.length) {
      const bigger = takeBuffer(this.spare, Math.max(need, this.buf.length + (this.buf.length >> 1)));
      this.buf.copy(bigger, 0, 0, this.length);
      this.buf = bigger;
    }
    this.length += this.buf.write(text, this.length);
  }

  writeBytes(bytes: Uint8Array): void {
    if (this.length + bytes.length > this.buf.length) {
      const bigger = takeBuffer(this.spare, this.length + bytes.length);
      this.buf.copy(bigger, 0, 0, this.length);
      this.buf = bigger;
    }
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }

  bytes(): Uint8Array {
    return new Uint8Array(this.buf.buffer, this.buf.byteOffset, this.length);
  }


}
