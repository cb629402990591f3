/**
 * The fast path for well-formed CSV (RFC 4180: quotes only around whole fields, doubled inside them).
 *
 * Nearly every real export is well formed, and reading it is most of an audit's time, so records are
 * split here with a character loop and `slice` rather than through csv-parse's general state machine.
 * The moment a record is not well formed (a quote inside an unquoted field, text after a closing quote,
 * a quote never closed, a record over the size limit) the tokenizer stops *at the start of that record*
 * and hands the rest of the input to csv-parse, whose lenient rules (relax_quotes, its errors) then
 * apply. Well-formed input gives the same cells either way; `test/unit/inventory/csv-tokenizer.test.ts`
 * checks that against csv-parse on generated files.
 *
 * Line numbers are physical lines. Between records CRLF, LF and a lone CR each end one line; inside a
 * quoted field only the file's own line break counts (LF, which CRLF contains, or CR in a CR-only file),
 * as an editor shows it. A file and its CRLF or CR twin name the same lines.
 */

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

export interface TokenizedRecord {
  cells: string[];
  /** Physical line the record starts on (1-based). */
  line: number;
  /** Physical line the record ends on, only when a quoted cell of it spans lines (set on those records only). */
  lastLine?: number;
}

/**
 * Text and the physical line it starts on: complete rows for a worker to tokenize again (pushBlock),
 * or, after a hand-off, the text from the start of the record the fast path could not read.
 */
export interface TextBlock {
  text: string;
  /** Physical line of the first character of `text`. */
  line: number;
}

/**
 * Characters tokenized at once by the audit (about a hundred rows of a typical export): the rows of a
 * piece are audited before the next is cut, so few rows are alive at a time.
 */
const TOKENIZE_PIECE = 16 * 1024;

export class CsvTokenizer {
  private buf = '';
  private runStart = 0;
  private runStartLine = 0;
  private stopStart = 0;
  private pos = 0;
  private line: number;
  private skipLines: number;
  private readonly delim: number;
  private handOff: TextBlock | null = null;

  /**
   * @param delimiter one character (not a quote or line break)
   * @param skipLines physical lines to skip first (preamble and header), counted without regard to quotes
   *   as the header search counts them
   * @param maxRecordChars a record longer than this is handed off (csv-parse reports it)
   */
  constructor(
    delimiter: string,
    skipLines: number,
    private readonly maxRecordChars: number,
    /** Line number of the first line of the text (a block starts mid-file). */
    firstLine = 1,
    /** The file's line break inside quoted fields (see above). */
    private readonly lineBreak: '\n' | '\r' = '\n',
  ) {
    if (!CsvTokenizer.supports(delimiter)) throw new Error(`delimiter ${JSON.stringify(delimiter)} is not supported by the fast path`);
    this.delim = delimiter.charCodeAt(0);
    this.skipLines = skipLines;
    this.line = firstLine + skipLines;
  }

  static supports(delimiter: string): boolean {
    return delimiter.length === 1 && delimiter !== '"' && delimiter !== '\n' && delimiter !== '\r';
  }

  /** Characters of an incomplete record kept for the next push (0 after a hand-off). */
  get pendingChars(): number {
    return this.handOff ? 0 : this.buf.length - this.pos;
  }

  /**
   * `text` cut for push(): TOKENIZE_PIECE characters at a time (the caller audits a piece's rows before
   * the next is cut), or the rest at once while a long record is pending, since each push scans that
   * record again from its start, or after a hand-off. Lazy: each cut looks at the state the last push left.
   */
  *pieces(text: string): Generator<string> {
    for (let at = 0; at < text.length; ) {
      const end = this.handOff || this.pendingChars > TOKENIZE_PIECE ? text.length : Math.min(at + TOKENIZE_PIECE, text.length);
      yield at === 0 && end === text.length ? text : text.slice(at, end);
      at = end;
    }
  }

  /** Set once a record could not be read on the fast path; nothing more is tokenized after it. */
  get stopped(): TextBlock | null {
    return this.handOff;
  }

  /**
   * Add text and append every record completed by it to `out` (blank lines are skipped). After a
   * hand-off, further text is appended to `stopped.text`.
   */
  push(text: string, out: TokenizedRecord[]): void {
    if (this.append(text)) this.run(false, out);
  }

