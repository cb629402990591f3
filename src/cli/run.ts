import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { runAudit } from '../audit.js';
import { AuditError, UsageError } from '../errors.js';
import { compareHostResults } from '../evaluation/evaluate-host.js';
import { evaluateGate } from '../evaluation/gate.js';
import type { HostResult } from '../evaluation/types.js';
import { DEFAULT_LIMITS } from '../inventory/read-csv.js';
import { folderInventoryFiles } from '../inventory/read-inventory.js';
import { loadRules } from '../rules/load-rules.js';
import { registerDiffCommand } from './diff-command.js';
import { SEVERITIES, type Severity } from '../rules/types.js';
import { formats, FORMATS, loadReporter } from '../report/index.js';
import type { AuditReport, ReportHeader, ReporterContext, StreamingReporter } from '../report/types.js';
import { commitFiles, fileSink, stdoutSink, type FileSink, type Sink } from './sinks.js';
import { planOutputs } from './outputs.js';
import { logSafe } from '../report/sanitize.js';
import { boundHeapGrowth } from './heap.js';
import { writeOut, type Io } from './io.js';
import { createProgress } from './progress.js';
import { registerRulesCommands } from './rules-command.js';
import { registerInspectCommand } from './inspect-command.js';
import { parseMap } from './options.js';
import { createStyle, preloadColour, resolveColorLevel } from './style.js';

export const ExitCode = { Ok: 0, Findings: 1, Error: 2, Interrupted: 130 } as const;

export function toolVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return '0.0.0';
  }
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function parseIsoDate(value: string, flag: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const d = m ? new Date(value + 'T00:00:00Z') : null;
  if (!m || !d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) throw new UsageError(`${flag} "${value}": expected a date as YYYY-MM-DD`);
  return value;
}

