import { type Severity, severityRank } from './severity';

// Wider than any millisecond timestamp (now ≈ 1.8e12), and (rank + 1) × this stays an exact
// double (< 2^53), so one number orders by severity first and by age second.
const SEVERITY_STEP = 1e13;

/**
 * Where an open incident sits in the order a responder reads them: most severe first, then
 * oldest first. One number, so the store can keep the order as a sorted-set score and read
 * only the page it shows.
 */
export function openOrderScore(severity: Severity, createdAt: number): number {
  return (severityRank(severity) + 1) * SEVERITY_STEP + createdAt;
}
