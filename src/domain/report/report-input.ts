/** What the report modal collects; the rest of the report comes from the incident and its timeline. */
export interface ActionItem {
  text: string;
  /** Slack user id of the owner, or a name as typed into the report form ("@alice"). */
  owner: string;
  /** YYYY-MM-DD. */
  due?: string;
  /** Follow-up issue, once one was created for it. */
  issueUrl?: string;
  state?: 'open' | 'closed';
}

export interface ReportInput {
  rootCause: string;
  impact: string;
  wentWell: string[];
  couldImprove: string[];
  actionItems: ActionItem[];
  prevention: string;
  usersAffected?: string;
  sloImpact?: string;
  /** When impact began, if earlier than the incident was opened (epoch ms). */
  impactStartedAt?: number;
}
