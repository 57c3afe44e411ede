import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Logger, type LoggerService } from '@nestjs/common';
import { LockClusterCoordinator } from '../../lib/cluster/cluster.coordinator.js';
import { ClusterConfigError } from '../../lib/errors/cluster-config.error.js';
import { LeaseLostError } from '../../lib/errors/lease-lost.error.js';
import type { RunOutcome } from '../../lib/interfaces/job-event.interface.js';
import { MemoryLock } from './helpers/memory-lock.js';
import { sleep, waitFor } from './helpers/replica-process.js';

const succeeded: RunOutcome = { status: 'succeeded', attempts: 1, durationMs: 1 };

describe('LockClusterCoordinator', () => {
  let logs: Array<{ level: string; message: string }>;
  let lock: MemoryLock;
  const coordinator = (
    settings: Partial<ConstructorParameters<typeof LockClusterCoordinator>[1]> = {},
  ) =>
    new LockClusterCoordinator(lock, {
      backend: 'memory',
      replicaId: 'me:1',
      leaseMs: 90,
      localNow: Date.now,
      retryMs: 20,
      ...settings,
    });
  const logged = (level: string, pattern: RegExp) =>
    logs.filter((l) => l.level === level && pattern.test(l.message)).length;

  beforeEach(() => {
    logs = [];
    lock = new MemoryLock();
    const capture = (level: string) => (message: unknown) =>
      void logs.push({ level, message: String(message) });
    const logger: LoggerService = {
      log: capture('log'),
      error: capture('error'),
      warn: capture('warn'),
      debug: capture('debug'),
      verbose: capture('verbose'),
    };
    Logger.overrideLogger(logger);
  });
  afterEach(() => Logger.overrideLogger(false as never));

  it('keeps time on the backend clock, whatever the local clock says', async () => {
    lock.clockOffsetMs = 5_000;
    const c = coordinator({ localNow: () => Date.now() - 1_000 });
    await c.start();
    expect(Math.abs(c.now() - (Date.now() + 5_000))).toBeLessThanOrEqual(3);
    expect(lock.calls.filter((call) => call === 'time').length).toBeGreaterThan(1);
    await c.close();
  });

  it('runs a tick it wins, names itself the runner, and releases the lease', async () => {
    const c = coordinator();
    const ranBy: Array<string | undefined> = [];
    const outcome = await c.runTick(
      'job',
      1_000,
      60_000,
      () => succeeded,
      (by) => ranBy.push(by),
    );
    expect(outcome).toBe(succeeded);
    expect(ranBy).toEqual(['me:1']);
    expect(lock.run).toBeUndefined();
  });

  it('skips a tick another replica won, naming that replica', async () => {
    await coordinator({ replicaId: 'other:2' }).runTick(
      'job',
      1_000,
      60_000,
      () => succeeded,
      () => undefined,
    );
    let ran = false;
    const ranBy: Array<string | undefined> = [];
    const outcome = await coordinator().runTick(
      'job',
      1_000,
      60_000,
      () => ((ran = true), succeeded),
      (by) => ranBy.push(by),
    );
    expect(ran).toBe(false);
    expect(outcome).toEqual({
      status: 'skipped',
      attempts: 0,
      durationMs: 0,
      skipReason: 'cluster-held',
      heldBy: 'other:2',
    });
    expect(ranBy).toEqual(['other:2']);
  });

  it('tells a job busy on another replica from a tick taken: the busy tick is free later', async () => {
    let finish!: () => void;
    const long = coordinator({ replicaId: 'other:2', leaseMs: 10_000 }).runTick(
      'job',
      1_000,
      60_000,
      () => new Promise<RunOutcome>((resolve) => (finish = () => resolve(succeeded))),
      () => undefined,
    );
    await waitFor(() => lock.run !== undefined, 1_000, 'the long run to start');
    const ranBy: Array<string | undefined> = [];
    const busy = await coordinator().runTick(
      'job',
      2_000,
      60_000,
      () => succeeded,
      (by) => ranBy.push(by),
    );
    expect(busy).toMatchObject({ skipReason: 'cluster-busy', heldBy: 'other:2' });
    expect(ranBy).toEqual([]); // nobody ran tick 2000: no runner to name
    finish();
    await long;
    const later = await coordinator().runTick(
      'job',
      2_000,
      60_000,
      () => succeeded,
      () => undefined,
    );
    expect(later).toBe(succeeded);
  });

  it('claims the ticks of many jobs due together in one backend call, and releases in one', async () => {
    const c = coordinator();
    const names = Array.from({ length: 1_200 }, (_, i) => `job-${i}`);
    const outcomes = await Promise.all(
      names.map((name) =>
        c.runTick(
          name,
          5_000,
          60_000,
          () => succeeded,
          () => undefined,
        ),
      ),
    );
    expect(outcomes.every((o) => o === succeeded)).toBe(true);
    const claims = lock.batches.filter((b) => b.call === 'claim');
    // 1,200 claims in batches of at most 500: three calls, not 1,200.
    expect(claims.map((b) => b.size)).toEqual([500, 500, 200]);
    const releases = lock.batches.filter((b) => b.call === 'release');
    expect(releases.reduce((sum, b) => sum + b.size, 0)).toBe(1_200);
    expect(releases.length).toBeLessThanOrEqual(6);
    expect(lock.runs.size).toBe(0);
  });

  it('never puts two claims of one job in one batch', async () => {
    const c = coordinator();
    const [first, second] = await Promise.all([
      c.runTick(
        'job',
        1_000,
        60_000,
        () => succeeded,
        () => undefined,
      ),
      c.runTick(
        'job',
        2_000,
        60_000,
        () => succeeded,
        () => undefined,
      ),
    ]);
    expect(lock.batches.filter((b) => b.call === 'claim').map((b) => b.size)).toEqual([1, 1]);
    // The second claim met the first run's lease, or came after its release: never both won
    // at once.
    expect([first, second].filter((o) => o === succeeded).length).toBeGreaterThanOrEqual(1);
  });

  it('runs nothing while the backend fails; logs each outage once, its end once', async () => {
    const c = coordinator();
    let runs = 0;
    const run = () => (runs++, succeeded);
    lock.failure = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6390'), {
      code: 'ECONNREFUSED',
    });
    for (let due = 1; due <= 5; due++) {
      expect((await c.runTick('job', due, 60_000, run, () => undefined)).skipReason).toBe(
        'cluster-unavailable',
      );
    }
    expect(runs).toBe(0);
    expect(logs.filter((l) => l.level === 'error').map((l) => l.message)).toEqual([
      'Cluster backend memory is unreachable (connect ECONNREFUSED 127.0.0.1:6390); cluster ' +
        'jobs do not run until it is back',
    ]);
    lock.failure = undefined;
    expect((await c.runTick('job', 6, 60_000, run, () => undefined)).status).toBe('succeeded');
    expect(
      logged('log', /^Cluster backend memory is reachable again after \d+ms; cluster jobs resume$/),
    ).toBe(1);
    lock.failure = new Error('down again');
    await c.runTick('job', 7, 60_000, run, () => undefined);
    await c.runTick('job', 8, 60_000, run, () => undefined);
    expect(logged('error', /unreachable/)).toBe(2);
    expect(runs).toBe(1);
  });

  it('extends the lease while a run goes on; warns once when it is lost', async () => {
    const c = coordinator({ leaseMs: 60 });
    const outcome = await c.runTick(
      'job',
      1,
      60_000,
      async () => {
        await sleep(200);
        return succeeded;
      },
      () => undefined,
    );
    expect(outcome).toBe(succeeded);
    expect(lock.calls.filter((call) => call === 'extend').length).toBeGreaterThanOrEqual(4);
    expect(logged('warn', /lost its cluster lease/)).toBe(0);

    let lease: AbortSignal | undefined;
    const stolen = c.runTick(
      'job',
      2,
      60_000,
      async (signal) => {
        lease = signal;
        await sleep(50);
        lock.run = { token: 'someone-else', holder: 'x', expiresAt: Date.now() + 10_000 };
        await sleep(150);
        return succeeded;
      },
      () => undefined,
    );
    expect(await stolen).toBe(succeeded);
    expect(
      logged('warn', /^Job job lost its cluster lease on memory while running; its signal is/),
    ).toBe(1);
    expect(lease?.reason).toBeInstanceOf(LeaseLostError);
  });

  it('keeps the leases of many runs at once with one timer: one extension batch per round', async () => {
    const c = coordinator({ leaseMs: 90 });
    const names = Array.from({ length: 300 }, (_, i) => `job-${i}`);
    const outcomes = await Promise.all(
      names.map(async (name, i) => {
        await sleep(i % 40); // runs taken at different moments of a round
        return c.runTick(
          name,
          7_000,
          60_000,
          async (lease) => {
            await sleep(300);
            return lease.aborted ? { ...succeeded, status: 'failed' as const } : succeeded;
          },
          () => undefined,
        );
      }),
    );
    expect(outcomes.filter((o) => o !== succeeded)).toEqual([]);
    expect(logged('warn', /lost its cluster lease/)).toBe(0);
    const extensions = lock.batches.filter((b) => b.call === 'extend');
    // Each lease is extended every third to two thirds of it (about 5 times in 300 ms at 90 ms)...
    expect(extensions.reduce((sum, b) => sum + b.size, 0)).toBeGreaterThanOrEqual(300 * 3);
    // ...in rounds: a few batches per 30 ms round, not 300 calls per round.
    expect(extensions.length).toBeLessThanOrEqual(40);
  });

  it('releases the lease when the run throws, and retries a release that failed', async () => {
    const c = coordinator({ leaseMs: 10_000 });
    await expect(
      c.runTick(
        'job',
        1,
        60_000,
        () => {
          throw new Error('boom');
        },
        () => undefined,
      ),
    ).rejects.toThrow('boom');
    expect(lock.run).toBeUndefined();

    await c.runTick(
      'job',
      2,
      60_000,
      () => ((lock.failure = new Error('blip')), succeeded),
      () => undefined,
    );
    expect(lock.run).toBeDefined();
    lock.failure = undefined;
    await waitFor(() => lock.run === undefined, 1_000, 'the release to be retried');
  });

  it('waits for the backend before it hands out an anchor; close() ends the wait', async () => {
    const c = coordinator();
    lock.failure = new Error('down');
    let anchor: number | undefined;
    void c.anchor('job', 1_234).then((a) => (anchor = a));
    await sleep(100);
    expect(anchor).toBeUndefined();
    lock.anchors.set('job', 1_000);
    lock.failure = undefined;
    await waitFor(() => anchor !== undefined, 1_000, 'the anchor');
    expect(anchor).toBe(1_000);

    lock.failure = new Error('down');
    const waiting = c.anchor('other', 2_000);
    await sleep(50);
    await c.close();
    expect(await waiting).toBe(2_000);
  });

  it('writes its anchors back when the backend returns (a restarted Redis lost them)', async () => {
    const c = coordinator();
    expect(await c.anchor('job', 1_000)).toBe(1_000);
    lock.failure = new Error('restarting');
    await c.runTick(
      'job',
      1,
      60_000,
      () => succeeded,
      () => undefined,
    );
    lock.anchors.clear();
    lock.failure = undefined;
    await c.runTick(
      'job',
      2,
      60_000,
      () => succeeded,
      () => undefined,
    );
    await waitFor(() => lock.anchors.get('job') === 1_000, 1_000, 'the anchor to be written back');
  });

  it('refuses to start on a config problem, and closes its lock; not on an outage', async () => {
    lock.failure = new ClusterConfigError('the server refuses the credentials (WRONGPASS ...)');
    const error = await coordinator()
      .start()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClusterConfigError);
    expect((error as Error).message).toBe(
      'Cluster backend memory is misconfigured: the server refuses the credentials (WRONGPASS ...)',
    );
    expect(lock.calls).toContain('close');
    expect(logs).toEqual([]); // the error says it

    lock.failure = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6390'), {
      code: 'ECONNREFUSED',
    });
    const c = coordinator();
    await c.start();
    expect(logged('error', /is unreachable/)).toBe(1);
    await c.close();
  });

  it('logs each configuration problem once, as what it is, never as an outage', async () => {
    const c = coordinator();
    await c.start();
    let runs = 0;
    const run = () => (runs++, succeeded);
    const table = new ClusterConfigError(
      'lock table t has another shape: column expires_at is missing',
    );
    for (let due = 1; due <= 4; due++) {
      lock.failure = table;
      expect((await c.runTick('job', due, 60_000, run, () => undefined)).skipReason).toBe(
        'cluster-unavailable',
      );
      // Another call succeeds in between: the problem is still logged once.
      lock.failure = undefined;
      await c.anchor('job', 1);
    }
    lock.failure = new ClusterConfigError('permission denied for table t');
    await c.runTick('job', 5, 60_000, run, () => undefined);
    expect(runs).toBe(0);
    expect(logs.filter((l) => l.level !== 'debug').map((l) => `${l.level}: ${l.message}`)).toEqual([
      'error: Cluster backend memory is misconfigured: ' +
        'lock table t has another shape: column expires_at is missing; ' +
        'cluster jobs do not run until this is fixed',
      'error: Cluster backend memory is misconfigured: permission denied for table t; cluster ' +
        'jobs do not run until this is fixed',
    ]);
    await c.close();
  });

  it('forgets the anchor of a stopped job: not written back after an outage', async () => {
    const c = coordinator();
    await c.anchor('stopped', 1_000);
    await c.anchor('kept', 2_000);
    c.forget('stopped');
    lock.failure = new Error('restarting');
    await c.runTick(
      'kept',
      1,
      60_000,
      () => succeeded,
      () => undefined,
    );
    lock.anchors.clear();
    lock.failure = undefined;
    await c.runTick(
      'kept',
      2,
      60_000,
      () => succeeded,
      () => undefined,
    );
    await waitFor(() => lock.anchors.get('kept') === 2_000, 1_000, 'the kept anchor written back');
    await sleep(20);
    expect(lock.anchors.has('stopped')).toBe(false);
    await c.close();
  });

  it('status() says what a misconfigured backend reports, until a claim succeeds', async () => {
    const c = coordinator();
    await c.start();
    expect(c.status()).toMatchObject({ reachable: true, problem: null });
    lock.failure = new ClusterConfigError('permission denied for table t');
    await c.runTick(
      'job',
      1,
      60_000,
      () => succeeded,
      () => undefined,
    );
    expect(c.status()).toMatchObject({
      reachable: true,
      problem: 'permission denied for table t',
    });
    lock.failure = undefined;
    await c.runTick(
      'job',
      2,
      60_000,
      () => succeeded,
      () => undefined,
    );
    expect(c.status().problem).toBeNull();
    await c.close();
  });
});
