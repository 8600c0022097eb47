import type { AlertSourceDefinition } from '../alert-source';
import { isRecord } from '../alert-source';
import { parsePagerDuty } from '../parse-pagerduty';
import { verifyPagerDutySignature } from '../verify-pagerduty-signature';

/** PagerDuty v3 webhooks, signed with PAGERDUTY_WEBHOOK_SECRET (no bearer token). */
export const pagerDutySource: AlertSourceDefinition<'pagerduty'> = {
  name: 'pagerduty',
  route: '/alerts/pagerduty',
  authenticate: {
    request: (_req, secrets) =>
      secrets.pagerDutySecret
        ? null
        : { status: 403, error: 'alerts_disabled', reason: 'PagerDuty webhooks disabled: set PAGERDUTY_WEBHOOK_SECRET.' },
    body(req, raw, secrets) {
      const header = req.headers['x-pagerduty-signature'];
      const signature = Array.isArray(header) ? header.join(',') : header;
      return verifyPagerDutySignature(raw, signature, secrets.pagerDutySecret!)
        ? null
        : { status: 401, error: 'bad_signature', reason: 'X-PagerDuty-Signature does not match the body for PAGERDUTY_WEBHOOK_SECRET.' };
    },
  },
  detect: (o) => isRecord(o.event) && typeof o.event.event_type === 'string' && typeof o.event.resource_type === 'string',
  parse: parsePagerDuty,
  describe: 'a PagerDuty v3 webhook (event.event_type)',
};
