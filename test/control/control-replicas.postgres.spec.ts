import { afterAll, beforeAll, describe, it } from '@jest/globals';
import pg from 'pg';
import { assertBuilt, uniqueTag } from '../cluster/helpers/replica-process.js';
import { DATABASE_URL } from '../cluster/helpers/run-records.js';
import {
  pauseRestartResume,
  upsertRestartRemove,
  type ReplicaFactory,
} from './helpers/control-scenarios.js';

// Real replica processes of the built package against the PostgreSQL at DATABASE_URL; each
// scenario has its own row scope and lock table.
describe('control plane on PostgreSQL (replica processes)', () => {
  const tag = uniqueTag('ctl_pg').toLowerCase();
  const make: ReplicaFactory = (replica, scenario, extra) => ({
    replica,
    backend: 'postgres',
    url: DATABASE_URL,
    prefix: `${tag}:${scenario}`,
    table: `${tag}_${scenario}_locks`,
    ...extra,
  });

  beforeAll(() => assertBuilt());
  afterAll(async () => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL });
    await pool.query(`DROP TABLE IF EXISTS ${tag}_upsert_locks, ${tag}_pause_locks`);
    await pool
      .query('DELETE FROM core_lib_job_control WHERE scope LIKE $1', [`${tag}:%`])
      .catch(() => undefined);
    await pool
      .query('DELETE FROM core_lib_job_audit WHERE scope LIKE $1', [`${tag}:%`])
      .catch(() => undefined);
    await pool.end();
  });

  it('a schedule upserted on A runs once per tick across three replicas, survives kill -9 of all, stops when removed on B', async () => {
    console.log(`postgres, upsert: ${JSON.stringify(await upsertRestartRemove(make))}`);
  }, 60_000);

  it('paused on A holds on every replica and across restarts; resumed on C, runs resume', async () => {
    console.log(`postgres, pause: ${JSON.stringify(await pauseRestartResume(make))}`);
  }, 60_000);
});
