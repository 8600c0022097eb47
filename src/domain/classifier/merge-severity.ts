import { isMoreSevere, type Severity } from '../severity';

/**
 * Automatic re-classification may only raise severity: a later, calmer alert must not
 * quietly downgrade an incident a person may be treating as critical. Lowering is a
 * human decision (`/incident severity`). Returns the severity to apply, or null for "keep".
 */
export function raiseOnly(current: Severity, proposed: Severity): Severity | null {
  return isMoreSevere(proposed, current) ? proposed : null;
}
