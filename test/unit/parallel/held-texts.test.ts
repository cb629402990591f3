import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { HostResult } from '../../../src/evaluation/types.js';
import type { GroupText } from '../../../src/parallel/group-audit.js';
import { HeldTexts } from '../../../src/parallel/held-texts.js';
import { SummaryBuilder } from '../../../src/evaluation/evaluate-host.js';
import { TimelineBuilder } from '../../../src/evaluation/timeline.js';
import { tempDir } from '../../helpers/tmp.js';

/** A group's text for two targets: distinct bytes per group and target, so a mix-up shows. */
function groupText(seq: number, size: number): GroupText {
  const texts = [0, 1].map((t) => Uint8Array.from({ length: size + t }, (_, i) => (seq * 31 + t * 7 + i) & 0xff));
  return { seq, texts, summary: new SummaryBuilder(['r']).summary, timeline: new TimelineBuilder('2026-11-25').build(), head: { hostname: `PC-${seq}` } as unknown as HostResult };
}

const buffer = (size: number) => new Uint8Array(size);
/** Descriptors this process has open (Linux shows them under /proc). */
const openFds = () => (process.platform === 'linux' ? readdirSync('/proc/self/fd').length : 0);

describe('HeldTexts', () => {
  test('past the budget, texts wait in a file no one else sees, and come back byte for byte', () => {
    const dir = tempDir('patchaudit-held-');
    const fdsBefore = openFds();
    const held = new HeldTexts(3000, dir);
    const released: number[] = [];
    const release = (b: Uint8Array) => released.push(b.length);
    for (let seq = 0; seq < 5; seq++) held.put(seq, groupText(seq, 1000), release);
    // Groups 0 (2,001 bytes) fits; the rest would pass 3,000 bytes and are written to the file, their
    // buffers handed back for later groups.
    expect(held.spilledCount).toBe(4);
    expect(released).toEqual([1000, 1001, 1000, 1001, 1000, 1001, 1000, 1001]);
    expect(readdirSync(dir)).toEqual([]);
    for (let seq = 0; seq < 5; seq++) {
      const got = held.take(seq, buffer);
      const want = groupText(seq, 1000);
      expect(got.texts.map((t) => Buffer.from(t).toString('hex'))).toEqual(want.texts.map((t) => Buffer.from(t).toString('hex')));
      expect(got.head).toEqual(want.head);
      expect(got.seq).toBe(seq);
    }
    expect(() => held.take(0, buffer)).toThrow(/not held/);
    // The last text taken closes the file.
    expect(openFds()).toBe(fdsBefore);
  });

  test('memory freed by a taken text is used again before the file', () => {
    const held = new HeldTexts(2500, tempDir('patchaudit-held-'));
    held.put(0, groupText(0, 1000), () => undefined);
    held.take(0, buffer);
    held.put(1, groupText(1, 1000), () => undefined);
    expect(held.spilledCount).toBe(0);
  });

  test('a text dropped (its group read again) is forgotten, in memory or in the file; close removes the file', () => {
    const fdsBefore = openFds();
    const held = new HeldTexts(10, tempDir('patchaudit-held-'));
    held.put(0, groupText(0, 100), () => undefined);
    held.put(1, groupText(1, 100), () => undefined);
    expect(held.spilledCount).toBe(2);
    held.drop(0, () => undefined);
    expect(() => held.take(0, buffer)).toThrow(/not held/);
    held.put(0, groupText(9, 50), () => undefined);
    expect(held.take(0, buffer).texts[0]).toEqual(groupText(9, 50).texts[0]);
    held.close();
    expect(() => held.take(1, buffer)).toThrow(/not held/);
    expect(openFds()).toBe(fdsBefore);
  });

  test('no temporary folder to write to: texts stay in memory, none lost', () => {
    const held = new HeldTexts(10, path.join(tempDir('patchaudit-held-'), 'missing'));
    for (let seq = 0; seq < 3; seq++) held.put(seq, groupText(seq, 100), () => undefined);
    expect(held.spilledCount).toBe(0);
    for (let seq = 0; seq < 3; seq++) expect(held.take(seq, buffer).texts[1]).toEqual(groupText(seq, 100).texts[1]);
  });
});
