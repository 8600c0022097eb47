import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../support/start-bot';
import { createTestRedis } from '../../support/test-redis';

// Records exactly as incident-bot 0.1.0 wrote them (raw Redis values captured with
// tests/fixtures/upgrades/capture-records.ts), loaded under a fresh prefix: this version must
// read them, change them, and from then on mark them with their schema.
const fixture = JSON.parse(readFileSync('tests/fixtures/upgrades/records-unversioned.json', 'utf8')) as {
  incidents: string[];
  records: Record<string, { type: string; value: any }>;
};
const [alertIncident, commandIncident] = Object.keys(fixture.records)
  .filter((k) => k.startsWith('incident:'))
  .map((k) => k.slice('incident:'.length));
let bot: RunningBot | undefined;
const test = await createTestRedis('upgrade');
afterAll(async () => {
  await bot?.stop({ cleanup: true });
  await test.cleanup();
});

async function load(prefix: string): Promise<void> {
  const { redis } = test;
  for (const [name, { type, value }] of Object.entries(fixture.records)) {
    const key = prefix + name;
    if (type === 'string') await redis.set(key, value);
    else if (type === 'hash') await redis.hset(key, value);
    else if (type === 'zset')
      await redis.zadd(key, ...value.flatMap((_: string, i: number) => (i % 2 === 0 ? [value[i + 1], value[i]] : [])));
    else if (type === 'list') await redis.rpush(key, ...value);
    else if (type === 'set') await redis.sadd(key, ...value);
    else if (type === 'stream') for (const fields of value) await redis.xadd(key, '*', ...fields);
  }
}

describe('records written by 0.1.0 (no schema version)', () => {
  it('are read, changed and re-marked by this version', { timeout: 60_000 }, async () => {
    expect(fixture.records[`incident:${alertIncident}`]!.value.schema).toBeUndefined();
    await load(test.prefix);
    bot = await startBot({ prefix: test.prefix, env: { ALERT_WEBHOOK_TOKEN: 'upgrade-token' } });

    const list = await bot.api('/api/incidents');
    expect(list.status).toBe(200);
    const listed = JSON.stringify(list.json);
    expect(listed).toContain(alertIncident);
    expect(listed).toContain(commandIncident);
    const one = await bot.api(`/api/incidents/${alertIncident}`);
    expect(one.json).toMatchObject({ id: alertIncident, title: 'checkout 5xx', severity: 'P1' });
    expect(one.json.timeline.map((e: any) => e.kind)).toContain('opened');
    expect(JSON.stringify(one.json.timeline)).toContain('customers see 502s');

    // The alert group written then still dedups now: the same alert joins the same incident.
    const again = await fetch(`${bot.baseUrl}/alerts/generic`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer upgrade-token' },
      body: JSON.stringify({
        dedup_key: 'capture-1',
        title: 'checkout 5xx',
        service: 'checkout',
        severity: 'P1',
        signals: { error_rate: 22 },
      }),
    });
    expect(((await again.json()) as { incidents: string[] }).incidents).toEqual([alertIncident]);

    // A change goes through the compare-and-set on the old record and marks it with the schema.
    await bot.command(`note ${alertIncident} read after the upgrade`);
    const { redis } = test;
    const deadline = Date.now() + 10_000;
    while (
      !(await redis.hget(`${test.prefix}incident:${alertIncident}`, 'json'))?.includes('read after the upgrade') &&
      Date.now() < deadline
    )
      await new Promise((r) => setTimeout(r, 50));
    const timeline = (await bot.api(`/api/incidents/${alertIncident}`)).json.timeline;
    expect(JSON.stringify(timeline)).toContain('read after the upgrade');
    expect(await redis.hget(`${test.prefix}incident:${alertIncident}`, 'schema')).toBe('1');
    expect(Number(await redis.hget(`${test.prefix}incident:${alertIncident}`, 'version'))).toBeGreaterThan(
      Number(fixture.records[`incident:${alertIncident}`]!.value.version),
    );
  });
});
