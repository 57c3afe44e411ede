import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { BaseJob, JobScheduler, JobSchedulerError } from '../../lib/index.js';
import { JobsTestClock } from '../../lib/testing.js';
import { standaloneScheduler } from '../fixtures/standalone-scheduler.js';

/**
 * core-lib's own `tests/test_jobs.py` (shay-te/core-lib), one test per case, at its durations:
 * each `sleep(s)` there is `s` seconds of virtual time here (`JobsTestClock`). Python's
 * `AssertionError` is our
 * `JobSchedulerError`; `is_run_in_parallel` is the `runInParallel` option.
 */
class TestJob extends BaseJob {
  called = 0;
  run(): void {
    this.called = this.called + 1;
  }
}

/** Python's `BaseException`, which the next job raises. */
class BaseException extends Error {
  static {
    this.prototype.name = 'BaseException';
  }
}

class TestJobRaiseException extends BaseJob {
  static called = 0;
  run(): void {
    if (TestJobRaiseException.called === 3) throw new BaseException();
    TestJobRaiseException.called = TestJobRaiseException.called + 1;
  }
}

class TestJobWithParams extends BaseJob {
  received: unknown = null;
  run(params: unknown): void {
    this.received = params;
  }
}

let scheduler: JobScheduler;
let clock: JobsTestClock;
let logged: jest.SpiedFunction<Logger['error']>;
const sleep = (seconds: number): Promise<void> => clock.advance(seconds * 1000);

beforeEach(() => {
  clock = new JobsTestClock();
  scheduler = standaloneScheduler(undefined, { clock }).scheduler;
  logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
});

afterEach(() => {
  scheduler.stopAll();
  jest.restoreAllMocks();
});

describe("core-lib's test_jobs.py", () => {
  it('test_job_decorator', () => {
    const j = new TestJob();
    j.run();
    expect(j.called).toBe(1);
  });

  it('test_schedule_invalid', () => {
    const job = new TestJob();
    const none = null as never;
    expect(() => scheduler.scheduleOnce('asd;lasdfj', job)).toThrow(JobSchedulerError);
    expect(() => scheduler.scheduleOnce(none, job)).toThrow(JobSchedulerError);
    expect(() => scheduler.scheduleOnce('1s', none)).toThrow(JobSchedulerError);
    expect(() => scheduler.scheduleOnce('1s', 'not a job' as never)).toThrow(JobSchedulerError);

    expect(() => scheduler.schedule('1s', none, job)).toThrow(JobSchedulerError);
    expect(() => scheduler.schedule('1s', 'asdasdasd', job)).toThrow(JobSchedulerError);
    expect(() => scheduler.schedule('1s', '2s', none)).toThrow(JobSchedulerError);
    expect(() => scheduler.schedule('1s', '2s', 'not a job' as never)).toThrow(JobSchedulerError);
    expect(scheduler.list()).toEqual([]);
  });

  it('test_schedule', async () => {
    const job = new TestJob();
    scheduler.scheduleOnce('1s', job);
    await sleep(2);
    expect(job.called).toBe(1);

    scheduler.schedule('1s', '1s', job);
    await sleep(5);
    scheduler.stop(job);
    const lastValue = job.called;
    await sleep(5);
    expect(job.called).toBe(lastValue);
    expect(job.called).toBeGreaterThan(2);
    expect(job.called).toBe(6); // on virtual time, exactly: the once run, then 5 in 5 s
  });

  it('test_schedule_log', async () => {
    const jobException = new TestJobRaiseException();
    scheduler.schedule('1s', '1s', jobException);
    await sleep(10.1);
    scheduler.stop(jobException);
    const log = logged.mock.calls.map((call) => call.map(String).join('\n')).join('\n');
    expect(log).toContain('BaseException');
    expect(log).toContain('Error while running job');
    expect(logged).toHaveBeenCalledTimes(7); // runs 4 to 10 raise
  });

  it('test_schedule_once_with_params', async () => {
    const job = new TestJobWithParams();
    scheduler.scheduleOnce('1s', job, { params: { a: 1, b: 'test' } });
    await sleep(2);
    expect(job.received).toEqual({ a: 1, b: 'test' });
  });

  it('test_is_run_in_parallel_false', async () => {
    const job1 = new TestJob();
    const job2 = new TestJob();
    scheduler.schedule('1s', '1s', job1, { runInParallel: false });
    await sleep(2);
    // Scheduling another job of the same class cancels the previous one.
    scheduler.schedule('1s', '1s', job2, { runInParallel: false });
    await sleep(3);
    scheduler.stop(job1);
    scheduler.stop(job2);
    expect(job1.called).toBeLessThan(job2.called);
    expect(job2.called).toBeGreaterThan(0);
  });

  it('test_is_run_in_parallel_true', async () => {
    const job1 = new TestJob();
    const job2 = new TestJob();
    scheduler.schedule('1s', '1s', job1, { runInParallel: true });
    scheduler.schedule('1s', '1s', job2, { runInParallel: true });
    await sleep(3.5);
    scheduler.stop(job1);
    scheduler.stop(job2);
    expect(job1.called).toBeGreaterThan(0);
    expect(job2.called).toBeGreaterThan(0);
  });
});
