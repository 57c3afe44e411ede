import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertBuilt, sleep, uniqueTag, waitFor } from '../cluster/helpers/replica-process.js';
import { OwnRedisServer } from '../cluster/helpers/redis-server.js';
import { CatchUpApp } from './helpers/catch-up-process.js';

describe('catch-up when the cluster backend is back after an outage (Redis, app process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'catch-up-outage-'));
  let server: OwnRedisServer;

  beforeAll(async () => {
    assertBuilt();
    server = await OwnRedisServer.start(6440);
  });
  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the ticks skipped while Redis was down run when it is back, in order', async () => {
    const cluster = { backend: 'redis', url: server.url, keyPrefix: uniqueTag('cu_out') };
    const store = { backend: 'file', path: join(dir, 'state.json') };
    const jobs = [{ name: 'cu-all', frequencyMs: 1_000, catchUp: 'all' as const, runMs: 50 }];
    const app = new CatchUpApp({
      replica: 'only',
      store,
      cluster: { ...cluster, lease: '2s' },
      jobs,
    });
    try {
      await app.ready();
      await waitFor(() => app.runs().length >= 2, 10_000, 'two live runs');
      await server.stop();
      const downAt = Date.now();
      await sleep(3_500);
      await server.start();
      const upAt = Date.now();
      await waitFor(
        () =>
          app.runs().filter((r) => r.reason === 'catch-up').length > 0 &&
          app.runs().filter((r) => r.reason === 'schedule' && r.due > upAt).length >= 2,
        10_000,
        'catch-up runs, then live ones',
      );
      const runs = app.runs();
      const missed = runs.filter((r) => r.reason === 'catch-up');
      const before = runs.filter((r) => r.reason === 'schedule' && r.start < downAt);
      // The skipped ticks: on the grid, one second apart, after the last one run before.
      expect(missed.length).toBeGreaterThanOrEqual(3);
      expect(missed[0].due).toBeGreaterThan(before.at(-1)!.due);
      missed.forEach((r, i) => {
        expect((r.due - before[0].due) % 1_000).toBe(0);
        if (i > 0) expect(r.due - missed[i - 1].due).toBe(1_000);
        expect(r.due).toBeLessThan(upAt + 1_000);
      });
      // Each tick once, and never two runs at once.
      const dues = runs.map((r) => r.due);
      expect(new Set(dues).size).toBe(dues.length);
      runs.forEach((r, i) => {
        if (i > 0) expect(r.start).toBeGreaterThanOrEqual(runs[i - 1].end ?? Infinity);
      });
      console.log(`outage of ${upAt - downAt} ms: ${missed.length} missed ticks run`);
    } finally {
      await app.stop();
    }
  }, 40_000);
});
