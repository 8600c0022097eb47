import type { SerialOutcome, SerialRunner } from '../../../app/ports/serial-runner';
import { LuaScript } from '../timers/run-script';
import { keySpace, type KeySpace, type RedisClient } from './key-space';

// The owner (a job's stable id) may take the lock again: that is the same job redelivered after its runner died.
const ACQUIRE = new LuaScript(`
local current = redis.call('GET', KEYS[1])
if not current or current == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
redis.call('SET', KEYS[2], '1', 'PX', ARGV[2])
return 0
`);
// Work asked for while we ran means one more pass; otherwise the lock is given up.
const FINISH = new LuaScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 'lost' end
if redis.call('DEL', KEYS[2]) == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 'again'
end
redis.call('DEL', KEYS[1])
return 'done'
`);
const ABANDON = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

/**
 * Runs work for one subject (an incident) one at a time across replicas, coalescing:
 * a caller that finds the work running leaves a "run again" mark and returns at once;
 * the running owner makes one more pass for it before letting go. The work must be a
 * full reconciliation (read everything, do what is missing), so one pass covers any
 * number of requests. A failing pass gives the lock up and rethrows; its job retries.
 */
export class RedisSerialRunner implements SerialRunner {
  private readonly keys: KeySpace;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    /** Longer than one pass can take (GitHub waits included); refreshed between passes. */
    private readonly lockMs = 10 * 60_000,
  ) {
    this.keys = keySpace(redis, prefix);
  }

  async run(subject: string, owner: string, pass: () => Promise<void>): Promise<SerialOutcome> {
    // Lock and "again" mark go through one script together: one hash tag per subject.
    const keys = ['lock', 'again'].map((what) => this.keys.tagged(`serial:${subject}`, `serial:${subject}:${what}`));
    if (Number(await ACQUIRE.run(this.redis, keys, [owner, this.lockMs])) !== 1) return 'handed_over';
    for (;;) {
      try {
        await pass();
      } catch (error) {
        await ABANDON.run(this.redis, keys, [owner]).catch(() => undefined);
        throw error;
      }
      const next = String(await FINISH.run(this.redis, keys, [owner, this.lockMs]));
      if (next !== 'again') return 'ran';
    }
  }
}
