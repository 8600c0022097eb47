import { afterAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/adapters/outbound/slack/ids';
import { AlertmanagerHarness, alertmanagerPresent } from '../../support/alertmanager-harness';
import { freePort } from '../../support/processes';
import { PrometheusHarness, prometheusPresent, TestExporter, TEST_QUERIES } from '../../support/prometheus-harness';
import { waitFor, type RunningBot } from '../../support/start-bot';
import { ALERT_TOKEN, allIncidents, incident, startAlertBot } from '../alerts/alert-harness';

const present = prometheusPresent && alertmanagerPresent;
const ERRORS =
  '100 * sum(rate(http_requests_total{service="checkout",code="500"}[5s])) / sum(rate(http_requests_total{service="checkout"}[5s]))';

// A Prometheus alerting rule as a team would write it, on the same metric the bot's signals read.
const RULES = `groups:
  - name: checkout
    rules:
      - alert: CheckoutErrorRate
        expr: ${ERRORS} > 15
        labels:
          severity: warning
          service: checkout
        annotations:
          summary: Checkout error rate is high
`;

let exporter: TestExporter | undefined;
let prometheus: PrometheusHarness | undefined;
let alertmanager: AlertmanagerHarness | undefined;
let bot: RunningBot | undefined;

afterAll(async () => {
  await prometheus?.cleanup();
  await alertmanager?.cleanup();
  await bot?.stop({ cleanup: true });
  await exporter?.stop();
});

async function reply(responseId: string): Promise<any> {
  return waitFor(() => bot!.replies(responseId)[0], `reply ${responseId}`, 15_000);
}

describe('end to end: Prometheus rule → Alertmanager → bot → live signals → rollback → verification by PromQL → resolved', () => {
  it.skipIf(!present)(
    `resolves without an override${present ? '' : ' (skipped: apt-get install prometheus prometheus-alertmanager)'}`,
    async () => {
      exporter = await new TestExporter().start();
      exporter.traffic('checkout', { requestsPerSecond: 100, errorPercent: 40, latencySeconds: 0.03 });
      const promPort = await freePort();
      bot = await startAlertBot({
        file: {
          alerts: { slack_min_interval: '50ms' },
          signals: { prometheus: { timeout: '2s' }, reevaluate_every: '2s', cache_for: '1s', queries: TEST_QUERIES },
          recovery: { hold_for: '3s' },
          services: [
            {
              name: 'checkout',
              rollback: {
                // The deploy hook answers once the previous release serves traffic and the 5 s rate window has moved past the errors.
                runners: [
                  {
                    kind: 'http',
                    name: 'deploy-previous',
                    url: `http://${exporter.url}/traffic/checkout`,
                    body: { errorPercent: 0, answerAfterMs: 9000 },
                    timeout: '30s',
                  },
                ],
                readiness: [{ kind: 'file_exists', path: process.execPath }],
                verification: [{ kind: 'prometheus', signal: 'error_rate', below: 1, for: '3s' }],
                approvers: { users: ['U0APPROVER'] },
              },
            },
          ],
        },
        env: { PROMETHEUS_URL: `http://127.0.0.1:${promPort}` },
      });
      alertmanager = await new AlertmanagerHarness({ botUrl: bot.baseUrl, token: ALERT_TOKEN }).start();
      prometheus = await new PrometheusHarness({
        targets: [exporter.url],
        rules: RULES,
        alertmanager: alertmanager.address,
        port: promPort,
      }).start();

      // 1. The rule fires; Alertmanager delivers; the bot opens one incident.
      const [opened] = await waitFor(
        async () => {
          const list = await allIncidents(bot!);
          return list.length ? list : null;
        },
        'an incident from the Prometheus rule',
        60_000,
      );
      const id = opened.id;
      expect(opened).toMatchObject({ source: 'alertmanager', service: 'checkout', title: 'Checkout error rate is high' });

      // 2. Live signals classify it: the label says warning (P2), the measured error rate says P1.
      const classified = await waitFor(
        async () => {
          const i = await incident(bot!, id);
          return i.signals?.atOpen ? i : null;
        },
        'signals at open',
        30_000,
      );
      expect(classified.severity).toBe('P1');
      expect(classified.severityReason).toMatch(
        /^P1 because error_rate \d+(\.\d+)?% > 15% \(rule urgent-error-rate, Prometheus \d\d:\d\d UTC\)$/,
      );

      // 3. The rollback: severity confirmed (gate 1), proposed, approved; it runs.
      await reply((await bot.command(`severity ${id} confirm`, { user: 'U0COMMANDER' })).responseId);
      const proposed = await reply((await bot.command(`rollback ${id} checkout v41`, { user: 'U0REQ' })).responseId);
      const requestId = /INC-\d{8}-\d{3}-R\d+/.exec(proposed.text)?.[0];
      expect(requestId, proposed.text).toBeTruthy();
      const approved = await reply((await bot.click(ACTIONS.approveRollback, requestId!, 'U0APPROVER')).responseId);
      expect(approved.text).toContain('Approved');

      // 4. Verification by PromQL passes: error_rate stayed below 1 for the whole window.
      const verified = await waitFor(
        async () => {
          const i = await incident(bot!, id);
          return i.timeline.find((e: any) => e.kind === 'rollback_succeeded') ? i : null;
        },
        'the rollback verified',
        60_000,
      );
      const verification = verified.timeline.find((e: any) => e.kind === 'rollback_verification');
      expect(verification.text).toMatch(
        /^Verification after deploy-previous passed: passed error_rate below 1 for 3s: error_rate below 1 held for 3s \(\d+ samples, max \d+(\.\d+)?, Prometheus\)$/,
      );
      expect(exporter.changes).toEqual(['checkout']);
      expect(verified.status).toBe('monitoring');

      // 5. The rule stops firing; Alertmanager sends the resolution; the offer resolves without an override.
      await waitFor(async () => (await incident(bot!, id)).alerts?.allResolvedAt, 'the alert resolved through Alertmanager', 60_000);
      const click = await bot.click(ACTIONS.resolveAlertsResolved, id, 'U0COMMANDER');
      expect(click.status).toBe(200);
      const resolved = await waitFor(
        async () => {
          const i = await incident(bot!, id);
          return i.status === 'resolved' ? i : null;
        },
        'resolved by the click',
        15_000,
      );
      expect(resolved.timeline.some((e: any) => e.kind === 'recovery_override')).toBe(false);
      expect(await allIncidents(bot)).toHaveLength(1);
    },
    180_000,
  );
});
