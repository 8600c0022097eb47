import type { Change, Incident } from '../incident';
import { refuse } from '../result';
import type { ActionItem } from '../report/report-input';
import { ownerRef } from './parse-action-item';
import { phrase } from '../phrase';

/** An action item on the timeline (the item itself is kept by the paper trail's store). */
export function recordActionItem(incident: Incident, item: ActionItem, by: string, now: number): Change {
  if (incident.status === 'closed') return refuse('action.closed', `${incident.id} is closed; add follow-ups as GitHub issues directly.`);
  return {
    ok: true,
    incident,
    events: [
      {
        at: now,
        actor: by,
        kind: 'action_item',
        text: phrase`Action item: ${item.text} — owner ${ownerRef(item.owner)}, due ${item.due ?? 'not set'}`,
        details: { text: item.text, owner: item.owner, due: item.due ?? null },
      },
    ],
  };
}
