/** Incidents opened recently, per service and by who opened them: what related-incident offers look up. */
export interface RecentIncidents {
  remember(entry: { service: string; opener: 'person' | 'alert'; incidentId: string; openedAt: number }, windowMs: number): Promise<void>;
  /** Ids opened at or after `since`, newest first. */
  since(service: string, opener: 'person' | 'alert', since: number): Promise<string[]>;
}
