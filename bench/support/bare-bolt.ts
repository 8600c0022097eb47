// The baseline: a bare Bolt app on the same receiver, with one command and one action
// listener that only acknowledge. What the bot does beyond this is our cost.
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';

const receiver = new HTTPReceiver({
  signingSecret: process.env.SLACK_SIGNING_SECRET!,
  endpoints: '/slack/events',
  logLevel: LogLevel.ERROR,
});
// A static authorize: no auth.test round trip (the bot's single-workspace authorize caches its one call).
const app = new App({
  receiver,
  authorize: async () => ({ botToken: 'xoxb-bare', botId: 'B0BARE', botUserId: 'U0BARE' }),
  logLevel: (process.env.BOLT_LOG as LogLevel) ?? LogLevel.ERROR,
});
app.command('/incident', async ({ ack }) => ack());
// EXTRA_LISTENERS: as many more listeners as a real app registers (Bolt walks every
// listener's middleware for every request), to see what listener count alone costs.
for (let i = 0; i < Number(process.env.EXTRA_LISTENERS ?? 0); i += 1) app.action(`unused_${i}`, async ({ ack }) => ack());
app.action(/.*/, async ({ ack }) => ack());
const server = (await app.start(Number(process.env.PORT ?? 0))) as import('node:http').Server;
const address = server.address();
console.log(`READY ${typeof address === 'object' && address ? address.port : process.env.PORT}`);
process.once('SIGTERM', () => void app.stop().then(() => process.exit(0)));
