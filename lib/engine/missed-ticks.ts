import type { CatchUpSettings } from './job-spec.catch-up.js';

/** A job's tick rule: its first tick strictly after `t` (epoch ms). */
export type NextTick = (t: number) => number;

/** What catch-up runs for one job. @internal */
export interface MissedTicks {
  /** Due times to run, oldest first. */
  due: number[];
  /** Whether older missed ticks are left out (past `catchUpWindow` or `catchUpLimit`). */
  older: boolean;
}

/** The first span searched back from `now`; doubled until it holds enough ticks. */
const FIRST_SPAN_MS = 1_000;

/**
 * The ticks of a job missed while no replica ran it: due after `lastTick` and before `before`
 * (default `now`), not older than `catchUpWindowMs` before `now`. `last` keeps the latest;
 * `all` the latest `catchUpLimit`. `next` is the engine's own tick rule (cron with its zone
 * and DST, or the stored grid). The search walks back from `before` by doubling spans, so a
 * 1-second job missed for a day costs a few dozen steps, not 86,400. @internal
 */
export function missedTicks(
  next: NextTick,
  lastTick: number,
  now: number,
  { catchUp, catchUpWindowMs, catchUpLimit }: CatchUpSettings,
  before = now,
): MissedTicks {
  if (catchUp === 'none') return { due: [], older: false };
  const want = catchUp === 'last' ? 1 : catchUpLimit;
  // Ticks strictly after `after` (and before `now`) may run.
  const after = Math.max(lastTick, now - catchUpWindowMs - 1);
  let from = after;
  for (let span = FIRST_SPAN_MS; before - span > after; span *= 2) {
    const found = ticksBetween(next, before - span, before, want);
    if (found.due.length >= want) {
      from = before - span;
      break;
    }
  }
  const { due, older } = ticksBetween(next, from, before, want);
  // Ticks left out: before `from` (cut by the search) or dropped from the front of the list.
  const beyond = next(lastTick) < (due[0] ?? before);
  return { due, older: older || beyond };
}

/** The latest `keep` ticks in (`after`, `before`), oldest first; `older`: some were dropped. */
function ticksBetween(
  next: NextTick,
  after: number,
  before: number,
  keep: number,
): { due: number[]; older: boolean } {
  const due: number[] = [];
  let older = false;
  for (let t = next(after); t < before; t = next(t)) {
    due.push(t);
    if (due.length > keep) {
      due.shift();
      older = true;
    }
  }
  return { due, older };
}
