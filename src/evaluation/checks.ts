/**
 * The fail-closed checks the evaluator adds to a host's findings besides the rules: always `unknown`, so
 * a host they apply to is never reported compliant. Reports that list rules list these after them.
 */
export interface FailClosedCheck {
  title: string;
  description: string;
  remediation: string;
}

export const FAIL_CLOSED_CHECKS: Record<string, FailClosedCheck> = {
  'DATA-CONFLICT': {
    title: 'Inventory rows for the host contradict each other',
    description: 'Two rows or files say different things about the machine (its OS, say), so it cannot be judged; the host is reported unknown rather than judged on either.',
    remediation: 'Check the inventory: one machine has contradicting rows (duplicate, stale or spoofed).',
  },
  COVERAGE: {
    title: 'No rule covers the host',
    description: "Every rule was not applicable to the host's platform, so nothing was checked; the host is reported unknown rather than compliant.",
    remediation: 'Audit this host with rules for its platform (--rules FILE).',
  },
};

/** A rule id's title when it is not in the rule set: a fail-closed check's, else the id itself. */
export function checkTitle(id: string): string {
  return Object.hasOwn(FAIL_CLOSED_CHECKS, id) ? FAIL_CLOSED_CHECKS[id].title : id;
}
