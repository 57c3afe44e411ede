import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { RedisJobLock } from '../../lib/cluster-redis.js';
import { acquire, lockContract } from './helpers/lock-contract.js';
import { OwnRedisServer } from './helpers/redis-server.js';
import { sleep, uniqueTag, waitFor } from './helpers/replica-process.js';
import { REDIS_URL } from './helpers/run-records.js';

const tag = uniqueTag('cltest-lock');
const cleanup = new Redis(REDIS_URL);
afterAll(async () => {
  const keys = await cleanup.keys(`${tag}*`);
  if (keys.length) await cleanup.del(...keys);
  await cleanup.quit();
});

lockContract('RedisJobLock', () => new RedisJobLock(REDIS_URL, { keyPrefix: tag }));

describe('RedisJobLock connections', () => {
  it('keeps the keys of a job under one hash tag; leaves a client it was given open', async () => {
    const client = new Redis(REDIS_URL);
    const lock = new RedisJobLock(client, { keyPrefix: `${tag}-own` });
    const claim = await acquire(lock, 'tagged', 1_000, 'a', 5_000, 60_000);
    await lock.anchor('tagged', 1);
    expect(claim.acquired).toBe(true);
    expect((await client.keys(`${tag}-own*`)).sort()).toEqual([
      `${tag}-own:{tagged}:anchor`,
      `${tag}-own:{tagged}:run`,
      `${tag}-own:{tagged}:tick:1000`,
    ]);
    await lock.close();
    expect(await client.ping()).toBe('PONG');
    await client.quit();
  });

  describe('while its server is down', () => {
    let server: OwnRedisServer;
    beforeAll(async () => {
      server = await OwnRedisServer.start(6392);
    });
    afterAll(() => server.stop());

    it('fails at once instead of queueing, and works again once the server is back', async () => {
      const lock = new RedisJobLock(server.url, { keyPrefix: tag });
      expect((await acquire(lock, 'outage', 1_000, 'a', 5_000, 60_000)).acquired).toBe(true);
      await server.stop();
      await sleep(100);
      for (let i = 0; i < 3; i++) {
        const started = Date.now();
        await expect(acquire(lock, 'outage', 2_000 + i, 'a', 5_000, 60_000)).rejects.toThrow();
        expect(Date.now() - started).toBeLessThan(50);
      }
      await server.start();
      const upAt = Date.now();
      await waitFor(
        () =>
          lock.time().then(
            () => true,
            () => false,
          ),
        2_000,
        'the lock to reconnect',
      );
      expect(Date.now() - upAt).toBeLessThan(1_000);
      // A fresh server: the earlier run lease is gone with it, the next tick is free.
      expect((await acquire(lock, 'outage', 3_000, 'a', 5_000, 60_000)).acquired).toBe(true);
      await lock.close();
    });

    it('does not crash or hang when it starts with the server down', async () => {
      await server.stop();
      const lock = new RedisJobLock(server.url, { keyPrefix: tag });
      await expect(lock.time()).rejects.toThrow();
      await expect(lock.time()).rejects.toThrow();
      await server.start();
      await waitFor(
        () =>
          lock.time().then(
            () => true,
            () => false,
          ),
        2_000,
        'the lock to connect',
      );
      await lock.close();
    });
  });
});
