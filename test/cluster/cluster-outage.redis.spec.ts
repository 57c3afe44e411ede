import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { OwnRedisServer } from './helpers/redis-server.js';
import { assertBuilt, sleep, startReplicas, uniqueTag } from './helpers/replica-process.js';
import { duplicateDues, REDIS_URL, redisRunStore } from './helpers/run-records.js';
import { stopAll } from './helpers/scenarios.js';

// The replicas lock on a redis-server this test starts itself (and stops for 5s); they record
// their runs in the shared Redis, which stays up, so the record survives the outage.
describe('cluster mode on Redis: outage', () => {
  const tag = uniqueTag('cltest-outage');
  const records = new Redis(REDIS_URL);
  let server: OwnRedisServer;

  beforeAll(async () => {
    assertBuilt();
    server = await OwnRedisServer.start(6390);
  });
  afterAll(async () => {
    await server?.stop();
    await records.del(`${tag}:runs`);
    await records.quit();
  });

  it('runs nothing while Redis is down, logs the outage once, resumes after', async () => {
    const store = redisRunStore(records, `${tag}:runs`);
    const base = {
      backend: 'redis' as const,
      url: server.url,
      prefix: tag,
      recordUrl: store.url,
      jobs: [{ name: 'probe', frequencyMs: 200, runMs: 50, recordKey: store.key }],
    };
    const replicas = await startReplicas([
      { ...base, replica: 'r1' },
      { ...base, replica: 'r2' },
    ]);
    await sleep(2_500);
    await server.stop();
    const downAt = Date.now();
    await sleep(5_000);
    const aliveDuringOutage = replicas.map((r) => r.alive);
    await server.start();
    const upAt = Date.now();
    await sleep(3_000);
    const codes = await stopAll(replicas);
    const runs = await store.read();
    if (process.env.DEBUG_CLUSTER)
      console.log(replicas[0].lines.filter((l) => l.includes('Cluster backend')).join('\n'));
    const after = runs.filter((r) => r.start > upAt);
    const down = replicas.map((r) =>
      r.count(/ERROR \[JobScheduler\] Cluster backend redis \(127\.0\.0\.1:\d+\) is unreachable/),
    );
    const back = replicas.map((r) =>
      r.count(/LOG \[JobScheduler\] Cluster backend redis \(127\.0\.0\.1:\d+\) is reachable again/),
    );

    expect(aliveDuringOutage).toEqual([true, true]);
    expect(codes).toEqual([0, 0]);
    expect(duplicateDues(runs)).toEqual([]);
    expect(runs.filter((r) => r.start < downAt).length).toBeGreaterThanOrEqual(8);
    expect(runs.filter((r) => r.start > downAt && r.start < upAt)).toEqual([]);
    expect(after.length).toBeGreaterThanOrEqual(10);
    // Back within a tick of the restart, plus the client's reconnect delay (at most 0.5s).
    expect(after[0].start - upAt).toBeLessThan(200 + 500 + 300);
    expect(down).toEqual([1, 1]);
    expect(back).toEqual([1, 1]);
    // The restarted Redis lost every key; the replicas wrote their anchor back, the same one.
    for (const replica of replicas) expect(replica.count(/schedule anchor/)).toBe(0);
    console.log(
      `redis outage: ${JSON.stringify({
        runs: runs.length,
        before: runs.filter((r) => r.start < downAt).length,
        after: after.length,
        resumedAfterMs: after[0].start - upAt,
        outageErrorLogs: down,
        recoveryLogs: back,
      })}`,
    );
  }, 30_000);
});
