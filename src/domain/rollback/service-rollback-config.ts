import type { RollbackPlan } from './rollback-plan';

/** Who may approve a service's rollback: Slack user ids and user group ids, never names. */
export interface Approvers {
  users: string[];
  groups: string[];
}

/** `services[].rollback` after validation: the plan plus the approval rules around it. */
export interface ServiceRollbackConfig {
  plan: RollbackPlan;
  /** Empty users and groups: nobody may approve (fail closed). */
  approvers: Approvers;
  twoApproversForP0: boolean;
  approvalTtlMs: number;
  /** Countdown before an automatic rollback runs (an approver may abort meanwhile). */
  autoRollbackDelayMs: number;
}

export function hasApprovers(approvers: Approvers): boolean {
  return approvers.users.length > 0 || approvers.groups.length > 0;
}
