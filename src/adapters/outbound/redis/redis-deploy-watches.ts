import type { DeployWatches } from '../../../app/ports/deploy-watches';
import type { DeployWatch } from '../../../domain/deploys/deploy-watch';
import { LuaScript } from '../timers/run-script';
import { keySpace, type KeySpace, type RedisClient } from './key-space';

/**
 * Compare-and-set of a service's current watch: written only if the stored version is still
 * the one read ('' = none stored), so two replicas told of the same deploy start one watch.
 * KEYS: 1 the service's watch hash. ARGV: 1 expected version or '', 2 JSON. Returns the new version or 0.
 */
const PUT = new LuaScript(`
local stored = redis.call('HGET', KEYS[1], 'version')
if ARGV[1] == '' then
  if stored then return 0 end
elseif stored ~= ARGV[1] then
  return 0
end
local version = (tonumber(stored) or 0) + 1
redis.call('HSET', KEYS[1], 'json', ARGV[2], 'version', version)
return version
`);

/** Deploy watches in Redis: a hash per service (`deploy-watch:<service>`) and a set of the services watched. */
export class RedisDeployWatches implements DeployWatches {
  private readonly keys: KeySpace;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = keySpace(redis, prefix);
  }

  async nextId(): Promise<string> {
    return `DW-${await this.redis.incr(this.keys.key('deploy-watch-seq'))}`;
  }

  async current(service: string): Promise<DeployWatch | null> {
    const [json, version] = await this.redis.hmget(this.keys.key(`deploy-watch:${service}`), 'json', 'version');
    return json && version ? { ...(JSON.parse(json) as DeployWatch), version: Number(version) } : null;
  }

  async put(next: DeployWatch, expectedVersion: number | null): Promise<DeployWatch | null> {
    const { version: _ignored, ...body } = next;
    const version = Number(
      await PUT.run(
        this.redis,
        [this.keys.key(`deploy-watch:${next.service}`)],
        [expectedVersion === null ? '' : String(expectedVersion), JSON.stringify(body)],
      ),
    );
    if (version === 0) return null;
    await this.redis.sadd(this.keys.key('deploy-watch-services'), next.service);
    return { ...next, version };
  }

  async all(): Promise<DeployWatch[]> {
    const services = await this.redis.smembers(this.keys.key('deploy-watch-services'));
    const watches = await Promise.all(services.sort().map((s) => this.current(s)));
    return watches.filter((w): w is DeployWatch => w !== null);
  }
}
