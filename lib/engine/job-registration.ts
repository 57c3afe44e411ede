import type { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { JobSchedulerError } from '../errors/job-scheduler.error.js';
import { DUPLICATE_JOB_NAME } from '../errors/job-scheduler.messages.js';
import { JobHandle } from './job-handle.js';
import type { JobTrigger } from './job-spec.js';

const HANDLE = Symbol('core-lib-jobs:handle');

type Kind = 'cron' | 'interval' | 'timeout';

/**
 * Keeps `SchedulerRegistry` in step with the engine: an interval job is registered with
 * `addInterval`, a once job with `addTimeout` (the handle stands for the timer: the engine's single
 * timer drives every job), a cron job with `addCronJob` (a `CronJob` that is never started; the
 * engine drives it, and `fireOnTick()` runs the job now). The registry is also the engine's index
 * of jobs by name, so a job costs one map entry, not two.
 */
export class JobRegistration {
  constructor(private readonly registry: SchedulerRegistry) {}

  /** Registers the job; a name the registry already holds for that kind throws `JobSchedulerError`. */
  add(h: JobHandle, fireNow: () => void): void {
    try {
      this.register(h, fireNow);
    } catch (error) {
      if (this.registry.doesExist(kindOf(h), h.name)) throw new JobSchedulerError(DUPLICATE_JOB_NAME(h.name));
      throw error;
    }
  }

  private register(h: JobHandle, fireNow: () => void): void {
    if (h.trigger.kind === 'cron') {
      const cronJob = CronJob.from({ cronTime: h.trigger.cron, timeZone: h.trigger.timeZone, onTick: fireNow, start: false });
      h.trigger.cronTime = cronJob.cronTime;
      (cronJob as unknown as Record<symbol, JobHandle>)[HANDLE] = h;
      this.registry.addCronJob(h.name, cronJob);
    } else if (h.trigger.kind === 'interval') {
      this.registry.addInterval(h.name, h as never);
    } else {
      this.registry.addTimeout(h.name, h as never);
    }
  }

  /** False once a user deleted the job through the registry (`deleteInterval(name)`...): the engine then stops it. */
  has(h: JobHandle): boolean {
    return this.registry.doesExist(kindOf(h), h.name);
  }

  delete(h: JobHandle): void {
    const kind = kindOf(h);
    if (this.lookup(h.name) !== h) return;
    if (kind === 'cron') this.registry.deleteCronJob(h.name);
    else if (kind === 'interval') this.registry.deleteInterval(h.name);
    else this.registry.deleteTimeout(h.name);
  }

  /** Our job registered under `name`, if any (the registry may hold the app's own timers too). */
  lookup(name: string): JobHandle | undefined {
    const registry = this.registry;
    let found: unknown;
    if (registry.doesExist('interval', name)) found = registry.getInterval(name);
    else if (registry.doesExist('timeout', name)) found = registry.getTimeout(name);
    else if (registry.doesExist('cron', name)) found = (registry.getCronJob(name) as unknown as Record<symbol, unknown>)[HANDLE];
    return found instanceof JobHandle ? found : undefined;
  }

  /** Every job of ours, in the order: interval, once, cron. */
  all(): JobHandle[] {
    const registry = this.registry;
    const found: unknown[] = [
      ...registry.getIntervals().map((name) => registry.getInterval(name)),
      ...registry.getTimeouts().map((name) => registry.getTimeout(name)),
      ...[...registry.getCronJobs().values()].map((cronJob) => (cronJob as unknown as Record<symbol, unknown>)[HANDLE]),
    ];
    return found.filter((h): h is JobHandle => h instanceof JobHandle);
  }

  /** Whether any kind of scheduler (ours or the app's own) already uses `name`. */
  taken(name: string): boolean {
    return this.registry.doesExist('interval', name) || this.registry.doesExist('timeout', name) || this.registry.doesExist('cron', name);
  }

  /** Whether `name` is used by a kind other than the one a job of `kind` registers as. */
  takenByOtherKind(name: string, kind: JobTrigger['kind']): boolean {
    const own = kindOfTrigger(kind);
    return (own !== 'interval' && this.registry.doesExist('interval', name))
      || (own !== 'timeout' && this.registry.doesExist('timeout', name))
      || (own !== 'cron' && this.registry.doesExist('cron', name));
  }
}

function kindOf(h: JobHandle): Kind {
  return kindOfTrigger(h.trigger.kind);
}

function kindOfTrigger(kind: JobTrigger['kind']): Kind {
  return kind === 'cron' ? 'cron' : kind === 'interval' ? 'interval' : 'timeout';
}
