import { UsageError } from '../errors.js';
import { isCanonicalField } from '../inventory/fields.js';
import type { CanonicalField } from '../inventory/types.js';

/** --map field=Header entries → overrides for the column mapping. */
export function parseMap(entries: string[]): Partial<Record<CanonicalField, string>> {
  const out: Partial<Record<CanonicalField, string>> = {};
  for (const e of entries) {
    const i = e.indexOf('=');
    if (i <= 0) throw new UsageError(`--map "${e}": expected field=Header, e.g. --map hostname="Computer"`);
    const field = e.slice(0, i).trim().toLowerCase().replace(/[\s-]+/g, '_');
    const header = e.slice(i + 1).trim();
    if (!isCanonicalField(field)) throw new UsageError(`--map "${e}": unknown field "${field}" (fields: hostname, os_name, os_version, os_build, os_revision, service_pack, os_edition, kb_list, kb, last_patch_date, site, …)`);
    out[field] = header;
  }
  return out;
}

