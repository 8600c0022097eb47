import type { OnCallResult, Pager, PagerIncident, PagerResult } from '../../src/app/ports/pager';

/** A pager in memory: what was paged, acknowledged and resolved; `status` is the answer it gives. */
export class FakePager implements Pager {
  readonly pages = new Map<string, 'triggered' | 'acknowledged' | 'resolved'>();
  status = 202;
  oncalls: OnCallResult['oncalls'] = [];

  private result(id: string): PagerResult {
    const ok = this.status >= 200 && this.status < 300;
    return { ok, status: this.status, attempts: 1, dedupKey: id, ...(ok ? {} : { error: `HTTP ${this.status}` }) };
  }
  async trigger(incident: PagerIncident): Promise<PagerResult> {
    const r = this.result(incident.id);
    if (r.ok) this.pages.set(incident.id, 'triggered');
    return r;
  }
  async acknowledge(incidentId: string): Promise<PagerResult> {
    const r = this.result(incidentId);
    if (r.ok && this.pages.has(incidentId)) this.pages.set(incidentId, 'acknowledged');
    return r;
  }
  async resolve(incidentId: string): Promise<PagerResult> {
    const r = this.result(incidentId);
    if (r.ok && this.pages.has(incidentId)) this.pages.set(incidentId, 'resolved');
    return r;
  }
  async currentOnCall(): Promise<OnCallResult> {
    const ok = this.status >= 200 && this.status < 300;
    return { ok, status: this.status, attempts: 1, oncalls: ok ? this.oncalls : [] };
  }
}
