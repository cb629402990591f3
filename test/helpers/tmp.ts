import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A fresh temp folder for one test file. */
export function tempDir(prefix = 'patchaudit-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Write a file (string as UTF-8, or raw bytes) into `dir` and return its path. */
export function writeTemp(dir: string, name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}
