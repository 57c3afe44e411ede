import { afterAll, describe } from '@jest/globals';
import { Redis } from 'ioredis';
import { RedisControlStore } from '../../lib/control/redis/redis-control-store.js';
import { REDIS_URL } from '../cluster/helpers/run-records.js';
import { uniqueTag } from '../cluster/helpers/replica-process.js';
import { controlStoreContract } from './helpers/store-contract.js';

describe('RedisControlStore (real Redis)', () => {
  const tag = uniqueTag('ctl-store');
  afterAll(async () => {
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${tag}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });
  controlStoreContract(
    (scope, auditLimit) =>
      new RedisControlStore(REDIS_URL, { keyPrefix: `${tag}${scope}`, auditLimit }),
  );
});
