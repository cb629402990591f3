import { HostBuilder, hostKey, noHostnameReason, recordHostname } from './inventory/hosts.js';
import { listInputs, readInventorySource, type InventoryFileInfo, type ReadInventoryOptions } from './inventory/read-inventory.js';
import type { RejectedRow } from './inventory/types.js';

export interface InspectFile {
  file: string;
  format: InventoryFileInfo['format'];
  encoding: string;
  encodingReason: string;
  delimiter: string | null;
  headerLine: number | null;
  preambleLines: number;
  columns: { header: string; field: string | null; note?: string }[];
  unmapped: string[];
  dateOrder: string | null;
  rows: number;
}

export interface InspectResult {
  files: InspectFile[];
  rows: number;
  rejected: RejectedRow[];
  hosts: number;
  recognition: {
    recognised: number;
    unrecognised: number;
    /** Share of hosts mapped to a known product, 0–100. */
    percent: number;
    byProduct: { product: string; release: string | null; hosts: number }[];
    unrecognisedStrings: { raw: string; hosts: number }[];
  };
  warnings: string[];
}

/** What a user runs first on a new export: how patchaudit reads it, and how much of it it recognises. */
export async function inspectInventory(inputs: string[], options: ReadInventoryOptions = {}): Promise<InspectResult> {
  const files: InspectFile[] = [];
  const rejected: RejectedRow[] = [];
  const warnings: string[] = [];
  const builders = new Map<string, HostBuilder>();
  let rows = 0;
  const listing = await listInputs(inputs);
  warnings.push(...listing.warnings);
  for (const { file: input } of listing.inputs) {
    let current: InspectFile | null = null;
    const opts: ReadInventoryOptions = {
      ...options,
      onFile: (info) => {
        const l = info.layout;
        current = {
          file: info.file,
          format: info.format,
          encoding: info.encoding,
          encodingReason: info.encodingReason,
          delimiter: l?.delimiter ?? null,
          headerLine: l?.headerLine ?? null,
          preambleLines: l ? l.headerLine - 1 : 0,
          columns: l
            ? l.headers.map((h, i) => ({
                header: h,
                field: l.mapping.byColumn[i],
                ...(i === l.mapping.updateCounts ? { note: '(counts of updates, not a list: not read)' } : {}),
              }))
            : [],
          unmapped: l?.mapping.unmapped ?? [],
          dateOrder: l?.dateOrder ?? null,
          rows: 0,
        };
        files.push(current);
      },
    };
    for await (const ev of readInventorySource(input, opts)) {
      if (ev.type === 'warning') {
        warnings.push(ev.message);
        continue;
      }
      // Blocks are only handed out when an audit asks for them.
      if (ev.type === 'block' || ev.type === 'drain') continue;
      rows++;
      if (current) (current as InspectFile).rows++;
      if (ev.type === 'rejected') {
        rejected.push(ev.rejected);
        continue;
      }
      const name = recordHostname(ev.record);
      if (!name) {
        rejected.push({ file: ev.record.source.file, line: ev.record.source.line, reason: noHostnameReason(ev.record) });
        continue;
      }
      const key = hostKey(name);
      let b = builders.get(key);
      if (!b) builders.set(key, (b = new HostBuilder(name)));
      const w = b.add(ev.record);
      if (w) warnings.push(w);
    }
  }
  const products = new Map<string, { product: string; release: string | null; hosts: number }>();
  const unknown = new Map<string, number>();
  let recognised = 0;
  for (const b of builders.values()) {
    const os = b.build().os;
    if (os.product) {
      recognised++;
      const k = `${os.product}\u0000${os.release ?? ''}`;
      const e = products.get(k) ?? { product: os.product, release: os.release, hosts: 0 };
      e.hosts++;
      products.set(k, e);
    } else unknown.set(os.raw || '(no OS data)', (unknown.get(os.raw || '(no OS data)') ?? 0) + 1);
  }
  const hosts = builders.size;
  return {
    files,
    rows,
    rejected,
    hosts,
    recognition: {
      recognised,
      unrecognised: hosts - recognised,
      percent: hosts === 0 ? 0 : Math.round((1000 * recognised) / hosts) / 10,
      byProduct: [...products.values()].sort((a, b) => b.hosts - a.hosts || a.product.localeCompare(b.product) || (a.release ?? '').localeCompare(b.release ?? '')),
      unrecognisedStrings: [...unknown].map(([raw, n]) => ({ raw, hosts: n })).sort((a, b) => b.hosts - a.hosts || a.raw.localeCompare(b.raw)),
    },
    warnings,
  };
}
