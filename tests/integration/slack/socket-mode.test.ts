import { createServer, type AddressInfo } from 'node:net';
import { afterAll, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { SlackStandIn } from '../../support/slack-stand-in';
import { startBot, waitFor, type RunningBot } from '../../support/start-bot';

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });

let bot: RunningBot | undefined;
let wss: WebSocketServer | undefined;
afterAll(async () => {
  await bot?.stop();
  wss?.clients.forEach((c) => {
    c.terminate();
  });
  await new Promise((r) => wss?.close(r) ?? r(undefined));
});

it('with SLACK_APP_TOKEN it runs over Socket Mode: commands arrive on the socket, HTTP routes stay on PORT', async () => {
  // A local WebSocket server plays Slack's Socket Mode endpoint.
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  const acks: any[] = [];
  const sockets: WebSocket[] = [];
  wss.on('connection', (socket) => {
    sockets.push(socket);
    socket.on('message', (data) => acks.push(JSON.parse(String(data))));
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: 1,
        debug_info: { host: 'local', approximate_connection_time: 3600 },
        connection_info: { app_id: 'A0APP' },
      }),
    );
  });
  await new Promise((r) => wss!.once('listening', r));
  const slack = await new SlackStandIn().start();
  slack.answerWith('apps.connections.open', { ok: true, url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/link` });

  const port = await freePort();
  bot = await startBot({ slack, env: { SLACK_APP_TOKEN: 'xapp-1-test', PORT: String(port) } });
  const socket = await waitFor(() => sockets[0], 'socket connection');
  expect(slack.callsTo('apps.connections.open')).toHaveLength(1);

  socket.send(
    JSON.stringify({
      envelope_id: 'env-1',
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: {
        token: 't',
        team_id: 'T0TEAM',
        channel_id: 'C0GENERAL',
        user_id: 'U0ALICE',
        command: '/incident',
        text: 'open P2 over the socket',
        api_app_id: 'A0APP',
        response_url: slack.responseUrl('sock'),
        trigger_id: 'trig-sock',
      },
    }),
  );
  await waitFor(() => acks.find((a) => a.envelope_id === 'env-1'), 'envelope acknowledged');
  const post = await waitFor(() => slack.callsTo('chat.postMessage')[0], 'announcement');
  expect(post.args.text).toContain('over the socket');
  const health = await fetch(`http://127.0.0.1:${port}/healthz`);
  expect(health.status).toBe(200);
  const api = await fetch(`http://127.0.0.1:${port}/api/incidents`, { headers: { authorization: 'Bearer test-api-token-abcdef' } });
  expect(((await api.json()) as any).incidents[0].title).toBe('over the socket');
});
