import { CronJob, CronTime } from 'cron';
import { JobSchedulerError } from '../errors/job-scheduler.error.js';
import { CRON_DATE_NOT_SUPPORTED } from '../errors/job-scheduler.messages.js';
import type { JobHandle } from './job-handle.js';
import type { JobTrigger } from './job-spec.js';

/** What an entry in `SchedulerRegistry` may do to its job, through the engine. @internal */
export interface JobControl {
  pause(h: JobHandle): void;
  resume(h: JobHandle): void;
  runNow(h: JobHandle): Promise<unknown>;
}

/**
 * A cron job of ours as `SchedulerRegistry` holds it: a real `CronJob` of the `cron` package whose
 * own timer never starts (the engine's one timer drives every job), and whose documented members
 * act on the job: `start()` resumes it, `stop()` pauses it (`deleteCronJob()` calls it, then drops
 * the entry: the job never runs again), `isActive` says whether it is on its schedule,
 * `isCallbackRunning` whether a run is in progress, `lastDate()` / `nextDate()` are the engine's,
 * `setTime()` moves it to another `CronTime`, and `fireOnTick()` runs it now.
 * @internal
 */
export class RegisteredCronJob extends CronJob {
  constructor(
    readonly handle: JobHandle,
    private readonly control: JobControl,
  ) {
    super(
      cronOf(handle).cron,
      () => void control.runNow(handle),
      null,
      false,
      cronOf(handle).timeZone,
    );
    // The engine computes the ticks with this same CronTime, so setTime() moves them too.
    handle.cronTime = this.cronTime;
  }

  override get isActive(): boolean {
    return this.handle.state === 'scheduled';
  }

  override get isCallbackRunning(): boolean {
    return this.handle.running > 0;
  }

  override start(): void {
    if (this.handle.state === 'paused') this.control.resume(this.handle);
  }

  override stop(): undefined {
    if (this.handle.state === 'scheduled') this.control.pause(this.handle);
    return undefined;
  }

  override lastDate(): Date | null {
    const at = this.handle.stats?.lastRunAt;
    return at ? new Date(at) : null;
  }

  override nextDate(): ReturnType<CronJob['nextDate']> {
    const h = this.handle;
    // A job on its schedule: the tick the engine has queued (after an initial delay, a misfire...).
    if (h.state !== 'scheduled' || h.heapIndex === -1) return super.nextDate();
    return this.cronTime.getNextDateFrom(new Date(h.nextDue - 1), this.cronTime.timeZone);
  }

  override setTime(time: CronTime): void {
    if (time instanceof CronTime && time.realDate) {
      throw new JobSchedulerError(CRON_DATE_NOT_SUPPORTED(this.handle.name));
    }
    const wasActive = this.isActive;
    super.setTime(time); // checks `time`, calls stop(), then takes it
    this.handle.cronTime = time;
    const { initialDelayMs } = this.handle.trigger;
    const cron = String(time.source);
    this.handle.trigger = { kind: 'cron', initialDelayMs, cron, timeZone: time.timeZone };
    if (wasActive) this.start();
  }
}

function cronOf(h: JobHandle): Extract<JobTrigger, { kind: 'cron' }> {
  return h.trigger as Extract<JobTrigger, { kind: 'cron' }>;
}
