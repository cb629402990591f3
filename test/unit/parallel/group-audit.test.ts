import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { InventoryError } from '../../../src/errors.js';
import { FolderAudit, fileHostStem, groupEnds, groupSize, namesApart } from '../../../src/parallel/folder.js';
import { GroupAuditor, groupErrorToError, type GroupAuditSetup } from '../../../src/parallel/group-audit.js';
import { auditToResult, runAudit } from '../../../src/audit.js';
import { createStyle } from '../../../src/cli/style.js';
import { loadRules } from '../../../src/rules/load-rules.js';
import { tempDir } from '../../helpers/tmp.js';

const label = (l: string) => l.padEnd(27);
function systeminfo(host: string, os: string, version: string, kbs: string[]): string {
  return [
    label('Host Name:') + host,
    label('OS Name:') + os,
    label('OS Version:') + version,
    label('Hotfix(s):') + `${kbs.length} Hotfix(s) Installed.`,
    ...kbs.map((kb, k) => ' '.repeat(27) + `[${String(k + 1).padStart(2, '0')}]: ${kb}`),
    '',
  ].join('\r\n');
}

/** 40 per-host files and a CSV list (with a row that has no hostname), in a fresh folder. */
function folder(): { dir: string; files: string[] } {
  const dir = tempDir('patchaudit-groups-');
  const files: string[] = [];
  for (let i = 0; i < 40; i++) {
    const f = path.join(dir, `PC-${String(i).padStart(3, '0')}.txt`);
    writeFileSync(f, i % 2 ? systeminfo(`PC-${i}`, 'Microsoft Windows 7 Enterprise ', '6.1.7601 Service Pack 1 Build 7601', i % 4 === 1 ? ['KB4012212'] : []) : systeminfo(`PC-${i}`, 'Microsoft Windows 10 Enterprise', '10.0.19045 N/A Build 19045', ['KB5062554']));
    files.push(f);
  }
  const list = path.join(dir, 'servers.csv');
  writeFileSync(list, 'Hostname,OS Name,OS Version,Installed KBs\r\nSRV-1,Microsoft Windows Server 2012 R2 Standard,6.3.9600,KB4012213\r\n,Microsoft Windows 7 Enterprise,6.1.7601,\r\n');
  files.push(list);
  return { dir, files };
}

async function setup(format = 'ndjson'): Promise<GroupAuditSetup> {
  return { rules: await loadRules([]), asOf: '2026-11-25', warnDays: 30, targets: [{ format, csvBom: false, ctx: { explain: false, show: 'all', minSeverity: 'low', width: 120 } }], read: {} };
}

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

describe('GroupAuditor', () => {
  test('reads a group as the sequential audit does: hosts in order, files, rejected rows', async () => {
    const { files } = folder();
    const auditor = await GroupAuditor.create(await setup());
    const r = await auditor.read({ seq: 3, files: files.slice(38) });
    expect(r.seq).toBe(3);
    expect(r.keys).toEqual(['pc-38', 'pc-39', 'srv-1']);
    expect(r.rows).toBe(4);
    expect(r.error).toBeNull();
    expect(r.log.map((e) => ('file' in e ? `file ${path.basename(e.file.file)} ${e.file.format}` : 'rejected' in e ? `rejected ${e.rejected.line} ${e.rejected.reason}` : `warning`))).toEqual([
      'file PC-038.txt systeminfo-list',
      'file PC-039.txt systeminfo-list',
      'file servers.csv csv',
      'rejected 3 no hostname',
    ]);
    const run = auditor.compose(r.text!, false);
    const lines = text(run.texts[0]).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.hostname)).toEqual(['PC-38', 'PC-39', 'SRV-1']);
    expect(run.summary.hosts).toBe(3);
  });

  test('the group holding the report\'s first host writes it without a separator (JSON)', async () => {
    const { files } = folder();
    const auditor = await GroupAuditor.create(await setup('json'));
    const r0 = await auditor.read({ seq: 0, files: files.slice(0, 2) });
    const r1 = await auditor.read({ seq: 1, files: files.slice(2, 4) });
    expect(text(auditor.compose(r0.text!, true).texts[0]).startsWith('\n{"hostname":"PC-0"')).toBe(true);
    expect(text(auditor.compose(r1.text!, false).texts[0]).startsWith(',\n{"hostname":"PC-2"')).toBe(true);
  });

  test('a group is written as it is read; only its first host waits to learn whether it starts the report', async () => {
    const { files } = folder();
    const [a, b] = [await GroupAuditor.create(await setup('json')), await GroupAuditor.create(await setup('json'))];
    const ra = await a.read({ seq: 0, files: files.slice(0, 4) });
    const rb = await b.read({ seq: 0, files: files.slice(0, 4) });
    const first = text(a.compose(ra.text!, true).texts[0]);
    const later = text(b.compose(rb.text!, false).texts[0]);
    expect(later).toBe(',' + first);
    expect(first.split('\n').slice(1).map((l) => JSON.parse(l.replace(/,$/, '')).hostname)).toEqual(['PC-0', 'PC-1', 'PC-2', 'PC-3']);
  });

  test('a file that cannot be read ends its group with the error, as data, after what came before', async () => {
    const { dir, files } = folder();
    const empty = path.join(dir, 'PC-005b.txt');
    writeFileSync(empty, '');
    const auditor = await GroupAuditor.create(await setup());
    const r = await auditor.read({ seq: 0, files: [files[4], files[5], empty, files[6]] });
    expect(r.keys).toEqual(['pc-4', 'pc-5']);
    // A group that failed stops the audit: nothing of it is written.
    expect(r.text).toBeNull();
    expect(r.error).toEqual({ message: `${empty}: file is empty`, input: { file: empty, line: null } });
    const err = groupErrorToError(r.error!);
    expect(err).toBeInstanceOf(InventoryError);
    expect(err.message).toBe(`${empty}: file is empty`);
    expect(groupErrorToError({ message: 'boom', input: null })).not.toBeInstanceOf(InventoryError);
  });
});

