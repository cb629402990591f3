import { BaselineTracker, ruleSetWarning, type Baseline, type BaselineComparison } from './evaluation/baseline.js';
import { compareHostResults, compileRuleSet, copyFindings, evaluateHost, SummaryBuilder, type CompiledRuleSet } from './evaluation/evaluate-host.js';
import { TimelineBuilder, type Timeline } from './evaluation/timeline.js';
import type { AuditSummary, HostResult } from './evaluation/types.js';
import type { WaiverSet, WaiverSummary } from './evaluation/waivers.js';
import { KeyBloom } from './inventory/bloom.js';
import { HostGrouper } from './inventory/host-grouper.js';
import { HostBuilder, hostKey, noHostnameReason, recordHostname } from './inventory/hosts.js';
import { DEFAULT_LIMITS, maxRecordChars } from './inventory/read-csv.js';
import { listInputs, readInventoryBatches, type InventoryFileInfo, type ReadInventoryOptions } from './inventory/read-inventory.js';
import type { InventoryRecord, RejectedRow } from './inventory/types.js';
import { InventoryError } from './errors.js';
import type { DecoderSetup } from './inventory/read-csv.js';
import type { BlockAuditor, BlockResult, BlockTarget } from './parallel/block-audit.js';
import type { AuditPool } from './parallel/pool.js';
import type { LoadedRule } from './rules/types.js';

export interface AuditOptions {
  inputs: string[];
  rules: LoadedRule[];
  /** Audit date YYYY-MM-DD: every date comparison uses it. */
  asOf: string;
  warnDays: number;
  read?: ReadInventoryOptions;
  onWarning?: (message: string) => void;
  /** Called every few thousand rows while reading. */
  onProgress?: (progress: { rows: number; hosts: number }) => void;
  /** Stops reading between rows when aborted. */
  signal?: AbortSignal;
  waivers?: WaiverSet | null;
  baseline?: Baseline | null;
  /**
   * Hosts kept in memory to merge repeated rows of one machine before a large single-file inventory
   * switches to streaming (default 5,000).
   */
  streamAfterHosts?: number;
  /**
   * Worker threads for a single-file inventory once it is streamed (each audits blocks of rows), or for
   * a folder of at least `minFiles` files (each reads groups of files): they write the report text, and
   * `onBlock` receives it a block or group at a time, in input order, in place of `onHost`.
   * Used only without waivers and baseline (whose bookkeeping is per host, in this thread).
   */
  parallel?: ParallelOptions;
}

/** A folder of fewer files is read in one thread: starting a worker costs about as much as 1,000 small files. */
export const PARALLEL_MIN_FILES = 1000;

export interface ParallelOptions {
  /**
   * Threads auditing blocks or groups of files, this one included (1 = in this thread only; 0 = no
   * blocks, and a folder of PARALLEL_MIN_FILES files or more read by groups in this thread).
   */
  workers: number;
  /**
   * Use the threads for any two or more files, from the start (the user asked for them). Otherwise
   * from PARALLEL_MIN_FILES files, once the files read so far say the rest would take long enough.
   */
  forced?: boolean;
  /** Called once the worker threads are running (see cli/heap.ts for why the CLI wants to know). */
  onThreadsStarted?: () => void;
  targets: BlockTarget[];
  /**
   * UTF-8 report text of a block, one buffer per target. Call `release` with each buffer once it is
   * written: its memory is reused for later blocks instead of waiting for a collection.
   */
  onBlock: (texts: Uint8Array[], release: (bytes: Uint8Array) => void) => void | Promise<void>;
}

export interface AuditOutcome {
  asOf: string;
  rules: LoadedRule[];
  summary: AuditSummary;
  rejected: RejectedRow[];
  files: InventoryFileInfo[];
  warnings: string[];
  ruleSet: CompiledRuleSet;
  waivers: WaiverSummary | null;
  baseline: BaselineComparison | null;
  timeline: Timeline;
}

/** Warnings kept in the outcome (and the JSON report); more are counted, not stored. */
const MAX_WARNINGS = 1000;

