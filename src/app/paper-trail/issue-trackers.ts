import type { IssueTracker } from '../ports/issue-tracker';
import type { Incident } from '../../domain/incident';

/**
 * Where incidents' paper trails go on GitHub: public ones to GITHUB_REPOSITORY, private ones
 * to `paper_trail.private_repository`. Either may be missing; an incident whose repository
 * is missing gets no GitHub issue.
 */
export interface IssueTrackers {
  public: IssueTracker | null;
  private: IssueTracker | null;
}

export function trackerFor(trackers: IssueTrackers, incident: Pick<Incident, 'private'>): IssueTracker | null {
  return incident.private ? trackers.private : trackers.public;
}
