import { exhaustive, parts, type Phrase } from '../../../../domain/phrase';
import { escapeMrkdwn } from './block-kit';

/**
 * A phrase as Slack mrkdwn. Literal words are always escaped (`&`, `<`, `>`, Slack's rule for
 * text it must not interpret), so outside text cannot mention anyone; references become
 * the markup Slack renders: `<@U…>`, `<#C…>`, `<!subteam^S…>`, `<!here>`, `<url|label>`.
 */
export function slackText(p: Phrase): string {
  return parts(p)
    .map((x) => {
      if (typeof x === 'string') return escapeMrkdwn(x);
      switch (x.kind) {
        case 'user':
          return `<@${x.id}>`;
        case 'channel':
          return `<#${x.id}>`;
        case 'group':
          return `<!subteam^${x.id}>`;
        case 'broadcast':
          return `<!${x.to}>`;
        case 'link':
          return x.label ? `<${escapeMrkdwn(x.url)}|${escapeMrkdwn(x.label)}>` : `<${escapeMrkdwn(x.url)}>`;
        default:
          return exhaustive(x);
      }
    })
    .join('');
}
