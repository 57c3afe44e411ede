import type { ClusterStatus } from '../interfaces/cluster-status.interface.js';
import type { JobInfo } from '../interfaces/job-info.interface.js';
import { durationText, NO_ZONE, SERVER_ZONE, THIS_PROCESS } from './dashboard.messages.js';
import type { ClusterView, JobView } from './interfaces/dashboard-api.interface.js';
import { scheduleInWords } from './schedule-words.js';

export type { ClusterView, DashboardState, JobView } from './interfaces/dashboard-api.interface.js';

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
