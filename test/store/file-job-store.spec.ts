import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileJobStore } from '../../lib/store/file/file-job-store.js';
import { JobStoreError, StateFileInvalidError } from '../../lib/store/job-store.error.js';
import { recordOf, startOf, storeContract } from './helpers/store-contract.js';

const root = mkdtempSync(join(tmpdir(), 'file-job-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let files = 0;
const newPath = (): string => join(root, `d${++files}`, 'state.json');

const opened = async (path: string, history?: number): Promise<FileJobStore> => {
  const store = new FileJobStore({ path, history });
  await store.open();
  return store;
};

storeContract('FileJobStore', { make: (history) => opened(newPath(), history), shared: false });

describe('FileJobStore on disk', () => {
  it('keeps everything across a restart, in a readable JSON file', async () => {
    const path = newPath();
    const first = await opened(path);
    await first.runStarted(startOf('report', 'r1', { due: 1_000 }));
    await first.runEnded(
      recordOf('report', 'r1', { status: 'failed', error: { message: 'boom' } }),
    );
    await first.runStarted(startOf('report', 'r2', { due: 2_000 }));
    await first.close();
    const saved = JSON.parse(readFileSync(path, 'utf8'));
    expect(saved.version).toBe(1);
    expect(saved.jobs.report.history[0]).toMatchObject({ runId: 'r1', error: { message: 'boom' } });
    const second = await opened(path);
    expect(await second.state('report')).toMatchObject({ lastTick: 2_000, runs: 1, failures: 1 });
    expect((await second.history('report')).map((r) => r.runId)).toEqual(['r1']);
    await second.close();
  });

  it('closes runs a previous process left open at the first reap, whatever the lease', async () => {
    const path = newPath();
    const first = await opened(path);
    await first.runStarted(startOf('nightly', 'died', { leaseUntil: 9e15, replica: 'old:1' }));
    await first.close(); // as if that process had died: the run was never ended
    const second = await opened(path);
    await second.runStarted(startOf('nightly', 'mine', { leaseUntil: 9e15 }));
    const closed = await second.reapAbandoned(5_000);
    expect(closed.map((r) => [r.runId, r.status, r.replica])).toEqual([
      ['died', 'abandoned', 'old:1'],
    ]);
    expect((await second.state('nightly'))?.running.map((r) => r.runId)).toEqual(['mine']);
    await second.close();
  });

  it('coalesces a burst of writes; the file ends with the latest state', async () => {
    const path = newPath();
    const store = await opened(path);
    const writes = Array.from({ length: 500 }, (_, i) => store.markTick('burst', i));
    await Promise.all(writes);
    expect(JSON.parse(readFileSync(path, 'utf8')).jobs.burst.lastTick).toBe(499);
    void store.markTick('burst', 1_000); // not awaited: close() waits for it
    await store.close();
    expect(JSON.parse(readFileSync(path, 'utf8')).jobs.burst.lastTick).toBe(1_000);
  });

  it('refuses a second store on the same file in the same process', async () => {
    const path = newPath();
    const store = await opened(path);
    await expect(opened(path)).rejects.toThrow(
      `Job state file ${path} is already open in this process`,
    );
    await store.close();
    await (await opened(path)).close(); // free again once closed
  });

  it('takes over the lock of a dead process, or an unreadable one, and says so', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    for (const content of [
      JSON.stringify({ pid: 2 ** 22 + 17, host: 'h', since: 'then' }),
      'garbage',
    ]) {
      const path = newPath();
      await opened(path).then((s) => s.close()); // creates the directory
      writeFileSync(`${path}.lock`, content);
      const store = await opened(path);
      expect(JSON.parse(readFileSync(`${path}.lock`, 'utf8')).pid).toBe(process.pid);
      await store.close();
      expect(readdirSync(join(path, '..'))).toEqual([]); // lock removed on close (nothing written)
    }
    expect(warn.mock.calls.map(([message]) => message)).toEqual([
      expect.stringMatching(
        /state\.json: took over the lock of process 4194321, which is not running any more$/,
      ),
      expect.stringMatching(
        /state\.json: took over its lock file, whose content could not be read$/,
      ),
    ]);
    warn.mockRestore();
  });

  it('lets one of many stores opened at once over a stale lock have the file', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    for (let round = 0; round < 10; round++) {
      const path = newPath();
      await opened(path).then((s) => s.close());
      writeFileSync(
        `${path}.lock`,
        JSON.stringify({ pid: 2 ** 22 + 17, host: 'h', since: 'then' }),
      );
      const stores = Array.from({ length: 6 }, () => new FileJobStore({ path }));
      const results = await Promise.allSettled(stores.map((s) => s.open()));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) {
        expect(String(r.reason)).toContain('is already open in this process');
      }
      await Promise.all(stores.map((s) => s.close()));
    }
    warn.mockRestore();
  });

  it('removes temp files a killed writer left', async () => {
    const path = newPath();
    await (await opened(path)).close();
    writeFileSync(`${path}.tmp-4242`, '{"half":');
    writeFileSync(`${path}.lock.tmp-${2 ** 22 + 5}.a1b2`, '{}');
    const store = await opened(path);
    await store.markTick('x', 1);
    await store.close();
    expect(readdirSync(join(path, '..'))).toEqual(['state.json']);
  });

  it('fails calls made before open() with a clear error', async () => {
    const store = new FileJobStore({ path: newPath() });
    await expect(store.markTick('x', 1)).rejects.toThrow(JobStoreError);
    await expect(store.markTick('x', 1)).rejects.toThrow(/is not open: call open\(\)/);
  });
});

