import { checkTransition, isOpenStatus, type IncidentStatus } from './lifecycle';
import { refuse, type Result } from './result';
import type { AlertContext } from './alert-context';
import type { Severity } from './severity';
import type { TimelineEventInput } from './timeline';
import type { IncidentSignals } from './signals/incident-signals';
import { isEmptyPhrase, phrase, trimPhrase, user as userRef, type Phrase } from './phrase';
import { drillTitle, type DrillMark } from './drills/drill-mark';
import type { IncidentStorm } from './storm/storm-shape';

/** Where an incident came from: 'slack', or the name of the alert source that opened it. */
export type IncidentSource = string;

export interface SlackRef {
  channel: string;
  ts: string;
}

export interface Incident {
  id: string;
  title: string;
  summary: string;
  severity: Severity;
  /** Why this severity: the classifier's one-line explanation, or who chose it. */
  severityReason: Phrase;
  /** Gate 1: severity confirmed by a human. */
  severityConfirmed: { by: string; at: number } | null;
  status: IncidentStatus;
  service: string | null;
  commander: string | null;
  openedBy: string;
  source: IncidentSource;
  createdAt: number;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  resolvedAt: number | null;
  closedAt: number | null;
  lastUpdateAt: number | null;
  lastUpdateBy: string | null;
  /** The latest status update's words (a person's text, with their mentions and links). */
  impact: Phrase;
  resolutionSummary: Phrase | null;
  /** The announcement in the incident-response channel, updated in place. */
  announcement: SlackRef | null;
  /** The dedicated incident channel, when one was created. */
  channel: { id: string; name: string } | null;
  /** Optimistic-concurrency version, bumped by the store on every write. */
  version: number;
  /** For incidents opened from alerts: the group and its alerts' state. Absent on older or Slack-opened incidents. */
  alerts?: IncidentAlerts | null;
  /**
   * Facts the four gates of the incident protocol are judged on (gate 1 is severityConfirmed).
   * Written by the rollback flow (readiness, decision, recovery) and the paper trail
   * (override, report). Absent on incidents stored before gates existed: treat as all null.
   */
  gates?: GateFacts;
  /** Who was on call for the service's PagerDuty escalation policy when last looked up (shown in the announcement). */
  oncall?: OnCall | null;
  /** The incident's GitHub issue, once the paper trail created it. Absent when GitHub is not configured. */
  github?: GitHubIssueLink | null;
  /** Opened by an alert whose classifier rule has `auto_rollback: true` (the rollback feature acts on it). */
  autoRollback?: { rule: string } | null;
  /** Live signals (Prometheus): at open, latest, a proposed raise, recovery evidence. Absent without a signal source. */
  signals?: IncidentSignals | null;
  /** Opened by alerts: their runbook, dashboard and source links and a label summary. */
  alertContext?: AlertContext | null;
  /** The roles beside the commander (communications, scribe, operations): Slack user ids. */
  roles?: Partial<Record<'comms' | 'scribe' | 'ops', string>>;
  /** A rehearsal, not a real incident: marked DRILL everywhere, pages nobody, kept out of metrics. */
  drill?: DrillMark | null;
  /**
   * A private incident: its detail lives in a private channel; everywhere else shows only that it
   * exists, its severity and its commander. `members`: the people let in when it opened (the opener,
   * the service's owners) and whoever joined its private channel since. Absent on public incidents.
   */
  private?: PrivateMark | null;
  /** A recent incident of the same service this one may duplicate, offered for merging (related-incidents.ts). */
  related?: RelatedIncident | null;
  /** The parent of an alert storm: the alert groups that joined it as children (docs/alert-storms.md). */
  storm?: IncidentStorm | null;
  /** Resolved as a duplicate of this incident, or folded into the alert storm with this id. */
  mergedInto?: string | null;
  /** Why it was merged: folded into an alert storm, or resolved as a duplicate of a related incident. */
  mergedAs?: 'storm' | 'duplicate' | null;
  /** Opened by a deploy watch: the deploy it blames (the rollback goes to `previousRelease`). */
  deploy?: DeployLink | null;
}

/** The deploy a deploy watch opened an incident for. */
export interface DeployLink {
  watchId: string;
  service: string;
  release: string;
  previousRelease: string;
  environment: string | null;
  /** `Opened by deploy watch: checkout release v42 (previous v41) — error_rate 22% > 15%` */
  breach: string;
}