  /** Keep the incomplete record and add text to it; false after a hand-off (the text goes there). */
  private append(text: string): boolean {
    if (this.handOff) {
      this.handOff.text += text;
      return false;
    }
    this.buf = this.pos < this.buf.length ? this.buf.slice(this.pos) + text : text;
    this.pos = 0;
    return true;
  }

  /**
   * Add text and return the complete well-formed rows it finishes, as text, without splitting them into
   * cells: the audit's workers do that. `final` marks the end of input. Rows the fast path cannot read
   * are not included: after a hand-off (see `stopped`) blocks are empty.
   */
  pushBlock(text: string, final: boolean): TextBlock {
    if (!this.append(text)) return { text: '', line: this.line };
    const buf = this.buf;
    this.run(final, null);
    const end = this.handOff ? this.stopStart : this.pos;
    const block = { text: end > this.runStart ? buf.slice(this.runStart, end) : '', line: this.runStartLine };
    if (final && !this.handOff) {
      this.buf = '';
      this.pos = 0;
    }
    return block;
  }

  /** End of input: the last record may lack its line break. */
  end(out: TokenizedRecord[]): void {
    if (this.handOff) return;
    this.run(true, out);
    this.buf = '';
    this.pos = 0;
  }

  /** Tokenize from pos; records go to `out`, or nowhere when only the boundaries matter (null). */
  private run(final: boolean, out: TokenizedRecord[] | null): void {
    const buf = this.buf;
    const len = buf.length;
    let i = this.pos;
    if (this.skipLines > 0) i = this.skip(i, final);
    this.runStart = i;
    this.runStartLine = this.line;
    if (this.skipLines > 0) {
      this.pos = i;
      return;
    }
    const delim = this.delim;
    const delimChar = String.fromCharCode(delim);
    // Next quote, LF and CR at or after i (len when none): found with indexOf, which is far faster than
    // looking at every character, and only searched again once passed.
    let q = -1;
    let lf = -1;
    let cr = len;
    if (buf.indexOf('\r', i) !== -1) cr = -1;
    while (i < len) {
      if (q < i) q = indexOr(buf, '"', i, len);
      if (lf < i) lf = indexOr(buf, '\n', i, len);
      if (cr < i) cr = indexOr(buf, '\r', i, len);
      const e = lf < cr ? lf : cr;
      if (q < e) {
        // A quote in this record: the careful loop.
        const next = this.quotedRecord(i, final, out);
        if (next < 0) {
          if (next === STOPPED) return;
          break;
        }
        i = next;
        continue;
      }
      if (e === len) {
        // No line break after i: the last record, or one not complete yet.
        if (!final) {
          if (len - i > this.maxRecordChars) this.stop(i, this.line);
          else this.pos = i;
          return;
        }
      } else if (e === cr && e + 1 >= len && !final) break; // a CR that may be the first half of a CRLF
      if (e - i > this.maxRecordChars) {
        this.stop(i, this.line);
        return;
      }
      const line = this.line;
      if (e > i && out !== null) {
        // Cells are slices: of a copy of their own line, not of the whole chunk, so a cell kept in a
        // cache (an OS name, a date) keeps a line alive, not a quarter megabyte of text.
        const text = own(buf.slice(i, e));
        const end = e - i;
        const cells: string[] = [];
        let p = 0;
        for (;;) {
          const d = text.indexOf(delimChar, p);
          if (d === -1) {
            cells.push(text.slice(p, end));
            break;
          }
          cells.push(text.slice(p, d));
          p = d + 1;
        }
        out.push({ cells, line });
      }
      if (e === len) {
        i = len;
        break;
      }
      i = e + (e === cr && e + 1 < len && buf.charCodeAt(e + 1) === LF ? 2 : 1);
      this.line = line + 1;
    }
    // Text from \`i\` on is an incomplete record, kept for the next push.
    this.pos = i;
  }

