// Building blocks for hand-made audit results in report tests.
import { createStyle } from '../../src/cli/style.js';
import { emptyInfo } from '../../src/inventory/normalise-os.js';
import type { OsInfo } from '../../src/inventory/types.js';
import type { ReporterContext } from '../../src/report/types.js';

/** Plain text, every host, no explanations: what files and pipes get. */
export const PLAIN_CTX: ReporterContext = { style: createStyle(0), explain: false, show: 'all', minSeverity: 'info', width: 120 };

/** A normalised OS with only the product set (Windows products are family windows, others linux). */
export function osInfo(product: string | null, extra: Partial<OsInfo> = {}): OsInfo {
  return {
    ...emptyInfo(product ?? ''),
    family: product === null ? 'unknown' : product.startsWith('Windows') ? 'windows' : 'linux',
    product,
    server: false,
    ...extra,
  };
}