export interface PrivateMark {
  /** The people in it: let in at open, and whoever joined the private channel since. */
  members: string[];
  /**
   * People who left (or were removed from) the private channel: they no longer see it by name,
   * even while they still hold a role in it. Joining the channel again lets them back in.
   */
  left?: string[];
}

/** Who opened the other incident decides the words: "opened by a person" / "opened by an alert". */
export interface RelatedIncident {
  incidentId: string;
  openedBy: 'person' | 'alert';
  openedAt: number;
}

export interface OnCallPerson {
  name: string;
  level: number;
  user?: string;
}

export interface OnCall {
  /**
   * Level-1 people first, then higher levels. `user` is their chat account, found by email, for
   * the people the bot invites into the incident's channel; absent when not looked up or not found.
   */
  people: OnCallPerson[];
  escalationPolicy: string;
  at: number;
}

/** The chat accounts of the level-1 on-call: the people invited into the incident's channel. */
export function onCallAccounts(oncall: OnCall | null): string[] {
  return (oncall?.people ?? []).flatMap((p) => (p.level === 1 && p.user ? [p.user] : []));
}

export interface GitHubIssueLink {
  issueNumber: number;
  url: string;
}

export interface GateFacts {
  /** Gate 2: the readiness checks of the approved plan passed. */
  readinessPassedAt: number | null;
  /** Gate 2: a mitigation decision (approval) was recorded. */
  decisionRecordedAt: number | null;
  /** Gate 3: verification checks passed after the mitigation. */
  recoveryValidatedAt: number | null;
  /** Gate 3 alternative: someone resolved without validation, saying why. */
  recoveryOverride: { by: string; reason: string; at: number } | null;
  /** Gate 4: the incident report was written. */
  reportWrittenAt: number | null;
}

export const NO_GATE_FACTS: GateFacts = {
  readinessPassedAt: null,
  decisionRecordedAt: null,
  recoveryValidatedAt: null,
  recoveryOverride: null,
  reportWrittenAt: null,
};

export function gateFacts(incident: Incident): GateFacts {
  return { ...NO_GATE_FACTS, ...(incident.gates ?? {}) };
}

/** What the alerts attached to an incident say now (counts are distinct alerts, by fingerprint). */
export interface IncidentAlerts {
  /** The sender's grouping key (Alertmanager groupKey, `pagerduty:<id>`, `generic:<dedup_key>`). */
  groupKey: string;
  firing: number;
  resolved: number;
  /** Distinct alerts seen (firing + resolved). */
  total: number;
  /** When the last firing alert resolved; null while any fires. Drives the "resolve incident?" offer. */
  allResolvedAt: number | null;
  /** Every alert resolved within the flap window of the incident opening. */
  potentialFalsePositive: boolean;
  /** Alerts the sender dropped from its payload (Alertmanager `truncatedAlerts`), the most seen. */
  truncated: number;
  /** Order of the alert-state snapshot this reflects; an older snapshot never overwrites a newer one. */
  seq: number;
}

export interface NewIncident {
  title: string;
  summary?: string;
  severity: Severity;
  severityReason?: Phrase;
  service?: string | null;
  openedBy: string;
  source?: IncidentSource;
  commander?: string | null;
  alerts?: IncidentAlerts | null;
  autoRollback?: { rule: string } | null;
  /** What the classifier saw in the alert (its signals and labels), so live values can merge with it later. */
  signals?: IncidentSignals | null;
  alertContext?: AlertContext | null;
  drill?: DrillMark | null;
  storm?: IncidentStorm | null;
  deploy?: DeployLink | null;
  private?: PrivateMark | null;
}

/** A change to apply: the incident after it and the timeline entries it writes. */
export type Change = Result<{ incident: Incident; events: TimelineEventInput[] }>;

