import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { assertBuilt, uniqueTag } from '../cluster/helpers/replica-process.js';
import { REDIS_URL } from '../cluster/helpers/run-records.js';
import {
  pauseRestartResume,
  upsertRestartRemove,
  type ReplicaFactory,
} from './helpers/control-scenarios.js';

// Real replica processes of the built package against the Redis at REDIS_URL.
describe('control plane on Redis (replica processes)', () => {
  const tag = uniqueTag('ctl-redis');
  const make: ReplicaFactory = (replica, scenario, extra) => ({
    replica,
    backend: 'redis',
    url: REDIS_URL,
    prefix: `${tag}:${scenario}`,
    ...extra,
  });

  beforeAll(() => assertBuilt());
  afterAll(async () => {
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${tag}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('a schedule upserted on A runs once per tick across three replicas, survives kill -9 of all, stops when removed on B', async () => {
    console.log(`redis, upsert: ${JSON.stringify(await upsertRestartRemove(make))}`);
  }, 60_000);

  it('paused on A holds on every replica and across restarts; resumed on C, runs resume', async () => {
    console.log(`redis, pause: ${JSON.stringify(await pauseRestartResume(make))}`);
  }, 60_000);
});
