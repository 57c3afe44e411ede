import type { ClusterStatus } from '../../interfaces/cluster-status.interface.js';
import type { JobInfo } from '../../interfaces/job-info.interface.js';
import { formatDuration } from '../../utils/duration.parser.js';
import {
  BACKEND_MISCONFIGURED,
  BACKEND_UNREACHABLE,
  JOB_FAILING,
  JOB_OVERDUE,
} from '../integrations.messages.js';
import type { HealthLimits } from './jobs-health.options.js';

/** A job's run of failures, kept from the run events until it succeeds. */
export interface FailureStreak {
  count: number;
  lastError: string;
}

/** Why one job is down. */
export interface JobProblem {
  consecutiveFailures?: number;
  lastError?: string;
  /** How long ago its due time passed, e.g. `2m3s`. */
  overdueBy?: string;
  nextRunAt?: string;
}

export interface HealthVerdict {
  /** One line per problem; empty when healthy. */
  messages: string[];
  problems: Record<string, JobProblem>;
}

/** Compares the jobs as `list()` shows them, and their failure streaks, with the limits. */
export function checkJobs(
  jobs: JobInfo[],
  streaks: ReadonlyMap<string, FailureStreak>,
  cluster: ClusterStatus | undefined,
  now: number,
  limits: HealthLimits,
): HealthVerdict {
  const verdict: HealthVerdict = { messages: [], problems: {} };
  if (cluster && !cluster.reachable) verdict.messages.push(BACKEND_UNREACHABLE(cluster.backend));
  if (cluster?.problem)
    verdict.messages.push(BACKEND_MISCONFIGURED(cluster.backend, cluster.problem));
  for (const job of jobs) {
    const problem: JobProblem = {};
    const streak = streaks.get(job.name);
    if (streak && streak.count >= limits.maxConsecutiveFailures) {
      problem.consecutiveFailures = streak.count;
      problem.lastError = streak.lastError;
      verdict.messages.push(JOB_FAILING(job.name, streak.count));
    }
    const lateMs = job.state === 'scheduled' && job.nextRunAt ? now - job.nextRunAt.getTime() : 0;
    if (lateMs > limits.maxLatenessMs) {
      problem.overdueBy = formatDuration(lateMs);
      problem.nextRunAt = job.nextRunAt!.toISOString();
      verdict.messages.push(JOB_OVERDUE(job.name, lateMs));
    }
    if (Object.keys(problem).length) verdict.problems[job.name] = problem;
  }
  return verdict;
}
