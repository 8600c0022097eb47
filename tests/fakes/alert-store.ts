import type { AlertGroupRef, AlertRecord, AlertStore } from '../../src/app/ports/alert-store';

interface Group {
  gen: number;
  incident: string | null;
  last: string | null;
}

/** Alert groups and per-incident alert state in memory, moving exactly as the Redis scripts do. */
export class FakeAlertStore implements AlertStore {
  readonly groups = new Map<string, Group>();
  readonly states = new Map<string, Map<string, string>>();
  private readonly meta = new Map<string, { receipts: number; seq: number }>();
  readonly deliveries = new Set<string>();

  private groupOf(key: string): Group {
    let g = this.groups.get(key);
    if (!g) {
      g = { gen: 0, incident: null, last: null };
      this.groups.set(key, g);
    }
    return g;
  }

  async group(groupKey: string): Promise<AlertGroupRef> {
    const g = this.groups.get(groupKey);
    return { generation: g?.gen ?? 0, incidentId: g?.incident ?? null, lastIncidentId: g?.last ?? null };
  }

  async bind(groupKey: string, generation: number, incidentId: string): Promise<boolean> {
    const g = this.groupOf(groupKey);
    if (g.gen !== generation) return false;
    Object.assign(g, { incident: incidentId, last: incidentId });
    return true;
  }

  async retire(groupKey: string, incidentId: string): Promise<boolean> {
    const g = this.groupOf(groupKey);
    if (g.incident !== incidentId) return false;
    Object.assign(g, { gen: g.gen + 1, incident: null });
    return true;
  }

  async advance(groupKey: string, fromGeneration: number): Promise<boolean> {
    const g = this.groupOf(groupKey);
    if (g.gen !== fromGeneration) return false;
    Object.assign(g, { gen: g.gen + 1, incident: null });
    return true;
  }

  async adopt(groupKey: string, incidentId: string): Promise<boolean> {
    const g = this.groupOf(groupKey);
    if (g.incident) return false;
    Object.assign(g, { incident: incidentId, last: incidentId });
    return true;
  }

  async record(incidentId: string, alerts: { fingerprint: string; value: string }[]): Promise<AlertRecord> {
    const state = this.states.get(incidentId) ?? new Map<string, string>();
    this.states.set(incidentId, state);
    const meta = this.meta.get(incidentId) ?? { receipts: 0, seq: 0 };
    this.meta.set(incidentId, meta);
    let changed = 0;
    let added = 0;
    for (const a of alerts) {
      const old = state.get(a.fingerprint);
      if (old === a.value) continue;
      if (old === undefined) added += 1;
      state.set(a.fingerprint, a.value);
      changed += 1;
    }
    meta.receipts += alerts.length;
    if (changed) meta.seq += 1;
    const firing = [...state.values()].filter((v) => v.startsWith('firing:')).length;
    return { firing, resolved: state.size - firing, total: state.size, receipts: meta.receipts, seq: meta.seq, changed, added };
  }

  async counts(incidentId: string) {
    const state = this.states.get(incidentId);
    if (!state?.size) return null;
    const firing = [...state.values()].filter((v) => v.startsWith('firing:')).length;
    return { firing, resolved: state.size - firing, total: state.size, receipts: this.meta.get(incidentId)?.receipts ?? 0 };
  }

  /** Per group and alert: `<status>` and the sender's time of the last admitted change (the Redis script's rules). */
  readonly times = new Map<string, { status: 'firing' | 'resolved'; at: number | null }>();
  async admitInOrder(
    groupKey: string,
    changes: { fingerprint: string; status: 'firing' | 'resolved'; at: number | null }[],
  ): Promise<boolean[]> {
    return changes.map((c) => {
      const key = `${groupKey}\n${c.fingerprint}`;
      const old = this.times.get(key);
      let admit = true;
      let keep = c.at;
      if (old && c.at !== null && old.at !== null) {
        if (c.status !== old.status) admit = !(c.status === 'firing' ? c.at <= old.at : c.at < old.at);
        else if (old.at > c.at) keep = old.at;
      }
      if (admit) this.times.set(key, { status: c.status, at: keep });
      return admit;
    });
  }

  async moveState(fromIncidentId: string, toIncidentId: string): Promise<void> {
    const from = this.states.get(fromIncidentId);
    if (!from) return;
    const to = this.states.get(toIncidentId) ?? new Map<string, string>();
    for (const [fp, value] of from) to.set(fp, value);
    this.states.set(toIncidentId, to);
    this.states.delete(fromIncidentId);
  }

  async claimDelivery(source: string, deliveryId: string): Promise<boolean> {
    const key = `${source}:${deliveryId}`;
    if (this.deliveries.has(key)) return false;
    this.deliveries.add(key);
    return true;
  }

  async releaseDelivery(source: string, deliveryId: string): Promise<void> {
    this.deliveries.delete(`${source}:${deliveryId}`);
  }
}
