import { afterAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { RedisJobStore } from '../../lib/cluster-redis.js';
import { OwnRedisServer } from '../cluster/helpers/redis-server.js';
import { sleep, uniqueTag, waitFor } from '../cluster/helpers/replica-process.js';
import { REDIS_URL } from '../cluster/helpers/run-records.js';
import { recordOf, startOf, storeContract } from './helpers/store-contract.js';

const tag = uniqueTag('storetest');
const admin = new Redis(REDIS_URL);
afterAll(async () => {
  const keys = await admin.keys(`${tag}*`);
  if (keys.length) await admin.del(...keys);
  await admin.quit();
});

storeContract('RedisJobStore', {
  make: async (history) => {
    const store = new RedisJobStore(REDIS_URL, { keyPrefix: tag, history });
    await store.open();
    return store;
  },
  shared: true,
});

describe('RedisJobStore keys and connections', () => {
  it('keeps every key under its prefix and one hash tag, and trims the history list', async () => {
    const client = new Redis(REDIS_URL);
    const prefix = `${tag}-own`;
    const store = new RedisJobStore(client, { keyPrefix: prefix, history: 2 });
    await store.runStarted(startOf('job', 'r1'));
    for (const id of ['r1', 'r2', 'r3']) await store.runEnded(recordOf('job', id));
    await store.runStarted(startOf('job', 'r4'));
    expect((await client.keys(`${prefix}*`)).sort()).toEqual([
      `${prefix}:{store}:history:job`,
      `${prefix}:{store}:jobs`,
      `${prefix}:{store}:leases`,
    ]);
    expect(await client.llen(`${prefix}:{store}:history:job`)).toBe(2);
    expect(await client.zcard(`${prefix}:{store}:leases`)).toBe(1);
    await store.close();
    expect(await client.ping()).toBe('PONG'); // a client it was given stays open
    await client.quit();
  });

  it('drops a lease entry that names no open run, or that it cannot read', async () => {
    const prefix = `${tag}-stray`;
    const store = new RedisJobStore(REDIS_URL, { keyPrefix: prefix });
    const leases = `${prefix}:{store}:leases`;
    await admin.zadd(leases, 5, 'not json', 6, JSON.stringify(['gone', 'r9']));
    expect(await store.reapAbandoned(1_000)).toEqual([]);
    expect(await admin.zcard(leases)).toBe(0);
    await store.close();
  });

  it('fails fast while its server is down, never crashes, and works once it is back', async () => {
    const server = await OwnRedisServer.start(6395);
    const store = new RedisJobStore(server.url, { keyPrefix: tag });
    try {
      await store.open();
      await store.markTick('outage', 1_000);
      await server.stop();
      await sleep(100);
      const started = Date.now();
      await expect(store.markTick('outage', 2_000)).rejects.toThrow();
      await expect(store.runEnded(recordOf('outage', 'r1'))).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(200);
      await server.start();
      await waitFor(
        () =>
          store.lastTick('outage').then(
            () => true,
            () => false,
          ),
        3_000,
        'reconnect',
      );
      await store.markTick('outage', 3_000); // a fresh server: what it held is gone
      expect(await store.lastTick('outage')).toBe(3_000);
    } finally {
      await store.close();
      await server.stop();
    }
  });

  it('opens without error when the server is down at startup', async () => {
    const store = new RedisJobStore('redis://127.0.0.1:6397', { keyPrefix: tag });
    await expect(store.open()).resolves.toBeUndefined();
    await expect(store.lastTick('x')).rejects.toThrow();
    await store.close();
  });
});