function parsePositiveInt(value: string, flag: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} "${value}": expected a whole number`);
  const n = Number(value);
  if (n > max) throw new UsageError(`${flag} "${value}": at most ${max}`);
  return n;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

interface AuditCliOptions {
  rules?: string[];
  format: string;
  asOf?: string;
  warnDays: string;
  failOn: string;
  allowUnknown?: boolean;
  map?: string[];
  encoding?: string;
  delimiter?: string;
  dateOrder?: 'dmy' | 'mdy';
  explain?: boolean;
  show: 'failing' | 'all';
  minSeverity: Severity;
  quiet?: boolean;
  color?: boolean;
  output?: string[];
  timestamp?: boolean;
  maxFieldSize?: string;
  maxColumns?: string;
  maxFileSize?: string;
  waivers?: string;
  baseline?: string;
  failOnNew?: boolean;
  failOnStaleWaivers?: boolean;
  timeline?: boolean;
  csvBom?: boolean;
  workers?: string;
}

/** Inputs below this size are audited in one thread: starting workers would cost more than it saves. */
const PARALLEL_MIN_BYTES = 8 * 1024 * 1024;

/**
 * Worker threads for the audit: --workers N (0 = none), for a single file once it is streamed and for
 * two or more files. By default one per core for a single file of at least PARALLEL_MIN_BYTES or for a
 * folder or list of files (which the audit shares out from PARALLEL_MIN_FILES files). Only streaming
 * reports can be written by workers.
 */
function chooseWorkers(flag: string | undefined, shape: InputShape): { workers: number; forced: boolean } {
  if (flag !== undefined && flag !== 'auto') {
    if (!/^\d+$/.test(flag) || Number(flag) > 64) throw new UsageError(`--workers "${flag}": expected a number from 0 to 64, or auto`);
    return { workers: Number(flag), forced: true };
  }
  return { workers: shape === 'small' ? 0 : Math.min(availableParallelism(), 8), forced: false };
}

/**
 * 'large': one regular file of at least PARALLEL_MIN_BYTES, a run long enough to stream and to share
 * out; 'files': several files (a folder, or a list); 'small': anything else. A folder of one file is
 * that file.
 */
type InputShape = 'large' | 'files' | 'small';

function inputShape(inventories: string[], cwd: string): InputShape {
  if (inventories.length > 1) return 'files';
  if (inventories[0] === '-') return 'small';
  try {
    let file = path.resolve(cwd, inventories[0]);
    let st = statSync(file);
    if (st.isDirectory()) {
      const files = folderInventoryFiles(file, readdirSync(file, { withFileTypes: true }));
      if (files.length !== 1) return 'files';
      file = files[0];
      st = statSync(file);
    }
    return st.isFile() && st.size >= PARALLEL_MIN_BYTES ? 'large' : 'small';
  } catch {
    return 'small';
  }
}

async function runAuditCommand(inventories: string[], opts: AuditCliOptions, io: Io): Promise<number> {
  const asOf = opts.asOf ? parseIsoDate(opts.asOf, '--as-of') : today();
  // A century: beyond it every supported product would warn, and dates overflow long before.
  const warnDays = parsePositiveInt(opts.warnDays, '--warn-days', 36_500);
  if (!formats[opts.format]) throw new UsageError(`--format "${opts.format}": expected one of ${FORMATS.join(', ')}`);
  const failOn = opts.failOn as Severity | 'none';
  const outputs = planOutputs(opts.output ?? [], inventories, io.cwd);
  const map = parseMap(opts.map ?? []);
  if (opts.delimiter !== undefined && !/^(?:,|;|\t|\||\\t|tab)$/.test(opts.delimiter)) throw new UsageError(`--delimiter "${opts.delimiter}": expected , ; | or tab`);
  const delimiter = opts.delimiter === '\\t' || opts.delimiter === 'tab' ? '\t' : opts.delimiter;
  const limits = {
    maxFieldSize: opts.maxFieldSize ? parsePositiveInt(opts.maxFieldSize, '--max-field-size') : DEFAULT_LIMITS.maxFieldSize,
    maxColumns: opts.maxColumns ? parsePositiveInt(opts.maxColumns, '--max-columns') : DEFAULT_LIMITS.maxColumns,
    maxFileBytes: opts.maxFileSize ? parsePositiveInt(opts.maxFileSize, '--max-file-size') : DEFAULT_LIMITS.maxFileBytes,
  };
  if (inventories.filter((i) => i === '-').length > 1) throw new UsageError('"-" (standard input) can be given only once');
  // The same file twice would count its rows twice (and its hosts' rows against each other).
  const seenInputs = new Map<string, string>();
  for (const inv of inventories) {
    if (inv === '-') continue;
    let real: string;
    try {
      real = realpathSync(path.resolve(io.cwd, inv));
    } catch {
      continue; // a missing input is reported by the reader, with its name
    }
    const first = seenInputs.get(real);
    if (first !== undefined) throw new UsageError(`${inv}: the same input as ${first}; give each inventory once`);
    seenInputs.set(real, inv);
  }
  // A file given on its own and again through its folder (folders are read one level deep).
  const folderMembers = new Map<string, string>();
  for (const [real, inv] of seenInputs) {
    try {
      if (!statSync(real).isDirectory()) continue;
      for (const f of folderInventoryFiles(real, readdirSync(real, { withFileTypes: true }))) folderMembers.set(f, inv);
    } catch {
      // unreadable: reported by the reader
    }
  }
  for (const [real, inv] of seenInputs) {
    const folder = folderMembers.get(real);
    if (folder !== undefined) throw new UsageError(`${inv}: already read as part of the folder ${folder}; give each inventory once`);
  }

  const rules = await loadRules(opts.rules ?? []);
  // Loaded only when used: start-up stays short for plain audits.
  const waivers = opts.waivers ? await (await import('../evaluation/waivers.js')).loadWaivers(opts.waivers, rules.map((r) => r.rule.id), asOf, warnDays) : null;
  const baseline = opts.baseline ? await (await import('../evaluation/baseline.js')).loadBaseline(opts.baseline) : null;
  if (opts.failOnNew && !baseline) throw new UsageError('--fail-on-new needs --baseline <previous.json>');

  const header: ReportHeader = {
    tool: { name: 'patchaudit', version: toolVersion() },
    asOf,
    inputs: inventories,
    rules,
    failOn,
    generatedAt: opts.timestamp ? new Date().toISOString() : undefined,
  };
  const colour = resolveColorLevel(opts.color, io.env, io.stdout);
  if (opts.format === 'table') await preloadColour(colour);
  const ctx: ReporterContext = {
    style: createStyle(opts.format === 'table' ? colour : 0),
    explain: Boolean(opts.explain),
    show: opts.show,
    minSeverity: opts.minSeverity,
    width: io.stdout.columns ?? 120,
  };
  const fileCtx: ReporterContext = { ...ctx, style: createStyle(0), width: 120 };

  // One target per report: stdout in --format, plus each --output file.
  interface Target {
    sink: Sink;
    format: string;
    ctx: ReporterContext;
    streaming: StreamingReporter | null;
    started: boolean;
  }
  const targets: Target[] = [{ sink: stdoutSink(io), format: opts.format, ctx, streaming: null, started: false }];
  const files: FileSink[] = outputs.map((out) => fileSink(out, io));
  outputs.forEach((out, i) => targets.push({ sink: files[i], format: out.format, ctx: fileCtx, streaming: null, started: false }));
  for (const t of targets) {
    const entry = formats[t.format];
    if (entry.kind === 'streaming') t.streaming = await entry.load({ csvBom: Boolean(opts.csvBom) });
  }
  // Whole-report formats (table, html, …) need the hosts; streaming ones never keep them.
  const keepHosts = targets.some((t) => t.streaming === null);
  // Workers write only streaming reports, and waivers and baselines keep per-host state in this thread.
  const shape = inputShape(inventories, io.cwd);
  const large = shape === 'large';
  const requested = chooseWorkers(opts.workers, shape);
  const workers = keepHosts || waivers || baseline ? 0 : requested.workers;
  // A large file streamed to streaming reports holds no hosts: keep the garbage of its rows bounded too.
  const streamedLarge = !keepHosts && !waivers && !baseline && large;
  if (streamedLarge) boundHeapGrowth();
  const streamingTargets = targets.filter((t) => t.streaming !== null);
  const hosts: HostResult[] = [];
  const warnings: string[] = [];
  const progress = await createProgress(io, !opts.quiet);
  let outcome;
  try {
    outcome = await runAudit(
      {
        inputs: inventories,
        rules,
        asOf,
        warnDays,
        read: { map, encoding: opts.encoding, delimiter, dateOrder: opts.dateOrder, limits, stdin: io.stdin },
        onWarning: (m) => {
          if (warnings.length < 1000) warnings.push(m);
        },
        onProgress: ({ rows, hosts: n }) => progress.update(rows, n),
        signal: io.signal,
        waivers,
        baseline,
        parallel:
          !keepHosts && !waivers && !baseline
            ? {
                workers,
                forced: requested.forced,
                onThreadsStarted: streamedLarge ? boundHeapGrowth : undefined,
                targets: streamingTargets.map((t) => ({ format: t.format, csvBom: Boolean(opts.csvBom), ctx: { explain: t.ctx.explain, show: t.ctx.show, minSeverity: t.ctx.minSeverity, width: t.ctx.width } })),
                onBlock: (texts, release) => {
                  let waits: Promise<void>[] | null = null;
                  streamingTargets.forEach((t, i) => {
                    if (!t.started) {
                      t.started = true;
                      const w0 = t.sink.write(t.streaming!.start(header, t.ctx));
                      if (w0) (waits ??= []).push(w0);
                    }
                    const w = t.sink.write(texts[i], () => release(texts[i]));
                    if (w) (waits ??= []).push(w);
                  });
                  if (waits) return Promise.all(waits).then(() => undefined);
                },
              }
            : undefined,
      },
      (h) => {
        delete h.host;
        if (keepHosts) hosts.push(h);
        // Synchronous unless a sink asks to wait: no promise per host on the hot path.
        let waits: Promise<void>[] | null = null;
        for (const t of targets) {
          if (!t.streaming) continue;
          if (!t.started) {
            t.started = true;
            const w0 = t.sink.write(t.streaming.start(header, t.ctx));
            if (w0) (waits ??= []).push(w0);
          }
          const w = t.sink.write(t.streaming.host(h, t.ctx));
          if (w) (waits ??= []).push(w);
        }
        if (waits) return Promise.all(waits).then(() => undefined);
      },
    );
  } catch (err) {
    for (const t of targets) t.sink.abort();
    throw err;
  } finally {
    progress.stop();
  }
  hosts.sort(compareHostResults);

  // The verdict is decided before the reports are written, so that each can state it; it is the exit code.
  const stale = outcome.waivers ? outcome.waivers.expired.length + outcome.waivers.unused.length : 0;
  const policy = { failOn, allowUnknown: Boolean(opts.allowUnknown), failOnNew: Boolean(opts.failOnNew), failOnStaleWaivers: Boolean(opts.failOnStaleWaivers) };
  const verdict = evaluateGate(
    { summary: outcome.summary, newFailures: outcome.baseline?.newFailures ?? null, newUnknownHosts: outcome.baseline?.newUnknownHosts ?? null, staleWaivers: stale },
    policy,
  );
  const gate = { exitCode: verdict.failed ? ExitCode.Findings : ExitCode.Ok, reasons: verdict.reasons, policy };
  const report: AuditReport = {
    ...header,
    summary: outcome.summary,
    hosts,
    rejected: outcome.rejected,
    warnings: outcome.warnings,
    files: outcome.files,
    waivers: outcome.waivers,
    baseline: outcome.baseline,
    timeline: outcome.timeline,
    showTimeline: Boolean(opts.timeline),
    gate,
  };
  try {
    for (const t of targets) {
      if (t.streaming) {
        if (!t.started) await t.sink.write(t.streaming.start(header, t.ctx));
        await t.sink.write(t.streaming.end({ ...report, hosts: [] }, t.ctx));
      } else {
        const render = await loadReporter(t.format, { csvBom: Boolean(opts.csvBom) });
        await t.sink.write(render(report, t.ctx));
      }
    }
    // Files first, all or none, then the rest of stdout: a report on stdout that fits in its buffer
    // (1 MiB) is seen only once the files are in place.
    await commitFiles(files);
    await targets[0].sink.finish();
  } catch (err) {
    for (const t of targets) t.sink.abort();
    throw err;
  }

  if (outcome.waivers && io.stderr.isTTY && !opts.quiet) {
    for (const w of outcome.waivers.expired) warnings.push(`waiver ${w.path} (${w.entry.owner}) expired ${w.entry.expires} and no longer applies`);
    for (const w of outcome.waivers.unused) warnings.push(`waiver ${w.path} (${w.entry.owner}) matches no finding`);
  }
  // Warnings go to stderr, only on a terminal (CI logs and pipes stay clean; JSON carries them too).
  if (io.stderr.isTTY && !opts.quiet) {
    const errLevel = resolveColorLevel(opts.color, io.env, io.stderr);
    await preloadColour(errLevel);
    const st = createStyle(errLevel);
    for (const w of warnings.slice(0, 20)) await writeOut(io.stderr, st.yellow('warning: ') + logSafe(w) + '\n');
    if (warnings.length > 20) await writeOut(io.stderr, st.yellow(`warning: … and ${warnings.length - 20} more (see the JSON report)\n`));
  }
  return gate.exitCode;
}

export function createProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command();
  program
    .name('patchaudit')
    .description('Audit a machine inventory for unsupported and unpatched systems (MS17-010, end of support, BlueKeep, SMBGhost).')
    .version(toolVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // One line, as every other error: "patchaudit: error: unknown option '--bogus' (run patchaudit --help for usage)".
      // The message quotes the argument as given: its escape sequences and line breaks must not reach the terminal.
      outputError: (s, write) => write(`patchaudit: ${logSafe(s.trimEnd())} (run patchaudit --help for usage)\n`),
    });

  program
    .command('audit')
    .description('audit one or more inventory files ("-" reads standard input)')
    .argument('<inventory...>', 'inventory CSV files, folders of exports, or - for stdin')
    .option('-r, --rules <spec>', 'built-in pack (ms17-010, win-eos, cve-2019-0708, cve-2020-0796, os-eos), rule id, or rules file; repeatable or comma-separated (default: all built-in packs)', collect)
    .addOption(new Option('-f, --format <format>', 'report format on stdout').choices(FORMATS).default('table'))
    .option('-o, --output <format=path>', 'also write a report to a file (repeatable), e.g. json=audit.json', collect)
    .option('--as-of <date>', 'audit date YYYY-MM-DD for every date comparison (default: today)')
    .option('--warn-days <days>', 'warn this many days before end of support', '90')
    .addOption(new Option('--fail-on <severity>', 'exit 1 on a failing finding at or above this severity').choices([...SEVERITIES, 'none']).default('high'))
    .option('--allow-unknown', 'do not fail on unknown hosts or rejected rows')
    .option('--map <field=Header>', 'map an inventory column to a field, e.g. hostname="Asset"; repeatable', collect)
    .option('--encoding <name>', 'input encoding (default: detected): utf-8, utf-16le, windows-1252, cp850, cp866, gbk, …')
    .option('--delimiter <char>', 'field delimiter (default: detected among , ; tab |)')
    .addOption(new Option('--date-order <order>', 'day/month order of ambiguous dates').choices(['dmy', 'mdy']))
    .option('--explain', 'show the evidence, remediation and risk factors of each finding')
    .addOption(new Option('--show <which>', 'hosts to show in human formats').choices(['failing', 'all']).default('all'))
    .addOption(new Option('--min-severity <severity>', 'with --show failing: hide findings below this severity').choices([...SEVERITIES]).default('info'))
    .option('--waivers <file>', 'waiver file (YAML or JSON): accepted exceptions with owner, reason and expiry')
    .option('--baseline <report.json>', 'an earlier JSON report: mark failures new or existing, list resolved findings and added/removed hosts')
    .option('--fail-on-new', 'with --baseline: exit 1 only on failures that are new since the baseline')
    .option('--fail-on-stale-waivers', 'exit 1 when a waiver has expired or matches nothing')
    .option('--timeline', 'show how many hosts reach end of support in the next 30/90/180/365 days')
    .option('--csv-bom', 'start CSV output with a byte order mark (for Excel)')
    .option('--timestamp', 'include the generation time in reports (makes them differ between runs)')
    .option('--max-field-size <chars>', `largest field accepted (default ${DEFAULT_LIMITS.maxFieldSize})`)
    .option('--max-columns <n>', `most columns accepted (default ${DEFAULT_LIMITS.maxColumns})`)
    .option('--max-file-size <bytes>', 'largest input accepted (default: no limit)')
    .option('--workers <n>', 'worker threads for a large inventory with streaming reports (json, ndjson, csv); 0 = none (default: auto, one per core for a single file from 8 MiB or a folder from 1,000 files)')
    .option('-q, --quiet', 'no spinner or warnings on stderr')
    .option('--color', 'force colour')
    .option('--no-color', 'no colour')
    .action(async (inventories: string[], opts: AuditCliOptions) => {
      setExit(await runAuditCommand(inventories, opts, io));
    });

  registerRulesCommands(program, io, setExit);
  registerInspectCommand(program, io, setExit);
  registerDiffCommand(program, io, setExit);
  return program;
}

/** Run the CLI: returns the exit code, never exits the process and never throws. */
export async function run(argv: string[], io: Io): Promise<number> {
  let code: number = ExitCode.Ok;
  const program = createProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv);
    return code;
  } catch (err) {
    return handleError(err, io, colorFlag(argv));
  }
}

/**
 * --color / --no-color as given (the last one wins, none after "--"), for the error line: it is printed
 * when the options may not have been parsed, or parsed by another command.
 */
function colorFlag(argv: string[]): boolean | undefined {
  let flag: boolean | undefined;
  for (const a of argv.slice(2)) {
    if (a === '--') break;
    if (a === '--color') flag = true;
    else if (a === '--no-color') flag = false;
  }
  return flag;
}

async function handleError(err: unknown, io: Io, color: boolean | undefined): Promise<number> {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return ExitCode.Ok;
    if (err.code === 'commander.help') return err.exitCode === 0 ? ExitCode.Ok : ExitCode.Error;
    return ExitCode.Error;
  }
  const level = resolveColorLevel(color, io.env, io.stderr);
  await preloadColour(level).catch(() => undefined);
  const style = createStyle(level);
  if (err instanceof AuditError) {
    io.stderr.write(style.red('patchaudit: error: ') + logSafe(err.message) + '\n');
    return err.exitCode;
  }
  const e = err as NodeJS.ErrnoException;
  // Report files turn their own errors into one line (OutputError): a failed write here is standard output's.
  if (e?.syscall === 'write' && typeof e.code === 'string') {
    io.stderr.write(style.red('patchaudit: error: ') + `standard output: cannot write (${e.code})\n`);
    return ExitCode.Error;
  }
  io.stderr.write(style.red('patchaudit: internal error: ') + logSafe(e?.message ?? String(err)) + ' (please report this)\n');
  if (io.env.PATCHAUDIT_DEBUG) io.stderr.write(String(e?.stack) + '\n');
  return ExitCode.Error;
}