describe('FileJobStore with a corrupt or hand-edited file', () => {
  const problemsOf = async (content: string): Promise<{ problems: string[]; path: string }> => {
    const path = newPath();
    await (await opened(path)).close();
    writeFileSync(path, content);
    const error = await opened(path).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof StateFileInvalidError))
      throw new Error(`expected StateFileInvalidError, got ${String(error)}`);
    expect(error.file).toBe(path);
    expect(error.message).toContain(`Job state file ${path} cannot be loaded`);
    expect(readFileSync(path, 'utf8')).toBe(content); // left as it was, for a human to look at
    await (await opened(newPath())).close(); // and its lock was released: this does not hang
    writeFileSync(path, '{"version":1,"jobs":{}}');
    await (await opened(path)).close();
    return { problems: error.problems, path };
  };

  it('names the line and column of a JSON syntax error, and an empty file', async () => {
    const broken = await problemsOf('{\n  "version": 1,\n  "jobs": {\n    "a": 1,\n  }\n}');
    expect(broken.problems).toEqual([
      expect.stringMatching(/not valid JSON at line 5, column 3: /),
    ]);
    expect(broken.problems[0].startsWith(`${broken.path}: `)).toBe(true);
    const empty = await problemsOf('');
    expect(empty.problems).toEqual([
      `${empty.path}: the file is empty (expected the JSON object this store writes)`,
    ]);
  });

  it('names every bad field with its value and what was expected', async () => {
    const record = recordOf('a', 'r1');
    const job = {
      lastTick: 'yesterday',
      lastRun: { ...record, status: 'done' },
      runs: -1,
      failures: 0,
      consecutiveFailures: 0,
      running: [{ ...startOf('b', 'r2'), leaseUntil: null }],
      history: [{ ...record, extra: 1 }],
      notes: 'hi',
    };
    const { problems, path } = await problemsOf(JSON.stringify({ version: 1, jobs: { a: job } }));
    expect(problems.map((p) => p.slice(path.length + 2))).toEqual([
      'jobs["a"].notes: got "hi", expected no such field (known: lastTick, lastRun, runs, ' +
        'failures, consecutiveFailures, running, history)',
      `jobs["a"].lastTick: got "yesterday", expected a time in epoch milliseconds, or null`,
      'jobs["a"].runs: got -1, expected a non-negative integer',
      'jobs["a"].lastRun.status: got "done", expected one of succeeded, failed, timed-out, ' +
        'skipped, abandoned',
      'jobs["a"].running[0].name: got "b", expected "a"',
      'jobs["a"].running[0].leaseUntil: got null, expected a time in epoch milliseconds (a number)',
      expect.stringMatching(/^jobs\["a"\]\.history\[0\]\.extra: got 1, expected no such field/),
    ]);
  });

  it('refuses a file of another layout version or shape', async () => {
    const { problems, path } = await problemsOf('{"version":2,"jobs":[]}');
    expect(problems).toEqual([
      `${path}: version: got 2, expected 1 (the layout this version of the store writes)`,
      `${path}: jobs: got [], expected an object`,
    ]);
    expect((await problemsOf('[1]')).problems[0]).toMatch(/<root>: got \[1\], expected an object$/);
  });
});
