/**
 * Messages that a chat service did not take, kept in order per incident until it does: a
 * status update posted during an outage is delivered when the service answers again.
 */
export interface PostQueue<T extends { id: string }> {
  push(incidentId: string, items: readonly T[]): Promise<void>;
  size(incidentId: string): Promise<number>;
  head(incidentId: string): Promise<T | null>;
  /** Replaces the head (attempt count) if it is still `item.id`. */
  replaceHead(incidentId: string, item: T): Promise<void>;
  /** Removes the head if it is still `itemId`. */
  removeHead(incidentId: string, itemId: string): Promise<void>;
  /** Incidents that may have queued items. */
  incidents(): Promise<string[]>;
  /** Exclusive delivery for one incident across replicas, for `ms` at most; false when another holds it. */
  lock(incidentId: string, ms: number): Promise<boolean>;
  unlock(incidentId: string): Promise<void>;
}
