import type { OnCallPerson, OnCallResult, Pager, PagerIncident, PagerResult } from '../../src/app/ports/pager';

/**
 * A pager in memory: what was paged, acknowledged and resolved; `status` is the answer it gives.
 * `received` is PagerDuty's event log: every event it accepted, in order (Events v2 accepts an
 * acknowledge or resolve for a dedup key it never saw, and it changes nothing there).
 */
export class FakePager implements Pager {
  readonly pages = new Map<string, 'triggered' | 'acknowledged' | 'resolved'>();
  readonly received: string[] = [];
  status = 202;
  /** Who is on call for any policy not in `onCallBy`. */
  oncalls: OnCallPerson[] = [];
  readonly onCallBy = new Map<string, OnCallPerson[]>();

  private result(id: string, action: string): PagerResult {
    const ok = this.status >= 200 && this.status < 300;
    if (ok) this.received.push(`${action} ${id}`);
    return { ok, status: this.status, attempts: 1, dedupKey: id, ...(ok ? {} : { error: `HTTP ${this.status}` }) };
  }
  async trigger(incident: PagerIncident): Promise<PagerResult> {
    const r = this.result(incident.id, 'trigger');
    if (r.ok) this.pages.set(incident.id, 'triggered');
    return r;
  }
  async acknowledge(incidentId: string): Promise<PagerResult> {
    const r = this.result(incidentId, 'acknowledge');
    if (r.ok && this.pages.has(incidentId)) this.pages.set(incidentId, 'acknowledged');
    return r;
  }
  async resolve(incidentId: string): Promise<PagerResult> {
    const r = this.result(incidentId, 'resolve');
    if (r.ok && this.pages.has(incidentId)) this.pages.set(incidentId, 'resolved');
    return r;
  }
  async currentOnCall(escalationPolicyId: string): Promise<OnCallResult> {
    const ok = this.status >= 200 && this.status < 300;
    const oncalls = this.onCallBy.get(escalationPolicyId) ?? this.oncalls;
    return {
      ok,
      status: this.status,
      attempts: 1,
      oncalls: ok ? structuredClone(oncalls) : [],
      ...(ok ? {} : { error: `HTTP ${this.status}` }),
    };
  }
}