export function createIncident(id: string, input: NewIncident, now: number): { incident: Incident; events: TimelineEventInput[] } {
  const incident: Incident = {
    id,
    title: input.drill ? drillTitle(input.title) : input.title,
    summary: input.summary ?? '',
    severity: input.severity,
    severityReason: input.severityReason ?? phrase`${input.severity} chosen by ${userRef(input.openedBy)}`,
    severityConfirmed: null,
    status: 'investigating',
    service: input.service ?? null,
    commander: input.commander ?? null,
    openedBy: input.openedBy,
    source: input.source ?? 'slack',
    createdAt: now,
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    closedAt: null,
    lastUpdateAt: null,
    lastUpdateBy: null,
    impact: '',
    resolutionSummary: null,
    announcement: null,
    channel: null,
    version: 0,
    ...(input.alerts ? { alerts: input.alerts } : {}),
    ...(input.autoRollback ? { autoRollback: input.autoRollback } : {}),
    ...(input.signals ? { signals: input.signals } : {}),
    ...(input.alertContext && (input.alertContext.links.length || input.alertContext.labels.length)
      ? { alertContext: input.alertContext }
      : {}),
    ...(input.drill ? { drill: input.drill } : {}),
    ...(input.storm ? { storm: input.storm } : {}),
    ...(input.deploy ? { deploy: input.deploy } : {}),
    ...(input.private ? { private: { members: [...new Set([input.openedBy, ...input.private.members])] } } : {}),
  };
  return {
    incident,
    events: [
      {
        at: now,
        actor: input.openedBy,
        kind: 'opened',
        text: `Opened ${input.severity}: ${incident.title}`,
        details: {
          severity: input.severity,
          source: incident.source,
          ...(input.drill ? { drill: input.drill.scenario } : {}),
          ...(input.autoRollback ? { autoRollback: input.autoRollback.rule } : {}),
          ...(input.private ? { private: true } : {}),
        },
      },
      ...(input.deploy
        ? [
            {
              at: now,
              actor: input.openedBy,
              kind: 'deploy_watch_breach',
              text: input.deploy.breach,
              details: { watch: input.deploy.watchId, release: input.deploy.release, previousRelease: input.deploy.previousRelease },
            },
          ]
        : []),
    ],
  };
}

function ok(incident: Incident, ...events: TimelineEventInput[]): Change {
  return { ok: true, incident, events };
}

function refuseIfClosed(incident: Incident): Change | null {
  return incident.status === 'closed' ? refuse('incident.closed', `${incident.id} is closed; closed incidents cannot change.`) : null;
}

/** First response: somebody is on it. Taking command also acknowledges. */
export function acknowledge(incident: Incident, user: string, now: number): Change {
  if (!isOpenStatus(incident.status))
    return refuse('incident.not_open', `${incident.id} is ${incident.status}; only open incidents can be acknowledged.`);
  if (incident.acknowledgedAt !== null) {
    return refuse(
      'incident.already_acknowledged',
      phrase`${incident.id} was already acknowledged by ${userRef(incident.acknowledgedBy ?? '?')}.`,
    );
  }
  return ok(
    { ...incident, acknowledgedAt: now, acknowledgedBy: user },
    { at: now, actor: user, kind: 'acknowledged', text: phrase`Acknowledged by ${userRef(user)}` },
  );
}

export function assignCommander(incident: Incident, commander: string, by: string, now: number): Change {
  const closed = refuseIfClosed(incident);
  if (closed) return closed;
  if (incident.commander === commander)
    return refuse('incident.same_commander', phrase`${userRef(commander)} is already the commander of ${incident.id}.`);
  const events: TimelineEventInput[] = [
    {
      at: now,
      actor: by,
      kind: 'commander',
      text: phrase`Commander: ${userRef(commander)}`,
      details: { from: incident.commander, to: commander },
    },
  ];
  let next: Incident = { ...incident, commander };
  if (next.acknowledgedAt === null && isOpenStatus(next.status)) {
    next = { ...next, acknowledgedAt: now, acknowledgedBy: by };
    events.push({ at: now, actor: by, kind: 'acknowledged', text: phrase`Acknowledged by ${userRef(by)}` });
  }
  return ok(next, ...events);
}

export interface SeverityChangeOptions {
  /** Why; defaults to "set by <user>". */
  reason?: Phrase;
  /** A person chose it, so it also counts as confirmed (gate 1). Automatic raises clear the confirmation. */
  confirmed: boolean;
}

