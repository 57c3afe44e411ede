/**
 * The numbers of one cluster rep, from what the replicas printed. Pure functions, no I/O.
 *
 * runs    every replica's runs, { replica, due, start, overheadMs?, stampDue? }: `due` is the
 *         tick the run is for (this module: context.scheduledAt; BullMQ: the slot in the job's id),
 *         `start` the wall clock when the job's code started (sub-ms).
 * claims  this module's replicas only: { replica, claims: [[due, ms, 1 won | 0 lost | -1 error]],
 *         unconsumed }.
 * The grid is anchor + k × periodMs, the anchor read off the recorded dues (both contenders keep
 * a fixed grid); the window's ticks are the grid ticks due in [windowStart, windowEnd).
 */
import { percentileSorted, sorted } from '../lib/stats.mjs';

const p = (values, q) => percentileSorted(values, q);
const last = (values) => (values.length ? values[values.length - 1] : NaN);

/** The window's ticks on the runs' grid, and a test for "on the grid". */
export function gridOf(runs, { periodMs, windowStart, windowEnd }) {
  const ref = runs[0].due;
  const onGrid = (due) => (((due - ref) % periodMs) + periodMs) % periodMs === 0;
  const firstDue = ref + Math.ceil((windowStart - ref) / periodMs) * periodMs;
  const ticksDue = Math.max(0, Math.ceil((windowEnd - firstDue) / periodMs));
  return { onGrid, firstDue, ticksDue };
}

/**
 * Order-matched lateness, uncapped: the k-th run (by start time, counting from the first run
 * for a tick of the window) against the k-th tick of the window. A tick skipped or lost makes
 * every later run a period later here; nothing is dropped for being late.
 */
export function orderLateness(runs, firstDue, ticksDue, periodMs) {
  const byStart = [...runs].sort((a, b) => a.start - b.start);
  const from = byStart.findIndex((r) => r.due >= firstDue);
  if (from < 0) return [];
  const late = [];
  for (let k = 0; k < ticksDue && from + k < byStart.length; k++) {
    late.push(byStart[from + k].start - (firstDue + k * periodMs));
  }
  return late;
}

/** Lock overhead, claim round trips and what follows the claim (this module only). */
export function claimStats(windowRuns, replicaClaims, inWindow) {
  const timed = windowRuns.filter((r) => typeof r.overheadMs === 'number');
  const overheads = sorted(timed.map((r) => r.overheadMs));
  const windowClaims = replicaClaims.flatMap((c) => c.claims.filter(([due]) => inWindow(due)));
  const claimMs = sorted(windowClaims.filter(([, , won]) => won >= 0).map(([, ms]) => ms));
  const wonMs = new Map();
  for (const c of replicaClaims) {
    for (const [due, ms, won] of c.claims) if (won === 1) wonMs.set(`${c.replica} ${due}`, ms);
  }
  const afterClaim = sorted(
    timed
      .filter((r) => wonMs.has(`${r.replica} ${r.due}`))
      .map((r) => r.overheadMs - wonMs.get(`${r.replica} ${r.due}`)),
  );
  return {
    unmatched: windowRuns.length - timed.length,
    overheadP50Ms: p(overheads, 50),
    overheadP99Ms: p(overheads, 99),
    overheadMaxMs: last(overheads),
    claimP50Ms: p(claimMs, 50),
    claimP99Ms: p(claimMs, 99),
    afterClaimP50Ms: p(afterClaim, 50),
    afterClaimP99Ms: p(afterClaim, 99),
    claims: windowClaims.length,
    claimErrors: windowClaims.filter(([, , won]) => won < 0).length,
    unconsumedClaims: replicaClaims.reduce((sum, c) => sum + c.unconsumed, 0),
  };
}

/** Everything about timing and correctness of one rep. `claims` is undefined for BullMQ. */
export function analyse(runs, claims, window) {
  const { periodMs, windowStart, windowEnd } = window;
  const { onGrid, firstDue, ticksDue } = gridOf(runs, window);
  const inWindow = (due) => due >= windowStart && due < windowEnd;
  const windowRuns = runs.filter((r) => inWindow(r.due));
  const ranTicks = new Set(windowRuns.filter((r) => onGrid(r.due)).map((r) => r.due)).size;
  const lateness = sorted(windowRuns.map((r) => r.start - r.due));
  const order = orderLateness(runs, firstDue, ticksDue, periodMs);
  const orderSorted = sorted(order);
  const winsByReplica = {};
  for (const r of windowRuns) winsByReplica[r.replica] = (winsByReplica[r.replica] ?? 0) + 1;
  return {
    ticksDue,
    runs: windowRuns.length,
    ranTicks,
    duplicates: runs.length - new Set(runs.map((r) => r.due)).size,
    missed: ticksDue - ranTicks,
    offGrid: runs.filter((r) => !onGrid(r.due)).length,
    // BullMQ: window runs whose timestamp + opts.delay is not their slot (a clamped delay).
    dueMismatch: windowRuns.filter((r) => r.stampDue !== undefined && r.stampDue !== r.due).length,
    dueToStartP50Ms: p(lateness, 50),
    dueToStartP99Ms: p(lateness, 99),
    dueToStartMaxMs: last(lateness),
    orderMatched: order.length,
    orderLateP50Ms: p(orderSorted, 50),
    orderLateP99Ms: p(orderSorted, 99),
    orderLateMaxMs: last(orderSorted),
    orderLateLastMs: order.length === ticksDue ? last(order) : NaN,
    ...(claims ? claimStats(windowRuns, claims, inWindow) : {}),
    winsByReplica,
    recordedRuns: runs.length,
    windowStart,
    windowEnd,
  };
}

/** CPU of all replicas over the window (their `start` and `end` marks), per tick due. */
export function cpuStats(marks, ticksDue) {
  const cpuMs = marks.reduce((sum, m) => sum + (m.end.cpuUs - m.start.cpuUs) / 1000, 0);
  const wallMs = Math.max(...marks.map((m) => m.end.at - m.start.at));
  return {
    cpuMs,
    cpuPerTickMs: ticksDue ? cpuMs / ticksDue : NaN,
    cpuPercent: (100 * cpuMs) / wallMs,
  };
}
