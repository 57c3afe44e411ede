import { afterAll, describe } from '@jest/globals';
import pg from 'pg';
import { PostgresControlStore } from '../../lib/control/postgres/postgres-control-store.js';
import { DATABASE_URL } from '../cluster/helpers/run-records.js';
import { uniqueTag } from '../cluster/helpers/replica-process.js';
import { controlStoreContract } from './helpers/store-contract.js';

describe('PostgresControlStore (real PostgreSQL)', () => {
  const table = uniqueTag('ctl').toLowerCase();
  afterAll(async () => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL });
    await pool.query(`DROP TABLE IF EXISTS ${table}_control, ${table}_audit`);
    await pool.end();
  });
  controlStoreContract(
    (scope, auditLimit) =>
      new PostgresControlStore(DATABASE_URL, { keyPrefix: scope, table, auditLimit }),
  );
});
