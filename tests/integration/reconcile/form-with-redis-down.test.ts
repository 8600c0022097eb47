import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INPUTS, VIEWS } from '../../../src/adapters/outbound/slack/ids';
import { startRedisProcess, type RedisProcess } from '../../support/redis-servers';
import { startBot, waitFor, type RunningBot } from '../../support/start-bot';

// The bot's only Redis is a private server this test kills by pid.
let redis: RedisProcess;
let bot: RunningBot;

beforeAll(async () => {
  redis = await startRedisProcess('server', () => ['save ""', 'appendonly no']);
  bot = await startBot({ env: { REDIS_URL: `redis://127.0.0.1:${redis.port}` } });
}, 60_000);

afterAll(async () => {
  await bot?.stop({ cleanup: false });
  await bot?.slack.stop();
  await redis?.stop();
});

const openForm = (title: string) => ({
  [INPUTS.title.block]: { [INPUTS.title.action]: { type: 'plain_text_input', value: title } },
  [INPUTS.severity.block]: { [INPUTS.severity.action]: { type: 'static_select', selected_option: { value: 'P2' } } },
  [INPUTS.summary.block]: { [INPUTS.summary.action]: { type: 'plain_text_input', value: '' } },
});
const updateForm = (text: string) => ({
  [INPUTS.status.block]: { [INPUTS.status.action]: { type: 'static_select', selected_option: { value: 'identified' } } },
  [INPUTS.updateText.block]: { [INPUTS.updateText.action]: { type: 'plain_text_input', value: text } },
});

describe('a form submitted while Redis is down', () => {
  it('is answered in the form, naming the store, instead of failing after the acknowledgement', async () => {
    const accepted = await bot.submitView(VIEWS.open, openForm('recorded before the outage'));
    expect(accepted.status).toBe(200);
    expect(accepted.json?.response_action).toBeUndefined();
    const incident = await waitFor(
      async () => (await bot.api('/api/incidents')).json?.incidents?.find((i: any) => i.title === 'recorded before the outage'),
      'the first incident',
      30_000,
    );

    redis.kill9();
    await waitFor(
      async () => (await bot.api('/api/incidents')).status === 500 || bot.bot.redis.status !== 'ready',
      'the bot to lose Redis',
      30_000,
    );

    const refused = await bot.submitView(VIEWS.open, openForm('submitted during the outage'));
    expect(refused.status).toBe(200);
    expect(refused.json.response_action).toBe('errors');
    expect(refused.json.errors[INPUTS.title.block]).toMatch(/^The incident store \(Redis\) is unreachable: nothing was recorded/);

    const update = await bot.submitView(VIEWS.update, updateForm('rolled back the config'), {
      privateMetadata: JSON.stringify({ incidentId: incident.id }),
    });
    expect(update.json.response_action).toBe('errors');
    expect(Object.values(update.json.errors)[0]).toMatch(/The incident store \(Redis\) is unreachable/);
  }, 90_000);
});
