import { afterAll, describe, it } from '@jest/globals';
import pg from 'pg';
import { uniqueTag } from '../cluster/helpers/replica-process.js';
import { DATABASE_URL } from '../cluster/helpers/run-records.js';
import { leaseLost } from './helpers/lease-lost-scenario.js';

describe('lease lost on PostgreSQL', () => {
  const tag = uniqueTag('store_lease_pg');
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
  afterAll(async () => {
    await pool.query(`DROP TABLE IF EXISTS ${tag}_lock`);
    for (const table of ['core_lib_jobs_state', 'core_lib_jobs_history']) {
      await pool.query(`DELETE FROM ${table} WHERE prefix = $1`, [tag]);
    }
    await pool.end();
  });

  it("aborts the run's signal with LeaseLostError when its lease row is deleted", async () => {
    const table = `${tag}_lock`;
    const cluster = {
      backend: 'postgres',
      url: DATABASE_URL,
      keyPrefix: tag,
      table,
      lease: '1s',
    } as const;
    const drop = async () => {
      await pool.query(`DELETE FROM ${table} WHERE key = $1`, [`${tag}:lease-holder:run`]);
    };
    const { abortedMs } = await leaseLost(cluster, drop);
    console.log(`postgres: signal aborted ${abortedMs} ms after the lease was deleted`);
  }, 20_000);
});