  /**
   * One record that has a quote in it, character by character. Returns where the next record starts,
   * INCOMPLETE when the text ends first, or STOPPED after handing the rest to csv-parse.
   */
  private quotedRecord(start: number, final: boolean, out: TokenizedRecord[] | null): number {
    const buf = this.buf;
    const len = buf.length;
    const delim = this.delim;
    const startLine = this.line;
    let i = start;
    let breaks = 0;
    // Line breaks inside quoted cells: the record spans lines.
    let inner = 0;
    const cells: string[] = [];
    for (;;) {
      if (i >= len) {
        if (!final) return this.incomplete(start);
        cells.push('');
        break;
      }
      let c = buf.charCodeAt(i);
      if (c === QUOTE) {
        let value = '';
        let seg = i + 1;
        for (;;) {
          const q = buf.indexOf('"', seg);
          if (q === -1 || (q + 1 >= len && !final)) {
            if (final) return this.stop(start, startLine);
            return this.incomplete(start);
          }
          if (q + 1 < len && buf.charCodeAt(q + 1) === QUOTE) {
            value += buf.slice(seg, q + 1);
            seg = q + 2;
            continue;
          }
          value += buf.slice(seg, q);
          i = q + 1;
          break;
        }
        const within = countBreaks(value, this.lineBreak);
        breaks += within;
        inner += within;
        cells.push(value);
        if (i >= len) {
          if (!final) return this.incomplete(start);
          break;
        }
        c = buf.charCodeAt(i);
        if (c === delim) {
          i++;
          continue;
        }
        if (c !== LF && c !== CR) return this.stop(start, startLine);
      } else {
        let j = i;
        while (j < len) {
          c = buf.charCodeAt(j);
          if (c === delim || c === LF || c === CR) break;
          // A quote inside an unquoted field: csv-parse's relax_quotes decides what it means.
          if (c === QUOTE) return this.stop(start, startLine);
          j++;
        }
        if (j >= len) {
          if (!final) return this.incomplete(start);
          cells.push(buf.slice(i, j));
          i = j;
          break;
        }
        cells.push(buf.slice(i, j));
        i = j;
        if (c === delim) {
          i++;
          continue;
        }
      }
      // At a line break: CRLF is one, and a CR at the end of the text may be the first half of one.
      if (buf.charCodeAt(i) === CR) {
        if (i + 1 >= len && !final) return this.incomplete(start);
        i += buf.charCodeAt(i + 1) === LF ? 2 : 1;
      } else i++;
      breaks++;
      break;
    }
    if (i - start > this.maxRecordChars) return this.stop(start, startLine);
    this.line = startLine + breaks;
    // A lone empty cell is no record (csv-parse's skip_empty_lines; the reader drops it anyway).
    if (out !== null && !(cells.length === 1 && cells[0] === '')) out.push(inner > 0 ? { cells, line: startLine, lastLine: startLine + inner } : { cells, line: startLine });
    return i;
  }

  private incomplete(start: number): number {
    if (this.buf.length - start > this.maxRecordChars) return this.stop(start, this.line);
    this.pos = start;
    return INCOMPLETE;
  }

  /** Skip physical lines (preamble and header), ignoring quotes. */
  private skip(i: number, final: boolean): number {
    const buf = this.buf;
    const len = buf.length;
    while (this.skipLines > 0 && i < len) {
      let j = i;
      while (j < len) {
        const c = buf.charCodeAt(j);
        if (c === LF || c === CR) break;
        j++;
      }
      if (j >= len) return final ? len : i;
      if (buf.charCodeAt(j) === CR) {
        if (j + 1 >= len && !final) return i;
        j += buf.charCodeAt(j + 1) === LF ? 2 : 1;
      } else j++;
      i = j;
      this.skipLines--;
    }
    return i;
  }

  private stop(start: number, line: number): typeof STOPPED {
    this.handOff = { text: this.buf.slice(start), line };
    this.stopStart = start;
    this.buf = '';
    this.pos = 0;
    return STOPPED;
  }
}

const INCOMPLETE = -1;
const STOPPED = -2;

/** A string with its own storage (a slice of a long string keeps the long string alive). */
function own(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

function indexOr(buf: string, ch: string, from: number, none: number): number {
  const k = buf.indexOf(ch, from);
  return k === -1 ? none : k;
}

/** Line breaks inside a quoted value: occurrences of the file's line break character. */
export function countBreaks(value: string, lineBreak: '\n' | '\r'): number {
  let n = 0;
  for (let k = value.indexOf(lineBreak); k !== -1; k = value.indexOf(lineBreak, k + 1)) n++;
  return n;
}
