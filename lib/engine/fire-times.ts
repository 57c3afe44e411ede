import { CronTime } from 'cron';
import type { JobTrigger } from './job-spec.js';

/**
 * The scheduling rules as pure functions of time: the engine's tick math and the CLI's
 * `preview` both use them, so a preview shows what the engine does.
 */

/** First point of a fixed-rate grid (`anchor + k × period`) strictly after `t`. */
export function nextOnGrid(anchor: number, periodMs: number, t: number): number {
  if (t < anchor) return anchor;
  return anchor + (Math.floor((t - anchor) / periodMs) + 1) * periodMs;
}

/** Answers `nextCronTick` remembers (the oldest are forgotten first). @internal */
export const CRON_MEMO_SIZE = 4096;
const cronMemo = new Map<string, number>();

/**
 * A cron expression's first tick strictly after `t`, in its time zone (across DST changes).
 *
 * The answer depends only on the expression, its zone and `t`, and the `cron` package takes
 * about 0.1 ms to compute it (luxon parses a date per call): a thousand jobs on one expression
 * due at one instant (every tenant's report at the top of the hour) asked it a thousand times per
 * tick, most of a timer fire's CPU. So answers are remembered by (expression, zone, offset, `t`).
 */
export function nextCronTick(cronTime: CronTime, t: number): number {
  const { source, timeZone, utcOffset } = cronTime;
  const key =
    typeof source === 'string' && !cronTime.realDate
      ? `${source}\u0000${timeZone ?? ''}\u0000${utcOffset ?? ''}\u0000${t}`
      : undefined;
  const known = key === undefined ? undefined : cronMemo.get(key);
  if (known !== undefined) return known;
  // Without the zone, cron computes in the zone of the Date (UTC), ignoring the job's time zone.
  const next = cronTime.getNextDateFrom(new Date(t), timeZone).toMillis();
  if (key !== undefined) {
    if (cronMemo.size >= CRON_MEMO_SIZE) cronMemo.delete(cronMemo.keys().next().value!);
    cronMemo.set(key, next);
  }
  return next;
}

/**
 * The first `count` fire times of a job started at `start` (epoch ms), as the engine schedules
 * them when every run is on time and takes no time (fixed-delay: each run ends as it starts).
 * A cron job without a time zone runs in `defaultZone` (the server's zone).
 */
export function fireTimes(
  trigger: JobTrigger,
  start: number,
  count: number,
  defaultZone?: string,
): number[] {
  const first = start + trigger.initialDelayMs;
  if (trigger.kind === 'once') return count > 0 ? [first] : [];
  const times: number[] = [];
  if (trigger.kind === 'cron') {
    const cronTime = new CronTime(trigger.cron, trigger.timeZone ?? defaultZone);
    for (let t = nextCronTick(cronTime, first - 1); times.length < count;) {
      times.push(t);
      t = nextCronTick(cronTime, t);
    }
    return times;
  }
  // Fixed-rate keeps the grid; fixed-delay waits `frequency` after each (instant) run: the same.
  for (let t = first; times.length < count; t = nextOnGrid(first, trigger.frequencyMs, t)) {
    times.push(t);
  }
  return times;
}
