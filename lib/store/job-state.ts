/**
 * The rules of one job's state, on a plain object: shared by the memory and file stores (which
 * keep every job in memory) and the PostgreSQL store (which applies them to a row it locked).
 * The Redis store applies the same rules in Lua (redis-store.scripts.ts).
 */
import type { JobState, RunRecord, RunStart } from '../interfaces/job-store.interface.js';

/** One job's state, without its history. */
export interface JobData {
  lastTick: number | null;
  lastRun: RunRecord | null;
  runs: number;
  failures: number;
  consecutiveFailures: number;
  running: RunStart[];
}

export const emptyJob = (): JobData => ({
  lastTick: null,
  lastRun: null,
  runs: 0,
  failures: 0,
  consecutiveFailures: 0,
  running: [],
});

export const isOpen = (job: JobData, runId: string): boolean =>
  job.running.some((run) => run.runId === runId);

/** Moves the last tick forward to `due`; never back. */
export function markTick(job: JobData, due: number): void {
  if (job.lastTick === null || due > job.lastTick) job.lastTick = due;
}

/**
 * Opens a run; false (and no change) when it is already the last run recorded: its end was
 * written first. Scheduled and catch-up runs mark their tick.
 */
export function startRun(job: JobData, start: RunStart): boolean {
  if (job.lastRun?.runId === start.runId) return false;
  job.running = [...job.running.filter((run) => run.runId !== start.runId), start];
  if (start.reason !== 'trigger') markTick(job, start.due);
  return true;
}

/** Moves an open run's lease; false when the run is not open. */
export function extendRun(job: JobData, runId: string, leaseUntil: number): boolean {
  const run = job.running.find((r) => r.runId === runId);
  if (run) run.leaseUntil = leaseUntil;
  return run !== undefined;
}

/**
 * Whether `runEnded` must drop a record: the run is not open and was recorded already (it is
 * the last run, or `inHistory` finds it). A run never opened is recorded all the same.
 */
export function recordedBefore(job: JobData, runId: string, inHistory: () => boolean): boolean {
  return !isOpen(job, runId) && (job.lastRun?.runId === runId || inHistory());
}

/** Closes the record's run (if open), counts it and makes it the last run. */
export function endRun(job: JobData, record: RunRecord): void {
  job.running = job.running.filter((run) => run.runId !== record.runId);
  job.lastRun = record;
  if (record.status === 'skipped') return;
  job.runs++;
  if (record.status === 'succeeded') {
    job.consecutiveFailures = 0;
  } else {
    job.failures++;
    job.consecutiveFailures++;
  }
}

/** Open runs whose lease ended before `now`. */
export const expiredRuns = (job: JobData, now: number): RunStart[] =>
  job.running.filter((run) => run.leaseUntil < now);

/** The earliest lease of the open runs, or null. */
export function nextLeaseEnd(job: JobData): number | null {
  return job.running.length ? Math.min(...job.running.map((run) => run.leaseUntil)) : null;
}

/** A copy for callers, who must not hold the store's own objects. */
export function toJobState(name: string, job: JobData): JobState {
  return structuredClone({ name, ...job });
}
