import { normaliseOs, type OsInput } from '../../src/inventory/normalise-os.js';
import type { Host } from '../../src/inventory/types.js';

/** A host of one inventory row with this OS and, when given, this ESU cell: for evaluating rules directly. */
export function syntheticHost(os: OsInput, esu?: string): Host {
  return {
    hostname: 'H',
    key: 'h',
    sources: [{ file: 'synthetic.csv', line: 2 }],
    os: normaliseOs(os),
    kbs: new Set(),
    kbEvidence: false,
    fields: esu === undefined ? {} : { esu },
    columns: Object.create(null),
  };
}
