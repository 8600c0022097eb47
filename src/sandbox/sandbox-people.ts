/**
 * Who is in the sandbox workspace. The ids are the ones examples/sandbox/config.yml names:
 * the two approvers approve checkout's rollbacks, the others try the guardrails.
 */
export interface SandboxUser {
  id: string;
  name: string;
  role: string;
  /** What users.lookupByEmail finds them by (the sandbox PagerDuty's on-call is dana). */
  email: string;
  /** A guest sees only the channels it was invited to and cannot join others. */
  guest?: boolean;
}

export const SANDBOX_USERS: SandboxUser[] = [
  { id: 'U0ONCALL', name: 'dana', email: 'dana@sandbox.example', role: 'on-call engineer' },
  { id: 'U0APPROVER1', name: 'ari', email: 'ari@sandbox.example', role: 'approver (team lead)' },
  { id: 'U0APPROVER2', name: 'bo', email: 'bo@sandbox.example', role: 'approver (SRE)' },
  { id: 'U0DEV', name: 'casey', email: 'casey@sandbox.example', role: 'engineer, not an approver' },
  { id: 'U0GUEST', name: 'gus', email: 'gus@sandbox.example', role: 'guest', guest: true },
];

export const BOT_USER = { id: 'U0BOT', botId: 'B0BOT', name: 'incident-bot' };
export const TEAM = { id: 'T0SANDBOX', domain: 'sandbox', name: 'Sandbox' };
export const APP_ID = 'A0SANDBOX';

/** User groups answered by usergroups.users.list (and drawn as @sre in mentions). */
export const SANDBOX_USER_GROUPS: Record<string, { handle: string; users: string[] }> = {
  S0SRE: { handle: 'sre', users: ['U0APPROVER1', 'U0APPROVER2'] },
};

export const START_CHANNELS = [
  // The bot was invited here, as the README's set-up asks.
  { id: 'C0INCIDENTS', name: 'incident-response', private: false, members: ['U0BOT', ...SANDBOX_USERS.map((u) => u.id)] },
  { id: 'C0GENERAL', name: 'general', private: false, members: SANDBOX_USERS.filter((u) => !u.guest).map((u) => u.id) },
];
