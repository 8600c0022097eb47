import type { Incident } from './incident';
import type { Severity } from './severity';

/** Response targets for one severity (DESIGN table, configurable). Durations in ms. */
export interface SlaTargets {
  firstResponseMs: number;
  updateEveryMs: number;
  resolveWithinMs: number;
  monitorAfterMs: number;
  /** Escalation levels beyond on-call (L1), each after a delay from opening while unresolved. */
  escalations: { level: number; afterMs: number }[];
}

export type SlaPolicy = Record<Severity, SlaTargets>;

export const DEFAULT_SLA_POLICY: SlaPolicy = {
  P0: {
    firstResponseMs: 5 * 60_000,
    updateEveryMs: 15 * 60_000,
    resolveWithinMs: 3_600_000,
    monitorAfterMs: 24 * 3_600_000,
    escalations: [
      { level: 2, afterMs: 15 * 60_000 },
      { level: 3, afterMs: 30 * 60_000 },
    ],
  },
  P1: {
    firstResponseMs: 15 * 60_000,
    updateEveryMs: 30 * 60_000,
    resolveWithinMs: 4 * 3_600_000,
    monitorAfterMs: 8 * 3_600_000,
    escalations: [
      { level: 2, afterMs: 3_600_000 },
      { level: 3, afterMs: 2 * 3_600_000 },
    ],
  },
  P2: {
    firstResponseMs: 3_600_000,
    updateEveryMs: 24 * 3_600_000,
    resolveWithinMs: 24 * 3_600_000,
    monitorAfterMs: 4 * 3_600_000,
    escalations: [],
  },
  P3: {
    firstResponseMs: 4 * 3_600_000,
    updateEveryMs: 7 * 86_400_000,
    resolveWithinMs: 7 * 86_400_000,
    monitorAfterMs: 3_600_000,
    escalations: [],
  },
};

export type SlaClockName = 'first_response' | 'next_update' | 'resolution' | 'monitoring_end';

export interface SlaClock {
  name: SlaClockName;
  dueAt: number;
  /** When it was met (acknowledged, updated, resolved), null while running. */
  metAt: number | null;
  /** Met late or still running past due. */
  breached: boolean;
  /** How far past due (ms) at metAt or now; 0 when not breached. */
  overdueMs: number;
}

export interface SlaState {
  severity: Severity;
  clocks: SlaClock[];
  escalations: { level: number; dueAt: number }[];
}

function clock(name: SlaClockName, dueAt: number, metAt: number | null, now: number): SlaClock {
  const reference = metAt ?? now;
  const overdueMs = Math.max(0, reference - dueAt);
  return { name, dueAt, metAt, breached: overdueMs > 0, overdueMs };
}

/**
 * The incident's SLA clocks at `now`, derived only from its severity and timestamps.
 * 1. First response runs from opening until acknowledged.
 * 2. The status-update clock restarts at every update; it stops once resolved.
 * 3. Resolution runs from opening until resolved.
 * 4. The monitoring period runs from resolution; it is "met" when closed.
 * 5. Escalation levels are due from opening, and only matter while unresolved.
 */
export function slaState(incident: Incident, policy: SlaPolicy, now: number): SlaState {
  const targets = policy[incident.severity];
  const clocks: SlaClock[] = [clock('first_response', incident.createdAt + targets.firstResponseMs, incident.acknowledgedAt, now)];
  if (incident.resolvedAt === null) {
    clocks.push(clock('next_update', (incident.lastUpdateAt ?? incident.createdAt) + targets.updateEveryMs, null, now));
  }
  clocks.push(clock('resolution', incident.createdAt + targets.resolveWithinMs, incident.resolvedAt, now));
  if (incident.resolvedAt !== null) {
    const monitoringEnd = incident.resolvedAt + targets.monitorAfterMs;
    // Closing early is allowed; the clock is "met" by the end of monitoring, not breached by it.
    clocks.push({ name: 'monitoring_end', dueAt: monitoringEnd, metAt: incident.closedAt, breached: false, overdueMs: 0 });
  }
  const escalations =
    incident.resolvedAt === null ? targets.escalations.map((e) => ({ level: e.level, dueAt: incident.createdAt + e.afterMs })) : [];
  return { severity: incident.severity, clocks, escalations };
}

/** The next deadline still running, for countdowns (App Home, announcement). */
export function nextDeadline(state: SlaState): SlaClock | null {
  const running = state.clocks.filter((c) => c.metAt === null && c.name !== 'monitoring_end');
  running.sort((a, b) => a.dueAt - b.dueAt);
  return running[0] ?? null;
}
