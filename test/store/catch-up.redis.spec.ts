import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { assertBuilt, uniqueTag } from '../cluster/helpers/replica-process.js';
import { REDIS_URL } from '../cluster/helpers/run-records.js';
import { restartAfterGap, twoReplicasAfterGap } from './helpers/catch-up-scenario.js';

describe('catch-up on Redis (app processes, cluster mode, kill -9)', () => {
  const redis = new Redis(REDIS_URL);
  const tags: string[] = [];
  /** Cluster mode and its store on Redis, under a key prefix of their own. */
  const setup = () => {
    const keyPrefix = uniqueTag(`catch_up_redis_${tags.length}`);
    tags.push(keyPrefix);
    return {
      cluster: { backend: 'redis', url: REDIS_URL, keyPrefix, lease: '2s' },
      store: { backend: 'redis', url: REDIS_URL, keyPrefix },
    };
  };

  beforeAll(() => assertBuilt());
  afterAll(async () => {
    for (const tag of tags) {
      const keys = await redis.keys(`${tag}*`);
      if (keys.length) await redis.del(...keys);
    }
    await redis.quit();
  });

  it('none: no run for the gap; last: the latest; all: each one; limit; window', async () => {
    const measured = await restartAfterGap(setup());
    expect(measured.gapTicks).toBeGreaterThanOrEqual(3);
    console.log(`redis: ${measured.gapTicks} missed ticks run, boot ${measured.bootMs} ms`);
  }, 40_000);

  it('two replicas started together after a gap: each missed tick runs once', async () => {
    const measured = await twoReplicasAfterGap(setup());
    console.log(`redis, two replicas: ${JSON.stringify(measured)}`);
  }, 40_000);
});
