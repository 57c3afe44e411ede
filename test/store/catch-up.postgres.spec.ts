import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { assertBuilt, uniqueTag } from '../cluster/helpers/replica-process.js';
import { DATABASE_URL } from '../cluster/helpers/run-records.js';
import { restartAfterGap, twoReplicasAfterGap } from './helpers/catch-up-scenario.js';

describe('catch-up on PostgreSQL (app processes, cluster mode, kill -9)', () => {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
  const tags: string[] = [];
  /** Cluster mode and its store on PostgreSQL, in tables of their own. */
  const setup = () => {
    const tag = uniqueTag(`catch_up_pg_${tags.length}`);
    tags.push(tag);
    const url = DATABASE_URL;
    return {
      cluster: { backend: 'postgres', url, keyPrefix: tag, table: `${tag}_lock`, lease: '2s' },
      store: { backend: 'postgres', url, keyPrefix: tag, table: tag },
    };
  };

  beforeAll(() => assertBuilt());
  afterAll(async () => {
    for (const tag of tags) {
      await pool.query(`DROP TABLE IF EXISTS ${tag}_lock, ${tag}_state, ${tag}_history`);
    }
    await pool.end();
  });

  it('none: no run for the gap; last: the latest; all: each one; limit; window', async () => {
    const measured = await restartAfterGap(setup());
    expect(measured.gapTicks).toBeGreaterThanOrEqual(3);
    console.log(`postgres: ${measured.gapTicks} missed ticks run, boot ${measured.bootMs} ms`);
  }, 40_000);

  it('two replicas started together after a gap: each missed tick runs once', async () => {
    const measured = await twoReplicasAfterGap(setup());
    console.log(`postgres, two replicas: ${JSON.stringify(measured)}`);
  }, 40_000);
});