export function changeSeverity(incident: Incident, severity: Severity, by: string, now: number, options: SeverityChangeOptions): Change {
  const closed = refuseIfClosed(incident);
  if (closed) return closed;
  if (incident.severity === severity) return refuse('incident.same_severity', `${incident.id} is already ${severity}.`);
  const because = options.reason ?? phrase`${severity} set by ${userRef(by)}`;
  return ok(
    { ...incident, severity, severityReason: because, severityConfirmed: options.confirmed ? { by, at: now } : null },
    {
      at: now,
      actor: by,
      kind: 'severity',
      text: `Severity ${incident.severity} → ${severity}`,
      details: { from: incident.severity, to: severity, reason: because },
    },
  );
}

export function confirmSeverity(incident: Incident, by: string, now: number): Change {
  const closed = refuseIfClosed(incident);
  if (closed) return closed;
  if (incident.severityConfirmed)
    return refuse(
      'incident.severity_confirmed',
      phrase`${incident.severity} was already confirmed by ${userRef(incident.severityConfirmed.by)}.`,
    );
  return ok(
    { ...incident, severityConfirmed: { by, at: now } },
    { at: now, actor: by, kind: 'severity_confirmed', text: phrase`Severity ${incident.severity} confirmed by ${userRef(by)}` },
  );
}

export interface StatusUpdateInput {
  status: IncidentStatus;
  /** What the person wrote, with their mentions and links. */
  text: Phrase;
  by: string;
}

/** A status update: records the text, moves the lifecycle if the status changes, restarts the update clock. */
export function postStatusUpdate(incident: Incident, input: StatusUpdateInput, now: number): Change {
  const closed = refuseIfClosed(incident);
  if (closed) return closed;
  if (input.status === 'closed') return refuse('update.close', 'Use `/incident close` to close an incident.');
  let next: Incident = { ...incident, lastUpdateAt: now, lastUpdateBy: input.by, impact: input.text };
  const events: TimelineEventInput[] = [];
  if (input.status !== incident.status) {
    const moved = moveStatus(incident, input.status, input.by, now);
    if (!moved.ok) return moved;
    next = { ...moved.incident, lastUpdateAt: now, lastUpdateBy: input.by, impact: input.text };
    events.push(...moved.events);
  }
  if (next.acknowledgedAt === null && isOpenStatus(next.status)) {
    next = { ...next, acknowledgedAt: now, acknowledgedBy: input.by };
    events.push({ at: now, actor: input.by, kind: 'acknowledged', text: phrase`Acknowledged by ${userRef(input.by)}` });
  }
  events.push({ at: now, actor: input.by, kind: 'status_update', text: input.text, details: { status: input.status } });
  return ok(next, ...events);
}

function moveStatus(incident: Incident, to: IncidentStatus, by: string, now: number): Change {
  const check = checkTransition(incident.status, to);
  if (!check.ok) return check;
  const reopened = incident.status === 'resolved' && to === 'investigating';
  const next: Incident = {
    ...incident,
    status: to,
    resolvedAt: to === 'resolved' ? now : reopened ? null : incident.resolvedAt,
    closedAt: to === 'closed' ? now : incident.closedAt,
  };
  return ok(next, {
    at: now,
    actor: by,
    kind: reopened ? 'reopened' : 'status',
    text: reopened ? 'Reopened' : `Status ${incident.status} → ${to}`,
    details: { from: incident.status, to },
  });
}

export function resolve(incident: Incident, by: string, now: number, summary?: Phrase): Change {
  const moved = moveStatus(incident, 'resolved', by, now);
  if (!moved.ok) return moved;
  const given = summary === undefined || isEmptyPhrase(summary) ? null : trimPhrase(summary);
  const resolutionSummary = given ?? incident.resolutionSummary;
  const events = [...moved.events];
  if (given) events.push({ at: now, actor: by, kind: 'resolution_summary', text: given });
  return ok({ ...moved.incident, resolutionSummary }, ...events);
}

export function reopen(incident: Incident, by: string, now: number): Change {
  return moveStatus(incident, 'investigating', by, now);
}

export function close(incident: Incident, by: string, now: number): Change {
  return moveStatus(incident, 'closed', by, now);
}

export function addNote(incident: Incident, text: Phrase, by: string, now: number, details?: Record<string, unknown>): Change {
  const closed = refuseIfClosed(incident);
  if (closed) return closed;
  const trimmed = trimPhrase(text);
  if (isEmptyPhrase(trimmed)) return refuse('note.empty', 'A note needs some text: `/incident note <text>`.');
  return ok(incident, { at: now, actor: by, kind: 'note', text: trimmed, ...(details ? { details } : {}) });
}
