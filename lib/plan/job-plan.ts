import type { JobsConfig } from '../config/jobs-config.interface.js';
import { InvalidJobsConfigError } from '../errors/invalid-jobs-config.error.js';
import type { ClusterOptions } from '../interfaces/cluster-options.interface.js';
import type { DiscoveredJob } from '../interfaces/discovered-job.interface.js';
import type { RunPolicy } from '../engine/job-spec.js';
import { addCodeJobs } from './code-jobs.js';
import { NOT_SHARED } from './job-plan.messages.js';
import { PlanBuilder, type PlannedJob } from './plan-builder.js';
import { addYamlJobs } from './yaml-jobs.js';

export type { PlannedJob };

/**
 * Checks the `@Job()` schedules, the module settings and the YAML entries together, before
 * anything runs: every problem lands in one `InvalidJobsConfigError`, so a bad config never
 * runs half-way. Returns the jobs to schedule, each resolved once.
 */
export function buildJobPlan(config: JobsConfig, jobs: Map<string, DiscoveredJob>): PlannedJob[] {
  const builder = new PlanBuilder();
  addCodeJobs(builder, jobs);
  builder.problems.push(...config.problems);
  addYamlJobs(builder, config, jobs);
  const planned = builder.plan.map(({ name, prepared }) => ({ name, policy: prepared.policy }));
  builder.problems.push(...clusterProblems(planned, config.cluster));
  if (builder.problems.length) throw new InvalidJobsConfigError(builder.problems);
  return builder.plan;
}

/** Jobs that cannot be shared by the replicas of a cluster. */
export function clusterProblems(
  jobs: ReadonlyArray<{ name: string; policy: RunPolicy }>,
  cluster: ClusterOptions | undefined,
): string[] {
  if (!cluster) return [];
  return jobs
    .filter(({ policy }) => policy.cluster && policy.mode === 'fixed-delay')
    .map(({ name }) => NOT_SHARED(name));
}
