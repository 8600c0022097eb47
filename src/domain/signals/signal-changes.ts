import type { SeverityDecision } from '../classifier/classify';
import { gateFacts, type Change, type Incident } from '../incident';
import { isOpenStatus } from '../lifecycle';
import { utcClock } from '../report/utc-time';
import { refuse } from '../result';
import { isMoreSevere } from '../severity';
import type { TimelineEventInput } from '../timeline';
import { describeSnapshot } from './format-signal-value';
import { NO_INCIDENT_SIGNALS, type IncidentSignals, type SignalRecovery } from './incident-signals';
import { describeEvidence } from './judge-recovery';
import type { SignalSnapshot } from './signal-reading';

const BOT = 'bot';

export interface LiveDecision {
  snapshot: SignalSnapshot;
  decision: SeverityDecision;
  /** Signals whose value in the decision came from the live read (the rest from the alert). */
  fromLive: string[];
}

function signalsOf(incident: Incident): IncidentSignals {
  return { ...NO_INCIDENT_SIGNALS, ...(incident.signals ?? {}) };
}

/**
 * `P1 because error_rate 18.2% > 15% (rule urgent-error-rate, Prometheus 14:02 UTC)`: the
 * source and time are added only when a live value made the rule hold.
 */
export function stampExplanation(live: LiveDecision): string {
  const usedLive = live.decision.observations.some((o) => live.fromLive.includes(o.signal));
  if (!usedLive) return live.decision.explanation;
  const stamp = `${live.snapshot.source} ${utcClock(live.snapshot.at)}`;
  return live.decision.explanation.endsWith(')')
    ? `${live.decision.explanation.slice(0, -1)}, ${stamp})`
    : `${live.decision.explanation} (${stamp})`;
}

/**
 * Classification at open from live values. Raising happens (it is the classification);
 * an equal severity takes the better-founded reason; a lower one is only noted: severity
 * never drops without a person. Recorded once: a second read changes nothing.
 */
export function recordOpenSignals(incident: Incident, live: LiveDecision, now: number): Change {
  const current = signalsOf(incident);
  if (current.atOpen) return refuse('signals.already_recorded', `${incident.id}: signals at open were already recorded.`);
  if (!isOpenStatus(incident.status))
    return refuse('signals.not_open', `${incident.id} is ${incident.status}; signals at open no longer matter.`);
  const { snapshot, decision } = live;
  const signals: IncidentSignals = { ...current, atOpen: snapshot, latest: snapshot };
  const measured = describeSnapshot(snapshot);
  const events: TimelineEventInput[] = [
    {
      at: now,
      actor: BOT,
      kind: 'signals_at_open',
      text: `Signals at open (${snapshot.source} ${utcClock(snapshot.at)}): ${measured}`,
      details: { values: snapshot.values, unavailable: snapshot.unavailable, at: snapshot.at },
    },
  ];
  let next: Incident = { ...incident, signals };
  const nothingRead = Object.keys(snapshot.values).length === 0;
  if (nothingRead) return { ok: true, incident: next, events };
  const because = stampExplanation(live);
  if (isMoreSevere(decision.severity, incident.severity)) {
    next = { ...next, severity: decision.severity, severityReason: because, severityConfirmed: null };
    events.push({
      at: now,
      actor: BOT,
      kind: 'severity',
      text: `Severity ${incident.severity} → ${decision.severity} from live signals`,
      details: { from: incident.severity, to: decision.severity, reason: because },
    });
  } else if (decision.severity === incident.severity && decision.rule !== null) {
    next = { ...next, severityReason: because };
  } else if (decision.rule !== null && decision.severity !== incident.severity) {
    events.push({
      at: now,
      actor: BOT,
      kind: 'signals_note',
      text: `Live signals suggest ${decision.severity} (${because}); ${incident.severity} kept: lowering is a person's decision (/incident severity).`,
    });
  }
  return { ok: true, incident: next, events };
}

/**
 * A re-evaluation while open: the latest read is kept (trend), and a rule of higher
 * severity than now becomes a proposal once per severity. Nothing is lowered, nothing
 * raised without a person. Returns `proposed` so the caller offers the button.
 */
