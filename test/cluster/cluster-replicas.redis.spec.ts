import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { assertBuilt, uniqueTag } from './helpers/replica-process.js';
import { REDIS_URL, redisRunStore } from './helpers/run-records.js';
import {
  clockSkew,
  killedHolder,
  longRun,
  threeReplicas,
  type ClusterBackend,
} from './helpers/scenarios.js';

// Real replica processes against the Redis at REDIS_URL; every key is under this run's own prefix.
describe('cluster mode on Redis (replica processes)', () => {
  const tag = uniqueTag('cltest-redis');
  const redis = new Redis(REDIS_URL);
  const backend: ClusterBackend = {
    name: 'redis',
    lock: (scenario) => ({ url: REDIS_URL, prefix: `${tag}:${scenario}` }),
    runs: async (scenario) => redisRunStore(redis, `${tag}:${scenario}:runs`),
  };

  beforeAll(() => assertBuilt());
  afterAll(async () => {
    const keys = await redis.keys(`${tag}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('runs each tick once across three replicas started 300ms apart', async () => {
    const measured = await threeReplicas(backend, 'options');
    console.log(`redis, three replicas: ${JSON.stringify(measured)}`);
  }, 30_000);

  it('a later tick runs on another replica within the lease after kill -9', async () => {
    const measured = await killedHolder(backend);
    console.log(`redis, killed holder: ${JSON.stringify(measured)}`);
  }, 30_000);

  it('never duplicates a run longer than the lease', async () => {
    const measured = await longRun(backend);
    console.log(`redis, long run: ${JSON.stringify(measured)}`);
  }, 30_000);

  it('still runs each tick once with a replica whose clock is 1s ahead', async () => {
    const measured = await clockSkew(backend);
    console.log(`redis, clock skew: ${JSON.stringify(measured)}`);
    expect(measured.runs).toBeGreaterThan(0);
  }, 30_000);
});
