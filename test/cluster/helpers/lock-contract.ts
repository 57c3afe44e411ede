import { afterAll, describe, expect, it } from '@jest/globals';
import type { JobLock, LockResult } from '../../../lib/interfaces/job-lock.interface.js';
import { sleep } from './replica-process.js';

/** One claim through the batch API. */
export async function acquire(
  lock: JobLock,
  name: string,
  due: number,
  holder: string,
  leaseMs: number,
  tickTtlMs: number,
): Promise<LockResult> {
  const [result] = await lock.claim([{ name, due, holder, leaseMs, tickTtlMs }]);
  return result;
}

/** One extension through the batch API. */
export async function extend(
  lock: JobLock,
  name: string,
  token: string,
  leaseMs: number,
): Promise<boolean> {
  const [held] = await lock.extend([{ name, token }], leaseMs);
  return held;
}

/** One release through the batch API. */
export function release(lock: JobLock, name: string, token: string): Promise<void> {
  return lock.release([{ name, token }]);
}

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
        locks.map((lock, i) => acquire(lock, 'race', 1_000, `replica-${i}`, 5_000, 60_000)),
      );
      const winners = results.flatMap((r, i) => (r.acquired ? [`replica-${i}`] : []));
      expect(winners).toHaveLength(1);
      for (const r of results) if (!r.acquired) expect(r.holder).toBe(winners[0]);
    });

    it('refuses a tick while a run holds the lease, and a claimed tick for good', async () => {
      const [a, b] = [open(), open()];
      const first = await acquire(a, 'held', 1_000, 'a', 5_000, 60_000);
      if (!first.acquired) throw new Error('first acquire lost');
      // Tick 2000 is nobody's: the job is busy, not the tick taken.
      expect(await acquire(b, 'held', 2_000, 'b', 5_000, 60_000)).toEqual({
        acquired: false,
        reason: 'busy',
        holder: 'a',
      });
      await release(b, 'held', 'not-the-token');
      expect((await acquire(b, 'held', 2_000, 'b', 5_000, 60_000)).acquired).toBe(false);
      await release(a, 'held', first.token);
      expect(await acquire(b, 'held', 1_000, 'b', 5_000, 60_000)).toEqual({
        acquired: false,
        reason: 'taken',
        holder: 'a',
      });
      expect((await acquire(b, 'held', 3_000, 'b', 5_000, 60_000)).acquired).toBe(true);
    });

    it('extends only with the token, and a lease not extended expires', async () => {
      const [a, b] = [open(), open()];
      const run = await acquire(a, 'lease', 1_000, 'a', 400, 60_000);
      if (!run.acquired) throw new Error('acquire lost');
      expect(await extend(b, 'lease', 'not-the-token', 1_000)).toBe(false);
      await sleep(250);
      expect(await extend(a, 'lease', run.token, 400)).toBe(true);
      await sleep(250); // 500ms after the acquire: alive only thanks to the extension
      expect(await acquire(b, 'lease', 2_000, 'b', 400, 60_000)).toEqual({
        acquired: false,
        reason: 'busy',
        holder: 'a',
      });
      await sleep(300); // no more extensions: the lease runs out
      expect(await extend(a, 'lease', run.token, 400)).toBe(false);
      expect((await acquire(b, 'lease', 3_000, 'b', 400, 60_000)).acquired).toBe(true);
    });

    it('forgets a tick claim after its ttl', async () => {
      const lock = open();
      const first = await acquire(lock, 'ttl', 1_000, 'a', 5_000, 200);
      if (!first.acquired) throw new Error('acquire lost');
      await release(lock, 'ttl', first.token);
      expect((await acquire(lock, 'ttl', 1_000, 'b', 5_000, 200)).acquired).toBe(false);
      await sleep(300);
      expect((await acquire(lock, 'ttl', 1_000, 'b', 5_000, 200)).acquired).toBe(true);
    });

    it('gives each of K ticks claimed in batches by 3 racing replicas to exactly one', async () => {
      const replicas = [open(), open(), open()];
      await Promise.all(replicas.map((lock) => lock.time()));
      const names = Array.from({ length: 300 }, (_, i) => `batch-${i}`);
      const results = await Promise.all(
        replicas.map((lock, r) =>
          lock.claim(
            names.map((name) => ({
              name,
              due: 1_000,
              holder: `replica-${r}`,
              leaseMs: 5_000,
              tickTtlMs: 60_000,
            })),
          ),
        ),
      );
      for (let j = 0; j < names.length; j++) {
        const won = results.flatMap((batch, r) => (batch[j].acquired ? [`replica-${r}`] : []));
        expect(won).toHaveLength(1);
        for (const batch of results) {
          const one = batch[j];
          // Everyone raced for the same tick: a loser was told it was taken, and by whom.
          if (!one.acquired)
            expect(one).toEqual({ acquired: false, reason: 'taken', holder: won[0] });
        }
      }
      // Extended and released in batches: only the winners' tokens hold.
      const leases = results.flatMap((batch) =>
        batch.flatMap((one, j) => (one.acquired ? [{ name: names[j], token: one.token }] : [])),
      );
      expect(leases).toHaveLength(names.length);
      const wrong = names.map((name) => ({ name, token: 'not-a-token' }));
      expect((await replicas[0].extend(wrong, 5_000)).every((held) => !held)).toBe(true);
      expect((await replicas[1].extend(leases, 5_000)).every(Boolean)).toBe(true);
      await replicas[2].release(leases);
      const next = await replicas[0].claim(
        names.map((name) => ({ name, due: 2_000, holder: 'x', leaseMs: 5_000, tickTtlMs: 60_000 })),
      );
      expect(next.every((one) => one.acquired)).toBe(true);
    });

    it('never claims a busy job in a batch, and leaves its tick free for later', async () => {
      const [a, b] = [open(), open()];
      const first = await acquire(a, 'busy-0', 1_000, 'a', 5_000, 60_000);
      if (!first.acquired) throw new Error('first acquire lost');
      const batch = await b.claim([
        { name: 'busy-0', due: 2_000, holder: 'b', leaseMs: 5_000, tickTtlMs: 60_000 },
        { name: 'busy-1', due: 2_000, holder: 'b', leaseMs: 5_000, tickTtlMs: 60_000 },
      ]);
      expect(batch[0]).toEqual({ acquired: false, reason: 'busy', holder: 'a' });
      expect(batch[1].acquired).toBe(true);
      await release(a, 'busy-0', first.token);
      // The busy tick was given back: once the run ended, it can be claimed.
      expect((await acquire(b, 'busy-0', 2_000, 'b', 5_000, 60_000)).acquired).toBe(true);
    });

    it('lets racing replicas with different ticks of one job take the lease once', async () => {
      const replicas = Array.from({ length: 4 }, () => open());
      await Promise.all(replicas.map((lock) => lock.time()));
      const results = await Promise.all(
        replicas.map((lock, r) => acquire(lock, 'ticks', 1_000 * (r + 1), `r${r}`, 5_000, 60_000)),
      );
      const winners = results.filter((one) => one.acquired);
      expect(winners).toHaveLength(1);
      const winner = results.findIndex((one) => one.acquired);
      for (const [r, one] of results.entries()) {
        if (r !== winner)
          expect(one).toEqual({ acquired: false, reason: 'busy', holder: `r${winner}` });
      }
      // Each loser's tick stayed free.
      if (!winners[0].acquired) throw new Error('unreachable');
      await release(replicas[winner], 'ticks', winners[0].token);
      for (const [r] of results.entries()) {
        if (r === winner) continue;
        const again = await acquire(replicas[r], 'ticks', 1_000 * (r + 1), `r${r}`, 5_000, 60_000);
        expect(again.acquired).toBe(true);
        if (again.acquired) await release(replicas[r], 'ticks', again.token);
      }
    });
  });
}
