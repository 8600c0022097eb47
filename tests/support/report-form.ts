import { INPUTS } from '../../src/adapters/outbound/slack/ids';

/** A complete incident report as typed into the report form. */
export const REPORT_FIELDS = {
  rootCause: 'Deploy v6.2 cut the payment client timeout from 5s to 500ms.',
  impact: 'About 18% of checkout attempts failed for 19 minutes.',
  usersAffected: '~4,200 customers',
  sloImpact: 'checkout_availability 99.5% violated',
  resolution: 'Rolled back checkout to v6.1.',
  wentWell: 'Alert fired within 2 minutes\nRollback took 28s',
  couldImprove: 'Severity started too low',
  actionItems: 'Add the payment path to the canary checks @U0BOB 2026-12-01',
  prevention: 'Dependency timeouts are reviewed with the service config.',
} as const;

export function reportValues(fields: Partial<Record<keyof typeof REPORT_FIELDS, string>> = {}) {
  const all = { ...REPORT_FIELDS, ...fields };
  return Object.fromEntries(
    Object.entries(all).map(([key, value]) => {
      const input = INPUTS[key as keyof typeof REPORT_FIELDS];
      return [input.block, { [input.action]: { type: 'plain_text_input', value } }];
    }),
  );
}
