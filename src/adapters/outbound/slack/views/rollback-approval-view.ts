import type { KnownBlock } from '@slack/types';
import { formatDuration } from '../../../../domain/duration';
import type { Incident } from '../../../../domain/incident';
import { isOpenStatus, type IncidentStatus } from '../../../../domain/lifecycle';
import { describeRunner } from '../../../../domain/rollback/describe-runner';
import { executionGates } from '../../../../domain/rollback/rollback-gates';
import { ROLLBACK_LEVELS, type RollbackPlan } from '../../../../domain/rollback/rollback-plan';
import type { RollbackRequest } from '../../../../domain/rollback/rollback-request';
import type { Approvers } from '../../../../domain/rollback/service-rollback-config';
import { ACTIONS } from '../ids';
import { actions, capBlocks, context, escapeMrkdwn, fields, header, section, truncate, type ButtonSpec } from './block-kit';
import { slackDate } from './format-time';
import { STATUS_LABEL } from './severity-labels';

export interface ApprovalViewModel {
  request: RollbackRequest;
  /** `status` absent: drawn as open (the dry run, older callers). */
  incident: Pick<Incident, 'id' | 'title' | 'severity' | 'severityConfirmed'> & { status?: IncidentStatus };
  plan: RollbackPlan;
  approvers: Approvers;
  placeholders: Record<string, string>;
  now: number;
  /** `--dry-run`: the plan and readiness only, nothing to decide. */
  dryRun?: boolean;
}

const MAX_LIST = 10;

function who(user: string): string {
  return user.startsWith('auto:') ? `automatic rule \`${escapeMrkdwn(user.slice(5))}\`` : `<@${user}>`;
}

/** One line saying where the request stands; it leads the message so a glance is enough. */
function statusLine(r: RollbackRequest, now: number): string {
  const approvals = `${r.approvals.length}/${r.approvalsNeeded}`;
  switch (r.status) {
    case 'countdown':
      return `:rotating_light: *Rolling back ${escapeMrkdwn(r.service)} ${slackDate(r.expiresAt, '{time_secs}')} (in ${formatDuration(Math.max(0, r.expiresAt - now))})* unless an approver aborts.`;
    case 'pending':
      return `:hourglass_flowing_sand: *Waiting for approval* (${approvals}) · expires ${slackDate(r.expiresAt, '{time}')}`;
    case 'approved':
    case 'queued':
      return `:white_check_mark: *Approved* by ${r.approvals.map((a) => who(a.by)).join(', ') || 'the automatic rule'} · starting${r.stopRequested ? ` · :octagonal_sign: stopping (asked by ${who(r.stopRequested.by)})` : ''}`;
    case 'running': {
      const p = r.progress;
      const runner = r.runners[r.runnerIndex] ?? '?';
      const step = p?.step ? ` · step ${p.step.index}/${p.step.total} ${escapeMrkdwn(p.step.label)}` : '';
      const elapsed = p ? ` · ${formatDuration(p.elapsedMs)} elapsed` : '';
      const which = r.runnerIndex > 0 ? `fallback ${r.runnerIndex}` : 'primary';
      const stopping = r.stopRequested ? ` · :octagonal_sign: *stopping* (asked by ${who(r.stopRequested.by)})` : '';
      return `:arrows_counterclockwise: *Running* \`${escapeMrkdwn(runner)}\` (${which})${step}${elapsed}${p?.link ? ` · <${p.link}|run>` : ''}${stopping}`;
    }
    case 'succeeded':
      return `:large_green_circle: *Rolled back and verified* — ${escapeMrkdwn(r.outcomeDetail ?? '')}`;
    case 'failed':
      return `:red_circle: *Rollback failed — manual intervention* — ${escapeMrkdwn(r.outcomeDetail ?? '')}`;
    case 'unknown':
      return `:grey_question: *Outcome unknown* — ${escapeMrkdwn(r.outcomeDetail ?? '')} It is not re-run automatically; check the system and decide.`;
    case 'rejected':
      return `:no_entry: *Rejected* by ${who(r.decidedBy?.by ?? '?')}`;
    case 'aborted':
      return `:octagonal_sign: *Aborted* by ${who(r.decidedBy?.by ?? '?')}`;
    case 'expired':
      return `:alarm_clock: *Expired* without enough approvals (${approvals}); propose it again.`;
    case 'superseded':
      return `:leftwards_arrow_with_hook: *Replaced* by ${escapeMrkdwn(r.supersededBy ?? 'a newer proposal')}`;
    case 'stopped':
      return `:octagonal_sign: *Stopped* by ${who(r.stopRequested?.by ?? '?')} — ${escapeMrkdwn(r.outcomeDetail ?? '')} No fallback runs; check the system and decide.`;
  }
}

