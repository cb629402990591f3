/** A finding's evidence on one line: items joined by "; ", without a full stop left before a separator. */
export function evidenceLine(evidence: readonly string[]): string {
  return evidence.map((e, i) => (i < evidence.length - 1 && /[^.]\.$/.test(e) ? e.slice(0, -1) : e)).join('; ');
}
