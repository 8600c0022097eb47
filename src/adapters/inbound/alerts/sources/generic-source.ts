import { bearerTokenAuth, type AlertSourceDefinition } from '../alert-source';
import { parseGeneric } from '../parse-generic';

/** The documented generic JSON alert (README, "Generic alerts"). */
export const genericSource: AlertSourceDefinition<'generic'> = {
  name: 'generic',
  route: '/alerts/generic',
  authenticate: { request: bearerTokenAuth },
  detect: (o) => typeof o.dedup_key === 'string' && !('alerts' in o) && !('event' in o),
  parse: parseGeneric,
  describe: 'a generic alert (dedup_key)',
};