function mark(passed: boolean): string {
  return passed ? ':white_check_mark:' : ':x:';
}

/** The approval blocks (gates 1 and 2 of the incident protocol): what will run, readiness, gates still open, who decides, until when. */
export function rollbackApprovalView(model: ApprovalViewModel): { text: string; blocks: KnownBlock[] } {
  const { request: r, incident, plan, approvers, placeholders, now, dryRun } = model;
  const title = dryRun ? `Dry run: rollback ${r.service}` : r.auto ? `Automatic rollback: ${r.service}` : `Rollback proposal: ${r.service}`;
  const blocks: KnownBlock[] = [header(`${title} · ${incident.id}`)];
  if (!dryRun) blocks.push(section(statusLine(r, now)));
  // Decisions are refused once the incident is over (approval guardrail 2): say so instead of offering buttons that fail.
  const incidentOver = incident.status !== undefined && !isOpenStatus(incident.status);
  const awaitingDecision = r.status === 'pending' || r.status === 'countdown';
  if (!dryRun && incidentOver && awaitingDecision)
    blocks.push(
      context([`:lock: ${incident.id} is ${STATUS_LABEL[incident.status!].toLowerCase()}: this rollback can no longer be decided.`]),
    );
  blocks.push(
    fields([
      ['Request', dryRun ? '_dry run, not stored_' : r.id],
      [
        'Incident',
        `${incident.id} [${incident.severity}${incident.severityConfirmed ? ', confirmed' : ''}]${incident.status ? ` ${STATUS_LABEL[incident.status]}` : ''} · ${escapeMrkdwn(truncate(incident.title, 200))}`,
      ],
      ['Level', ROLLBACK_LEVELS[r.level].label],
      ['Release', r.release ? `\`${escapeMrkdwn(r.release)}\`` : '_not given_'],
      ['Requested by', who(r.requestedBy)],
      [
        'Approvals',
        r.auto
          ? 'automatic (abort to stop)'
          : `${r.approvals.length}/${r.approvalsNeeded}${r.approvals.length ? `: ${r.approvals.map((a) => who(a.by)).join(', ')}` : ''}`,
      ],
      ...(r.auto || dryRun ? [] : [['Expires', slackDate(r.expiresAt, '{date_short_pretty} {time}')] as [string, string]]),
    ]),
  );
  const runnerLines = plan.runners.slice(0, MAX_LIST).map((spec, i) => {
    const tried = r.attempts[i];
    const state = tried
      ? ` — ${tried.outcome}${tried.verification ? `, verification ${tried.verification}` : ''}: ${escapeMrkdwn(truncate(tried.detail, 200))}`
      : '';
    return `${i + 1}. ${i === 0 ? '*primary*' : '_fallback_'} \`${escapeMrkdwn(spec.name)}\`: ${escapeMrkdwn(describeRunner(spec, placeholders))}${state}`;
  });
  blocks.push(section(`*What will run*\n${runnerLines.join('\n')}`));
  const readiness = r.readiness.checks.length
    ? r.readiness.checks
        .slice(0, MAX_LIST)
        .map((c) => `${mark(c.passed)} ${escapeMrkdwn(c.name)} — ${escapeMrkdwn(truncate(c.detail, 200))}`)
        .join('\n')
    : '_No readiness checks configured._';
  blocks.push(section(`*Readiness* ${mark(r.readiness.passed)}\n${readiness}`));
  if (plan.verification.length) {
    blocks.push(
      context([
        `*Verification after the rollback:* ${plan.verification
          .slice(0, MAX_LIST)
          .map((c) => escapeMrkdwn(c.name))
          .join(', ')}`,
      ]),
    );
  }
  const gates = executionGates({
    severityConfirmed: incident.severityConfirmed !== null,
    readinessPassed: r.readiness.passed,
    decisionRecorded: r.approvals.length >= r.approvalsNeeded || r.auto,
    auto: r.auto,
  });
  const gateLines = gates.map(
    (g) => `${mark(g.passed)} Gate ${g.gate} (${g.name})${g.passed ? '' : `: ${g.missing.map(escapeMrkdwn).join('; ')}`}`,
  );
  blocks.push(section(`*Gates*\n${gateLines.join('\n')}`));
  const approverText = [...approvers.users.map((u) => `<@${u}>`), ...approvers.groups.map((g) => `<!subteam^${g}>`)].join(' ');
  blocks.push(
    context([
      approverText
        ? `*Approvers:* ${approverText}`
        : ':lock: *No approvers configured*: nobody can approve this rollback (services[].rollback.approvers).',
    ]),
  );
  if (dryRun) blocks.push(context(['Dry run: only the readiness checks ran. Nothing was stored or executed.']));

  const buttons: ButtonSpec[] = [];
  if (!dryRun && r.status === 'pending' && !incidentOver) {
    buttons.push({
      actionId: ACTIONS.approveRollback,
      text: 'Approve',
      value: r.id,
      style: 'primary',
      confirm: {
        title: 'Approve rollback?',
        text: `Roll back ${r.service} for ${incident.id}. This runs the commands above.`,
        confirm: 'Approve',
        deny: 'Cancel',
      },
    });
    buttons.push({ actionId: ACTIONS.rejectRollback, text: 'Reject', value: r.id, style: 'danger' });
  }
  if (!dryRun && r.status === 'countdown' && !incidentOver)
    buttons.push({ actionId: ACTIONS.abortRollback, text: 'Abort', value: r.id, style: 'danger' });
  if (!dryRun && (r.status === 'queued' || r.status === 'running') && !r.stopRequested) {
    buttons.push({
      actionId: ACTIONS.stopRollback,
      text: 'Stop rollback',
      value: r.id,
      style: 'danger',
      confirm: {
        title: 'Stop the rollback?',
        text: `The running step is killed where it is; ${r.service} may be left half rolled back. No fallback runs.`,
        confirm: 'Stop it',
        deny: 'Keep running',
      },
    });
  }
  if (buttons.length) blocks.push(actions(`rollback:${r.id}`, buttons));

  const text = dryRun
    ? `Dry run: rollback ${r.service} for ${incident.id}`
    : r.auto && r.status === 'countdown'
      ? `Rolling back ${r.service} in ${Math.round((r.expiresAt - r.requestedAt) / 1000)} s — Abort`
      : `Rollback ${r.id} (${r.service}): ${r.status}`;
  return { text, blocks: capBlocks(blocks) };
}

