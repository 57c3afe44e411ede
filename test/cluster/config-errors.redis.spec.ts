import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { acquire } from './helpers/lock-contract.js';
import { Logger, type LoggerService } from '@nestjs/common';
import { Redis } from 'ioredis';
import { RedisJobLock } from '../../lib/cluster-redis.js';
import { createClusterCoordinator } from '../../lib/cluster/cluster.factory.js';
import { ClusterConfigError } from '../../lib/errors/cluster-config.error.js';
import type { RunOutcome } from '../../lib/interfaces/job-event.interface.js';
import { bootApp } from './helpers/boot-app.js';
import { OwnRedisServer } from './helpers/redis-server.js';
import { assertBuilt, sleep, uniqueTag } from './helpers/replica-process.js';
import { REDIS_URL } from './helpers/run-records.js';

// A configuration problem is not an outage: named once, as what it is, with what to do; at
// startup, the app refuses to start. A redis-server of this test's own asks for a password.
const tag = uniqueTag('cltest-cfg');
const PASSWORD = 'sesame';
const succeeded: RunOutcome = { status: 'succeeded', attempts: 1, durationMs: 1 };
const GIVE_IT =
  'give the password in the URL (redis://:password@host:port or ' +
  'redis://user:password@host:port), or on the client you pass in';
const failure = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => 'no error',
    (e: unknown) => e,
  );

describe('Redis that needs a password', () => {
  let server: OwnRedisServer;
  let admin: Redis;
  const url = (credentials: string): string => `redis://${credentials}127.0.0.1:${server.port}`;
  let errors: string[];

  beforeAll(async () => {
    server = await OwnRedisServer.start(6391, ['--requirepass', PASSWORD]);
    admin = new Redis(url(`:${PASSWORD}@`));
  });
  afterAll(async () => {
    await admin.quit();
    await server.stop();
  });
  beforeEach(() => {
    errors = [];
    const quiet = (): void => undefined;
    const logger: LoggerService = {
      log: quiet,
      warn: quiet,
      error: (m: unknown) => void errors.push(String(m)),
    };
    Logger.overrideLogger(logger);
  });
  afterEach(() => Logger.overrideLogger(false as never));

  it('names a missing or wrong password, not "Connection is closed."', async () => {
    for (const [credentials, reply] of [
      ['', 'NOAUTH Authentication required.'],
      [':wrong@', 'WRONGPASS invalid username-password pair or user is disabled.'],
    ]) {
      const lock = new RedisJobLock(url(credentials), { keyPrefix: tag });
      for (let call = 0; call < 2; call++) {
        // The first call connects; later ones fail fast on a client that keeps reconnecting.
        const error = await failure(lock.time());
        expect(error).toBeInstanceOf(ClusterConfigError);
        expect((error as Error).message).toBe(
          `the server refuses the credentials (${reply}); ${GIVE_IT}`,
        );
      }
      await lock.close();
    }
    const right = new RedisJobLock(url(`:${PASSWORD}@`), { keyPrefix: tag });
    expect((await acquire(right, 'job', 1_000, 'a', 5_000, 60_000)).acquired).toBe(true);
    await right.close();
  });

  it('refuses to start on a wrong password, and leaves no connection behind', async () => {
    const coordinator = await createClusterCoordinator(
      { backend: 'redis', url: url(':wrong@'), keyPrefix: tag },
      Date.now,
    );
    const error = await failure(coordinator.start());
    expect(error).toBeInstanceOf(ClusterConfigError);
    expect((error as Error).message).toBe(
      `Cluster backend redis (127.0.0.1:${server.port}) is misconfigured: ` +
        'the server refuses the credentials ' +
        `(WRONGPASS invalid username-password pair or user is disabled.); ${GIVE_IT}`,
    );
    expect(errors).toEqual([]);
    await sleep(1_200); // a client still reconnecting would be back within 0.5s
    const clients = (await admin.client('LIST')) as string;
    expect(clients.trim().split('\n')).toHaveLength(1); // the admin's own
  });

  it('logs a command the ACL forbids once, as what it is, and runs nothing', async () => {
    await admin.acl(
      'SETUSER',
      `${tag}-limited`,
      'on',
      '>pw',
      '~*',
      '&*',
      '+@all',
      '-evalsha',
      '-eval',
    );
    const coordinator = await createClusterCoordinator(
      { backend: 'redis', url: url(`${tag}-limited:pw@`), keyPrefix: tag },
      Date.now,
    );
    await coordinator.start(); // TIME is allowed
    let runs = 0;
    for (let due = 1; due <= 5; due++) {
      const outcome = await coordinator.runTick(
        'job',
        due,
        60_000,
        () => (runs++, succeeded),
        () => undefined,
      );
      expect(outcome.skipReason).toBe('cluster-unavailable');
    }
    await coordinator.close();
    expect(runs).toBe(0);
    expect(errors).toEqual([
      `Cluster backend redis (127.0.0.1:${server.port}) is misconfigured: ` +
        'the Redis user may not run scripts ' +
        "(NOPERM on EVALSHA or EVAL); allow EVALSHA and EVAL on the lock's keys in its ACL; " +
        'cluster jobs do not run until this is fixed',
    ]);
  });

  it('refuses to start the app on a wrong password, but not on an outage', async () => {
    assertBuilt();
    expect(
      await bootApp({ CLUSTER: 'redis', CLUSTER_URL: url(':wrong@'), CLUSTER_PREFIX: tag }),
    ).toEqual({
      started: false,
      name: 'ClusterConfigError',
      message: expect.stringContaining(
        `Cluster backend redis (127.0.0.1:${server.port}) is misconfigured: the server refuses`,
      ),
    });
    expect(
      await bootApp({ CLUSTER: 'redis', CLUSTER_URL: 'redis://127.0.0.1:1', CLUSTER_PREFIX: tag }),
    ).toMatchObject({ started: true });
  }, 30_000);
});

describe('Redis keys of another type under the prefix', () => {
  const shared = new Redis(REDIS_URL);
  afterAll(async () => {
    await shared.del(`${tag}:{job}:run`);
    await shared.quit();
  });

  it('names the prefix another program uses', async () => {
    await shared.rpush(`${tag}:{job}:run`, 'not a lease');
    const lock = new RedisJobLock(REDIS_URL, { keyPrefix: tag });
    const error = await failure(acquire(lock, 'job', 1_000, 'a', 5_000, 60_000));
    await lock.close();
    expect(error).toBeInstanceOf(ClusterConfigError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^keys under the prefix '${tag}' hold values of another type \\(WRONGTYPE .*\\): ` +
          `another program uses them; set \`keyPrefix\` to another value$`,
      ),
    );
  });
});
