import type { KnownBlock } from '@slack/types';
import type { SlaNotice } from '../../../../app/ports/sla-notifier';
import { formatDuration } from '../../../../domain/duration';
import { ACTIONS } from '../ids';
import { actions, escapeMrkdwn, section } from './block-kit';
import { slackDate } from './format-time';

/** `<@U…>` for people, `<!subteam^S…>` for user groups (a group mention needs no scope). */
export function mention(id: string): string {
  return id.startsWith('S') ? `<!subteam^${id}>` : `<@${id}>`;
}

function by(user: string | null): string {
  if (!user) return 'nobody';
  return user.startsWith('alert:') ? escapeMrkdwn(user.slice(6)) : user === 'bot' ? 'the bot' : `<@${user}>`;
}

/** Reminders, breaches and escalations in one place, each with the button that deals with it. */
/** The message metadata event type of every SLA notice; its payload names the incident, the clock and the effect. */
export const SLA_NOTICE_EVENT = 'incident_sla_notice';

export function slaNoticeMessage(
  notice: SlaNotice,
  effectKey?: string,
): { text: string; blocks: KnownBlock[]; metadata: { event_type: string; event_payload: Record<string, string> } } {
  const { incident: i, now } = notice;
  const ref = `*${i.id}* [${i.severity}] ${escapeMrkdwn(i.title)}`;
  const late = notice.lateByMs !== null ? ` _(late by ${formatDuration(notice.lateByMs)})_` : '';
  let line: string;
  let buttons: Parameters<typeof actions>[1] = [];
  switch (notice.kind) {
    case 'update_due': {
      const last =
        i.lastUpdateAt !== null
          ? `last update ${formatDuration(now - notice.since)} ago by ${by(notice.lastUpdateBy)}`
          : `no update since it opened ${formatDuration(now - notice.since)} ago`;
      line = `:bell: ${ref} status update due (every ${formatDuration(notice.everyMs)} at ${i.severity}); ${last}`;
      buttons = [{ actionId: ACTIONS.postUpdate, text: 'Post update', value: i.id, style: 'primary' }];
      break;
    }
    case 'first_response_breach':
      line = `:warning: ${ref} first response target missed: nobody acknowledged within ${formatDuration(notice.targetMs)} (${i.severity})`;
      buttons = [{ actionId: ACTIONS.acknowledge, text: 'Acknowledge', value: i.id, style: 'primary' }];
      break;
    case 'resolution_warning':
      line = `:hourglass_flowing_sand: ${ref} resolution target ${slackDate(notice.dueAt, '{time}')} is in ${formatDuration(Math.max(0, notice.dueAt - now))} (resolve within ${formatDuration(notice.targetMs)} at ${i.severity})`;
      buttons = [{ actionId: ACTIONS.postUpdate, text: 'Post update', value: i.id }];
      break;
    case 'resolution_breach':
      line = `:rotating_light: ${ref} resolution target breached: open ${formatDuration(now - i.createdAt)}, target ${formatDuration(notice.targetMs)} at ${i.severity}`;
      buttons = [{ actionId: ACTIONS.postUpdate, text: 'Post update', value: i.id }];
      break;
    case 'escalation': {
      const who = notice.mentions.length
        ? notice.mentions.map(mention).join(' ')
        : `_nobody is configured for this level (config \`escalation.level${notice.level}\`)_`;
      line = `:rotating_light: Escalation level ${notice.level}: ${ref} is unresolved after ${formatDuration(notice.afterMs)}. ${who}`;
      buttons = [{ actionId: ACTIONS.takeCommand, text: 'Take command', value: i.id, style: 'primary' }];
      break;
    }
    case 'monitoring_end':
      line = `:white_check_mark: ${ref} Monitoring period over — close the incident? (resolved ${formatDuration(now - notice.resolvedAt)} ago)`;
      buttons = [{ actionId: ACTIONS.close, text: 'Close incident', value: i.id, style: 'primary' }];
      break;
    case 'report_missing':
      line = `:memo: ${ref} was resolved ${formatDuration(now - notice.resolvedAt)} ago and its incident report is still missing.`;
      break;
  }
  const text = `${line}${late}`;
  const blocks: KnownBlock[] = [section(text)];
  if (buttons.length) blocks.push(actions(`sla_${notice.kind}:${i.id}`, buttons));
  // Message metadata names the timer and the effect: whoever reads the channel history can tell which
  // clock spoke, and a retry after a crash can tell the notice was already posted.
  const payload: Record<string, string> = {
    incident_id: i.id,
    kind: notice.kind,
    timer: notice.timerKey,
    ...(effectKey ? { effect: effectKey } : {}),
  };
  return { text: text.slice(0, 3000), blocks, metadata: { event_type: SLA_NOTICE_EVENT, event_payload: payload } };
}
