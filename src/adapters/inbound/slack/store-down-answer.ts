import type { ViewOutput } from '@slack/bolt';

export const STORE_DOWN_IN_FORM =
  'The incident store (Redis) is unreachable: nothing was recorded. Your text is still here; submit again in a moment.';
export const STORE_DOWN_AFTER_ACK =
  'The incident store (Redis) became unreachable while your form was being handled: it may not have been recorded. Check with `/incident show` once it is back, and submit again if it is missing.';

/**
 * The view-submission answer that shows the store outage in the form. Slack shows errors only
 * under input blocks, so it names the first one; a form without inputs is simply closed.
 */
export function storeDownFormAnswer(
  view: Pick<ViewOutput, 'state'>,
): { response_action: 'errors'; errors: Record<string, string> } | undefined {
  const block = Object.keys(view.state?.values ?? {})[0];
  return block ? { response_action: 'errors', errors: { [block]: STORE_DOWN_IN_FORM } } : undefined;
}
