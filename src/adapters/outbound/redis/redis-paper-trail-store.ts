import { createHash } from 'node:crypto';
import type {
  CommentMark,
  GitHubSyncState,
  PaperTrailStore,
  StoredActionItem,
  StoredReport,
  StoredReportInput,
} from '../../../app/ports/paper-trail-store';
import type { ActionItem } from '../../../domain/report/report-input';
import type { RedisClient } from './key-space';

/** The paper trail's own records per incident: report answers, action items, GitHub sync progress. */
export class RedisPaperTrailStore implements PaperTrailStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private key(incidentId: string, what: 'report' | 'actions' | 'github' | 'notice' | 'comments'): string {
    return `${this.prefix}paper-trail:${incidentId}:${what}`;
  }

  /** Saves the report's answers and returns the new revision (1 for the first report). */
  async saveReport(incidentId: string, input: StoredReportInput, by: string, at: number): Promise<StoredReport> {
    const key = this.key(incidentId, 'report');
    const [[, revision] = []] =
      (await this.redis.multi().hincrby(key, 'revision', 1).hset(key, 'input', JSON.stringify(input), 'by', by, 'at', String(at)).exec()) ??
      [];
    return { input, revision: Number(revision), writtenBy: by, writtenAt: at };
  }

  async report(incidentId: string): Promise<StoredReport | null> {
    const [input, revision, by, at] = await this.redis.hmget(this.key(incidentId, 'report'), 'input', 'revision', 'by', 'at');
    if (!input || !revision) return null;
    return { input: JSON.parse(input) as StoredReportInput, revision: Number(revision), writtenBy: by ?? '', writtenAt: Number(at) };
  }

  /** Same text (case and spacing aside) means the same item: adding it again changes nothing. */
  static itemKey(text: string): string {
    return createHash('sha1').update(text.replace(/\s+/g, ' ').trim().toLowerCase()).digest('hex').slice(0, 12);
  }

  /** Adds an item unless one with the same text exists; returns the stored one and whether it is new. */
  async addActionItem(incidentId: string, item: ActionItem, by: string, at: number): Promise<{ created: boolean; item: StoredActionItem }> {
    const key = RedisPaperTrailStore.itemKey(item.text);
    const stored: StoredActionItem = { ...item, key, addedBy: by, addedAt: at };
    const created = (await this.redis.hsetnx(this.key(incidentId, 'actions'), key, JSON.stringify(stored))) === 1;
    if (created) return { created, item: stored };
    const existing = await this.redis.hget(this.key(incidentId, 'actions'), key);
    return { created, item: existing ? (JSON.parse(existing) as StoredActionItem) : stored };
  }

  /** In the order they were added. */
  async actionItems(incidentId: string): Promise<StoredActionItem[]> {
    const all = Object.values(await this.redis.hgetall(this.key(incidentId, 'actions'))).map(
      (json) => JSON.parse(json) as StoredActionItem,
    );
    return all.sort((a, b) => a.addedAt - b.addedAt || a.key.localeCompare(b.key));
  }

  async updateActionItem(incidentId: string, item: StoredActionItem): Promise<void> {
    await this.redis.hset(this.key(incidentId, 'actions'), item.key, JSON.stringify(item));
  }

  async syncState(incidentId: string): Promise<GitHubSyncState> {
    const raw = await this.redis.hgetall(this.key(incidentId, 'github'));
    return {
      cursor: raw.cursor ?? null,
      labels: raw.labels ?? null,
      state: raw.state === 'open' || raw.state === 'closed' ? raw.state : null,
      publishedRevision: Number(raw.publishedRevision ?? 0),
      publishedActions: raw.publishedActions ?? null,
      reportUrl: raw.reportUrl ?? null,
      commentsTracked: raw.commentsTracked === 'true',
    };
  }

  /** What is known of the comment for timeline entry `eventId`: nothing, being posted, or posted. */
  async commentMark(incidentId: string, eventId: string): Promise<CommentMark | null> {
    const mark = await this.redis.hget(this.key(incidentId, 'comments'), eventId);
    return mark === 'attempting' || mark === 'posted' ? mark : null;
  }

  async markComment(incidentId: string, eventId: string, mark: CommentMark): Promise<void> {
    await this.redis.hset(this.key(incidentId, 'comments'), eventId, mark);
  }

  async saveSyncState(incidentId: string, patch: Partial<GitHubSyncState>): Promise<void> {
    const fields = Object.entries(patch)
      .filter(([, v]) => v !== undefined && v !== null)
      .flatMap(([k, v]) => [k, String(v)]);
    if (fields.length) await this.redis.hset(this.key(incidentId, 'github'), ...fields);
  }

  async hasNotice(incidentId: string, kind: string): Promise<boolean> {
    return (await this.redis.hexists(this.key(incidentId, 'notice'), kind)) === 1;
  }

  /** True the first time only: Slack hears once per incident that its GitHub issue is pending. */
  async firstNotice(incidentId: string, kind: string): Promise<boolean> {
    return (await this.redis.hsetnx(this.key(incidentId, 'notice'), kind, '1')) === 1;
  }
}
