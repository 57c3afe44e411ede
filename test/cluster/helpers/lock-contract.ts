import { afterAll, describe, expect, it } from '@jest/globals';
import type { JobLock } from '../../../lib/interfaces/job-lock.interface.js';
import { sleep } from './replica-process.js';

/**
 * What every `JobLock` must do, run against a real backend. `make()` opens a new lock (its own
 * connection) on the same store, so "replicas" really race over the network.
 */
export function lockContract(label: string, make: () => JobLock): void {
  describe(`${label}: JobLock contract`, () => {
    const opened: JobLock[] = [];
    const open = (): JobLock => {
      const lock = make();
      opened.push(lock);
      return lock;
    };
    afterAll(async () => {
      await Promise.all(opened.map((lock) => lock.close()));
    });

    it('reads the backend clock', async () => {
      const before = Date.now();
      const time = await open().time();
      expect(time).toBeGreaterThanOrEqual(before - 50);
      expect(time).toBeLessThanOrEqual(Date.now() + 50);
    });

    it('keeps the first anchor proposed, for good or for ttl', async () => {
      const [a, b] = [open(), open()];
      expect(await a.anchor('anchored', 1_000)).toBe(1_000);
      expect(await b.anchor('anchored', 2_000)).toBe(1_000);
      expect(await b.anchor('once', 5_000, 200)).toBe(5_000);
      expect(await a.anchor('once', 6_000, 200)).toBe(5_000);
      await sleep(300);
      expect(await a.anchor('once', 7_000, 200)).toBe(7_000);
    });

    it('gives a tick to exactly one of many concurrent acquirers', async () => {
      const locks = Array.from({ length: 8 }, () => open());
      await Promise.all(locks.map((lock) => lock.time())); // connected before the race
      const results = await Promise.all(
        locks.map((lock, i) => lock.acquire('race', 1_000, `replica-${i}`, 5_000, 60_000)),
      );
      const winners = results.flatMap((r, i) => (r.acquired ? [`replica-${i}`] : []));
      expect(winners).toHaveLength(1);
      for (const r of results) if (!r.acquired) expect(r.holder).toBe(winners[0]);
    });

    it('refuses a tick while a run holds the lease, and a claimed tick for good', async () => {
      const [a, b] = [open(), open()];
      const first = await a.acquire('held', 1_000, 'a', 5_000, 60_000);
      if (!first.acquired) throw new Error('first acquire lost');
      expect(await b.acquire('held', 2_000, 'b', 5_000, 60_000)).toEqual({
        acquired: false,
        holder: 'a',
      });
      await b.release('held', 'not-the-token');
      expect((await b.acquire('held', 2_000, 'b', 5_000, 60_000)).acquired).toBe(false);
      await a.release('held', first.token);
      expect(await b.acquire('held', 1_000, 'b', 5_000, 60_000)).toEqual({
        acquired: false,
        holder: 'a',
      });
      expect((await b.acquire('held', 3_000, 'b', 5_000, 60_000)).acquired).toBe(true);
    });

    it('extends only with the token, and a lease not extended expires', async () => {
      const [a, b] = [open(), open()];
      const run = await a.acquire('lease', 1_000, 'a', 400, 60_000);
      if (!run.acquired) throw new Error('acquire lost');
      expect(await b.extend('lease', 'not-the-token', 1_000)).toBe(false);
      await sleep(250);
      expect(await a.extend('lease', run.token, 400)).toBe(true);
      await sleep(250); // 500ms after the acquire: alive only thanks to the extension
      expect(await b.acquire('lease', 2_000, 'b', 400, 60_000)).toEqual({
        acquired: false,
        holder: 'a',
      });
      await sleep(300); // no more extensions: the lease runs out
      expect(await a.extend('lease', run.token, 400)).toBe(false);
      expect((await b.acquire('lease', 3_000, 'b', 400, 60_000)).acquired).toBe(true);
    });

    it('forgets a tick claim after its ttl', async () => {
      const lock = open();
      const first = await lock.acquire('ttl', 1_000, 'a', 5_000, 200);
      if (!first.acquired) throw new Error('acquire lost');
      await lock.release('ttl', first.token);
      expect((await lock.acquire('ttl', 1_000, 'b', 5_000, 200)).acquired).toBe(false);
      await sleep(300);
      expect((await lock.acquire('ttl', 1_000, 'b', 5_000, 200)).acquired).toBe(true);
    });
  });
}
