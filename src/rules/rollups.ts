import { readFileSync } from 'node:fs';

/**
 * The rollup catalog: per OS family, the monthly rollups and cumulative updates since 2017-03
 * (derived from Microsoft's security update data; see src/rules/data/rollup-catalog.json "source").
 * A monthly rollup or cumulative update of month M contains the fixes of every earlier one in its family;
 * security-only updates are not cumulative.
 */
export interface RollupRow {
  kb: string;
  month: string;
  kind: 'monthly-rollup' | 'security-only' | 'preview-rollup' | 'cumulative' | 'standalone';
  confidence: 'confirmed' | 'secondary' | 'inferred';
  supersedes: string[];
  /** Windows 10 rows: OS build revision (UBR) of the update, when known. */
  revision: number | null;
}

export interface RollupCatalog {
  source: string;
  dataAsOf: string;
  families: Map<string, RollupRow[]>;
}

const KINDS = new Set(['monthly-rollup', 'security-only', 'preview-rollup', 'cumulative', 'standalone']);

/** One catalog row as written by scripts/build-rollup-catalog.js: [kb, month, kind, confidence, supersedes, build, released, flags]. */
type CatalogRow = [string, string, string, string, string[], string | null, string | null, string[]];

function toRow([kb, month, kind, confidence, supersedes, build]: CatalogRow): RollupRow | null {
  if (!KINDS.has(kind)) return null;
  // Windows 10 rows carry "14393.953": the revision is what build checks compare.
  const m = build ? /(\d+)$/.exec(build) : null;
  return {
    kb: kb.toUpperCase(),
    month,
    kind: kind as RollupRow['kind'],
    confidence: (['confirmed', 'secondary', 'inferred'].includes(confidence) ? confidence : 'inferred') as RollupRow['confidence'],
    supersedes,
    revision: m ? Number(m[1]) : null,
  };
}

let cached: RollupCatalog | null = null;

export function loadRollupCatalog(): RollupCatalog {
  if (cached) return cached;
  const url = new URL('./data/rollup-catalog.json', import.meta.url);
  const json = JSON.parse(readFileSync(url, 'utf8')) as { source?: string; dataAsOf?: string; families: Record<string, CatalogRow[]> };
  const families = new Map<string, RollupRow[]>();
  for (const [fam, rows] of Object.entries(json.families ?? {})) {
    families.set(fam, rows.map(toRow).filter((r): r is RollupRow => r !== null));
  }
  cached = { source: json.source ?? 'rollup catalog', dataAsOf: json.dataAsOf ?? '', families };
  return cached;
}

const KIND_WORDS: Record<RollupRow['kind'], string> = {
  'monthly-rollup': 'monthly rollup',
  'security-only': 'security-only update',
  'preview-rollup': 'preview of monthly rollup',
  cumulative: 'cumulative update',
  standalone: 'standalone update',
};

export function describeKind(kind: RollupRow['kind']): string {
  return KIND_WORDS[kind];
}

/**
 * The cumulative updates of `family` that contain a fix first shipped in `fixMonth`:
 * monthly rollups and cumulative updates of later months, previews of the fix month onwards,
 * and, where the catalog knows the build revision, any cumulative update at or above `minRevision`.
 * Security-only and standalone updates never count (they are not cumulative).
 */
export function rollupsContainingFix(family: string, fixMonth: string, minRevision?: number): Map<string, RollupRow> {
  const out = new Map<string, RollupRow>();
  const rows = loadRollupCatalog().families.get(family) ?? [];
  for (const r of rows) {
    if (r.kind === 'security-only' || r.kind === 'standalone') continue;
    let contains = r.month > fixMonth || (r.month === fixMonth && r.kind === 'preview-rollup');
    if (r.kind === 'cumulative' && minRevision !== undefined && r.revision !== null) contains = r.revision >= minRevision;
    if (contains) out.set(r.kb, r);
  }
  return out;
}

/** The highest KB number in a family's catalog, and the newest month: later updates are beyond its data. */
export function catalogExtent(family: string): { maxKb: number; lastMonth: string } | null {
  const rows = loadRollupCatalog().families.get(family);
  if (!rows || rows.length === 0) return null;
  let maxKb = 0;
  let lastMonth = '';
  for (const r of rows) {
    const n = Number(r.kb.slice(2));
    if (n > maxKb) maxKb = n;
    if (r.month > lastMonth) lastMonth = r.month;
  }
  return { maxKb, lastMonth };
}

/**
 * The newest build revision of `family` out by `month` (YYYY-MM), when the catalog knows later ones:
 * an audit dated earlier cannot count a build released after it. Null when nothing later is known.
 */
export function newestRevisionBy(family: string, month: string): number | null {
  const rows = loadRollupCatalog().families.get(family) ?? [];
  if (!rows.some((r) => r.month > month && r.revision !== null)) return null;
  let newest = 0;
  for (const r of rows) if (r.month <= month && r.revision !== null && r.revision > newest) newest = r.revision;
  return newest;
}

/** Every KB of a family (to say "KB4015546 is a security-only update" in evidence). */
export function catalogRow(family: string, kb: string): RollupRow | undefined {
  return (loadRollupCatalog().families.get(family) ?? []).find((r) => r.kb === kb);
}
