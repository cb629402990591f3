// One measured run for scripts/bench.js: prints "BENCH <seconds> <maxRSS KiB>" on stderr at exit.
//   bench-child.js baseline <file>     csv-parse alone (columns: true, streaming), rows counted and discarded
//   bench-child.js readall <folder>    read every file of a folder (the floor for systeminfo folders)
//   bench-child.js readkbs <folder>    read, decode and collect each file's KB numbers: the least any audit
//                                      of the folder must do (not patchaudit code)
//   bench-child.js readkbs2 <folder>   the same, half the files in a worker thread: what a second core gives
//                                      the floor, its start-up included
//   bench-child.js noop                nothing (node start-up)
//   bench-child.js audit <args…>       the CLI, stdout discarded
import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

/** Each file read, decoded (Latin-1, or UTF-16 after a BOM) and searched for "KB" + digits: the KBs found. */
function kbsOf(folder, files) {
  const utf16 = new TextDecoder('utf-16le');
  let kbs = 0;
  for (const f of files) {
    const buf = readFileSync(path.join(folder, f));
    const text = buf[0] === 0xff && buf[1] === 0xfe ? utf16.decode(buf.subarray(2)) : buf.latin1Slice(0, buf.length);
    const found = new Set();
    for (let i = text.indexOf('KB'); i >= 0; i = text.indexOf('KB', i + 2)) {
      let v = 0;
      for (let k = i + 2; k < text.length; k++) {
        const c = text.charCodeAt(k);
        if (c < 0x30 || c > 0x39) break;
        v = v * 10 + c - 0x30;
      }
      if (v) found.add(v);
    }
    kbs += found.size;
  }
  return kbs;
}

// The worker of readkbs2: its half of the files, the count sent back.
if (!isMainThread) parentPort.postMessage(kbsOf(workerData.folder, workerData.files));

const start = process.hrtime.bigint();
if (isMainThread) process.on('exit', () => {
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  process.stderr.write(`BENCH ${secs.toFixed(4)} ${process.resourceUsage().maxRSS}\n`);
});

const [mode, ...rest] = isMainThread ? process.argv.slice(2) : [];
if (mode === 'baseline') {
  const { parse } = await import('csv-parse');
  let n = 0;
  const parser = createReadStream(rest[0]).pipe(parse({ columns: true }));
  for await (const rec of parser) if (rec) n++;
  process.stdout.write(`${n}\n`);
} else if (mode === 'readall') {
  let bytes = 0;
  for (const f of readdirSync(rest[0])) bytes += readFileSync(path.join(rest[0], f)).length;
  process.stdout.write(`${bytes}\n`);
} else if (mode === 'readkbs') {
  // Decoding as Latin-1 (or UTF-16 after a BOM) and a plain search for "KB" + digits: cheaper than any
  // correct reading, so this is a floor, not a competitor.
  process.stdout.write(`${kbsOf(rest[0], readdirSync(rest[0]))}\n`);
} else if (mode === 'readkbs2') {
  const files = readdirSync(rest[0]);
  const half = files.length >> 1;
  const worker = new Worker(new URL(import.meta.url), { workerData: { folder: rest[0], files: files.slice(half) } });
  const theirs = new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject));
  const mine = kbsOf(rest[0], files.slice(0, half));
  process.stdout.write(`${mine + (await theirs)}\n`);
} else if (mode === 'noop') {
  // start-up only
} else if (mode === 'audit') {
  // Loaded as bin/patchaudit.js loads it.
  const { run } = (await import('../dist/cli/launch.js')).loadCli();
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  process.exitCode = await run([process.argv[0], 'patchaudit', 'audit', ...rest], {
    stdout: sink,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  });
}
