import type { Reporter, StreamingReporter } from './types.js';
import { renderWhole } from './whole.js';

/**
 * The report formats; this registry is the only list of them (--format and --output choices come from here).
 * Streaming formats write each host as it is evaluated; the others render once from the collected hosts.
 * Each format's module is loaded only when that format is used, so start-up stays short.
 */
export type FormatEntry =
  | { kind: 'streaming'; load: (options: StreamingOptions) => Promise<StreamingReporter>; description: string }
  | { kind: 'whole'; load: () => Promise<Reporter>; description: string };

export interface StreamingOptions {
  csvBom: boolean;
  /**
   * Hosts continue a report whose start (and first host) another writer already wrote: a worker thread
   * writing its share of a streamed audit.
   */
  continuation?: boolean;
}

export const formats: Record<string, FormatEntry> = {
  table: { kind: 'whole', load: async () => (await import('./table.js')).renderTable, description: 'coloured table for the terminal, worst hosts first' },
  json: { kind: 'streaming', load: async ({ continuation }) => (await import('./json.js')).createJsonStreamReporter({ continuation }), description: 'one JSON document (schema/report.schema.json)' },
  ndjson: { kind: 'streaming', load: async () => (await import('./ndjson.js')).ndjsonReporter, description: 'one JSON line per host, then a summary line' },
  csv: { kind: 'streaming', load: async ({ csvBom }) => (await import('./csv.js')).createCsvReporter({ bom: csvBom }), description: 'one row per host and finding, spreadsheet-safe' },
  markdown: { kind: 'whole', load: async () => (await import('./markdown.js')).renderMarkdown, description: 'summary and failing hosts for a pull request or job summary' },
  sarif: { kind: 'whole', load: async () => (await import('./sarif.js')).renderSarif, description: 'SARIF 2.1.0 for GitHub code scanning' },
  junit: { kind: 'whole', load: async () => (await import('./junit.js')).renderJunit, description: 'JUnit XML for Jenkins, GitLab, Azure DevOps' },
  html: { kind: 'whole', load: async () => (await import('./html.js')).renderHtml, description: 'self-contained HTML report' },
};

export const FORMATS = Object.keys(formats);

/** Any format as a whole-report function (streaming ones run over the collected hosts). */
export async function loadReporter(name: string, options: { csvBom: boolean } = { csvBom: false }): Promise<Reporter> {
  const f = formats[name];
  if (f.kind === 'whole') return f.load();
  const streaming = await f.load(options);
  return renderWhole(() => streaming);
}
