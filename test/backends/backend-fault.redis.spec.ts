import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { faultOf } from '../../lib/backends/backend-fault.js';
import { RedisConnection } from '../../lib/backends/redis/redis-connection.js';
import { uniqueTag } from '../cluster/helpers/replica-process.js';
import { REDIS_URL } from '../cluster/helpers/run-records.js';

// faultOf and RedisConnection over the replies of the shared Redis, with an ACL user of this
// run's own (removed after).
const tag = uniqueTag('bk-redis');
const user = `${tag}-user`;
const PASSWORD = 'sesame';
const admin = new Redis(REDIS_URL);
const urlAs = (password: string): string => {
  const url = new URL(REDIS_URL);
  url.username = user;
  url.password = password;
  return url.toString();
};
const failure = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => 'no error',
    (e: unknown) => e,
  );
const connections: RedisConnection[] = [];
const connect = (url: string): RedisConnection => {
  const made = new RedisConnection(url, { retryStrategy: () => 100 });
  connections.push(made);
  return made;
};

beforeAll(async () => {
  // May read and write its own keys, and run GET, SET, LPUSH, TIME, BLPOP, PING and INFO: no scripts, no DEL.
  await admin.call('ACL', 'SETUSER', user, 'on', `>${PASSWORD}`, `~${tag}:*`, '-@all');
  await admin.call(
    'ACL',
    'SETUSER',
    user,
    '+get',
    '+set',
    '+lpush',
    '+time',
    '+blpop',
    '+ping',
    '+info',
  );
});
afterAll(async () => {
  for (const connection of connections) await connection.close();
  await admin.call('ACL', 'DELUSER', user);
  await admin.del(`${tag}:list`);
  await admin.quit();
});

describe('RedisConnection.ready()', () => {
  it('fails with the server\'s WRONGPASS, not "Connection is closed.", every time', async () => {
    const redis = connect(urlAs('wrong'));
    const first = await failure(redis.ready());
    // Later calls fail fast while the client reconnects, still with the server's own words.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const later = await failure(redis.ready());
    for (const error of [first, later]) {
      expect((error as Error).message).toBe(
        'WRONGPASS invalid username-password pair or user is disabled.',
      );
      expect(faultOf(error)).toEqual({ kind: 'config', reason: 'auth' });
    }
  });

  it('connects once for many callers, and a client passed in is left open', async () => {
    const redis = connect(urlAs(PASSWORD));
    await Promise.all([redis.ready(), redis.ready(), redis.ready()]);
    expect(redis.client.status).toBe('ready');
    expect(await redis.client.time()).toHaveLength(2);
    const own = new Redis(REDIS_URL);
    const passed = new RedisConnection(own);
    await passed.ready();
    await passed.close();
    expect(await own.ping()).toBe('PONG');
    await own.quit();
  });
});

describe('faultOf over real Redis replies', () => {
  it('names refused scripts, refused commands and keys of another type', async () => {
    const redis = connect(urlAs(PASSWORD));
    await redis.ready();
    const { client } = redis;
    const scripts = await failure(client.eval('return 1', 1, `${tag}:k`));
    const command = await failure(client.del(`${tag}:k`));
    await client.lpush(`${tag}:list`, 'x');
    const wrongType = await failure(client.get(`${tag}:list`));

    expect(faultOf(scripts)).toEqual({ kind: 'config', reason: 'scripts' });
    expect(faultOf(command)).toEqual({ kind: 'config', reason: 'commands' });
    expect(faultOf(wrongType)).toEqual({ kind: 'config', reason: 'wrong-type' });
  });

  it('fails the call of a killed connection at once, as an outage; the client comes back', async () => {
    const redis = connect(urlAs(PASSWORD));
    await redis.ready();
    const blocked = failure(redis.client.call('BLPOP', `${tag}:none`, '5'));
    await admin.call('CLIENT', 'KILL', 'USER', user);
    const killedAt = Date.now();
    const killed = await blocked;
    const failedAfterMs = Date.now() - killedAt;
    const duringReconnect = await failure(redis.ready());

    expect(killed).not.toBe('no error');
    expect(failedAfterMs).toBeLessThan(1_000); // not the 5s command timeout
    expect(faultOf(killed)).toEqual({ kind: 'outage' });
    if (duringReconnect !== 'no error')
      expect(faultOf(duringReconnect)).toEqual({ kind: 'outage' });
    for (let i = 0; i < 40 && redis.client.status !== 'ready'; i++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    await redis.ready();
    expect(await redis.client.time()).toHaveLength(2);
  });
});
