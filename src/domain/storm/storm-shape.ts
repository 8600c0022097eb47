import type { Severity } from '../severity';

/** One alert group inside a storm: counted on the parent, with no announcement or page of its own. */
export interface StormChild {
  /** The sender's group key (Alertmanager groupKey …): what `/incident split` names. */
  groupKey: string;
  /** The group's alert name (label `alertname`), or its first alert's title. Sender text: render escaped. */
  name: string;
  severity: Severity;
  firing: number;
  resolved: number;
  joinedAt: number;
  /** An incident this group had before the storm was recognised, folded in (resolved as merged). */
  foldedFrom?: string | null;
  /** Split out by a person into its own incident. */
  split?: { incidentId: string; by: string; at: number } | null;
}

/** On the parent incident of an alert storm. */
export interface IncidentStorm {
  /** The values of the `alerts.correlate.by` labels every child shares (empty: one storm for all). */
  by: Record<string, string>;
  windowMs: number;
  threshold: number;
  children: StormChild[];
}
