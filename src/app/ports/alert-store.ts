/** Where an alert group stands: which generation, and its incident (open, and the latest of any). */
export interface AlertGroupRef {
  /** Bumped each time the group's incident ends; part of the create idempotency key. */
  generation: number;
  incidentId: string | null;
  /** The most recent incident of the group, open or not. */
  lastIncidentId: string | null;
}

/** An incident's alert counts after a delivery was folded in. */
export interface AlertRecord {
  firing: number;
  resolved: number;
  total: number;
  /** Every alert ever delivered for the incident, repeats included. */
  receipts: number;
  seq: number;
  /** Alerts whose status or severity this delivery changed (0 = a pure repeat). */
  changed: number;
  added: number;
}

/**
 * Alert groups and per-incident alert state (RedisAlertStore implements it). Every move of a
 * group is conditional, so concurrent deliveries on several replicas agree on one incident.
 */
export interface AlertStore {
  group(groupKey: string): Promise<AlertGroupRef>;
  /** Points the group at the incident opened for `generation`, unless the group moved on; true when it did. */
  bind(groupKey: string, generation: number, incidentId: string): Promise<boolean>;
  /** The group's incident ended: the next firing alert opens a new one (next generation). */
  retire(groupKey: string, incidentId: string): Promise<boolean>;
  /** The incident opened for `fromGeneration` had already ended: move the group on past it. */
  advance(groupKey: string, fromGeneration: number): Promise<boolean>;
  /** A reopened incident takes its group back, unless a newer incident has it. */
  adopt(groupKey: string, incidentId: string): Promise<boolean>;
  /**
   * Time, not arrival order (docs/alerts-order.md): which of these alert changes are newer than
   * the group's last recorded change of each alert; the admitted ones are recorded in the same step.
   */
  admitInOrder(groupKey: string, changes: { fingerprint: string; status: 'firing' | 'resolved'; at: number | null }[]): Promise<boolean[]>;
  /** A merged incident's alert state goes with its group to the incident it was merged into. */
  moveState(fromIncidentId: string, toIncidentId: string): Promise<void>;
  /** Folds a delivery's alerts (`value` = `<status>:<severity>`) into the incident's state; repeats change nothing. */
  record(incidentId: string, alerts: { fingerprint: string; value: string }[]): Promise<AlertRecord>;
  /** Current counts for an incident; null when it has no alerts. */
  counts(incidentId: string): Promise<{ firing: number; resolved: number; total: number; receipts: number } | null>;
  /** First delivery of a sender's event id wins; repeats within the TTL are duplicates. */
  claimDelivery(source: string, deliveryId: string, ttlMs?: number): Promise<boolean>;
  /** Gives a delivery back after a failure so the sender's retry is processed. */
  releaseDelivery(source: string, deliveryId: string): Promise<void>;
}
