import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { RedisJobStore } from '../../lib/cluster-redis.js';
import { OwnRedisServer } from '../cluster/helpers/redis-server.js';
import { recordOf, startOf } from './helpers/store-contract.js';

let server: OwnRedisServer;
let admin: Redis;
beforeAll(async () => {
  server = await OwnRedisServer.start(6420);
  admin = new Redis(server.url);
});
afterAll(async () => {
  await admin.quit();
  await server.stop();
});

/** Script calls the server has run (each one a call of the store's: EVALSHA, or EVAL). */
async function scriptCalls(): Promise<number> {
  const info = await admin.info('commandstats');
  const calls = (cmd: string): number =>
    Number(new RegExp(`cmdstat_${cmd}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
  return calls('evalsha') + calls('eval');
}

// Each write was a script call of its own: 2,000 runs cost 8,000 calls.
describe('RedisJobStore writes in batches', () => {
  it('records a burst of 2,000 runs due together in far fewer script calls than runs', async () => {
    const store = new RedisJobStore(server.url, { keyPrefix: 'batch', history: 3 });
    await store.open();
    await store.markTick('warm-up', 1);
    const before = await scriptCalls();
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
    const calls = (await scriptCalls()) - before;

    const states = await store.states();
    const done = states.filter((s) => s.runs === 1 && s.running.length === 0 && s.lastRun);
    expect(done.map((s) => s.name).sort()).toEqual([...names].sort());
    expect(await store.history('job-7')).toEqual([recordOf('job-7', 'r7')]);
    expect(await admin.zcard('batch:{store}:leases')).toBe(0);
    expect(calls).toBeLessThan(runs / 10);
    expect(await store.runEnded(recordOf('job-7', 'r7'))).toBe(false);
    await store.close();
  }, 60_000);
});