export function recordReevaluation(incident: Incident, live: LiveDecision, now: number): Change & { proposed?: boolean } {
  if (!isOpenStatus(incident.status)) return refuse('signals.not_open', `${incident.id} is ${incident.status}; no re-evaluation.`);
  const current = signalsOf(incident);
  const signals: IncidentSignals = { ...current, latest: live.snapshot, ...(current.atOpen ? {} : { atOpen: live.snapshot }) };
  const events: TimelineEventInput[] = [];
  const { decision } = live;
  const already = current.raiseProposal && !isMoreSevere(decision.severity, current.raiseProposal.severity);
  let proposed = false;
  if (decision.rule !== null && isMoreSevere(decision.severity, incident.severity) && !already) {
    const because = stampExplanation(live);
    signals.raiseProposal = { severity: decision.severity, explanation: because, at: now };
    proposed = true;
    events.push({
      at: now,
      actor: BOT,
      kind: 'signals_raise_proposed',
      text: `Signals now support ${decision.severity}: ${because}. A person decides.`,
      details: { severity: decision.severity },
    });
  }
  if (live.snapshot.unavailable && !current.latest?.unavailable) {
    events.push({
      at: now,
      actor: BOT,
      kind: 'signals_unavailable',
      text: `Signals unavailable: ${live.snapshot.unavailable} (tried again at the next re-evaluation)`,
    });
  }
  return { ok: true, incident: { ...incident, signals }, events, proposed };
}

/** A person accepts the proposed raise; the new severity counts as confirmed (gate 1). */
export function acceptRaise(incident: Incident, by: string, now: number): Change {
  if (!isOpenStatus(incident.status))
    return refuse('signals.not_open', `${incident.id} is ${incident.status}; its severity is no longer raised.`);
  const proposal = incident.signals?.raiseProposal;
  if (!proposal) return refuse('signals.no_proposal', `${incident.id} has no severity raise waiting.`);
  if (!isMoreSevere(proposal.severity, incident.severity))
    return refuse('signals.already_raised', `${incident.id} is already ${incident.severity}.`);
  return {
    ok: true,
    incident: {
      ...incident,
      severity: proposal.severity,
      severityReason: proposal.explanation,
      severityConfirmed: { by, at: now },
      signals: { ...signalsOf(incident), raiseProposal: null },
    },
    events: [
      {
        at: now,
        actor: by,
        kind: 'severity',
        text: `Severity ${incident.severity} → ${proposal.severity}, raised by <@${by}> on the signals' proposal`,
        details: { from: incident.severity, to: proposal.severity, reason: proposal.explanation },
      },
    ],
  };
}

/**
 * Gate 3 by evidence: the incident's alerts resolved and its signals stayed under every
 * rule for the hold window.
 */
export function recordSignalRecovery(incident: Incident, evidence: SignalRecovery): Change {
  if (!isOpenStatus(incident.status))
    return refuse('signals.not_open', `${incident.id} is ${incident.status}; recovery is no longer judged.`);
  if (gateFacts(incident).recoveryValidatedAt !== null)
    return refuse('signals.recovery_known', `${incident.id}: recovery was already validated.`);
  const at = evidence.at;
  const parts = [
    ...(evidence.alerts ? [`all ${evidence.alerts.resolved} alert(s) resolved since ${utcClock(evidence.alerts.allResolvedAt)}`] : []),
    ...(evidence.signals.length
      ? [`${describeEvidence(evidence.signals)} for ${Math.round(evidence.holdForMs / 1000)}s (${evidence.source})`]
      : []),
  ];
  const events: TimelineEventInput[] = [
    {
      at,
      actor: BOT,
      kind: 'recovery_validated',
      text: `Recovery validated by evidence: ${parts.join('; ')}`,
      details: { alerts: evidence.alerts, signals: evidence.signals, holdForMs: evidence.holdForMs },
    },
  ];
  // The status stays: the "All alerts resolved — resolve incident?" offer is the next step, a person's.
  return {
    ok: true,
    incident: {
      ...incident,
      gates: { ...gateFacts(incident), recoveryValidatedAt: at },
      signals: { ...signalsOf(incident), recovery: evidence },
    },
    events,
  };
}

/**
 * An alert fires again after recovery was validated by evidence: the evidence no longer
 * holds, so gate 3 is open again. Recovery validated by a passed verification stays.
 */
export function withdrawSignalRecovery(incident: Incident, now: number): Change {
  const recovery = incident.signals?.recovery;
  const facts = gateFacts(incident);
  if (!recovery || facts.recoveryValidatedAt !== recovery.at)
    return refuse('signals.no_evidence', `${incident.id}: recovery was not validated by evidence.`);
  if (!isOpenStatus(incident.status))
    return refuse('signals.not_open', `${incident.id} is ${incident.status}; its recovery evidence stands.`);
  return {
    ok: true,
    incident: { ...incident, gates: { ...facts, recoveryValidatedAt: null }, signals: { ...signalsOf(incident), recovery: null } },
    events: [{ at: now, actor: BOT, kind: 'recovery_withdrawn', text: 'Alerts fire again: recovery is no longer validated (gate 3).' }],
  };
}
