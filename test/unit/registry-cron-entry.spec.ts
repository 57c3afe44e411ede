import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob, CronTime } from 'cron';
import { BaseJob, JobScheduler, JobSchedulerError } from '../../lib/index.js';
import { standaloneScheduler } from '../fixtures/standalone-scheduler.js';

/**
 * What `registry.getCronJob(name)` returns for one of our cron jobs must do what a `CronJob` of
 * the `cron` package says it does (its README: start, stop, isActive, isCallbackRunning,
 * lastDate, nextDate, setTime, fireOnTick), to our job, through the engine.
 */
const T0 = Date.UTC(2026, 0, 5, 12, 0, 0); // a tick of every schedule below: the first run

/** Records when (ms since T0) each run started; a run lasts `ms` of fake time. */
class Recorder extends BaseJob {
  starts: number[] = [];
  constructor(private readonly ms = 0) {
    super();
  }
  async run(): Promise<void> {
    this.starts.push(Date.now() - T0);
    if (this.ms) await new Promise((resolve) => setTimeout(resolve, this.ms));
  }
}

let registry: SchedulerRegistry;
let scheduler: JobScheduler;

beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
  registry = new SchedulerRegistry();
  scheduler = standaloneScheduler(registry).scheduler;
  jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
});

afterEach(() => {
  scheduler.stopAll();
  jest.useRealTimers();
  jest.restoreAllMocks();
});

/** A job every second, as `registry.getCronJob('c')`. */
function everySecond(job = new Recorder()): { job: Recorder; cronJob: CronJob } {
  scheduler.scheduleCron('* * * * * *', job, { name: 'c' });
  return { job, cronJob: registry.getCronJob('c') };
}

describe("a cron job's entry in SchedulerRegistry", () => {
  it('is a CronJob of the cron package', () => {
    expect(everySecond().cronJob).toBeInstanceOf(CronJob);
  });

  it('start() on a job already on its schedule does not double its runs', async () => {
    const { job, cronJob } = everySecond();
    cronJob.start();
    await jest.advanceTimersByTimeAsync(5_000);
    expect(job.starts).toEqual([0, 1_000, 2_000, 3_000, 4_000, 5_000]);
  });

  it('stop() pauses the job and start() puts it back on its schedule', async () => {
    const { job, cronJob } = everySecond();
    await jest.advanceTimersByTimeAsync(2_000);
    cronJob.stop();
    expect(scheduler.get('c')).toMatchObject({ state: 'paused', nextRunAt: null });
    await jest.advanceTimersByTimeAsync(3_000);
    expect(job.starts).toEqual([0, 1_000, 2_000]);
    cronJob.start();
    await jest.advanceTimersByTimeAsync(2_000);
    expect(job.starts).toEqual([0, 1_000, 2_000, 6_000, 7_000]);
  });

  it('isActive is true while the job is on its schedule, false once paused or deleted', () => {
    const { cronJob } = everySecond();
    expect(cronJob.isActive).toBe(true);
    scheduler.pause('c');
    expect(cronJob.isActive).toBe(false);
    scheduler.resume('c');
    expect(cronJob.isActive).toBe(true);
    registry.deleteCronJob('c');
    expect(cronJob.isActive).toBe(false);
  });

  it('isCallbackRunning is true while a run is in progress', async () => {
    const { cronJob } = everySecond(new Recorder(500));
    expect(cronJob.isCallbackRunning).toBe(false);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(cronJob.isCallbackRunning).toBe(true);
    await jest.advanceTimersByTimeAsync(500);
    expect(cronJob.isCallbackRunning).toBe(false);
  });

  it("lastDate() and nextDate() are the job's last run and next tick", async () => {
    scheduler.scheduleCron('*/10 * * * * *', new Recorder(), { name: 'c' });
    const cronJob = registry.getCronJob('c');
    expect(cronJob.lastDate()).toBeNull();
    expect(cronJob.nextDate().toMillis()).toBe(T0);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(cronJob.lastDate()).toEqual(new Date(T0 + 10_000));
    expect(cronJob.nextDate().toMillis()).toBe(T0 + 20_000);
  });

  it('setTime() moves the job to the new CronTime', async () => {
    const { job, cronJob } = everySecond();
    await jest.advanceTimersByTimeAsync(1_000);
    cronJob.setTime(new CronTime('*/5 * * * * *'));
    expect(cronJob.isActive).toBe(true);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(job.starts).toEqual([0, 1_000, 5_000, 10_000]);
    expect(scheduler.get('c')?.schedule).toMatch(/^cron \*\/5 \* \* \* \* \*/);
  });

  it('setTime() to a date is refused, naming the job', () => {
    const { cronJob } = everySecond();
    expect(() => cronJob.setTime(new CronTime(new Date(T0 + 60_000)))).toThrow(JobSchedulerError);
    expect(() => cronJob.setTime(new CronTime(new Date(T0 + 60_000)))).toThrow(
      /cron job 'c' to a date/,
    );
  });

  it('fireOnTick() runs the job now, outside its schedule', async () => {
    const { job, cronJob } = everySecond();
    await jest.advanceTimersByTimeAsync(300);
    await cronJob.fireOnTick();
    expect(job.starts).toEqual([0, 300]);
    expect(scheduler.get('c')).toMatchObject({ runs: 2, nextRunAt: new Date(T0 + 1_000) });
  });

  it('deleteCronJob(name) stops the job, though the app adds its own under that name', async () => {
    const { job } = everySecond();
    await jest.advanceTimersByTimeAsync(1_000);
    registry.deleteCronJob('c');
    registry.addCronJob('c', CronJob.from({ cronTime: '0 0 1 1 *', onTick: () => undefined }));
    await jest.advanceTimersByTimeAsync(5_000);
    expect(job.starts).toEqual([0, 1_000]);
    expect(scheduler.get('c')).toBeUndefined();
    expect(scheduler.list()).toEqual([]);
  });
});
