import type { Logger } from '../../../logger';

export type DrawKind = 'announce' | 'refresh';

/** What drawing one incident did: `drawn` spent the channel's turn, `skipped` did not call Slack. */
export type DrawResult = { outcome: 'drawn' | 'skipped'; notice?: string } | { outcome: 'retry'; retryAfterMs: number };

export interface CoalescingRefresherOptions {
  /** At most one Slack call per channel per this interval (Slack allows about 1 message/s/channel). */
  minIntervalMs: number;
  /** Posts or updates one incident's announcement from its latest stored state. */
  draw: (kind: DrawKind, incidentId: string) => Promise<DrawResult>;
  log: Logger;
  now?: () => number;
}

interface Lane {
  /** Announcements waiting, with whoever awaits each; first in, first out. */
  announces: Map<string, ((notice: string | void) => void)[]>;
  /** Incidents whose announcement needs redrawing; a second request before the draw is absorbed. */
  refreshes: Set<string>;
  /** Callers of a refresh that was drawn at once, waiting briefly for its notice. */
  refreshWaiters: Map<string, ((notice: string | void) => void)[]>;
  busy: boolean;
  timer: NodeJS.Timeout | undefined;
  notBefore: number;
}

/**
 * Paces announcement posts and updates per channel so a storm of incident changes turns
 * into at most one Slack call per channel per interval. Requests carry only the incident
 * id and the draw reads the stored incident, so the latest state always wins and the last
 * change is always drawn. A 429's Retry-After moves the channel's next turn; callers are
 * never held up by it (refresh does not wait at all). Announcements go before refreshes:
 * an incident nobody has seen matters more than a newer count on one they have.
 */
export class CoalescingRefresher {
  private readonly lanes = new Map<string, Lane>();
  private readonly aliases = new Map<string, string>();
  private stopped = false;

  constructor(private readonly options: CoalescingRefresherOptions) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** Slack answers with channel ids; posts were addressed by name. Both must share one lane. */
  alias(channel: string, sameAs: string): void {
    if (channel !== sameAs) this.aliases.set(channel, sameAs);
  }

  private lane(channel: string): Lane {
    const key = this.aliases.get(channel) ?? channel;
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { announces: new Map(), refreshes: new Set(), refreshWaiters: new Map(), busy: false, timer: undefined, notBefore: 0 };
      this.lanes.set(key, lane);
    }
    return lane;
  }

  /** Queues the announcement; resolves with a notice for the person once it was posted (or failed). */
  announce(channel: string, incidentId: string): Promise<string | void> {
    const lane = this.lane(channel);
    return new Promise((resolve) => {
      lane.announces.set(incidentId, [...(lane.announces.get(incidentId) ?? []), resolve]);
      this.pump(lane);
    });
  }

  /**
   * Queues a redraw. When nothing else waits in the channel, the caller may wait up to
   * `noticeWaitMs` for the draw's notice (e.g. "channel is archived") to tell the person
   * who clicked; when the channel is busy with other work, or rate-limited, it returns at once.
   */
  refresh(channel: string, incidentId: string, noticeWaitMs = 0): Promise<string | void> {
    const lane = this.lane(channel);
    // A queued announcement will draw the latest state anyway.
    if (lane.announces.has(incidentId)) return Promise.resolve();
    const alone = !lane.announces.size && [...lane.refreshes].every((id) => id === incidentId);
    lane.refreshes.add(incidentId);
    if (noticeWaitMs <= 0 || !alone || this.stopped) {
      this.pump(lane);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(), noticeWaitMs);
      timer.unref?.();
      lane.refreshWaiters.set(incidentId, [
        ...(lane.refreshWaiters.get(incidentId) ?? []),
        (notice) => {
          clearTimeout(timer);
          resolve(notice);
        },
      ]);
      this.pump(lane);
    });
  }

  /** Resolves when nothing is queued or in flight (tests, shutdown). */
  async idle(timeoutMs = 30_000): Promise<boolean> {
    const deadline = this.now() + timeoutMs;
    while ([...this.lanes.values()].some((l) => l.busy || l.announces.size || l.refreshes.size)) {
      if (this.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 20));
    }
    return true;
  }

  stop(): void {
    this.stopped = true;
    for (const lane of this.lanes.values()) {
      clearTimeout(lane.timer);
      // Unposted announcements are posted by the next start's sweep; nobody may wait forever.
      for (const waiters of lane.announces.values())
        for (const resolve of waiters) resolve('The bot is stopping; the announcement will be posted when it starts again.');
      for (const waiters of lane.refreshWaiters.values()) for (const resolve of waiters) resolve();
      lane.announces.clear();
      lane.refreshWaiters.clear();
    }
  }

  private pump(lane: Lane): void {
    if (this.stopped || lane.busy || lane.timer) return;
    if (!lane.announces.size && !lane.refreshes.size) return;
    const wait = lane.notBefore - this.now();
    if (wait > 0) {
      lane.timer = setTimeout(() => {
        lane.timer = undefined;
        this.pump(lane);
      }, wait);
      lane.timer.unref?.();
      return;
    }
    void this.drawNext(lane);
  }

  private async drawNext(lane: Lane): Promise<void> {
    lane.busy = true;
    const announced = lane.announces.entries().next();
    const kind: DrawKind = announced.done ? 'refresh' : 'announce';
    const incidentId = announced.done ? lane.refreshes.values().next().value! : announced.value[0];
    const waiters = announced.done ? (lane.refreshWaiters.get(incidentId) ?? []) : announced.value[1];
    if (kind === 'announce') lane.announces.delete(incidentId);
    else {
      lane.refreshes.delete(incidentId);
      lane.refreshWaiters.delete(incidentId);
    }

    let result: DrawResult;
    try {
      result = await this.options.draw(kind, incidentId);
    } catch (error) {
      this.options.log.warn({ err: error, incidentId, kind }, 'announcement draw failed');
      result = { outcome: 'drawn', notice: 'The announcement could not be drawn.' };
    }
    if (result.outcome === 'retry') {
      lane.notBefore = this.now() + result.retryAfterMs;
      if (kind === 'announce') lane.announces.set(incidentId, [...waiters, ...(lane.announces.get(incidentId) ?? [])]);
      else {
        lane.refreshes.add(incidentId);
        // Refresh callers are not held through a rate limit.
        for (const resolve of waiters) resolve();
      }
    } else {
      if (result.outcome === 'drawn') lane.notBefore = this.now() + this.options.minIntervalMs;
      for (const resolve of waiters) resolve(result.notice);
    }
    lane.busy = false;
    this.pump(lane);
  }
}
