/**
 * Errors the core throws for bad input. The CLI prints `message` as one line (no stack) and exits
 * with `exitCode`; anything that is not an AuditError is a bug and is reported as such.
 */
export class AuditError extends Error {
  readonly exitCode: number = 2;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad command-line usage (unknown format, bad --as-of, conflicting options). */
export class UsageError extends AuditError {}

/** An inventory that cannot be read at all: missing file, no header, malformed CSV. */
export class InventoryError extends AuditError {
  constructor(
    readonly file: string,
    readonly line: number | null,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`${file}${line !== null ? `:${line}` : ''}: ${detail}`, options);
  }
}

/** An invalid rules or waiver file. `problems` lists every error as "path: message". */
export class RulesFileError extends AuditError {
  constructor(
    readonly file: string,
    readonly problems: string[],
    /** The line of the file each problem is about, where it could be told (parallel to `problems`). */
    readonly lines: (number | undefined)[] = [],
  ) {
    super(`${file}: ${problems.length > 0 ? withLine(problems[0]!, lines[0]) : 'invalid'}${problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : ''}`);
  }

  /** Problem i as printed: "rules[0].severity: … (line 12)". */
  located(i: number): string {
    return withLine(this.problems[i] ?? 'invalid', this.lines[i]);
  }
}

function withLine(problem: string, line: number | undefined): string {
  return line === undefined || problem.startsWith('line ') ? problem : `${problem} (line ${line})`;
}

/** An output that cannot be written. */
export class OutputError extends AuditError {}

/** The run was interrupted (SIGINT). */
export class InterruptedError extends AuditError {
  override readonly exitCode: number = 130;
}
