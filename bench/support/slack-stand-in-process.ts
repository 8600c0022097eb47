// The Slack Web API stand-in in its own process, so answering the bot's Slack calls does
// not load the process that generates and measures the load. Asked over IPC for its log.
import { SlackStandIn } from '../../tests/support/slack-stand-in';

const slack = await new SlackStandIn().start();
process.on('message', (message: { type: string }) => {
  if (message.type === 'calls')
    process.send!({
      type: 'calls',
      calls: slack.calls.map((c) => ({ method: c.method, at: c.at, channel: c.args.channel ?? null, ts: c.args.ts ?? null })),
    });
  if (message.type === 'reset') slack.reset();
});
process.send!({ type: 'ready', url: slack.url });
process.once('SIGTERM', () => void slack.stop().then(() => process.exit(0)));
