/**
 * The numbers of one timing run (scenario 1), from each job's start time s_j and run timestamps.
 * Pure functions, no I/O. Tick k (k = 1..ticks) of job j is due at s_j + k × period.
 *
 * Lateness is order-matched and uncapped, the same for every contender: the k-th run of a job
 * against its k-th tick, however late. A scheduler that falls behind shows it as lateness that
 * grows run after run; one that loses a tick shows every later run a period later. Nothing is
 * dropped or counted as missed for being late.
 *   p50 / p99 / max  over runs 1..ticks of every job
 *   drift            lateness of each job's run number `ticks` (median over jobs; driftMax: the
 *                    max); a job that had not made `ticks` runs by the end of the grace period
 *                    has none and is counted in `unreached`
 *   driftDelta       run `ticks`'s lateness − run 1's, median over jobs: the part that accumulated
 *                    (with 1 ms of work, job 20 always waits ~19 ms behind the 19 others; that
 *                    offset is in "drift" for every contender but is not drift)
 *   slope            least-squares lateness per tick (ms/tick), pooled over jobs; fitAt1000
 *                    (JSON only) = intercept + 1000 × slope
 *   fired / due      fired-in-window count: each job's runs that started before tick ticks + 1
 *                    was due (s_j + (ticks + 1) × period), at most `ticks` per job, summed; out of
 *                    jobs × ticks. Independent of the lateness above: a scheduler late by 3
 *                    periods at the end has fired 3 runs fewer per job in the window.
 *   named            only for a scheduler whose runs name their tick (this module's
 *                    context.scheduledAt, on its anchor + k × period grid): lateness of each run
 *                    against the tick it names (p99, max), and `skipped`, ticks it skipped by
 *                    design after a stall longer than a period (misfire handling). gridErrors:
 *                    named ticks off the grid or out of order (must be 0).
 */
import { linearFit, percentileSorted, sorted } from '../lib/stats.mjs';

const lastOf = (s) => (s.length ? s[s.length - 1] : NaN);

/** Lateness of each run against the tick it names; undefined when the runs name none. */
function namedLateness(s, stamps, sch, n, periodMs, ticks) {
  if (!sch || !Number.isFinite(sch[0])) return undefined;
  const late = [];
  let gridErrors = 0;
  let prevK = 0;
  for (let r = 0; r < n; r++) {
    const steps = (sch[r] - sch[0]) / periodMs;
    const k = Math.round(steps) + 1;
    if (
      !Number.isFinite(steps) ||
      Math.abs(steps - Math.round(steps)) * periodMs > 1 ||
      k <= prevK
    ) {
      gridErrors++;
      continue;
    }
    prevK = k;
    if (k > ticks) break;
    late.push(stamps[r] - (s + k * periodMs));
  }
  return { late, gridErrors, skipped: ticks - late.length };
}

/** One job: its order-matched lateness, fired-in-window count and named lateness. */
function jobStats(s, stamps, n, periodMs, ticks, sch) {
  const m = Math.min(n, ticks);
  const late = new Float64Array(m);
  for (let k = 1; k <= m; k++) late[k - 1] = stamps[k - 1] - (s + k * periodMs);
  const windowEnd = s + (ticks + 1) * periodMs;
  let inWindow = 0;
  while (inWindow < n && stamps[inWindow] < windowEnd) inWindow++;
  return {
    late,
    fired: Math.min(inWindow, ticks),
    drift: m === ticks ? late[ticks - 1] : NaN,
    named: namedLateness(s, stamps, sch, n, periodMs, ticks),
  };
}

/**
 * `starts[j]`, `stamps[j][r]` (run r of job j, performance.now()), `counts[j]` (runs made),
 * `scheduled[j][r]` (optional: the due time run r names, NaN when it names none).
 */
export function timingStats(starts, stamps, counts, periodMs, ticks, scheduled) {
  const lateness = [];
  const ks = [];
  const drifts = [];
  const deltas = [];
  const named = { late: [], skipped: 0, gridErrors: 0, jobs: 0 };
  let fired = 0;
  for (let j = 0; j < starts.length; j++) {
    const n = Math.min(counts[j], stamps[j].length);
    const job = jobStats(starts[j], stamps[j], n, periodMs, ticks, scheduled?.[j]);
    job.late.forEach((late, i) => {
      lateness.push(late);
      ks.push(i + 1);
    });
    fired += job.fired;
    if (Number.isFinite(job.drift)) {
      drifts.push(job.drift);
      deltas.push(job.drift - job.late[0]);
    }
    if (job.named) {
      named.late.push(...job.named.late);
      named.skipped += job.named.skipped;
      named.gridErrors += job.named.gridErrors;
      named.jobs++;
    }
  }
  const s = sorted(lateness);
  const fit = linearFit(ks, lateness);
  const d = sorted(drifts);
  const namedSorted = sorted(named.late);
  return {
    p50: percentileSorted(s, 50),
    p99: percentileSorted(s, 99),
    max: lastOf(s),
    drift: percentileSorted(d, 50),
    driftMax: lastOf(d),
    driftDelta: percentileSorted(sorted(deltas), 50),
    slope: fit.slope,
    fitAt1000: fit.intercept + 1000 * fit.slope,
    fired,
    due: starts.length * ticks,
    unreached: starts.length - drifts.length,
    gridErrors: named.gridErrors,
    named: named.jobs
      ? { p99: percentileSorted(namedSorted, 99), max: lastOf(namedSorted), skipped: named.skipped }
      : undefined,
  };
}
