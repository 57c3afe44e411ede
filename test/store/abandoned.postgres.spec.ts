import { afterAll, beforeAll, describe, it } from '@jest/globals';
import pg from 'pg';
import { PostgresJobStore } from '../../lib/cluster-postgres.js';
import { assertBuilt, uniqueTag } from '../cluster/helpers/replica-process.js';
import { DATABASE_URL, postgresRunStore } from '../cluster/helpers/run-records.js';
import { abandonedRun } from './helpers/abandoned-scenario.js';

describe('abandoned runs on PostgreSQL (replica processes)', () => {
  const tag = uniqueTag('store_abandoned_pg');
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
  // The replicas' store: cluster mode's backend, its key prefix, the default tables.
  const store = new PostgresJobStore(DATABASE_URL, { keyPrefix: tag });

  beforeAll(async () => {
    assertBuilt();
    await store.open();
  });
  afterAll(async () => {
    await store.close();
    await pool.query(`DROP TABLE IF EXISTS ${tag}_runs, ${tag}_lock`);
    for (const table of ['core_lib_jobs_state', 'core_lib_jobs_history']) {
      await pool.query(`DELETE FROM ${table} WHERE prefix = $1`, [tag]);
    }
    await pool.end();
  });

  it('kill -9 mid-run: the other replica records the run as abandoned, in history', async () => {
    const runs = await postgresRunStore(pool, `${tag}_runs`);
    const base = {
      backend: 'postgres' as const,
      url: DATABASE_URL,
      prefix: tag,
      table: `${tag}_lock`,
      recordUrl: DATABASE_URL,
    };
    const measured = await abandonedRun({ base, runs, store });
    console.log(`postgres, abandoned run noticed after ${measured.noticedMs} ms`);
  }, 40_000);
});
