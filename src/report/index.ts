import { createCsvReporter } from './csv.js';
import { createJsonStreamReporter } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { ndjsonReporter } from './ndjson.js';
import { renderSarif } from './sarif.js';
import { renderTable } from './table.js';
import type { Reporter, StreamingReporter } from './types.js';

/**
 * The report formats; this registry is the only list of them (--format and --output choices come from here).
 * Streaming formats write each host as it is evaluated; the others render once from the collected hosts.
 * The HTML report is loaded only when asked for (it is the largest module).
 */
export type FormatEntry =
  | { kind: 'streaming'; create: (options: { csvBom: boolean }) => StreamingReporter; description: string }
  | { kind: 'whole'; load: () => Promise<Reporter>; description: string };

export const formats: Record<string, FormatEntry> = {
  table: { kind: 'whole', load: async () => renderTable, description: 'coloured table for the terminal, worst hosts first' },
  json: { kind: 'streaming', create: () => createJsonStreamReporter(), description: 'one JSON document (schema/report.schema.json)' },
  ndjson: { kind: 'streaming', create: () => ndjsonReporter, description: 'one JSON line per host, then a summary line' },
  csv: { kind: 'streaming', create: ({ csvBom }) => createCsvReporter({ bom: csvBom }), description: 'one row per host and finding, spreadsheet-safe' },
  markdown: { kind: 'whole', load: async () => renderMarkdown, description: 'summary and failing hosts for a pull request or job summary' },
  sarif: { kind: 'whole', load: async () => renderSarif, description: 'SARIF 2.1.0 for GitHub code scanning' },
  junit: { kind: 'whole', load: async () => renderJunit, description: 'JUnit XML for Jenkins, GitLab, Azure DevOps' },
  html: { kind: 'whole', load: async () => (await import('./html.js')).renderHtml, description: 'self-contained HTML report' },
};

export const FORMATS = Object.keys(formats);

/** Any format as a whole-report function (streaming ones run over the collected hosts). */
export async function loadReporter(name: string, options: { csvBom: boolean } = { csvBom: false }): Promise<Reporter> {
  const f = formats[name];
  if (f.kind === 'whole') return f.load();
  const streaming = f.create(options);
  return (report, ctx) => {
    const parts = [streaming.start(report, ctx)];
    for (const h of report.hosts) parts.push(streaming.host(h, ctx));
    parts.push(streaming.end(report, ctx));
    return parts.join('');
  };
}