describe('FolderAudit (in this thread: workers are covered by the e2e tests on the built CLI)', () => {
  test('groups of 16 files or more, about 16 per thread, at most 256', () => {
    expect(groupSize(10, 2)).toBe(16);
    expect(groupSize(10_000, 2)).toBe(256);
    expect(groupSize(3_000, 4)).toBe(47);
  });

  test('groups are not cut between files named for one machine', () => {
    const files = ['a.txt', 'b.txt', 'c.txt', 'c_qfe.txt', 'C-hotfixes.csv', 'd.txt', 'e.txt', 'f.txt', 'f_qfe.txt'].map((f) => `/x/${f}`);
    expect(groupEnds(files, 3)).toEqual([5, 9]);
    expect(groupEnds(files, 2)).toEqual([2, 5, 7, 9]);
    expect(groupEnds(files.slice(0, 5), 1)).toEqual([1, 2, 5]);
  });

  test('a machine\'s exports named apart (qfe-HOST … systeminfo-HOST): one thread from the start', async () => {
    expect(['HOST_qfe.txt', 'qfe-HOST.txt', 'systeminfo-HOST.txt', 'HOST.txt', 'host-Hotfixes.csv', 'HOST_systeminfo_qfe.txt'].map((f) => fileHostStem(`/x/${f}`))).toEqual(['host', 'host', 'host', 'host', 'host', 'host']);
    expect(fileHostStem('/x/WS-0011-systeminfo.txt')).toBe('ws-0011');
    expect(namesApart(['/x/a.txt', '/x/a_qfe.txt', '/x/b.txt', '/x/b_qfe.txt'])).toBe(false);
    expect(namesApart(['/x/qfe-a.txt', '/x/qfe-b.txt', '/x/systeminfo-a.txt', '/x/systeminfo-b.txt'])).toBe(true);
    const { dir, files } = folder();
    const apart = files.map((f) => {
      const to = path.join(dir, `systeminfo-${path.basename(f)}`);
      writeFileSync(to, '');
      return to;
    });
    // Empty files: an error if anything were read; null says nothing was.
    expect(await FolderAudit.read({ files: [...files, ...apart].sort(), setup: await setup(), threads: 2, forced: true })).toBeNull();
  });

  test('hosts written group by group are the sequential audit\'s, in its order', async () => {
    const { dir, files } = folder();
    const fa = (await FolderAudit.read({ files, setup: await setup(), threads: 1, forced: true }))!;
    expect(fa.reads.map((r) => r.keys.length)).toEqual([16, 16, 9]);
    expect(fa.groupsReadByWorkers).toBe(0);
    let out = '';
    await fa.finish((run, release) => {
      out += text(run.texts[0]);
      release(run.texts[0]);
    });
    await fa.close();
    const sequential = await auditToResult({ inputs: [dir], rules: await loadRules([]), asOf: '2026-11-25', warnDays: 30 });
    const names = out.trim().split('\n').map((l) => JSON.parse(l).hostname);
    expect(names).toHaveLength(41);
    expect(new Set(names)).toEqual(new Set(sequential.hosts.map((h) => h.hostname)));
    expect(names.slice(0, 3)).toEqual(['PC-0', 'PC-1', 'PC-2']);
    expect(names[40]).toBe('SRV-1');
  });

  test.each([
    ['held in memory', undefined],
    ['held in a temporary file', 1],
  ])('a host with rows in two groups: those groups are read again together, and the report is the one thread\'s (text %s)', async (_, heldBytes) => {
    const { dir, files } = folder();
    const again = path.join(dir, 'zz-again.txt');
    writeFileSync(again, systeminfo('PC-3', 'Microsoft Windows 7 Enterprise ', '6.1.7601 Service Pack 1 Build 7601', ['KB4499175']));
    const all = [...files, again];
    expect(groupEnds(all, groupSize(all.length, 1))).toEqual([16, 32, 42]);
    const fa = (await FolderAudit.read({ files: all, setup: await setup(), threads: 1, forced: true, held: { bytes: heldBytes } }))!;
    expect(fa).not.toBeNull();
    // Four group reads (three, and the last again with the first), each past a budget of one byte.
    expect(fa.spilled).toBe(heldBytes ? 5 : 0);
    // PC-3 counts once, in the group where it is first seen.
    expect(fa.reads.map((r) => r.keys.length)).toEqual([16, 16, 9]);
    expect(fa.reads[0].keys).toContain('pc-3');
    expect(fa.reads[2].keys).not.toContain('pc-3');
    let out = '';
    await fa.finish((run, release) => {
      out += text(run.texts[0]);
      release(run.texts[0]);
    });
    await fa.close();
    const { ndjsonReporter } = await import('../../../src/report/ndjson.js');
    const ctx = { ...(await setup()).targets[0].ctx, style: createStyle(0) };
    let sequential = '';
    await runAudit({ inputs: [dir], rules: await loadRules([]), asOf: '2026-11-25', warnDays: 30 }, (h) => {
      delete h.host;
      sequential += ndjsonReporter.host(h, ctx);
    });
    expect(out).toBe(sequential);
    const pc3 = out.trim().split('\n').map((l) => JSON.parse(l)).find((h) => h.hostname === 'PC-3');
    expect(pc3.installedUpdates).toBe(1);
  });

  test('hosts shared by many groups: null, so the folder is read host by host', async () => {
    const { dir, files } = folder();
    const again = path.join(dir, 'zz-again.txt');
    writeFileSync(again, ['PC-3', 'PC-20'].map((h) => systeminfo(h, 'Microsoft Windows 7 Enterprise ', '6.1.7601 Service Pack 1 Build 7601', ['KB4499175'])).join(''));
    expect(await FolderAudit.read({ files: [...files, again], setup: await setup(), threads: 1, forced: true })).toBeNull();
  });
  test('a list of every machine sorted last: read first, so the folder goes host by host after three groups, not all', async () => {
    const dir = tempDir('patchaudit-groups-');
    const files: string[] = [];
    const rows = ['Hostname,HotFixID'];
    for (let i = 0; i < 200; i++) {
      const f = path.join(dir, `PC-${String(i).padStart(3, '0')}.txt`);
      writeFileSync(f, systeminfo(`PC-${i}`, 'Microsoft Windows 10 Enterprise', '10.0.19045 N/A Build 19045', ['KB5062554']));
      files.push(f);
      rows.push(`PC-${i},KB5063709`);
    }
    const list = path.join(dir, 'zz-hotfixes.csv');
    writeFileSync(list, rows.join('\r\n') + '\r\n');
    files.push(list);
    const progress: number[] = [];
    const fa = await FolderAudit.read({ files, setup: await setup(), threads: 1, forced: true, onProgress: (p) => progress.push(p.rows) });
    expect(fa).toBeNull();
    expect(groupEnds(files, groupSize(files.length, 1))).toHaveLength(13);
    // The list's group (its 200 rows and the 8 files before it), then groups 0 and 1: three groups of 13.
    expect(progress).toEqual([208, 224, 240]);
  });
});
