import type { Incident } from '../../domain/incident';

/** What the pager needs of an incident: its id is the page's dedup key. */
export type PagerIncident = Pick<Incident, 'id' | 'title' | 'severity' | 'service' | 'createdAt' | 'private'>;

/** Never thrown: the caller's flow reads it and says what happened. `status` null: no HTTP answer. */
export interface PagerResult {
  ok: boolean;
  status: number | null;
  attempts: number;
  dedupKey: string;
  error?: string;
}

/** A person on call for an escalation policy; level 1 is paged first. */
export interface OnCallPerson {
  name: string;
  email: string | null;
  level: number;
}

export interface OnCallResult {
  ok: boolean;
  status: number | null;
  attempts: number;
  oncalls: OnCallPerson[];
  error?: string;
}

/** The pager (PagerDutyPager implements it): results, never throws. */
export interface Pager {
  trigger(incident: PagerIncident): Promise<PagerResult>;
  acknowledge(incidentId: string): Promise<PagerResult>;
  resolve(incidentId: string): Promise<PagerResult>;
  currentOnCall(escalationPolicyId: string): Promise<OnCallResult>;
}

/** 429 and 5xx are the pager's "try again"; so is no answer at all. Other 4xx will not get better. */
export function isRetryable(status: number | null): boolean {
  return status === null || status === 429 || status >= 500;
}