/**
 * Read every input, group rows into hosts by hostname (across files: an OS export and a hotfix export
 * give one host each), evaluate each host against the rules and hand it to `onHost`.
 *
 * Memory: several inputs, or an input with one row per update (long format), are grouped in memory per
 * host. A single wide file (one row per host) is streamed: the first `streamAfterHosts` hosts are kept to
 * merge repeated rows exactly; beyond that each row is evaluated as it is read, so memory does not grow
 * with the inventory, and a hostname seen again is reported as a warning.
 * The core never prints: warnings and progress go to the callbacks. Hosts that get the same findings may
 * share them, frozen: copy a finding before changing it (auditToResult does).
 */
export async function runAudit(options: AuditOptions, onHost: (host: HostResult) => void | Promise<void>): Promise<AuditOutcome> {
  const ruleSet = compileRuleSet(options.rules, { asOf: options.asOf, warnDays: options.warnDays }, options.waivers ?? null);
  const summary = new SummaryBuilder(options.rules.map((r) => r.rule.id));
  const tracker = options.baseline ? new BaselineTracker(options.baseline) : null;
  const timeline = new TimelineBuilder(options.asOf);
  const rejected: RejectedRow[] = [];
  const files: InventoryFileInfo[] = [];
  const warnings: string[] = [];
  let droppedWarnings = 0;
  const warn = (msg: string) => {
    if (warnings.length < MAX_WARNINGS) warnings.push(msg);
    else droppedWarnings++;
    options.onWarning?.(msg);
  };
  if (options.baseline) {
    const differs = ruleSetWarning(options.baseline, options.rules.map((r) => r.rule.id));
    if (differs) warn(differs);
  }
  const grouper = new HostGrouper({ warn, reject: (row) => rejected.push(row) });
  const builders = grouper.builders;
  let rows = 0;
  let hostCount = 0;
  const listing = await listInputs(options.inputs);
  for (const w of listing.warnings) warn(w);
  const inputList = listing.inputs;
  const inputs = inputList.map((i) => i.file);
  const limit = options.streamAfterHosts ?? 5_000;

  // Returns the consumer's promise only when it has one (back-pressure), so the hot path stays synchronous.
  const emit = (b: HostBuilder): void | Promise<void> => {
    const result = evaluateHost(b.build(), ruleSet, tracker !== null);
    tracker?.markHost(result.hostname, result.findings);
    summary.addHost(result);
    timeline.addHost(result);
    return onHost(result);
  };
  let lastProgress = 0;
  let lastYield = Date.now();

  const readOptions: ReadInventoryOptions = {
    ...options.read,
    onFile: (info) => {
      files.push(info);
      // The file being read (its layout decides streaming, blocks and duplicate-row checks).
      grouper.file = info;
      const order = info.layout?.dateOrder;
      if (order === 'ambiguous' && !options.read?.dateOrder) warn(`${info.file}: dates are ambiguous (no day above 12); read as month/day/year. Use --date-order dmy if they are day first.`);
      if (order === 'conflict') warn(`${info.file}: date columns mix day-first and month-first values; check the export's locale.`);
      options.read?.onFile?.(info);
    },
  };

  const addToMap = (name: string, record: InventoryRecord) => {
    if (grouper.addRecord(name, record)) hostCount++;
  };
  const onRows = (n: number) => {
    rows += n;
    if (options.onProgress && rows - lastProgress >= 5000) {
      lastProgress = rows;
      options.onProgress({ rows, hosts: builders.size });
    }
  };

  // Parallel blocks (see ParallelOptions): dispatched in order, taken in order, at most `window` at once.
  const parallel = options.parallel && options.parallel.workers > 0 && inputs.length === 1 && !options.waivers && !tracker ? options.parallel : null;
  let pool: AuditPool | null = null;
  let local: BlockAuditor | null = null;
  const inflight: { seq: number; texts: string[]; line: number; setup: DecoderSetup; result: Promise<BlockResult> }[] = [];
  let blockSetup: DecoderSetup | null = null;
  let seq = 0;
  let bloom: KeyBloom | null = null;
  const takeBlock = async (): Promise<void> => {
    const job = inflight.shift()!;
    let r = await job.result;
    // Decoded with columns a header row in an earlier block has since replaced: decode it again.
    if (job.setup !== blockSetup) r = local!.audit({ seq: job.seq, texts: job.texts, line: job.line, setup: blockSetup! });
    if (r.setupAfter) blockSetup = r.setupAfter;
    rows += r.rows;
    for (const x of r.rejected) rejected.push(x);
    const file = grouper.file?.file ?? '';
    for (let i = 0; i < r.names.length; i++) {
      const name = r.names[i];
      if (bloom!.add(hostKey(name))) warn(`${name}: hostname appears again at ${file}:${r.lines[i]}; large inventories are streamed, so this row is audited as a separate entry (merge duplicate rows, or audit the file in smaller parts)`);
    }
    hostCount += r.names.length;
    summary.merge(r.summary);
    timeline.merge(r.timeline);
    const pending = parallel!.onBlock(r.texts, release);
    if (pending) await pending;
  };
  const release = (bytes: Uint8Array): void => {
    const buffer = bytes.buffer as ArrayBuffer;
    if (!local?.recycle(buffer)) pool?.recycle(buffer);
  };
  const drainBlocks = async (): Promise<void> => {
    while (inflight.length > 0) await takeBlock();
  };

  /** Null when a host has rows in two groups of files: the folder is then read in this thread. */
  const readFolderInThreads = async (files: string[], parallel: ParallelOptions) => {
    const { FolderAudit } = await import('./parallel/folder.js');
    const read = { ...options.read };
    delete read.stdin;
    delete read.onFile;
    delete read.blocks;
    return FolderAudit.read({
      files,
      setup: { rules: options.rules, asOf: options.asOf, warnDays: options.warnDays, targets: parallel.targets, read },
      threads: Math.max(1, parallel.workers),
      forced: parallel.forced,
      onThreadsStarted: parallel.onThreadsStarted,
      onProgress: options.onProgress,
      signal: options.signal,
    });
  };

  // Many files (a folder of per-host exports): read a group of files at a time, by several threads when
  // there are enough files. In one thread too (workers 0), each group's hosts are then evaluated as soon as
  // it is read, instead of every host of the folder being held to the end.
  const folderThreads = options.parallel && !options.waivers && !tracker && inputs.length > 1 && ((options.parallel.forced && options.parallel.workers > 0) || inputs.length >= PARALLEL_MIN_FILES) && inputList.every((i) => i.regular) ? options.parallel : null;
  const folder = folderThreads ? await readFolderInThreads(inputs, folderThreads) : null;
  try {
  if (folder) {
    // As if this thread had read the files: warnings, rejected rows and files in the same order.
    for (const r of folder.reads) {
      for (const entry of r.log) {
        if ('file' in entry) readOptions.onFile!(entry.file);
        else if ('warning' in entry) warn(entry.warning);
        else rejected.push(entry.rejected);
      }
      rows += r.rows;
      hostCount += r.keys.length;
      if (r.error) throw folder.errorOf(r.error);
    }
    options.onProgress?.({ rows, hosts: hostCount });
    await folder.finish((run, release) => {
      summary.merge(run.summary);
      timeline.merge(run.timeline);
      return folderThreads!.onBlock(run.texts, release);
    });
  } else if (inputs.length > 1) {
    for (const { file, regular } of inputList) {
      if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
      await grouper.readInput(file, regular, readOptions, onRows, options.signal);
      // Small files are read synchronously: let timers (the spinner), signals and deferred write callbacks
      // run now and then, not only when the whole folder is done.
      if (Date.now() - lastYield > 50) {
        await new Promise((resolve) => setImmediate(resolve));
        lastYield = Date.now();
      }
    }
    hostCount = builders.size;
  } else {
    const input = inputs[0];
    // Streaming is possible only for a wide CSV: nothing later can add to a host already emitted.
    let streamable: boolean | null = null;
    const blocks = { on: false } as NonNullable<ReadInventoryOptions['blocks']>;
    const inputOptions: ReadInventoryOptions = parallel ? { ...readOptions, blocks } : readOptions;
    for await (const batch of readInventoryBatches(input, inputOptions)) {
      if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
      for (const ev of batch) {
        if (ev.type === 'warning') {
          warn(ev.message);
          continue;
        }
        if (ev.type === 'block') {
          if (!local) {
            const [{ AuditPool }, { BlockAuditor }] = await Promise.all([import('./parallel/pool.js'), import('./parallel/block-audit.js')]);
            const info = grouper.file;
            const setup = { rules: options.rules, asOf: options.asOf, warnDays: options.warnDays, delimiter: info?.layout?.delimiter ?? ',', maxRecordChars: maxRecordChars(options.read?.limits ?? DEFAULT_LIMITS), lineBreak: ev.lineBreak, targets: parallel!.targets };
            local = await BlockAuditor.create(setup);
            pool = new AuditPool({ kind: 'blocks', setup }, parallel!.workers - 1);
            await pool.ready;
            parallel!.onThreadsStarted?.();
          }
          blockSetup ??= ev.setup;
          const job = { seq: seq++, texts: ev.texts, line: ev.line, setup: blockSetup };
          // Workers take blocks while they have room; otherwise this thread audits the block itself, so
          // the work balances between the threads whatever their speed.
          const viaWorker = pool!.size > 0 && pool!.busy < 2 * pool!.size;
          inflight.push({ ...job, result: viaWorker ? pool!.submit(job) : Promise.resolve(local.audit(job)) });
          if (inflight.length > 3 * pool!.size + 1) await takeBlock();
          continue;
        }
        if (ev.type === 'drain') {
          await drainBlocks();
          if (blockSetup) blocks.setup = blockSetup;
          continue;
        }
        rows++;
        if (ev.type === 'rejected') {
          rejected.push(ev.rejected);
          continue;
        }
        const name = recordHostname(ev.record);
        if (name === '') {
          rejected.push({ file: ev.record.source.file, line: ev.record.source.line, reason: noHostnameReason(ev.record) });
          continue;
        }
        if (streamable === null) {
          const info = grouper.file;
          streamable = info !== null && info.format === 'csv' && info.layout !== null && info.layout.mapping.fields.kb === undefined;
        }
        if (bloom) {
          // Streaming: evaluate the row now; a repeated hostname cannot be merged any more.
          if (bloom.add(hostKey(name))) warn(`${name}: hostname appears again at ${ev.record.source.file}:${ev.record.source.line}; large inventories are streamed, so this row is audited as a separate entry (merge duplicate rows, or audit the file in smaller parts)`);
          hostCount++;
          const pending = emit(HostBuilder.fromRecord(name, ev.record));
          if (pending) await pending;
        } else {
          addToMap(name, ev.record);
          if (streamable && builders.size > limit) {
            bloom = new KeyBloom();
            // From here on rows need nothing from each other: workers can audit them in blocks.
            if (parallel) blocks.on = true;
            for (const [key, b] of builders) {
              bloom.add(key);
              const pending = emit(b);
              if (pending) await pending;
            }
            builders.clear();
          }
        }
      }
      if (options.onProgress && rows - lastProgress >= 5000) {
        lastProgress = rows;
        options.onProgress({ rows, hosts: hostCount });
      }
    }
    await drainBlocks();
  }
  } finally {
    await pool?.close();
    await folder?.close();
  }
  options.onProgress?.({ rows, hosts: hostCount });

  for (const b of builders.values()) {
    const pending = emit(b);
    if (pending) await pending;
  }
  builders.clear();
  if (droppedWarnings > 0) warnings.push(`… and ${droppedWarnings} more warnings`);
  // Fail closed: an export that came out empty (a failed job leaves only the header) is not a clean fleet.
  if (rows === 0) throw new InventoryError(inputs.length === 1 ? inputs[0] : inputs.join(', '), null, 'no data rows: the inventory has a header but no machines');
  const s = summary.summary;
  s.rejectedRows = rejected.length;
  s.rowsRead = rows;
  s.rowsAudited = rows - rejected.length;
  return {
    asOf: options.asOf,
    rules: options.rules,
    summary: s,
    rejected,
    files,
    warnings,
    ruleSet,
    waivers: options.waivers ? options.waivers.summary(options.asOf) : null,
    baseline: tracker ? tracker.finish() : null,
    timeline: timeline.build(),
  };
}

/**
 * Convenience for tests and the API: collect every host, worst first. Each host's findings are its own
 * (the audit shares findings between hosts that get the same ones, and freezes them).
 */
export async function auditToResult(options: AuditOptions): Promise<AuditOutcome & { hosts: HostResult[] }> {
  const hosts: HostResult[] = [];
  const outcome = await runAudit(options, (h) => {
    h.findings = copyFindings(h.findings);
    hosts.push(h);
  });
  hosts.sort(compareHostResults);
  return { ...outcome, hosts };
}
