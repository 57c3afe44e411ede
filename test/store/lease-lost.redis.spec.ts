import { afterAll, describe, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { uniqueTag } from '../cluster/helpers/replica-process.js';
import { REDIS_URL } from '../cluster/helpers/run-records.js';
import { leaseLost } from './helpers/lease-lost-scenario.js';

describe('lease lost on Redis', () => {
  const prefix = uniqueTag('store-lease-redis');
  const redis = new Redis(REDIS_URL);
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it("aborts the run's signal with LeaseLostError when its lease key is deleted", async () => {
    const cluster = { backend: 'redis', url: REDIS_URL, keyPrefix: prefix, lease: '1s' } as const;
    const drop = async () => void (await redis.del(`${prefix}:{lease-holder}:run`));
    const { abortedMs } = await leaseLost(cluster, drop);
    console.log(`redis: signal aborted ${abortedMs} ms after the lease was deleted`);
  }, 20_000);
});
