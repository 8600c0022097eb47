import type { KnownBlock } from '@slack/types';
import type { Incident } from '../../../../domain/incident';
import { isOpenStatus } from '../../../../domain/lifecycle';
import { ROLE_GUIDE } from '../../../../domain/roles';
import type { SlaState } from '../../../../domain/sla-policy';
import { formatDuration } from '../../../../domain/duration';
import { ACTIONS } from '../ids';
import { alertContextBlocks } from './alert-context-blocks';
import { actions, capBlocks, context, escapeMrkdwn, fields, header, section, type ButtonSpec } from './block-kit';
import { relative, slackDate } from './format-time';
import { CLOCK_LABEL, STATUS_LABEL, headerEmoji } from './severity-labels';
import { signalsBlocks } from './signals-blocks';
import { slackText } from './slack-text';
import { isEmptyPhrase } from '../../../../domain/phrase';
import { describeRelated } from '../../../../domain/related-incidents';

export interface AnnouncementModel {
  incident: Incident;
  sla: SlaState;
  now: number;
  /** Link to the dedicated channel, if any. */
  channelLink?: string;
  /** Buttons features add for open incidents (e.g. "Propose rollback"), placed before Resolve. */
  extraButtons?: ButtonSpec[];
}

function who(user: string | null): string {
  return user ? (user.startsWith('alert:') ? escapeMrkdwn(user.slice(6)) : `<@${user}>`) : '_none yet_';
}

/** Alert counts, dropped alerts, flapping, and the "all alerts resolved" offer while the incident is open. */
function alertBlocks(incident: Incident, open: boolean): KnownBlock[] {
  const alerts = incident.alerts;
  if (!alerts || alerts.total === 0) return [];
  const facts = [`*Alerts:* ${alerts.firing} firing · ${alerts.resolved} resolved`];
  if (alerts.truncated > 0) facts.push(`:warning: the sender left out ${alerts.truncated} more`);
  if (alerts.potentialFalsePositive) facts.push(':grey_question: potential false positive: all alerts resolved within the flap window');
  const blocks: KnownBlock[] = [context(facts)];
  if (open && alerts.allResolvedAt !== null) {
    blocks.push(section(`:white_check_mark: All alerts resolved (${slackDate(alerts.allResolvedAt, '{time}')}) — resolve incident?`));
    blocks.push(
      actions(`incident_alerts_resolved:${incident.id}`, [
        { actionId: ACTIONS.resolveAlertsResolved, text: 'Resolve incident', value: incident.id, style: 'primary' },
      ]),
    );
  }
  return blocks;
}

/** "Possibly related to INC-… (opened by a person 2 min ago)" with its merge button, or where it was merged. */
function relatedBlocks(incident: Incident, open: boolean, now: number): KnownBlock[] {
  if (incident.mergedInto) return [context([`:twisted_rightwards_arrows: Merged into *${incident.mergedInto}*`])];
  const related = incident.related;
  if (!open || !related) return [];
  return [
    section(`:link: Possibly related to *${related.incidentId}* (${describeRelated(related, now)})`),
    actions(`incident_related:${incident.id}`, [
      { actionId: ACTIONS.mergeRelated, text: `Merge into ${related.incidentId}`, value: incident.id },
    ]),
  ];
}

