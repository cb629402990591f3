import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isRuntimeDescriptor, planOutputs } from '../../../src/cli/outputs.js';
import { UsageError } from '../../../src/errors.js';
import { tempDir } from '../../helpers/tmp.js';

/** A made-up /proc/self/fd and fdinfo: each descriptor a link to what it names, with its open flags. */
function fakeProc(fds: Record<number, { link: string; flags: string }>): [string, string] {
  const root = tempDir('patchaudit-proc-');
  const fd = path.join(root, 'fd');
  const info = path.join(root, 'fdinfo');
  mkdirSync(fd);
  mkdirSync(info);
  for (const [n, d] of Object.entries(fds)) {
    symlinkSync(d.link, path.join(fd, n));
    writeFileSync(path.join(info, n), `pos:\t0\nflags:\t${d.flags}\nmnt_id:\t15\n`);
  }
  return [fd, info];
}

describe('descriptor reports (-o FORMAT=/dev/fd/N)', () => {
  const [fd, info] = fakeProc({
    0: { link: '/dev/null', flags: '0100000' },
    1: { link: 'pipe:[900]', flags: '01' },
    3: { link: 'anon_inode:[eventpoll]', flags: '02000002' },
    4: { link: 'pipe:[101]', flags: '02000000' },
    5: { link: 'pipe:[101]', flags: '02004001' },
    8: { link: 'anon_inode:[eventfd]', flags: '02004002' },
    9: { link: '/home/u/report.json', flags: '0100001' },
    10: { link: 'pipe:[900]', flags: '01' },
    11: { link: 'socket:[77]', flags: '02' },
  });

  test("Node.js's own descriptors are recognised: event loop, and pipes whose reading end is in the process", () => {
    expect(isRuntimeDescriptor(3, fd, info)).toBe(true);
    expect(isRuntimeDescriptor(8, fd, info)).toBe(true);
    expect(isRuntimeDescriptor(5, fd, info)).toBe(true);
    expect(isRuntimeDescriptor(4, fd, info)).toBe(true);
  });

  test('descriptors the shell passed in are not: a file, a pipe read elsewhere (even shared with stdout), a socket, a closed one', () => {
    expect(isRuntimeDescriptor(9, fd, info)).toBe(false);
    expect(isRuntimeDescriptor(10, fd, info)).toBe(false);
    expect(isRuntimeDescriptor(11, fd, info)).toBe(false);
    expect(isRuntimeDescriptor(40, fd, info)).toBe(false);
  });

  test('this process: the epoll descriptor Node.js holds is refused as a usage error naming the descriptor', () => {
    // On Linux every Node.js process holds an epoll descriptor; find it, as a user's typo might.
    let runtime: number | undefined;
    for (let n = 3; n < 64 && runtime === undefined; n++) if (isRuntimeDescriptor(n)) runtime = n;
    if (process.platform !== 'linux') return;
    expect(runtime).toBeDefined();
    const entry = `json=/dev/fd/${runtime}`;
    expect(() => planOutputs([entry], [], process.cwd())).toThrow(UsageError);
    expect(() => planOutputs([entry], [], process.cwd())).toThrow(`--output "${entry}": descriptor ${runtime} was not opened for patchaudit (Node.js uses it internally); open it in the shell first, e.g. ${runtime}>report.json`);
    expect(() => planOutputs([`junit=/proc/${process.pid}/fd/${runtime}`], [], process.cwd())).toThrow(`e.g. ${runtime}>report.xml`);
  });
});
