import { randomBytes } from 'node:crypto';

/**
 * trigger_ids as Slack issues them with each slash command, click and shortcut: a modal may
 * be opened with one only once, by the app, within its lifetime (Slack: 3 seconds).
 */
export class TriggerIds {
  private readonly issued = new Map<string, { userId: string; at: number; used: boolean }>();

  constructor(
    private readonly ttlMs = 3000,
    private readonly now: () => number = Date.now,
  ) {}

  issue(userId: string): string {
    const id = `${Math.floor(this.now() / 1000)}.${randomBytes(6).readUIntBE(0, 6)}.${randomBytes(16).toString('hex')}`;
    this.issued.set(id, { userId, at: this.now(), used: false });
    return id;
  }

  /** The user the trigger belongs to, or Slack's error for it. */
  consume(id: unknown): { userId: string } | { error: 'invalid_trigger_id' | 'expired_trigger_id' | 'trigger_exchanged' } {
    const entry = typeof id === 'string' ? this.issued.get(id) : undefined;
    if (!entry) return { error: 'invalid_trigger_id' };
    if (entry.used) return { error: 'trigger_exchanged' };
    if (this.now() - entry.at > this.ttlMs) return { error: 'expired_trigger_id' };
    entry.used = true;
    return { userId: entry.userId };
  }
}
