/** A storm as the shared window knows it: which one (epoch), since when, and its parent once opened. */
export interface StormSighting {
  /** Counts storms of one scope; with `startedAt` it names the parent's idempotency key. */
  epoch: number;
  startedAt: number;
  /** The parent incident, once someone opened it; null while it is being opened. */
  parentId: string | null;
  /** Groups counted in the window before the storm was recognised (they opened incidents alone). */
  earlier: string[];
}

/**
 * Counts new alert groups in a sliding window, shared by every replica. One atomic step per
 * group decides whether it is alone or part of a storm, so two replicas never see two storms.
 * `scope` is one storm's key: the values of the `by` labels.
 */
export interface StormWindow {
  /** Counts a new group. Null: below the threshold (open an incident as usual). */
  admit(scope: string, groupKey: string, now: number, windowMs: number, threshold: number): Promise<StormSighting | null>;
  /** Records the parent of storm `epoch` (the first one to open it wins; others read it). */
  setParent(scope: string, epoch: number, parentId: string): Promise<string>;
  /** The storm `epoch` is over (its parent was resolved): the next groups count afresh. */
  end(scope: string, epoch: number): Promise<void>;
  /** The storm a group was counted into while it was opening its own incident, if any. */
  foldedInto(scope: string, groupKey: string): Promise<StormSighting | null>;
}

/** The alert-group and alert-state operations a storm needs (RedisAlertStore implements them). */
export interface StormAlertState {
  group(groupKey: string): Promise<{ generation: number; incidentId: string | null }>;
  bind(groupKey: string, generation: number, incidentId: string): Promise<boolean>;
  /** The group now counts on `to` instead of `from` (true also when it already did). */
  rebind(groupKey: string, from: string, to: string): Promise<boolean>;
  states(incidentId: string): Promise<{ fingerprint: string; value: string }[]>;
  record(
    incidentId: string,
    alerts: { fingerprint: string; value: string }[],
  ): Promise<{ firing: number; resolved: number; seq: number; changed: number }>;
  forget(incidentId: string, fingerprints: string[]): Promise<{ firing: number; resolved: number; seq: number }>;
}
