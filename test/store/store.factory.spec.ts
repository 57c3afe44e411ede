import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { InvalidJobsConfigError } from '../../lib/errors/invalid-jobs-config.error.js';
import { FileJobStore } from '../../lib/store/file/file-job-store.js';
import { MemoryJobStore } from '../../lib/store/memory-job-store.js';
import { PostgresJobStore } from '../../lib/store/postgres/postgres-job-store.js';
import { RedisJobStore } from '../../lib/store/redis/redis-job-store.js';
import { createJobStore, storeOptionsFor } from '../../lib/store/store.factory.js';
import { assertStoreBuilt } from './helpers/store-child.js';

describe('createJobStore', () => {
  it('builds each backend, unopened (nothing connects before open() or a call)', async () => {
    expect(await createJobStore({ backend: 'memory' })).toBeInstanceOf(MemoryJobStore);
    const file = await createJobStore({ backend: 'file' });
    expect(file).toBeInstanceOf(FileJobStore);
    expect((file as FileJobStore).file).toBe(join(process.cwd(), '.core-lib-jobs/state.json'));
    const redis = await createJobStore({ backend: 'redis', url: 'redis://127.0.0.1:1' });
    expect(redis).toBeInstanceOf(RedisJobStore);
    await redis.close();
    const postgres = await createJobStore({
      backend: 'postgres',
      url: 'postgres://u@127.0.0.1:1/x',
    });
    expect(postgres).toBeInstanceOf(PostgresJobStore);
    await postgres.close();
    const mine = new MemoryJobStore();
    expect(await createJobStore({ backend: 'custom', store: mine })).toBe(mine);
  });

  it('loads ioredis and pg only for their backend, and says what to install when missing', () => {
    assertStoreBuilt();
    const hide = ['--import', './test/cluster/fixtures/hide-peers.mjs'];
    const script = 'test/store/fixtures/factory-without-peers.mjs';
    const output = execFileSync(process.execPath, [...hide, script], { encoding: 'utf8' });
    expect(output.trim().split('\n')).toEqual([
      'memory: MemoryJobStore',
      'file: FileJobStore',
      "redis: JobsSetupError: Job store backend 'redis' needs the optional package 'ioredis', " +
        'which is not installed: run npm install ioredis',
      "postgres: JobsSetupError: Job store backend 'postgres' needs the optional package 'pg', " +
        'which is not installed: run npm install pg',
    ]);
  });

  it('refuses bad options with every problem', async () => {
    const bad = { backend: 'file', path: '', history: -2 } as never;
    await expect(createJobStore(bad)).rejects.toThrow(InvalidJobsConfigError);
    await expect(createJobStore(bad)).rejects.toThrow(
      /store\.path: "" is invalid[\s\S]*store\.history: -2/,
    );
  });
});

describe('storeOptionsFor', () => {
  it('takes the store named, else the cluster backend with its connection, else memory', () => {
    const named = { backend: 'file' } as const;
    expect(storeOptionsFor(named, { backend: 'redis', url: 'redis://x' })).toBe(named);
    expect(
      storeOptionsFor(undefined, {
        backend: 'redis',
        url: 'redis://x',
        keyPrefix: 'p',
        lease: '9s',
      }),
    ).toEqual({
      backend: 'redis',
      url: 'redis://x',
      client: undefined,
      keyPrefix: 'p',
    });
    const pool = {};
    expect(storeOptionsFor(undefined, { backend: 'postgres', pool, table: 'locks' })).toEqual({
      backend: 'postgres',
      url: undefined,
      pool,
      keyPrefix: undefined,
    });
    expect(storeOptionsFor(undefined, undefined)).toEqual({ backend: 'memory' });
    const lock = { time() {}, anchor() {}, acquire() {}, extend() {}, release() {}, close() {} };
    expect(storeOptionsFor(undefined, { backend: 'custom', lock } as never)).toEqual({
      backend: 'memory',
    });
  });
});
