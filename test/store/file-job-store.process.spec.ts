import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileJobStore } from '../../lib/store/file/file-job-store.js';
import { StateFileLockedError } from '../../lib/store/job-store.error.js';
import { assertStoreBuilt, StoreChild } from './helpers/store-child.js';

const root = mkdtempSync(join(tmpdir(), 'file-store-process-'));
const children: StoreChild[] = [];
const child = (mode: 'hold' | 'write', path: string, startAt?: number): StoreChild => {
  const started = new StoreChild(mode, path, startAt);
  children.push(started);
  return started;
};
beforeAll(() => {
  assertStoreBuilt();
  // Takeover warnings: asserted in file-job-store.spec.ts.
  jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
});
afterAll(async () => {
  await Promise.all(children.map((c) => c.kill()));
  rmSync(root, { recursive: true, force: true });
});
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('FileJobStore across processes', () => {
  it('refuses a second process with an error naming the file and the owner pid', async () => {
    const path = join(root, 'one', 'state.json');
    const owner = child('hold', path);
    expect(await owner.outcome()).toBe(`OPEN ${owner.pid}`);
    const second = new FileJobStore({ path });
    const refused = await second.open().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(StateFileLockedError);
    expect((refused as Error).message).toContain(
      `Job state file ${path} is in use by process ${owner.pid}`,
    );
    expect((refused as Error).message).toContain(`delete ${path}.lock`);
    const other = child('hold', path);
    expect(await other.outcome()).toMatch(
      `REFUSED StateFileLockedError: Job state file ${path} is in use by process ${owner.pid}`,
    );
    await owner.kill();
    await second.open(); // its owner is gone: the stale lock is taken over
    expect(JSON.parse(readFileSync(`${path}.lock`, 'utf8')).pid).toBe(process.pid);
    await second.close();
  }, 30_000);

  it('lets exactly one of several processes take over the same stale lock', async () => {
    for (let round = 0; round < 3; round++) {
      const path = join(root, `race-${round}`, 'state.json');
      const dead = child('hold', path);
      await dead.outcome();
      await dead.kill();
      const startAt = Date.now() + 1_500; // all four booted by then: they open at once
      const racers = Array.from({ length: 4 }, () => child('hold', path, startAt));
      const outcomes = await Promise.all(racers.map((r) => r.outcome()));
      expect(outcomes.filter((o) => o.startsWith('OPEN'))).toHaveLength(1);
      expect(outcomes.filter((o) => o.startsWith('REFUSED StateFileLockedError'))).toHaveLength(3);
      await Promise.all(racers.map((r) => r.kill()));
    }
  }, 90_000);

  it('loads a whole file after every kill -9 in the middle of writes', async () => {
    const path = join(root, 'kills', 'state.json');
    const kills = 40;
    let midWrite = 0;
    let lastRuns = 0;
    for (let i = 0; i < kills; i++) {
      const writer = child('write', path);
      expect(await writer.outcome()).toBe(`OPEN ${writer.pid}`);
      await sleep(20 + Math.random() * 80);
      await writer.kill();
      if (existsSync(`${path}.tmp-${writer.pid}`)) midWrite++;
      const store = new FileJobStore({ path, history: 200 });
      await store.open(); // validates every field: throws on a torn or corrupt file
      const states = await store.states();
      const runs = states.reduce((sum, s) => sum + s.runs, 0);
      expect(runs).toBeGreaterThanOrEqual(lastRuns); // a completed write is never lost
      lastRuns = runs;
      await store.close();
      expect(existsSync(`${path}.tmp-${writer.pid}`)).toBe(false);
    }
    // Measured numbers for the README and the report.
    process.stdout.write(
      `kill -9 loop: ${kills} kills, ${midWrite} inside a write, ${lastRuns} runs kept\n`,
    );
    expect(lastRuns).toBeGreaterThan(0);
    expect(midWrite).toBeGreaterThan(0);
  }, 180_000);

  it('refuses a truncated file after taking over a stale lock, and releases the lock', async () => {
    const path = join(root, 'manual', 'state.json');
    const holder = child('hold', path);
    await holder.outcome();
    await holder.kill();
    writeFileSync(path, '{"version": 1, "jobs": {');
    const store = new FileJobStore({ path });
    await expect(store.open()).rejects.toThrow(/cannot be loaded .*\n.*not valid JSON/);
    expect(readFileSync(path, 'utf8')).toBe('{"version": 1, "jobs": {');
    expect(existsSync(`${path}.lock`)).toBe(false); // released: the next start retries cleanly
  }, 30_000);
});
