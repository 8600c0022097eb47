import type { KnownBlock } from '@slack/types';
import type { AlertContext, AlertLink } from '../../../../domain/alert-context';
import { context, escapeMrkdwn } from './block-kit';

const ICON: Record<AlertLink['kind'], string> = { runbook: ':book:', dashboard: ':bar_chart:', source: ':mag:', link: ':link:' };

/** Label text in a code span: formatting in a value (`*bold*`) shows as typed, and mentions are escaped. */
function code(text: string): string {
  return `\`${escapeMrkdwn(text).replaceAll('`', 'ˋ')}\``;
}

/** The alert's links (runbook first) and its label summary, as context lines; nothing when there is none. */
export function alertContextBlocks(alertContext: AlertContext | null | undefined): KnownBlock[] {
  if (!alertContext) return [];
  const blocks: KnownBlock[] = [];
  // URLs were made safe for `<…|…>` when the context was built; the titles come from the sender.
  if (alertContext.links.length)
    blocks.push(context([alertContext.links.map((l) => `${ICON[l.kind]} <${l.url}|${escapeMrkdwn(l.title)}>`).join(' · ')]));
  if (alertContext.labels.length)
    blocks.push(context([`*Labels:* ${alertContext.labels.map((l) => `${code(l.name)}=${code(l.value)}`).join(' · ')}`]));
  return blocks;
}
