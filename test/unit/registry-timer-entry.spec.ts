import { SchedulerRegistry } from '@nestjs/schedule';
import { withGlobal, type Clock } from '@sinonjs/fake-timers';
import { BaseJob, JobScheduler } from '../../lib/index.js';
import { standaloneScheduler } from '../fixtures/standalone-scheduler.js';

/**
 * An interval or once job is registered as a real Node `Timeout` (the engine's one timer drives
 * every job, so that timer is cleared at once). Deleting it through the registry stops the job,
 * whatever implements the timers: the engine checks the registry itself, not the timer.
 */
const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);

class Recorder extends BaseJob {
  starts: number[] = [];
  run(): void {
    this.starts.push(Date.now() - T0);
  }
}

/** Node's own Timeout class (not exported by Node: taken from a timer). */
const NodeTimeout = (() => {
  const timer = setTimeout(() => undefined, 0);
  clearTimeout(timer);
  return timer.constructor;
})();

describe('interval and once jobs in SchedulerRegistry, on the real clock', () => {
  let registry: SchedulerRegistry;
  let scheduler: JobScheduler;

  beforeEach(() => {
    registry = new SchedulerRegistry();
    scheduler = standaloneScheduler(registry).scheduler;
  });
  afterEach(() => scheduler.stopAll());

  it('getInterval(name) and getTimeout(name) are Node Timeouts, each its own', () => {
    scheduler.schedule('1h', '1h', new Recorder(), { name: 'i' });
    scheduler.scheduleOnce('1h', new Recorder(), { name: 't' });
    const entries = [registry.getInterval('i'), registry.getTimeout('t')] as NodeJS.Timeout[];
    for (const timer of entries) {
      expect(timer).toBeInstanceOf(NodeTimeout);
      expect(timer.ref()).toBe(timer);
      expect(timer.unref()).toBe(timer);
      expect(timer.hasRef()).toBe(false);
      expect(Number.isInteger(Number(timer))).toBe(true);
    }
    expect(Number(entries[0])).not.toBe(Number(entries[1]));
  });
});

describe('deleting through SchedulerRegistry under @sinonjs/fake-timers', () => {
  // Sinon's clearInterval() leaves a timer it did not make alone (unless `shouldClearNativeTimers`,
  // which Jest sets and Sinon and Vitest do not): no private field of Node's timers is touched.
  let clock: Clock;
  let registry: SchedulerRegistry;
  let scheduler: JobScheduler;

  beforeEach(() => {
    clock = withGlobal(globalThis).install({ now: T0 });
    registry = new SchedulerRegistry();
    scheduler = standaloneScheduler(registry).scheduler;
  });
  afterEach(() => {
    scheduler.stopAll();
    clock.uninstall();
  });

  it('deleteInterval(name) stops the job', () => {
    const job = new Recorder();
    scheduler.schedule('0s', '1s', job, { name: 'i' });
    clock.tick(1_000);
    registry.deleteInterval('i');
    clock.tick(5_000);
    expect(job.starts).toEqual([0, 1_000]);
    expect(scheduler.get('i')).toBeUndefined();
  });

  it('deleteTimeout(name) stops a once job before it runs', () => {
    const job = new Recorder();
    scheduler.scheduleOnce('10s', job, { name: 't' });
    clock.tick(5_000);
    registry.deleteTimeout('t');
    clock.tick(20_000);
    expect(job.starts).toEqual([]);
    expect(scheduler.list()).toEqual([]);
  });

  it('a job deleted, then scheduled again under its name, runs once per tick', () => {
    const job = new Recorder();
    scheduler.schedule('0s', '1s', job, { name: 'i' });
    registry.deleteInterval('i');
    scheduler.schedule('0s', '1s', job, { name: 'i' });
    clock.tick(2_000);
    expect(job.starts).toEqual([0, 1_000, 2_000]);
  });

  it("an entry is the fake clock's timer there, as setInterval() would give", () => {
    scheduler.schedule('1h', '1h', new Recorder(), { name: 'i' });
    const timer = registry.getInterval('i') as NodeJS.Timeout;
    expect(typeof timer.hasRef).toBe('function');
    expect(Number(timer)).toBeGreaterThanOrEqual(1);
    expect(clock.countTimers()).toBe(1); // the engine's own timer; the entry is cleared
  });
});
