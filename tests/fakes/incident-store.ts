import type { IncidentStore, OpenCursor, UpdateOutcome } from '../../src/app/ports/incident-store';
import { openOrderScore } from '../../src/domain/open-order';
import type { Change, Incident } from '../../src/domain/incident';
import { dayKey } from '../../src/domain/incident-id';
import { isOpenStatus } from '../../src/domain/lifecycle';
import type { TimelineEvent, TimelineEventInput } from '../../src/domain/timeline';

/** Incidents in memory, with the Redis store's contract: ids per day, idempotent create, versioned update. */
export class FakeIncidentStore implements IncidentStore {
  readonly incidents = new Map<string, Incident>();
  readonly timelines = new Map<string, TimelineEvent[]>();
  readonly channels = new Map<string, string>();
  private readonly idempotency = new Map<string, string>();
  private readonly seq = new Map<string, number>();
  private streamSeq = 0;

  async create(build: { incident: Incident; events: TimelineEventInput[] }, idempotencyKey?: string) {
    const known = idempotencyKey ? this.idempotency.get(idempotencyKey) : undefined;
    if (known) return { created: false, incident: this.incidents.get(known)! };
    const day = dayKey(build.incident.createdAt);
    const n = (this.seq.get(day) ?? 0) + 1;
    this.seq.set(day, n);
    const id = `INC-${day}-${String(n).padStart(3, '0')}`;
    const incident = { ...build.incident, id, version: 1 };
    this.incidents.set(id, incident);
    this.append(id, build.events);
    if (idempotencyKey) this.idempotency.set(idempotencyKey, id);
    return { created: true, incident: structuredClone(incident) };
  }

  async get(id: string): Promise<Incident | null> {
    const incident = this.incidents.get(id);
    return incident ? structuredClone(incident) : null;
  }

  async getWithTimeline(id: string): Promise<{ incident: Incident; timeline: TimelineEvent[] } | null> {
    const incident = await this.get(id);
    return incident ? { incident, timeline: await this.timeline(id) } : null;
  }

  async update(id: string, change: (incident: Incident) => Change): Promise<UpdateOutcome> {
    const current = this.incidents.get(id);
    if (!current) return { ok: false, code: 'incident.not_found', reason: `No incident ${id}.` };
    const result = change(structuredClone(current));
    if (!result.ok) return result;
    const next = { ...result.incident, version: current.version + 1 };
    this.incidents.set(id, next);
    this.append(id, result.events);
    return { ok: true, incident: structuredClone(next), events: result.events };
  }

  async appendTimeline(id: string, events: TimelineEventInput[]): Promise<void> {
    this.append(id, events);
  }

  async timelineHasEffect(id: string, effectKey: string, sinceMs: number): Promise<boolean> {
    return (this.timelines.get(id) ?? []).some((e) => e.at >= sinceMs && e.details?.effect === effectKey);
  }

  async timeline(id: string, count?: number): Promise<TimelineEvent[]> {
    const all = structuredClone(this.timelines.get(id) ?? []);
    return count ? all.slice(0, count) : all;
  }

  async listOpen(limit?: number): Promise<Incident[]> {
    const open = [...this.incidents.values()].filter((i) => isOpenStatus(i.status)).sort((a, b) => a.createdAt - b.createdAt);
    return structuredClone(limit ? open.slice(0, limit) : open);
  }

  private openByAge(): Incident[] {
    return [...this.incidents.values()]
      .filter((i) => isOpenStatus(i.status))
      .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  }

  async listOpenBySeverity(limit: number, offset = 0): Promise<Incident[]> {
    const open = this.openByAge().sort((a, b) => openOrderScore(a.severity, a.createdAt) - openOrderScore(b.severity, b.createdAt));
    return structuredClone(open.slice(offset, offset + limit));
  }

  async countOpen(): Promise<number> {
    return this.openByAge().length;
  }

  async openAfter(cursor: OpenCursor | null, limit: number): Promise<{ incidents: Incident[]; next: OpenCursor | null }> {
    const open = this.openByAge().filter(
      (i) => !cursor || i.createdAt > cursor.score || (i.createdAt === cursor.score && i.id > cursor.id),
    );
    const page = open.slice(0, limit);
    const last = page.at(-1);
    return { incidents: structuredClone(page), next: open.length > limit && last ? { score: last.createdAt, id: last.id } : null };
  }

  async reindexOpen(): Promise<{ placed: number; removed: number }> {
    return { placed: this.openByAge().length, removed: 0 };
  }

  async timelineTail(id: string, count: number): Promise<{ entries: TimelineEvent[]; total: number }> {
    const all = this.timelines.get(id) ?? [];
    return { entries: structuredClone(all.slice(-count)), total: all.length };
  }

  async timelineAfter(id: string, cursor: string | null): Promise<TimelineEvent[]> {
    const all = this.timelines.get(id) ?? [];
    const at = cursor === null ? -1 : all.findIndex((e) => e.id === cursor);
    return structuredClone(all.slice(at + 1));
  }

  async listAll(limit = 100, offset = 0): Promise<Incident[]> {
    return structuredClone([...this.incidents.values()].sort((a, b) => b.createdAt - a.createdAt).slice(offset, offset + limit));
  }

  async linkChannel(channelId: string, incidentId: string): Promise<void> {
    this.channels.set(channelId, incidentId);
  }

  async incidentForChannel(channelId: string): Promise<string | null> {
    return this.channels.get(channelId) ?? null;
  }

  /** The timeline's kinds in order: what a reader of the incident would see happen. */
  kinds(id: string): string[] {
    return (this.timelines.get(id) ?? []).map((e) => e.kind);
  }

  private append(id: string, events: TimelineEventInput[]): void {
    const list = this.timelines.get(id) ?? [];
    for (const e of events) list.push({ ...structuredClone(e), id: `${e.at}-${this.streamSeq++}` });
    this.timelines.set(id, list);
  }
}
