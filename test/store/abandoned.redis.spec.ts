import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { RedisJobStore } from '../../lib/cluster-redis.js';
import { assertBuilt, uniqueTag } from '../cluster/helpers/replica-process.js';
import { REDIS_URL, redisRunStore } from '../cluster/helpers/run-records.js';
import { abandonedRun } from './helpers/abandoned-scenario.js';

describe('abandoned runs on Redis (replica processes)', () => {
  const prefix = uniqueTag('store-abandoned-redis');
  const redis = new Redis(REDIS_URL);
  const store = new RedisJobStore(REDIS_URL, { keyPrefix: prefix });

  beforeAll(async () => {
    assertBuilt();
    await store.open();
  });
  afterAll(async () => {
    await store.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('kill -9 mid-run: the other replica records the run as abandoned, in history', async () => {
    const runs = redisRunStore(redis, `${prefix}:probe-runs`);
    const base = { backend: 'redis' as const, url: REDIS_URL, prefix, recordUrl: REDIS_URL };
    const measured = await abandonedRun({ base, runs, store });
    console.log(`redis, abandoned run noticed after ${measured.noticedMs} ms`);
  }, 40_000);
});
