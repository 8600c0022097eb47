export type SerialOutcome = 'ran' | 'handed_over';

/**
 * Runs work for one subject (an incident) one at a time across replicas, coalescing
 * (RedisSerialRunner): a caller that finds the work running leaves a "run again" mark and
 * returns `handed_over` at once; the running owner makes one more pass for it. The work must
 * be a full reconciliation. A failing pass gives the lock up and rethrows.
 */
export interface SerialRunner {
  run(subject: string, owner: string, pass: () => Promise<void>): Promise<SerialOutcome>;
}
