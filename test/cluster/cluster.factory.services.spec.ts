import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createClusterCoordinator } from '../../lib/cluster/cluster.factory.js';
import { InvalidJobsConfigError } from '../../lib/errors/invalid-jobs-config.error.js';
import type { RunOutcome } from '../../lib/interfaces/job-event.interface.js';
import { bootApp as boot } from './helpers/boot-app.js';
import { MemoryLock } from './helpers/memory-lock.js';
import { assertBuilt, uniqueTag } from './helpers/replica-process.js';
import { DATABASE_URL, REDIS_URL } from './helpers/run-records.js';

const succeeded: RunOutcome = { status: 'succeeded', attempts: 1, durationMs: 1 };
const tag = uniqueTag('cltest_factory');

describe('createClusterCoordinator', () => {
  afterAll(async () => {
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${tag}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    const pool = new pg.Pool({ connectionString: DATABASE_URL });
    await pool.query(`DROP TABLE IF EXISTS ${tag}_locks`);
    await pool.end();
  });

  it('rejects bad options with every problem in one error', async () => {
    const bad = { backend: 'redis', url: 'http://cache', lease: '0s', replicaId: 7 } as never;
    const error = await createClusterCoordinator(bad, Date.now).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidJobsConfigError);
    expect((error as InvalidJobsConfigError).problems).toEqual([
      'CoreLibJobsModule options: cluster.url: "http://cache" is invalid, expected a redis:// ' +
        'or rediss:// URL',
      'CoreLibJobsModule options: cluster.replicaId: 7 is invalid, expected a non-empty string',
      'CoreLibJobsModule options: cluster.lease: "0s" is invalid, expected a duration of at ' +
        "least 1s, such as '30s' or 30000 (ms)",
    ]);
  });

  it('runs on a custom lock, as host:pid by default', async () => {
    const lock = new MemoryLock();
    const coordinator = await createClusterCoordinator(
      { backend: 'custom', lock, lease: '2s' },
      Date.now,
    );
    await coordinator.start();
    expect(coordinator.replicaId).toBe(`${hostname()}:${process.pid}`);
    expect(
      await coordinator.runTick(
        'job',
        1,
        60_000,
        () => succeeded,
        () => undefined,
      ),
    ).toBe(succeeded);
    expect(lock.calls).toEqual(expect.arrayContaining(['time', 'claim', 'release']));
    await coordinator.close();
    expect(lock.calls).toContain('close');
  });

  it.each([
    ['redis', { backend: 'redis', url: REDIS_URL, keyPrefix: tag }],
    ['postgres', { backend: 'postgres', url: DATABASE_URL, keyPrefix: tag, table: `${tag}_locks` }],
  ] as const)('builds a %s coordinator from a URL', async (_name, options) => {
    const a = await createClusterCoordinator({ ...options, replicaId: 'a' }, Date.now);
    const b = await createClusterCoordinator(
      { ...options, replicaId: 'b' },
      () => Date.now() + 1_000,
    );
    await Promise.all([a.start(), b.start()]);
    expect(Math.abs(a.now() - b.now())).toBeLessThanOrEqual(5);
    expect(await b.anchor('job', 2_000)).toBe(await a.anchor('job', 1_000));
    const ranBy: Array<string | undefined> = [];
    expect(
      await a.runTick(
        'job',
        1_000,
        60_000,
        () => succeeded,
        (by) => ranBy.push(by),
      ),
    ).toBe(succeeded);
    expect(
      (
        await b.runTick(
          'job',
          1_000,
          60_000,
          () => succeeded,
          (by) => ranBy.push(by),
        )
      ).skipReason,
    ).toBe('cluster-held');
    expect(ranBy).toEqual(['a', 'a']);
    await Promise.all([a.close(), b.close()]);
  });

  describe('loading the optional peers (real processes, built package)', () => {
    beforeAll(() => assertBuilt());

    it('loads neither ioredis nor pg without cluster config, only the configured one', async () => {
      expect(await boot({ CLUSTER: 'none' })).toEqual({ started: true, ioredis: false, pg: false });
      expect(await boot({ CLUSTER: 'redis', CLUSTER_URL: REDIS_URL, CLUSTER_PREFIX: tag })).toEqual(
        { started: true, ioredis: true, pg: false },
      );
      expect(
        await boot({
          CLUSTER: 'postgres',
          CLUSTER_URL: DATABASE_URL,
          CLUSTER_PREFIX: tag,
          CLUSTER_TABLE: `${tag}_locks`,
        }),
      ).toEqual({
        started: true,
        ioredis: false,
        pg: true,
      });
    }, 30_000);

    it('tells the user what to install when the peer is missing', async () => {
      // The job store follows cluster mode onto the same backend, and is built first.
      expect(await boot({ CLUSTER: 'redis', CLUSTER_URL: REDIS_URL }, true)).toEqual({
        started: false,
        name: 'JobsSetupError',
        message:
          "Job store backend 'redis' needs the optional package 'ioredis', " +
          'which is not installed: run npm install ioredis',
      });
      expect(await boot({ CLUSTER: 'postgres', CLUSTER_URL: DATABASE_URL }, true)).toMatchObject({
        started: false,
        message: expect.stringContaining('run npm install pg'),
      });
      // Without cluster config a missing peer does not matter.
      expect(await boot({ CLUSTER: 'none' }, true)).toMatchObject({ started: true });
    }, 30_000);
  });
});
