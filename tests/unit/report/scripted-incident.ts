import {
  acknowledge,
  assignCommander,
  changeSeverity,
  confirmSeverity,
  createIncident,
  postStatusUpdate,
  resolve,
  type Change,
  type Incident,
} from '../../../src/domain/incident';
import type { DecisionRecord, RollbackEvidence, SeverityAssessment } from '../../../src/domain/report/records';
import type { ReportInput } from '../../../src/domain/report/report-input';
import type { TimelineEvent, TimelineEventInput } from '../../../src/domain/timeline';
import { phrase, plainText, user } from '../../../src/domain/phrase';

/** 2026-11-21 14:02 UTC, plus minutes. */
export const T0 = Date.UTC(2026, 10, 21, 14, 2, 0);
export const at = (minutes: number, seconds = 0) => T0 + minutes * 60_000 + seconds * 1000;

export const USER_NAMES: Record<string, string> = { U0ALICE: 'alice', U0BOB: 'bob', U0CAROL: 'carol', U0DAVE: 'dave', U0EVE: 'eve' };

/**
 * One incident driven through the real domain functions: opened by an alert at P2,
 * acknowledged, raised to P1, confirmed, rolled back, verified, resolved.
 */
export function scriptedIncident(): { incident: Incident; timeline: TimelineEvent[] } {
  const events: TimelineEventInput[] = [];
  const apply = (change: Change): Incident => {
    if (!change.ok) throw new Error(plainText(change.reason));
    events.push(...change.events);
    return change.incident;
  };
  const opened = createIncident(
    'INC-20261121-001',
    {
      title: 'Checkout error rate 18%',
      summary: 'Checkout requests fail with HTTP 500 after deploy v6.2.',
      severity: 'P2',
      severityReason: 'error_rate 12% > 10% → P2',
      service: 'checkout',
      openedBy: 'U0ALICE',
      source: 'alertmanager',
    },
    at(0),
  );
  events.push(...opened.events);
  let incident = opened.incident;
  incident = apply(acknowledge(incident, 'U0ALICE', at(3)));
  incident = apply(assignCommander(incident, 'U0CAROL', 'U0ALICE', at(4)));
  incident = apply(changeSeverity(incident, 'P1', 'bot', at(8), { confirmed: false, reason: 'error_rate 18% > 15% → P1' }));
  incident = apply(confirmSeverity(incident, 'U0CAROL', at(10)));
  incident = apply(
    postStatusUpdate(
      incident,
      { status: 'identified', text: 'Deploy v6.2 identified as the cause; proposing a rollback.', by: 'U0ALICE' },
      at(15),
    ),
  );
  events.push(
    { at: at(16), actor: 'U0ALICE', kind: 'rollback_proposed', text: 'Proposed rollback of checkout via checkout-rollback (level 2)' },
    { at: at(18), actor: 'U0EVE', kind: 'rollback_denied', text: phrase`${user('U0EVE')} is not an approver for checkout` },
    { at: at(18), actor: 'U0DAVE', kind: 'rollback_approved', text: phrase`Rollback approved by ${user('U0DAVE')}` },
    { at: at(19, 28), actor: 'bot', kind: 'rollback_executed', text: 'checkout-rollback succeeded in 28s' },
    { at: at(20, 10), actor: 'bot', kind: 'verification', text: 'Verification passed (4/4 checks)' },
  );
  incident = apply(
    postStatusUpdate(incident, { status: 'monitoring', text: 'Rolled back to v6.1; error rate back to 0.4%.', by: 'U0ALICE' }, at(21)),
  );
  incident = apply(resolve(incident, 'U0CAROL', at(65), 'Rolled back checkout to v6.1; error rate stayed below 1% for 44 minutes.'));
  // Stream ids as Redis would assign them: ms-sequence, in append order.
  const seen = new Map<number, number>();
  const timeline = events.map((event) => {
    const seq = seen.get(event.at) ?? 0;
    seen.set(event.at, seq + 1);
    return { ...event, id: `${event.at}-${seq}` };
  });
  return { incident, timeline };
}

export const REPORT_INPUT: ReportInput = {
  rootCause:
    'Deploy v6.2 changed the payment client timeout from 5s to 500ms.\nUnder normal load the payment provider answers in ~700ms, so most calls timed out.',
  impact: 'About 18% of checkout attempts failed for 19 minutes.\nRetries succeeded for most customers.',
  usersAffected: '~4,200 customers (18% of checkout attempts)',
  sloImpact: 'checkout_availability 99.5% violated; 31% of the monthly error budget used',
  wentWell: ['Alert fired within 2 minutes of the deploy', 'Rollback ran in 28s and verification passed first time'],
  couldImprove: ['Severity started at P2 and was raised 8 minutes later', 'The canary stage did not exercise the payment path'],
  actionItems: [
    {
      text: 'Add the payment path to the canary checks',
      owner: 'U0BOB',
      due: '2026-11-28',
      issueUrl: 'https://github.com/acme/incidents/issues/12',
      state: 'closed',
    },
    {
      text: 'Alert on payment client timeouts',
      owner: 'U0ALICE',
      due: '2026-12-05',
      issueUrl: 'https://github.com/acme/incidents/issues/13',
      state: 'open',
    },
    { text: 'Document timeout budgets per dependency', owner: 'U0CAROL' },
  ],
  prevention:
    'Timeouts for external dependencies are now part of the service config review.\nCanary checks cover every dependency on the request path.',
};

export const ROLLBACK: RollbackEvidence = {
  executions: [
    {
      runner: 'checkout-rollback',
      kind: 'script',
      outcome: 'succeeded',
      exitCode: 0,
      startedAt: at(19),
      finishedAt: at(19, 28),
      durationMs: 28_000,
      outputExcerpt: '[1/7] Stop traffic shift\n[6/7] Verify rollback\n[7/7] Create notice\nTotal Duration: 28s',
      link: 'https://ci.example.com/runs/42',
    },
  ],
  verification: {
    passed: true,
    at: at(20, 10),
    checks: [
      { name: 'http 200 on /healthz', passed: true, detail: '200 in 45ms' },
      { name: 'error_rate < 1%', passed: true, detail: '0.4%' },
      { name: 'p95_ms < 500', passed: true, detail: '187ms' },
      { name: 'checkout smoke test', passed: true, detail: '3/3 journeys' },
    ],
  },
  signalsAtRollback: { p95_ms: 1234, error_rate: 0.18, data_loss: false },
};

export const SEVERITY_ASSESSMENT: SeverityAssessment = {
  rule: 'error_rate > 15% → P1',
  explanation: 'Error rate 18% is above the P1 threshold of 15%.',
  observations: { p95_ms: 1234, error_rate: 0.18 },
  confirmedBy: 'U0CAROL',
};

export const DECISIONS: DecisionRecord[] = [
  { kind: 'proposal', by: 'U0ALICE', at: at(16), action: 'rollback checkout via checkout-rollback (level 2)' },
  // Same millisecond as the approval: the log must keep recorded order.
  { kind: 'denial', by: 'U0EVE', at: at(18), action: 'approve rollback checkout-rollback', reason: 'not an approver for checkout' },
  { kind: 'approval', by: 'U0DAVE', at: at(18), action: 'rollback checkout via checkout-rollback (level 2)' },
];
