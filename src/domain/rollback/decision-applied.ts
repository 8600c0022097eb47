import type { RollbackRequest } from './rollback-request';

/**
 * Whether this person's click already took effect: after a crash the intent may be applied
 * again, and must then be told as applied rather than refused as a duplicate.
 */
export function decisionApplied(request: RollbackRequest, kind: 'approve' | 'reject' | 'abort' | 'stop', actor: string): boolean {
  switch (kind) {
    case 'approve':
      return request.approvals.some((a) => a.by === actor);
    case 'reject':
      return request.decidedBy?.kind === 'rejection' && request.decidedBy.by === actor;
    case 'abort':
      return request.decidedBy?.kind === 'abort' && request.decidedBy.by === actor;
    case 'stop':
      return request.stopRequested?.by === actor;
  }
}
