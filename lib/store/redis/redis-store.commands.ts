import type { Redis } from 'ioredis';
import type { JobState, RunRecord, RunStart } from '../../interfaces/job-store.interface.js';
import { BATCH } from './redis-store.scripts.js';

type Arg = string | number;
/** The script, as an ioredis command on the client: the number of keys, the keys, the args. */
export interface StoreCommands {
  coreLibJobsStoreBatch(keyCount: number, ...keysThenArgs: Arg[]): Promise<number[]>;
}
/** A job's state as the scripts keep it (open runs by run id). */
export type Stored = Omit<JobState, 'name' | 'running' | 'lastTick' | 'lastRun'> & {
  lastTick?: number;
  lastRun?: RunRecord;
  running?: Record<string, RunStart>;
};

/** The member of an open run in the leases set. */
export const member = (run: { name: string; runId: string }): string =>
  JSON.stringify([run.name, run.runId]);

/** A member of the leases set, read back; an unreadable one names no run. */
export function parseMember(value: string): { name: string; runId: string; member: string } {
  try {
    const [name, runId] = JSON.parse(value) as unknown[];
    if (typeof name === 'string' && typeof runId === 'string')
      return { name, runId, member: value };
  } catch {
    // not one of ours: named by no run, so the reaper drops it
  }
  return { name: '', runId: '', member: value };
}

/** A job's open runs by run id, from its stored JSON (none when it has no state). */
export function openRunsOf(raw: string | null): Map<string, RunStart> {
  return new Map(Object.entries((raw && toStored(raw).running) || {}));
}

/** A job's state as stored (its JSON written by the scripts). */
export const toStored = (raw: string): Stored => JSON.parse(raw) as Stored;

/** A job's state for callers: open runs as a list, oldest first. */
export function toState(name: string, raw: string): JobState {
  const { lastTick, lastRun, runs, failures, consecutiveFailures, running } = toStored(raw);
  return {
    name,
    lastTick: lastTick ?? null,
    lastRun: lastRun ?? null,
    runs,
    failures,
    consecutiveFailures,
    running: Object.values(running ?? {}).sort((a, b) => a.startedAt - b.startedAt),
  };
}

/** Registers the script on a client, once (a client may be shared by several stores). */
export function defineCommands(redis: Redis): void {
  if (typeof (redis as Partial<StoreCommands>).coreLibJobsStoreBatch === 'function') return;
  redis.defineCommand('coreLibJobsStoreBatch', { lua: BATCH });
}
