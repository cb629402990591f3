/** Yes/no cells of inventories (ESU enrolled, SMBv1 enabled, internet facing), in the forms people type. */
const UNKNOWN_VALUE = /^(?:n\/?a|unknown|tbc|tbd|\?|-+|#n\/a)$/i;
// The word must end there: a lookahead rather than \b, which does not see the end of "да" or "是".
const YES = /^(?:y|yes|true|1|on|enabled|enrolled|active|activated|licensed|licenced|subscribed|covered|ja|oui|si|sí|да|是|esu|years? ?[1-9]|yrs? ?[1-9]|y[1-9])(?![\p{L}\p{N}_])/iu;
const NO = /^(?:n|no|false|0|off|disabled|none|not|nein|non|нет|否|expired|lapsed)(?![\p{L}\p{N}_])/iu;

/**
 * Interpret a yes/no inventory cell: true, false, or null when empty/unclear. Tolerates the forms
 * people type: "ESU=yes", "Yes (Year 2)", "Enrolled - Year 3", "not enrolled".
 */
export function truthy(value: string): boolean | null {
  const v = value.trim().replace(/^esu\s*[:=]\s*/i, '');
  if (v === '' || UNKNOWN_VALUE.test(v)) return null;
  if (NO.test(v)) return false;
  if (YES.test(v)) return true;
  return null;
}

