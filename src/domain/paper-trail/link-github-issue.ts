import type { Change, GitHubIssueLink, Incident } from '../incident';

/** Remembers the incident's GitHub issue (shown in the announcement); linking the same issue again is a no-op. */
export function linkGitHubIssue(incident: Incident, link: GitHubIssueLink, now: number): Change {
  if (incident.github?.issueNumber === link.issueNumber && incident.github.url === link.url) return { ok: true, incident, events: [] };
  return {
    ok: true,
    incident: { ...incident, github: link },
    events: [{ at: now, actor: 'bot', kind: 'github_issue', text: `GitHub issue #${link.issueNumber}: ${link.url}`, details: { ...link } }],
  };
}
