import { describe, expect, it } from '@jest/globals';
import { PostgresJobStore } from '../../lib/cluster-postgres.js';
import { uniqueTag } from '../cluster/helpers/replica-process.js';
import { DATABASE_URL } from '../cluster/helpers/run-records.js';
import { dropTablesAfterAll } from './helpers/postgres-tables.js';
import { recordOf, startOf } from './helpers/store-contract.js';

const tag = uniqueTag('burst');
dropTablesAfterAll(tag);

// Every write went to pg-pool at once. With many jobs ending together, most of them waited in
// pg-pool's queue past its connection timeout (5 s) and failed: the bench's burst of 100,000
// runs recorded 394. The store now keeps its writes in flight to a few, the rest in order.
describe('PostgresJobStore under a burst', () => {
  it('records 10,000 runs that end at once, every one of them', async () => {
    const store = new PostgresJobStore(DATABASE_URL, { table: tag, keyPrefix: 'burst' });
    await store.open();
    const count = 10_000;
    const writes = Array.from({ length: count }, async (_, i) => {
      const name = `job-${i}`;
      await store.runStarted(startOf(name, `r${i}`));
      return store.runEnded(recordOf(name, `r${i}`));
    });
    const settled = await Promise.allSettled(writes);
    const failed = settled.filter((s) => s.status === 'rejected');
    expect([failed.length, failed.slice(0, 1).map((f) => String(f.reason))]).toEqual([0, []]);
    const states = await store.states();
    expect(states).toHaveLength(count);
    expect(states.every((s) => s.runs === 1 && s.lastRun?.status === 'succeeded')).toBe(true);
    await store.close();
  }, 120_000);
});