/** After a verified rollback: the protocol's resolution confirmation, a person decides. */
export function stabilizedView(r: RollbackRequest): { text: string; blocks: KnownBlock[] } {
  const text = `System stabilized — resolve ${r.incidentId}?`;
  return {
    text,
    blocks: [
      section(
        `:large_green_circle: *System stabilized — resolve?* ${escapeMrkdwn(r.service)} was rolled back (${r.id}) and verification passed; ${r.incidentId} is now monitoring.`,
      ),
      actions(`rollback_stabilized:${r.id}`, [
        { actionId: ACTIONS.resolveStabilized, text: 'Resolve incident', value: r.incidentId, style: 'primary' },
      ]),
    ],
  };
}

/** Every runner failed: say what failed and call the people who can act by hand. */
export function rollbackFailedText(r: RollbackRequest, mentions: string[]): string {
  const tried = r.attempts
    .map(
      (a) =>
        `• \`${escapeMrkdwn(a.runner)}\`: ${a.outcome}${a.verification === 'failed' ? ', verification failed' : ''} — ${escapeMrkdwn(truncate(a.detail, 300))}`,
    )
    .join('\n');
  return truncate(
    `:rotating_light: *Rollback failed — manual intervention* for ${r.incidentId} (${escapeMrkdwn(r.service)}, ${r.id}). ${mentions.join(' ')}\n${tried}`,
    3000,
  );
}
