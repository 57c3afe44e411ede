import { afterAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { PostgresJobLock } from '../../lib/cluster-postgres.js';
import { SWEEP_EVERY } from '../../lib/cluster/postgres/postgres-job-lock.js';
import { acquire, release, lockContract } from './helpers/lock-contract.js';
import { terminateFor } from './helpers/terminate-bursts.js';
import { sleep, uniqueTag, waitFor } from './helpers/replica-process.js';
import { DATABASE_URL } from './helpers/run-records.js';

const tag = uniqueTag('cltest_lock');
const admin = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
const tables = [
  `${tag}_contract`,
  `${tag}_race`,
  `${tag}_own`,
  `${tag}_kill`,
  `${tag}_sweep`,
  `${tag}_given_kill`,
];
afterAll(async () => {
  for (const table of tables) await admin.query(`DROP TABLE IF EXISTS ${table}`);
  await admin.end();
});

lockContract(
  'PostgresJobLock',
  () => new PostgresJobLock(DATABASE_URL, { keyPrefix: tag, table: `${tag}_contract` }),
);

describe('PostgresJobLock connections', () => {
  it('creates its table once even when replicas boot together', async () => {
    const locks = Array.from(
      { length: 6 },
      () => new PostgresJobLock(DATABASE_URL, { table: `${tag}_race` }),
    );
    await Promise.all(locks.map((lock) => lock.time()));
    const { rows } = await admin.query(
      'SELECT count(*)::int AS n FROM pg_tables WHERE tablename = $1',
      [`${tag}_race`],
    );
    expect(rows[0].n).toBe(1);
    await Promise.all(locks.map((lock) => lock.close()));
  });

  it('leaves a pool it was given open', async () => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
    const lock = new PostgresJobLock(pool, { table: `${tag}_own` });
    expect((await acquire(lock, 'given', 1_000, 'a', 5_000, 60_000)).acquired).toBe(true);
    await lock.close();
    expect((await pool.query('SELECT 1 AS one')).rows[0].one).toBe(1);
    await pool.end();
  });

  it('recovers on its own after pg_terminate_backend, without crashing the process', async () => {
    const url = new URL(DATABASE_URL);
    url.searchParams.set('application_name', `${tag}_kill`);
    const lock = new PostgresJobLock(url.toString(), { table: `${tag}_kill` });
    expect((await acquire(lock, 'killed', 1_000, 'a', 5_000, 60_000)).acquired).toBe(true);
    const { rows } = await admin.query(
      'SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE application_name = $1',
      [`${tag}_kill`],
    );
    expect(rows.filter((r) => r.done).length).toBeGreaterThan(0);
    // The pool drops the dead client (its 'error' event is handled) and opens a new connection.
    let answered = false;
    for (let i = 0; i < 3 && !answered; i++)
      answered = await lock.time().then(
        () => true,
        () => false,
      );
    expect(answered).toBe(true);
    expect(await acquire(lock, 'killed', 1_000, 'b', 5_000, 60_000)).toEqual({
      acquired: false,
      reason: 'taken',
      holder: 'a',
    });
    await lock.close();
  });

  it('lives through connections killed while it works (a used pool passed in)', async () => {
    const appName = `${tag}_given_kill`;
    const pool = new pg.Pool({ connectionString: DATABASE_URL, application_name: appName, max: 4 });
    pool.on('error', () => undefined); // the pool's owner's duty, as pg documents
    // Clients connected before the lock existed: they have no listener of the lock's own.
    const warm = await Promise.all([1, 2, 3, 4].map(() => pool.connect()));
    warm.forEach((client) => client.release());
    const lock = new PostgresJobLock(pool, { table: appName });
    await lock.time();
    let calls = 0;
    let failed = 0;
    let stop = false;
    // The loop goes on past the storm until a call succeeds (at most 10 s more): on a loaded
    // machine every call made during the 2 s of kills may fail.
    let stormOver = false;
    let stormEnd = Infinity;
    const work = (async () => {
      const giveUp = () => stormOver && Date.now() > stormEnd + 10_000;
      for (let due = 1; !stop && !giveUp(); due++, calls++) {
        try {
          const claim = await acquire(lock, 'killed', due, 'a', 50, 60_000);
          if (claim.acquired) await release(lock, 'killed', claim.token);
          if (stormOver) stop = true;
        } catch {
          failed++;
        }
      }
    })();
    const killed = await terminateFor(admin, appName, 2_000);
    stormEnd = Date.now();
    stormOver = true;
    await work;
    // Still alive (an unhandled 'error' event would have failed this test), and working again.
    expect(killed).toBeGreaterThan(20);
    expect(failed).toBeGreaterThan(0);
    expect(calls).toBeGreaterThan(failed);
    expect((await acquire(lock, 'after', 1, 'a', 5_000, 60_000)).acquired).toBe(true);
    await lock.close();
    await pool.end();
  });

  it('deletes expired rows now and then, and only those', async () => {
    const table = `${tag}_sweep`;
    const lock = new PostgresJobLock(DATABASE_URL, { table });
    await lock.anchor('kept', 1);
    const count = async (): Promise<number> =>
      (await admin.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;
    for (let due = 1; due < SWEEP_EVERY; due++) {
      const claim = await acquire(lock, 'swept', due, 'a', 5_000, 50);
      if (claim.acquired) await release(lock, 'swept', claim.token);
    }
    await sleep(100);
    expect(await count()).toBe(SWEEP_EVERY); // the anchor and 99 expired tick claims
    await acquire(lock, 'swept', SWEEP_EVERY, 'a', 5_000, 60_000);
    // Left: the anchor, the live tick claim, the run lease.
    await waitFor(async () => (await count()) === 3, 2_000, 'the sweep');
    expect(await lock.anchor('kept', 2)).toBe(1);
    await lock.close();
  });
});
