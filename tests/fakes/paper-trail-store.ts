import type {
  CommentMark,
  GitHubSyncState,
  PaperTrailStore,
  StoredActionItem,
  StoredReport,
  StoredReportInput,
} from '../../src/app/ports/paper-trail-store';
import type { ActionItem } from '../../src/domain/report/report-input';

const itemKey = (text: string) => text.replace(/\s+/g, ' ').trim().toLowerCase();

/** The paper trail's records in memory. */
export class FakePaperTrailStore implements PaperTrailStore {
  readonly reports = new Map<string, StoredReport>();
  readonly items = new Map<string, Map<string, StoredActionItem>>();
  readonly sync = new Map<string, GitHubSyncState>();
  readonly notices = new Map<string, Set<string>>();

  async saveReport(incidentId: string, input: StoredReportInput, by: string, at: number): Promise<StoredReport> {
    const report = { input, revision: (this.reports.get(incidentId)?.revision ?? 0) + 1, writtenBy: by, writtenAt: at };
    this.reports.set(incidentId, report);
    return report;
  }
  async report(incidentId: string) {
    return this.reports.get(incidentId) ?? null;
  }
  async addActionItem(incidentId: string, item: ActionItem, by: string, at: number) {
    const items = this.items.get(incidentId) ?? new Map<string, StoredActionItem>();
    this.items.set(incidentId, items);
    const key = itemKey(item.text);
    const existing = items.get(key);
    if (existing) return { created: false, item: existing };
    const stored: StoredActionItem = { ...item, key, addedBy: by, addedAt: at };
    items.set(key, stored);
    return { created: true, item: stored };
  }
  async actionItems(incidentId: string) {
    return [...(this.items.get(incidentId)?.values() ?? [])].map((i) => ({ ...i }));
  }
  async updateActionItem(incidentId: string, item: StoredActionItem) {
    this.items.get(incidentId)?.set(item.key, { ...item });
  }
  async syncState(incidentId: string): Promise<GitHubSyncState> {
    return {
      cursor: null,
      labels: null,
      state: null,
      publishedRevision: 0,
      publishedActions: null,
      reportUrl: null,
      commentsTracked: true,
      ...this.sync.get(incidentId),
    };
  }
  readonly comments = new Map<string, CommentMark>();
  async commentMark(incidentId: string, eventId: string): Promise<CommentMark | null> {
    return this.comments.get(`${incidentId}:${eventId}`) ?? null;
  }
  async markComment(incidentId: string, eventId: string, mark: CommentMark): Promise<void> {
    this.comments.set(`${incidentId}:${eventId}`, mark);
  }
  async saveSyncState(incidentId: string, patch: Partial<GitHubSyncState>) {
    const clean = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined && v !== null));
    this.sync.set(incidentId, { ...(await this.syncState(incidentId)), ...clean });
  }
  async hasNotice(incidentId: string, kind: string) {
    return this.notices.get(incidentId)?.has(kind) ?? false;
  }
  async firstNotice(incidentId: string, kind: string) {
    const set = this.notices.get(incidentId) ?? new Set<string>();
    this.notices.set(incidentId, set);
    if (set.has(kind)) return false;
    set.add(kind);
    return true;
  }
}