/** The one message in the incident-response channel that always shows the incident as it is now. */
export function announcementView({ incident, sla, now, extraButtons = [] }: AnnouncementModel): { text: string; blocks: KnownBlock[] } {
  const open = isOpenStatus(incident.status);
  const state = open ? '' : ` — ${STATUS_LABEL[incident.status].toUpperCase()}`;
  // The state goes before the title, so a long title cut at 150 characters never hides it.
  const title = `${headerEmoji(incident.severity, incident.status)} ${incident.id} [${incident.severity}]${state} ${incident.title}`;
  const clocks = sla.clocks.map((c) => {
    const state =
      c.metAt !== null
        ? c.breached
          ? `met ${formatDuration(c.overdueMs)} late`
          : 'met'
        : c.breached
          ? `*BREACHED* by ${formatDuration(c.overdueMs)}`
          : relative(c.dueAt, now);
    return `${CLOCK_LABEL[c.name]}: ${slackDate(c.dueAt, '{time}')} (${state})`;
  });
  const buttons: ButtonSpec[] = [];
  if (open) {
    if (incident.acknowledgedAt === null)
      buttons.push({ actionId: ACTIONS.acknowledge, text: 'Acknowledge', value: incident.id, style: 'primary' });
    buttons.push({ actionId: ACTIONS.takeCommand, text: 'Take command', value: incident.id });
    if (!incident.severityConfirmed)
      buttons.push({ actionId: ACTIONS.confirmSeverity, text: `Confirm ${incident.severity}`, value: incident.id });
    buttons.push({ actionId: ACTIONS.postUpdate, text: 'Post update', value: incident.id });
    buttons.push(...extraButtons);
    buttons.push({
      actionId: ACTIONS.resolve,
      text: 'Resolve',
      value: incident.id,
      style: 'danger',
    });
  } else if (incident.status === 'resolved') {
    // Gate 4: the report is what a resolved incident still needs before it can close.
    const reported = Boolean(incident.gates?.reportWrittenAt);
    buttons.push({
      actionId: ACTIONS.writeReport,
      text: reported ? 'Revise report' : 'Write report',
      value: incident.id,
      ...(reported ? {} : { style: 'primary' as const }),
    });
    // Once the report is written, closing is the next step (gate 4 met).
    if (reported) buttons.push({ actionId: ACTIONS.close, text: 'Close incident', value: incident.id, style: 'primary' });
    buttons.push({ actionId: ACTIONS.reopen, text: 'Reopen', value: incident.id });
  }
  const blocks: KnownBlock[] = [
    header(title),
    fields([
      ['Severity', `${incident.severity}${incident.severityConfirmed ? ' (confirmed)' : ' (unconfirmed)'}`],
      ['Status', STATUS_LABEL[incident.status]],
      ['Commander', who(incident.commander)],
      ['Service', incident.service ? escapeMrkdwn(incident.service) : '_unspecified_'],
      ['Opened', `${slackDate(incident.createdAt)} by ${who(incident.openedBy)}`],
      [
        'Acknowledged',
        incident.acknowledgedAt ? `${slackDate(incident.acknowledgedAt, '{time}')} by ${who(incident.acknowledgedBy)}` : '_not yet_',
      ],
    ]),
    context([`*Why ${incident.severity}:* ${slackText(incident.severityReason)}`]),
  ];
  const roles = (['comms', 'scribe', 'ops'] as const)
    .filter((r) => incident.roles?.[r])
    .map((r) => `${ROLE_GUIDE[r].label}: <@${incident.roles![r]}>`);
  if (roles.length) blocks.push(context([`*Roles* · ${roles.join(' · ')}`]));
  if (incident.summary) blocks.push(section(escapeMrkdwn(incident.summary)));
  blocks.push(...alertContextBlocks(incident.alertContext));
  if (!isEmptyPhrase(incident.impact)) blocks.push(section(`*Latest update:* ${slackText(incident.impact)}`));
  const links = [
    ...(incident.channel ? [`Channel: <#${incident.channel.id}>`] : []),
    ...(incident.github ? [`GitHub: <${incident.github.url}|issue #${incident.github.issueNumber}>`] : []),
  ];
  if (links.length) blocks.push(context([links.join(' · ')]));
  if (incident.oncall) {
    const people = incident.oncall.people.map((p) => `${escapeMrkdwn(p.name)} (L${p.level})`).join(', ');
    blocks.push(context([`*On call* (PagerDuty): ${people || '_nobody on call_'}`]));
  }
  if (incident.resolutionSummary) blocks.push(section(`*Resolution:* ${slackText(incident.resolutionSummary)}`));
  blocks.push(...signalsBlocks(incident, open));
  blocks.push(...alertBlocks(incident, open));
  blocks.push(...relatedBlocks(incident, open, now));
  blocks.push(context(clocks.length ? [`*SLA* · ${clocks.join(' · ')}`] : ['*SLA* · none']));
  if (buttons.length) blocks.push(actions(`incident_actions:${incident.id}`, buttons));
  return {
    text: `${incident.id} [${incident.severity}] ${escapeMrkdwn(incident.title)} — ${STATUS_LABEL[incident.status]}`.slice(0, 3000),
    blocks: capBlocks(blocks),
  };
}
