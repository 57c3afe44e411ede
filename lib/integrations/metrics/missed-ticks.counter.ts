import { CronTime } from 'cron';
import { DEFAULT_MISFIRE_THRESHOLD_MS } from '../../core-lib-jobs.constants.js';
import { nextCronTick } from '../../engine/fire-times.js';
import type { JobEvent, SkipReason } from '../../interfaces/job-event.interface.js';
import type { JobInfo } from '../../interfaces/job-info.interface.js';

/** Why a tick did not run: a skip's reason, or one of the two the engine sends no event for. */
export type MissedReason = SkipReason | 'paused' | 'misfire';

/** `count` ticks of `job` that did not run, for `reason`. */
export interface MissedTicks {
  job: string;
  reason: MissedReason;
  count: number;
}

/** A walk over cron ticks stops here: a job paused for years is not worth a long loop. */
const MAX_WALK = 10_000;
type Schedule = Pick<JobInfo, 'name' | 'kind' | 'cron' | 'timeZone' | 'frequencyMs'>;

/**
 * Counts the ticks each job missed, by reason. Skips come as `skipped` events (overlap,
 * cluster-held, cluster-unavailable, shutdown...). Two kinds have no event, so they are derived
 * with the engine's own fire-time functions: `misfire`, the ticks a run that started later than
 * the misfire threshold (the default, 1 s) stepped over, as the engine's warning counts them;
 * and `paused`, the ticks of a paused job's schedule that passed, counted at each `scan()`.
 */
export class MissedTicksCounter {
  private readonly cronTimes = new Map<string, CronTime>();
  /** Paused jobs: ticks counted up to this time. */
  private readonly pausedFrom = new Map<string, number>();

  constructor(
    private readonly lookup: (name: string) => Schedule | undefined,
    private readonly thresholdMs = DEFAULT_MISFIRE_THRESHOLD_MS,
  ) {}

  /** What one run event tells, if anything. */
  record(event: JobEvent): MissedTicks | undefined {
    if (event.type === 'skipped') return { job: event.name, reason: event.reason, count: 1 };
    if (event.type !== 'started' || event.attempt !== 1 || event.reason !== 'schedule') return;
    if (event.startedAt - event.scheduledAt <= this.thresholdMs) return;
    const job = this.lookup(event.name);
    const count = job ? this.ticksBetween(job, event.scheduledAt, event.startedAt, true) : 0;
    return count > 0 ? { job: event.name, reason: 'misfire', count } : undefined;
  }

  /** The paused jobs' ticks that passed since the last scan (a job seen paused starts now). */
  scan(jobs: Schedule[] & Array<Pick<JobInfo, 'state'>>, now: number): MissedTicks[] {
    const out: MissedTicks[] = [];
    const paused = new Set<string>();
    for (const job of jobs) {
      if (job.state !== 'paused') continue;
      paused.add(job.name);
      const from = this.pausedFrom.get(job.name);
      this.pausedFrom.set(job.name, now);
      if (from === undefined) continue;
      const count = this.ticksBetween(job, from, now);
      if (count > 0) out.push({ job: job.name, reason: 'paused', count });
    }
    for (const name of this.pausedFrom.keys()) if (!paused.has(name)) this.pausedFrom.delete(name);
    return out;
  }

  /**
   * Ticks of the schedule strictly after `from` and at or before `to`. An interval job's grid
   * goes through `from` when it is a tick (a misfire's due time); else through the epoch, which
   * counts right over time while `from` moves on at each scan.
   */
  private ticksBetween(job: Schedule, from: number, to: number, fromIsTick = false): number {
    if (job.kind === 'interval' && job.frequencyMs) {
      const f = job.frequencyMs;
      return fromIsTick ? Math.floor((to - from) / f) : Math.floor(to / f) - Math.floor(from / f);
    }
    if (job.kind !== 'cron' || !job.cron) return 0;
    let cronTime = this.cronTimes.get(job.name);
    if (!cronTime) {
      cronTime = new CronTime(job.cron, job.timeZone ?? undefined);
      this.cronTimes.set(job.name, cronTime);
    }
    let count = 0;
    for (let t = nextCronTick(cronTime, from); t <= to && count < MAX_WALK; count++) {
      t = nextCronTick(cronTime, t);
    }
    return count;
  }
}
