import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { GroupText } from './group-audit.js';

/**
 * Report text a folder audit may hold in memory; past this it goes to a temporary file. 64 MiB holds the
 * NDJSON of about 15,000 systeminfo files.
 */
export const HELD_TEXT_BYTES = 64 * 2 ** 20;

/** Where a spilled text is in the file. */
interface Spilled {
  at: number;
  length: number;
}

/**
 * The report text of a folder's groups, written as each group is read and held until the audit knows
 * that no later file adds to the group's hosts (that is, until the whole folder is read). Up to `budget`
 * bytes stay in memory; the rest goes to a temporary file, so that memory does not grow with the folder.
 * The file is unlinked as soon as it is open (it lives only as long as its descriptor), readable by its
 * owner only, and closed once its last text is taken or on `close`. When it cannot be made or written,
 * texts stay in memory: the report is never lost for want of a temporary folder.
 */
export class HeldTexts {
  private readonly texts = new Map<number, GroupText>();
  private readonly spilled = new Map<number, { text: GroupText; parts: Spilled[] }>();
  private inMemory = 0;
  private fd: number | null = null;
  /** The file's name while it could not be unlinked (removed on close). */
  private named: string | null = null;
  private end = 0;
  private broken = false;
  /** Texts spilled so far (for tests and the bench). */
  spilledCount = 0;

  constructor(
    private readonly budget = HELD_TEXT_BYTES,
    private readonly dir = tmpdir(),
  ) {}

  /** Hold a group's text; `release` takes back buffers whose bytes went to the file. */
  put(seq: number, text: GroupText, release: (bytes: Uint8Array) => void): void {
    let size = 0;
    for (const t of text.texts) size += t.length;
    if (this.inMemory + size > this.budget && size > 0) {
      const parts = this.write(text.texts);
      if (parts) {
        for (const t of text.texts) release(t);
        this.spilled.set(seq, { text: { ...text, texts: [] }, parts });
        this.spilledCount++;
        return;
      }
    }
    this.inMemory += size;
    this.texts.set(seq, text);
  }

  /** A held group's text (then forgotten); `buffer` gives room to read spilled bytes back into. */
  take(seq: number, buffer: (size: number) => Uint8Array): GroupText {
    const text = this.texts.get(seq);
    if (text) {
      this.texts.delete(seq);
      for (const t of text.texts) this.inMemory -= t.length;
      return text;
    }
    const spilled = this.spilled.get(seq);
    if (!spilled) throw new Error(`internal error: group ${seq} is not held`);
    this.spilled.delete(seq);
    const texts = spilled.parts.map(({ at, length }) => {
      const into = buffer(length);
      for (let done = 0; done < length; ) {
        const n = readSync(this.fd!, into, done, length - done, at + done);
        if (n === 0) throw new Error('internal error: held report text ends early');
        done += n;
      }
      return into;
    });
    if (this.spilled.size === 0) this.closeFile();
    return { ...spilled.text, texts };
  }

  /** Forget a group's text (the group was read again). */
  drop(seq: number, release: (bytes: Uint8Array) => void): void {
    const text = this.texts.get(seq);
    if (text) {
      this.texts.delete(seq);
      for (const t of text.texts) {
        this.inMemory -= t.length;
        release(t);
      }
    }
    if (this.spilled.delete(seq) && this.spilled.size === 0) this.closeFile();
  }

  /** Forget everything and remove the file. */
  close(): void {
    this.texts.clear();
    this.spilled.clear();
    this.inMemory = 0;
    this.closeFile();
  }

  /** Append texts to the file; null when it cannot be made or written (they stay in memory). */
  private write(texts: Uint8Array[]): Spilled[] | null {
    if (this.broken) return null;
    try {
      if (this.fd === null) this.openFile();
      const parts: Spilled[] = [];
      for (const t of texts) {
        for (let done = 0; done < t.length; ) done += writeSync(this.fd!, t, done, t.length - done, this.end + done);
        parts.push({ at: this.end, length: t.length });
        this.end += t.length;
      }
      return parts;
    } catch {
      // A full disk or a read-only temporary folder: hold the rest in memory, as without a file.
      this.broken = true;
      return null;
    }
  }

  private openFile(): void {
    const file = path.join(this.dir, `patchaudit-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
    // 'wx+': never through a link someone left at that name; 0o600: inventory text is the owner's.
    this.fd = openSync(file, 'wx+', 0o600);
    this.end = 0;
    try {
      unlinkSync(file);
    } catch {
      this.named = file;
    }
  }

  private closeFile(): void {
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // Already closed: nothing held there any more.
      }
      this.fd = null;
    }
    if (this.named !== null) {
      try {
        unlinkSync(this.named);
      } catch {
        // Gone already.
      }
      this.named = null;
    }
  }
}
