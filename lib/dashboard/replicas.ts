import type { JobState } from '../interfaces/job-store.interface.js';
import type { ReplicaView } from './interfaces/dashboard-api.interface.js';

/**
 * The replicas alive, from the job store: one holding a run's lease now (its `leaseUntil` is
 * ahead), or one whose run started or ended within the last `leaseMs`. A replica that runs
 * nothing for longer than that is not seen: the store knows replicas only by their runs.
 */
export function aliveReplicas(states: JobState[], now: number, leaseMs: number): ReplicaView[] {
  const seen = new Map<string, { lastSeen: number; running: number }>();
  const note = (id: string, at: number, running: number): void => {
    const entry = seen.get(id) ?? { lastSeen: -Infinity, running: 0 };
    entry.lastSeen = Math.max(entry.lastSeen, Math.min(at, now));
    entry.running += running;
    seen.set(id, entry);
  };
  for (const state of states) {
    for (const run of state.running) {
      if (run.leaseUntil > now) note(run.replica, run.leaseUntil, 1);
    }
    const last = state.lastRun;
    if (last && last.status !== 'abandoned' && now - last.endedAt <= leaseMs) {
      note(last.replica, last.endedAt, 0);
    }
  }
  return [...seen]
    .map(([id, s]) => ({ id, lastSeen: new Date(s.lastSeen).toISOString(), running: s.running }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
