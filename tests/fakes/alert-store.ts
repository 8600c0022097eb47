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
