import type { Incident } from '../incident';
import type { SlaPolicy, SlaTargets } from '../sla-policy';

function scaled(targets: SlaTargets, speed: number): SlaTargets {
  const s = (ms: number) => Math.max(1, Math.round(ms / speed));
  return {
    firstResponseMs: s(targets.firstResponseMs),
    updateEveryMs: s(targets.updateEveryMs),
    resolveWithinMs: s(targets.resolveWithinMs),
    monitorAfterMs: s(targets.monitorAfterMs),
    escalations: targets.escalations.map((e) => ({ level: e.level, afterMs: s(e.afterMs) })),
  };
}

/**
 * The SLA table an incident's clocks run on: the configured one, or for a drill played
 * faster, every duration divided by its speed, so reminders, breaches and escalations come
 * at the same point of the drill as they would in real time.
 */
export function policyFor(incident: Pick<Incident, 'drill'>, policy: SlaPolicy): SlaPolicy {
  const speed = incident.drill?.speed ?? 1;
  if (speed <= 1) return policy;
  return { P0: scaled(policy.P0, speed), P1: scaled(policy.P1, speed), P2: scaled(policy.P2, speed), P3: scaled(policy.P3, speed) };
}
