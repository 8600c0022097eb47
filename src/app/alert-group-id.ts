import { createHash } from 'node:crypto';

/**
 * The id of an alert group: the sender's group key, which may be text of any length
 * (Alertmanager's contain label sets), so a long one is hashed. The alert store keys groups
 * by it and the intake puts it in the create idempotency key.
 */
export function alertGroupId(groupKey: string): string {
  return groupKey.length <= 200 ? groupKey : `sha256:${createHash('sha256').update(groupKey).digest('hex')}`;
}
