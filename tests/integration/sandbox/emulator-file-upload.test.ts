import { webApi } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { SlackWebApi } from '../../../src/sandbox/slack-emulator/slack-web-api';
import { TriggerIds } from '../../../src/sandbox/slack-emulator/trigger-ids';
import { Workspace } from '../../../src/sandbox/slack-emulator/workspace';
import { WorkspaceServer } from '../../../src/sandbox/workspace-server';

const TOKEN = 'xoxb-sandbox-upload';
// A PNG's first bytes, then anything: the emulator keeps bytes, it does not decode them.
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(300, 7)]);

let server: WorkspaceServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start() {
  const workspace = new Workspace();
  const api = new SlackWebApi(workspace, new TriggerIds(3000), TOKEN);
  server = new WorkspaceServer({
    workspace,
    api,
    deliveries: {} as never,
    github: { snapshot: () => ({}) } as never,
    pagerduty: { snapshot: () => ({}) } as never,
    bot: () => ({ url: '', alertToken: '', pagerDutySecret: '' }),
  });
  const port = await server.listen(0);
  const base = `http://127.0.0.1:${port}`;
  const client = new webApi.WebClient(TOKEN, { slackApiUrl: `${base}/api/`, retryConfig: { retries: 0 } });
  return { workspace, client, base };
}

describe('the sandbox Slack emulator takes files.uploadV2 (upload URL, bytes, complete) and the page can show the file', () => {
  it('stores the bytes, shares the file in the thread with its comment, and serves it back as image/png', async () => {
    const { workspace, client, base } = await start();
    const parent = await client.chat.postMessage({ channel: 'incident-response', text: 'announcement' });
    const result = (await client.files.uploadV2({
      channel_id: parent.channel!,
      thread_ts: parent.ts!,
      file: PNG,
      filename: 'INC-1-signals-at-open.png',
      title: 'INC-1 signals at open',
      initial_comment: 'error_rate, p95_ms of checkout',
    })) as unknown as { files: { files: { id: string }[] }[] };
    const id = result.files[0]!.files[0]!.id;
    const shared = workspace.messages.find((m) => m.files?.some((f) => f.id === id))!;
    expect(shared).toMatchObject({ channel: parent.channel, thread_ts: parent.ts, text: 'error_rate, p95_ms of checkout' });
    expect(shared.files![0]).toMatchObject({ name: 'INC-1-signals-at-open.png', title: 'INC-1 signals at open', mimetype: 'image/png' });
    const served = await fetch(`${base}/sandbox/files/${id}`);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it('refuses to complete a file whose bytes never arrived (file_not_found), and records the refusal', async () => {
    const { workspace, client } = await start();
    const url = await client.files.getUploadURLExternal({ filename: 'x.png', length: 10 });
    await expect(
      client.files.completeUploadExternal({ files: [{ id: url.file_id! }], channel_id: 'C0INCIDENT' } as never),
    ).rejects.toMatchObject({ data: { error: 'file_not_found' } });
    expect(workspace.refusals.map((r) => r.error)).toContain('file_not_found');
  });
});
