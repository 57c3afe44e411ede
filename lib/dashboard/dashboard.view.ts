import type { ClusterStatus } from '../interfaces/cluster-status.interface.js';
import type { JobInfo } from '../interfaces/job-info.interface.js';
import { durationText, NO_ZONE, SERVER_ZONE, THIS_PROCESS } from './dashboard.messages.js';
import { scheduleInWords } from './schedule-words.js';

/**
 * One job as the page shows it: display-ready text and ISO times. The server renders rows from
 * it and `GET <path>/api/jobs` returns it, so both show the same thing. A history panel (last
 * runs, a durations chart) would add a field here and a row to the job's `<tbody>`.
 */
export interface JobView {
  name: string;
  state: 'scheduled' | 'running' | 'paused' | 'stopped';
  /** `Every day at 16:00`. */
  scheduleWords: string;
  /** The cron expression, or `every 5s (fixed-rate), first after 1s`. */
  scheduleText: string;
  /** The cron job's zone; `server default (<zone>)` for a cron job without one; `—` otherwise. */
  timeZone: string;
  nextRunAt: string | null;
  lastRunAt: string | null;
  lastStatus: 'running' | 'succeeded' | 'failed' | null;
  lastDuration: string | null;
  /** Cluster mode: the replica that ran the last run; otherwise `this process`. */
  lastRunBy: string | null;
  lastError: string | null;
  lastErrorStack: string | null;
  runs: number;
  failures: number;
}

/** The cluster panel: null when cluster mode is off. */
export interface ClusterView {
  backend: string;
  replicaId: string;
  reachable: boolean;
  unreachableSince: string | null;
  /** Reachable but misconfigured: what the backend reported. */
  problem: string | null;
}

/** What `GET <path>/api/jobs` returns. */
export interface DashboardState {
  /** The scheduler's clock, so the page can say "in 3 min" even if the browser's clock is off. */
  now: string;
  cluster: ClusterView | null;
  jobs: JobView[];
}

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

/** What the view adds to `JobInfo`. */
export interface ViewContext {
  /** The stack of the job's last error (the scheduler keeps only its message). */
  stack: string | undefined;
  /** The zone a cron job without `timeZone` runs in. */
  serverZone: string;
  /** Cluster mode: this replica, which ran the triggered runs (they are not arbitrated). */
  replicaId: string | undefined;
}

function lastStatus(job: JobInfo): JobView['lastStatus'] {
  if (job.running) return 'running';
  if (job.lastRunAt === null) return null;
  return job.lastError === null ? 'succeeded' : 'failed';
}

export function toJobView(job: JobInfo, context: ViewContext): JobView {
  const ran = job.lastRunAt !== null;
  return {
    name: job.name,
    state: job.state === 'scheduled' && job.running ? 'running' : job.state,
    scheduleWords: scheduleInWords(job),
    scheduleText: job.cron ?? job.schedule,
    timeZone: job.kind === 'cron' ? (job.timeZone ?? SERVER_ZONE(context.serverZone)) : NO_ZONE,
    nextRunAt: iso(job.nextRunAt),
    lastRunAt: iso(job.lastRunAt),
    lastStatus: lastStatus(job),
    lastDuration:
      job.running || job.lastDurationMs === null ? null : durationText(job.lastDurationMs),
    lastRunBy: ran ? (job.lastRunBy ?? context.replicaId ?? THIS_PROCESS) : null,
    lastError: job.lastError,
    lastErrorStack: job.lastError === null ? null : (context.stack ?? null),
    runs: job.runs,
    failures: job.failures,
  };
}

export function toClusterView(status: ClusterStatus | undefined): ClusterView | null {
  if (!status) return null;
  const { backend, replicaId, reachable, unreachableSince, problem } = status;
  return { backend, replicaId, reachable, unreachableSince: iso(unreachableSince), problem };
}
