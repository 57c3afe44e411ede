import type { Logger } from '@nestjs/common';
import type { JobLike } from './base-job.js';
import { loadConfig, unresolvedProblem, type LoadedConfig } from './config/config.loader.js';
import { validateJobsConfig } from './config/jobs-config.validator.js';
import { resolveClusterConfig } from './cluster/cluster-options.resolver.js';
import {
  DEFAULT_CLUSTER_PATH,
  DEFAULT_CONFIG_FILE,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  SHUTDOWN_TIMEOUT_PATH,
} from './core-lib-jobs.constants.js';
import { resolveJobSpec } from './engine/job-spec.js';
import {
  FROM_CODE,
  FROM_YAML,
  nameProblem,
  prepareJob,
  type PreparedJob,
} from './engine/prepared-job.js';
import { InvalidJobsConfigError } from './errors/invalid-jobs-config.error.js';
import { BAD_OPTION } from './errors/job-scheduler.messages.js';
import type { ClusterOptions } from './interfaces/cluster-options.interface.js';
import type { JobOptions } from './interfaces/job-options.interface.js';
import { NO_CONFIG_FILE } from './engine/job-engine.messages.js';
import type { ResolvedModuleOptions } from './interfaces/resolved-options.interface.js';
import { NAME_TAKEN, NOT_SHARED } from './job-plan.messages.js';

/** A job with everything needed to schedule it at bootstrap: its name and its resolved spec. */
export interface PlannedJob {
  name: string;
  prepared: PreparedJob;
}

/** A discovered `@Job()` provider. */
export interface DiscoveredJob {
  job: JobLike;
  className: string;
  options: JobOptions;
}

/** The plan as it is built: jobs, the problems found, and who claimed each name first. */
class PlanBuilder {
  readonly plan: PlannedJob[] = [];
  readonly problems: string[] = [];
  private readonly claimedBy = new Map<string, string>();

  /** Adds a job resolved by `prepareJob` under `name`, or the problems of `where`. */
  add(name: string, where: string, prepared: PreparedJob | string[], badName?: string): void {
    if (badName) this.problems.push(`${where}: ${badName}`);
    if (Array.isArray(prepared)) prepared.forEach((p) => this.problems.push(`${where}: ${p}`));
    const first = this.claimedBy.get(name);
    if (first) this.problems.push(NAME_TAKEN(where, name, first));
    else this.claimedBy.set(name, where);
    if (!first && !badName && !Array.isArray(prepared)) this.plan.push({ name, prepared });
  }
}

/** What the module starts with: the jobs, the cluster options and the shutdown timeout. */
export interface JobPlan {
  plan: PlannedJob[];
  cluster: ClusterOptions | undefined;
  shutdownTimeoutMs: number;
}

/**
 * Reads the YAML and the `@Job()` schedules and checks them all before anything runs: every
 * problem lands in one `InvalidJobsConfigError`, so a bad config never runs half-way. Each spec is
 * resolved here, by the function `JobScheduler` uses (`prepareJob`), and scheduled as resolved.
 */
export function collectJobPlan(
  options: ResolvedModuleOptions,
  jobs: Map<string, DiscoveredJob>,
  logger: Logger,
): JobPlan {
  const builder = new PlanBuilder();
  for (const [name, { job, className, options: meta }] of jobs) {
    if (meta.initialDelay == null && meta.frequency == null && meta.cron == null) continue;
    const prepared = prepareJob(job, meta, FROM_CODE);
    builder.add(name, `@Job() on ${className}`, prepared, nameProblem(name));
  }
  const result: JobPlan = {
    plan: builder.plan,
    cluster: options.cluster || undefined,
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS,
  };
  collect(builder.problems, () => {
    const loaded = loadConfig(options.config);
    if (loaded) readYaml(loaded, options, jobs, builder, result);
    else logger.warn(NO_CONFIG_FILE(DEFAULT_CONFIG_FILE, process.cwd()));
  });
  if (result.cluster) {
    for (const { name, prepared } of builder.plan) {
      const { policy } = prepared;
      if (policy.cluster && policy.mode === 'fixed-delay') builder.problems.push(NOT_SHARED(name));
    }
  }
  if (builder.problems.length) throw new InvalidJobsConfigError(builder.problems);
  return result;
}

/** The YAML's job entries, cluster section and shutdown timeout (code options win over YAML). */
function readYaml(
  loaded: LoadedConfig,
  options: ResolvedModuleOptions,
  jobs: Map<string, DiscoveredJob>,
  builder: PlanBuilder,
  result: JobPlan,
): void {
  const problems = builder.problems;
  // Unresolved `${...}` inside job entries are reported by the validator, with their entry.
  const entriesPrefix = `${options.jobsPath}.`;
  loaded.unresolved
    .filter((u) => !u.path.startsWith(entriesPrefix))
    .forEach((u) => problems.push(unresolvedProblem(loaded, u)));
  collect(problems, () => {
    const section = loaded.at(DEFAULT_CLUSTER_PATH);
    // forRoot({ cluster }) wins over YAML; `cluster: false` turns YAML's off.
    if (options.cluster !== undefined || section == null) return;
    result.cluster = resolveClusterConfig(section, `${loaded.source}: ${DEFAULT_CLUSTER_PATH}`);
  });
  const timeout = loaded.at(SHUTDOWN_TIMEOUT_PATH);
  if (timeout != null && options.shutdownTimeoutMs === undefined) {
    const { policy, issues } = resolveJobSpec({ timeout: timeout as string }, OPTION);
    for (const { value, expected } of issues) {
      problems.push(
        `${loaded.source}: ${SHUTDOWN_TIMEOUT_PATH}: ${BAD_OPTION('value', value, expected)}`,
      );
    }
    if (policy) result.shutdownTimeoutMs = policy.timeoutMs;
  }
  for (const entry of validateJobsConfig(loaded, options.jobsPath, [...jobs.keys()])) {
    const { job } = jobs.get(entry.className) ?? jobs.get(entry.className.split('.').pop()!)!;
    // Checked by the validator already, by the same rules: a problem here would be a bug.
    builder.add(entry.name, entry.where, prepareJob(job, entry.spec, FROM_YAML));
  }
}

/** How a YAML option that is a duration (not a job's schedule) is read. */
const OPTION = { numbersAreMs: false, requireInitialDelay: false };

function collect(problems: string[], step: () => void): void {
  try {
    step();
  } catch (error) {
    if (!(error instanceof InvalidJobsConfigError)) throw error;
    problems.push(...error.problems);
  }
}
