import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { PostgresJobStore } from '../../lib/cluster-postgres.js';
import { uniqueTag } from '../cluster/helpers/replica-process.js';
import { DATABASE_URL } from '../cluster/helpers/run-records.js';
import { dropTablesAfterAll } from './helpers/postgres-tables.js';
import { recordOf, startOf } from './helpers/store-contract.js';

const tag = uniqueTag('batch');
dropTablesAfterAll(tag);

/** A pool whose clients count the queries they send (pg-pool's documented `Client` option). */
function countingPool(): { pool: pg.Pool; sent: () => number } {
  let queries = 0;
  class CountingClient extends pg.Client {
    override query(...args: unknown[]): never {
      queries++;
      return (super.query as (...a: unknown[]) => never)(...args);
    }
  }
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 8, Client: CountingClient });
  pool.on('error', () => undefined);
  return { pool, sent: () => queries };
}

// Each write was a read and a statement of its own: 2,000 runs cost 14,000 round trips.
describe('PostgresJobStore writes in batches', () => {
  it('records a burst of 2,000 runs due together in far fewer round trips than runs', async () => {
    const { pool, sent } = countingPool();
    const store = new PostgresJobStore(pool, { table: tag, keyPrefix: 'batch' });
    await store.open();
    await store.markTick('warm-up', 1); // the tables are made
    const before = sent();
    const runs = 2_000;
    const names = Array.from({ length: runs }, (_, i) => `job-${i}`);
    const writes = names.flatMap((name, i) => [
      store.markTick(name, 1_000),
      store.runStarted(startOf(name, `r${i}`)),
    ]);
    const beats = names.map((name, i) => store.heartbeat(name, `r${i}`, 99_000));
    const ends = names.map((name, i) => store.runEnded(recordOf(name, `r${i}`)));
    await Promise.all(writes);
    expect(await Promise.all(beats)).toEqual(names.map(() => true));
    expect(await Promise.all(ends)).toEqual(names.map(() => true));
    const roundTrips = sent() - before;

    const states = await store.states();
    const done = states.filter((s) => s.runs === 1 && s.running.length === 0 && s.lastRun);
    expect(done.map((s) => s.name).sort()).toEqual([...names].sort());
    expect(states.find((s) => s.name === 'job-7')?.lastTick).toBe(startOf('x', 'y').due);
    expect(await store.history('job-7')).toEqual([recordOf('job-7', 'r7')]);
    // 4 writes per run: 8,000 writes. Batches of up to 500 take about 2 round trips each.
    expect(roundTrips).toBeLessThan(runs / 10);
    expect(await store.runEnded(recordOf('job-7', 'r7'))).toBe(false);
    await store.close();
    await pool.end();
  }, 60_000);

  it('keeps every guarantee when 3 replicas write the same jobs at once', async () => {
    const stores = [1, 2, 3].map(
      () => new PostgresJobStore(DATABASE_URL, { table: `${tag}_3`, keyPrefix: 'batch' }),
    );
    await Promise.all(stores.map((s) => s.open()));
    const jobs = Array.from({ length: 200 }, (_, i) => `job-${i}`);
    // Each replica runs a third of each job's 3 runs; all of them mark every tick.
    await Promise.all(
      stores.flatMap((store, r) =>
        jobs.flatMap((name) => [
          store.markTick(name, startOf(name, 'x').due + r),
          store
            .runStarted(startOf(name, `${name}-r${r}`))
            .then(() => store.runEnded(recordOf(name, `${name}-r${r}`))),
        ]),
      ),
    );
    // The same ends again, from another replica: each run is recorded once.
    const again = await Promise.all(
      jobs.map((name, i) => stores[(i + 1) % 3].runEnded(recordOf(name, `${name}-r${i % 3}`))),
    );
    expect(again.every((recorded) => recorded === false)).toBe(true);
    const states = await stores[0].states();
    expect(states).toHaveLength(jobs.length);
    for (const state of states) {
      expect([state.runs, state.running.length, state.lastTick]).toEqual([
        3,
        0,
        startOf('x', 'y').due + 2,
      ]);
    }
    await Promise.all(stores.map((s) => s.close()));
  }, 60_000);
});
