import type { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import type { JobHandle } from './job-handle.js';

type Kind = 'cron' | 'interval' | 'timeout';

/**
 * Keeps `SchedulerRegistry` in step with the engine: an interval job is registered with
 * `addInterval`, a once job with `addTimeout` (the handle stands for the timer: the engine's single
 * timer drives every job), a cron job with `addCronJob` (a `CronJob` that is never started; the
 * engine drives it, and `fireOnTick()` runs the job now).
 */
export class JobRegistration {
  constructor(private readonly registry: SchedulerRegistry) {}

  add(h: JobHandle, fireNow: () => void): void {
    if (h.trigger.kind === 'cron') {
      const cronJob = CronJob.from({ cronTime: h.trigger.cron, timeZone: h.trigger.timeZone, onTick: fireNow, start: false });
      h.cronTime = cronJob.cronTime;
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
    if (!this.registry.doesExist(kind, h.name)) return;
    if (kind === 'cron') this.registry.deleteCronJob(h.name);
    else if (kind === 'interval') this.registry.deleteInterval(h.name);
    else this.registry.deleteTimeout(h.name);
  }

  /** Whether any kind of scheduler (ours or the app's own) already uses `name`. */
  taken(name: string): boolean {
    return this.registry.doesExist('interval', name) || this.registry.doesExist('timeout', name) || this.registry.doesExist('cron', name);
  }
}

function kindOf(h: JobHandle): Kind {
  return h.trigger.kind === 'cron' ? 'cron' : h.trigger.kind === 'interval' ? 'interval' : 'timeout';
}
