/** A host as JSON reports carry it, reduced to what verdict sidecars check. */
export interface VerdictHost {
  hostname: string;
  status: string;
  os: { product: string | null; release: string | null };
  findings: { ruleId: string; status: string }[];
}

export interface CompareOptions {
  /** Which sidecar keys are rule ids. */
  isRule: (key: string) => boolean;
  /** Status to assume when a rule has no finding for the host. */
  absent: string;
  /** Match hostnames case-insensitively. */
  ignoreCase?: boolean;
}

/** Compare expected verdicts (hostname → {status, product, release, <rule id>}) with a report's hosts; returns the differences. */
export function compareVerdicts(expected: Record<string, Record<string, string | null>>, hosts: VerdictHost[], opts: CompareOptions): string[] {
  const norm = (s: string) => (opts.ignoreCase ? s.toLowerCase() : s);
  const byName = new Map(hosts.map((h) => [norm(h.hostname), h]));
  const problems: string[] = [];
  for (const [name, exp] of Object.entries(expected)) {
    const h = byName.get(norm(name));
    if (!h) {
      problems.push(`${name}: not in the report`);
      continue;
    }
    for (const [key, want] of Object.entries(exp)) {
      let got: string | null | undefined;
      if (key === 'status') got = h.status;
      else if (key === 'product') got = h.os.product;
      else if (key === 'release') got = h.os.release;
      else if (opts.isRule(key)) got = h.findings.find((f) => f.ruleId === key)?.status ?? opts.absent;
      else continue;
      if (got !== want) problems.push(`${name}: ${key} expected ${want}, got ${got}`);
    }
  }
  return problems;
}
