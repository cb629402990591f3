import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeFolder } from '../../../src/cli/sinks.js';
import { tempDir } from '../../helpers/tmp.js';

/**
 * The folder of a report file is created before the report is written. A folder whose parent exists but
 * which still cannot be made (ENOENT under /proc, a link to nowhere) is an error at once: Node's
 * recursive mkdir retries it for ever.
 */
describe('makeFolder', () => {
  const dir = tempDir('patchaudit-make-folder-');

  test('creates every missing folder, and accepts one that exists', () => {
    const target = path.join(dir, 'reports', '2026', '11');
    makeFolder(target);
    expect(existsSync(target)).toBe(true);
    expect(() => makeFolder(target)).not.toThrow();
  });

  test('a folder under /proc fails at once (it hangs with { recursive: true } when run as root)', () => {
    const started = Date.now();
    expect(() => makeFolder('/proc/patchaudit-reports/nov')).toThrow(/ENOENT|EACCES|EPERM/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test('a link to nowhere, or a file, in the path is an error', () => {
    symlinkSync(path.join(dir, 'unmounted'), path.join(dir, 'dangling'));
    expect(() => makeFolder(path.join(dir, 'dangling', 'out'))).toThrow(/ENOENT/);
    mkdirSync(path.join(dir, 'f'));
    writeFileSync(path.join(dir, 'f', 'file'), 'x');
    expect(() => makeFolder(path.join(dir, 'f', 'file', 'out'))).toThrow(/ENOTDIR/);
  });
});
