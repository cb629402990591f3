import { BlockAuditor, type BlockAuditSetup, type BlockJob } from '../../../src/parallel/block-audit.js';
import { loadRules } from '../../../src/rules/load-rules.js';
import type { DecoderSetup } from '../../../src/inventory/read-csv.js';

const HEADERS = ['Hostname', 'OS Name', 'OS Version', 'Installed KBs', 'Last Patch Date', 'Site'];

/** Rows of a realistic wide export: a product mix, KB lists, some rows without a hostname or with a bad date. */
function rowsText(n: number, first = 0): string {
  const products = [
    ['Microsoft Windows 7 Enterprise', '6.1.7601', 'KB4012212; KB2999226'],
    ['Microsoft Windows 10 Enterprise', '10.0.19045.4291', 'KB5036892'],
    ['Microsoft Windows XP Professional', '5.1.2600', ''],
    ['Microsoft Windows Server 2016 Standard', '10.0.14393.6897', 'KB5035855; KB4013429'],
    ['"Microsoft Windows 11 Pro, 23H2"', '10.0.22631.3447', '"KB5036893, KB5037853"'],
  ];
  const lines: string[] = [];
  for (let i = first; i < first + n; i++) {
    const [os, ver, kbs] = products[i % products.length];
    const host = i % 97 === 5 ? '' : `WS-${String(i).padStart(6, '0')}`;
    const date = i % 89 === 7 ? '31/31/2024' : `2024-${String((i % 12) + 1).padStart(2, '0')}-1${i % 10}`;
    lines.push([host, os, ver, kbs, date, i % 3 ? 'Royal Infirmary' : '"St Mary\'s, Ward 3"'].join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

/** Text cut at the given points (anywhere: inside a quoted cell, between CR and LF). */
function cut(text: string, points: number[]): string[] {
  const out: string[] = [];
  let at = 0;
  for (const p of [...points].sort((a, b) => a - b)) {
    if (p > at && p < text.length) {
      out.push(text.slice(at, p));
      at = p;
    }
  }
  out.push(text.slice(at));
  return out;
}

describe('BlockAuditor', () => {
  let setup: BlockAuditSetup;
  const decoder: DecoderSetup = { file: 'fleet.csv', headers: HEADERS, order: 'mdy', map: {}, maxFieldSize: 1_000_000 };
  const job = (texts: string[], seq = 0): BlockJob => ({ seq, texts, line: 2, setup: decoder });

  beforeAll(async () => {
    const rules = await loadRules([]);
    setup = {
      rules,
      asOf: '2026-11-25',
      warnDays: 30,
      delimiter: ',',
      maxRecordChars: 2_000_000,
      lineBreak: '\n',
      targets: [
        { format: 'ndjson', csvBom: false, ctx: { explain: false, show: 'all', minSeverity: 'low', width: 120 } },
        { format: 'csv', csvBom: false, ctx: { explain: false, show: 'all', minSeverity: 'low', width: 120 } },
      ],
    };
  });

  const decode = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');

  test('a block cut into pieces anywhere audits exactly as the whole block', async () => {
    const auditor = await BlockAuditor.create(setup);
    const text = rowsText(1_500);
    const whole = auditor.audit(job([text]));
    expect(whole.rows).toBe(1_500);
    expect(whole.names.length + whole.rejected.length).toBe(1_500);
    expect(whole.rejected.length).toBeGreaterThan(10);
    const ndjson = decode(whole.texts[0]).trimEnd().split('\n');
    expect(ndjson).toHaveLength(whole.names.length);
    expect(JSON.parse(ndjson[0]).hostname).toBe('WS-000000');
    // Cut points in quoted cells, between CR and LF, and on piece boundaries of the tokenizer.
    const cuts = [1, 17, text.indexOf('"') + 3, text.indexOf('\r') + 1, 16 * 1024, 16 * 1024 + 1, 40_000, text.length - 2];
    const again = auditor.audit(job(cut(text, cuts), 1));
    expect(again.names).toEqual(whole.names);
    expect(again.lines).toEqual(whole.lines);
    expect(again.rejected).toEqual(whole.rejected);
    expect(again.summary).toEqual(whole.summary);
    expect(decode(again.texts[0])).toBe(decode(whole.texts[0]));
    expect(decode(again.texts[1])).toBe(decode(whole.texts[1]));
  });

  test('a written buffer handed back is reused for a later block, with the same output as a fresh one', async () => {
    const auditor = await BlockAuditor.create(setup);
    const fresh = await BlockAuditor.create(setup);
    const first = auditor.audit(job([rowsText(400)]));
    const buffer = first.texts[0].buffer as ArrayBuffer;
    expect(auditor.recycle(buffer)).toBe(true);
    const second = auditor.audit(job([rowsText(300, 400)], 1));
    expect(second.texts[0].buffer).toBe(buffer);
    expect(decode(second.texts[0])).toBe(decode(fresh.audit(job([rowsText(300, 400)], 1)).texts[0]));
  });

  test('only a few buffers are kept, the biggest', async () => {
    const auditor = await BlockAuditor.create(setup);
    const kept = [1, 2, 3, 4].map(() => auditor.recycle(new ArrayBuffer(1024)));
    expect(kept).toEqual([true, true, false, false]);
    expect(auditor.recycle(new ArrayBuffer(0))).toBe(false);
    const big = new ArrayBuffer(1 << 20);
    expect(auditor.recycle(big)).toBe(true);
    expect(auditor.audit(job([rowsText(50)])).texts[0].buffer).toBe(big);
  });
});
