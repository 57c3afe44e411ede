import { afterAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { PostgresJobStore } from '../../lib/cluster-postgres.js';
import { uniqueTag } from '../cluster/helpers/replica-process.js';
import { DATABASE_URL } from '../cluster/helpers/run-records.js';
import { recordOf, startOf, storeContract } from './helpers/store-contract.js';

const tag = uniqueTag('storetest');
const admin = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
afterAll(async () => {
  const { rows } = await admin.query<{ t: string }>(
    'SELECT tablename AS t FROM pg_tables WHERE tablename LIKE $1',
    [`${tag}%`],
  );
  for (const { t } of rows) await admin.query(`DROP TABLE IF EXISTS "${t}"`);
  await admin.end();
});

storeContract('PostgresJobStore', {
  make: async (history) => {
    const store = new PostgresJobStore(DATABASE_URL, {
      table: tag,
      keyPrefix: 'contract',
      history,
    });
    await store.open();
    return store;
  },
  shared: true,
});

describe('PostgresJobStore tables and connections', () => {
  it('creates its tables once when replicas start together; scopes rows by prefix', async () => {
    const table = `${tag}_race`;
    const stores = ['a', 'b', 'a', 'b', 'a', 'b'].map(
      (keyPrefix) => new PostgresJobStore(DATABASE_URL, { table, keyPrefix, history: 2 }),
    );
    await Promise.all(stores.map((store, i) => store.markTick('job', 1_000 + i)));
    const { rows } = await admin.query(
      'SELECT tablename FROM pg_tables WHERE tablename LIKE $1 ORDER BY 1',
      [`${table}%`],
    );
    expect(rows.map((r) => r.tablename)).toEqual([`${table}_history`, `${table}_state`]);
    expect(await stores[0].lastTick('job')).toBe(1_004);
    expect(await stores[1].lastTick('job')).toBe(1_005);
    for (const id of ['r1', 'r2', 'r3']) await stores[0].runEnded(recordOf('job', id));
    const count = await admin.query(`SELECT count(*)::int AS n FROM "${table}_history"`);
    expect(count.rows[0].n).toBe(2);
    expect(await stores[1].history('job')).toEqual([]);
    await Promise.all(stores.map((store) => store.close()));
  });

  it('leaves a pool it was given open, and an unknown job without a row', async () => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
    const store = new PostgresJobStore(pool, { table: `${tag}_own` });
    expect(await store.heartbeat('ghost', 'r1', 5)).toBe(false);
    await store.runStarted(startOf('job', 'r1'));
    const rows = await pool.query(`SELECT name FROM "${tag}_own_state"`);
    expect(rows.rows.map((r) => r.name)).toEqual(['job']);
    await store.close();
    expect((await pool.query('SELECT 1 AS one')).rows[0].one).toBe(1);
    await pool.end();
  });

  it('opens when the server is down, and fails calls instead of crashing', async () => {
    const store = new PostgresJobStore('postgres://postgres@127.0.0.1:5499/test', {
      table: `${tag}_down`,
    });
    await expect(store.open()).resolves.toBeUndefined();
    await expect(store.markTick('x', 1)).rejects.toThrow();
    await expect(store.runEnded(recordOf('x', 'r1'))).rejects.toThrow();
    await store.close();
  });
});
