import type { RedisClient } from './key-space';
import type { ActiveDrill, DrillRun } from '../../../app/ports/active-drill';

// Compare-and-set on the run id: a stopped or finished run can never touch its successor's slot.
const ATTACH = `local v = redis.call('GET', KEYS[1]); if not v then return 0 end
local run = cjson.decode(v); if run.runId ~= ARGV[1] then return 0 end
run.incidentId = ARGV[2]; redis.call('SET', KEYS[1], cjson.encode(run), 'KEEPTTL'); return 1`;
const RELEASE = `local v = redis.call('GET', KEYS[1]); if not v then return 0 end
if cjson.decode(v).runId ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1]); return 1`;

/** The one drill slot of a workspace: a single key holding the running drill, with an expiry. */
export class RedisActiveDrill implements ActiveDrill {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private get key(): string {
    return `${this.prefix}drills:{active}`;
  }

  async claim(run: DrillRun, ttlMs: number): Promise<DrillRun | null> {
    for (;;) {
      if ((await this.redis.set(this.key, JSON.stringify(run), 'PX', Math.max(1, ttlMs), 'NX')) === 'OK') return null;
      const holder = await this.current();
      if (holder) return holder;
      // It expired between the two calls: try again.
    }
  }

  async current(): Promise<DrillRun | null> {
    const value = await this.redis.get(this.key);
    return value ? (JSON.parse(value) as DrillRun) : null;
  }

  async attach(runId: string, incidentId: string): Promise<void> {
    await this.redis.eval(ATTACH, 1, this.key, runId, incidentId);
  }

  async release(runId: string): Promise<boolean> {
    return (await this.redis.eval(RELEASE, 1, this.key, runId)) === 1;
  }
}
