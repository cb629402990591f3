import { renderJson } from './json.js';
import { renderTable } from './table.js';
import type { Reporter } from './types.js';

/** The report formats; the registry is the only list of them (--format choices come from here). */
export const reporters: Record<string, Reporter> = {
  table: renderTable,
  json: renderJson,
};

export const FORMATS = Object.keys(reporters);
