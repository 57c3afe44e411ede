import type { Logger } from '@nestjs/common';
import type { JobLike } from './base-job.js';
import { loadConfig, unresolvedProblem } from './config/config.loader.js';
import { validateJobsConfig } from './config/jobs-config.validator.js';
import { resolveClusterConfig } from './cluster/cluster-options.resolver.js';
import { DEFAULT_CLUSTER_PATH, DEFAULT_CONFIG_FILE, DEFAULT_SHUTDOWN_TIMEOUT_MS, SHUTDOWN_TIMEOUT_PATH } from './core-lib-jobs.constants.js';
import { resolveJobSpec, type JobSpecInput } from './engine/job-spec.js';
import { InvalidJobsConfigError } from './errors/invalid-jobs-config.error.js';
import { BAD_OPTION } from './errors/job-scheduler.messages.js';
import type { ClusterOptions } from './interfaces/cluster-options.interface.js';
import type { JobOptions } from './interfaces/job-options.interface.js';
import { NO_CONFIG_FILE } from './engine/job-engine.messages.js';
import type { ResolvedModuleOptions } from './interfaces/resolved-options.interface.js';

/** A job with everything needed to schedule it at bootstrap. */
export interface PlannedJob {
  job: JobLike;
  input: JobSpecInput & { name: string; numbersAreMs: boolean };
}

/** A discovered `@Job()` provider. */
export interface DiscoveredJob {
  job: JobLike;
  className: string;
  options: JobOptions;
}

/**
 * Reads the YAML and the `@Job()` schedules and checks them all before anything runs: every
 * problem lands in one `InvalidJobsConfigError`, so a bad config never runs half-way.
 */
export function collectJobPlan(
  options: ResolvedModuleOptions, jobs: Map<string, DiscoveredJob>, logger: Logger,
): { plan: PlannedJob[]; cluster: ClusterOptions | undefined; shutdownTimeoutMs: number } {
  const problems: string[] = [];
  let cluster = options.cluster || undefined;
  let shutdownTimeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
  const plan: PlannedJob[] = [];
  const origin = new Map<string, string>();
  const claim = (name: string, where: string): boolean => {
    const first = origin.get(name);
    if (first) problems.push(`${where}: name '${name}' is already used by ${first}; give one of them another name`);
    else origin.set(name, where);
    return !first;
  };

  for (const [name, { job, className, options: meta }] of jobs) {
    if (meta.initialDelay == null && meta.frequency == null && meta.cron == null) continue;
    const where = `@Job() on ${className}`;
    const { issues } = resolveJobSpec(meta, { numbersAreMs: true, requireInitialDelay: false });
    issues.forEach((i) => problems.push(`${where}: ${BAD_OPTION(i.field, i.value, i.expected)}`));
    if (claim(name, where) && !issues.length) plan.push({ job, input: { ...meta, name, numbersAreMs: true } });
  }

  collect(problems, () => {
    const loaded = loadConfig(options.config);
    if (!loaded) {
      logger.warn(NO_CONFIG_FILE(DEFAULT_CONFIG_FILE, process.cwd()));
      return;
    }
    // Unresolved `${...}` inside job entries are reported by the validator, with their entry.
    const entriesPrefix = `${options.jobsPath}.`;
    loaded.unresolved.filter((u) => !u.path.startsWith(entriesPrefix)).forEach((u) => problems.push(unresolvedProblem(loaded, u)));
    collect(problems, () => {
      const section = loaded.at(DEFAULT_CLUSTER_PATH);
      // forRoot({ cluster }) wins over YAML; `cluster: false` turns YAML's off.
      if (options.cluster === undefined && section != null) cluster = resolveClusterConfig(section, `${loaded.source}: ${DEFAULT_CLUSTER_PATH}`);
    });
    const timeout = loaded.at(SHUTDOWN_TIMEOUT_PATH);
    // Code options win over YAML, as for `cluster`.
    if (timeout != null && options.shutdownTimeoutMs === undefined) {
      const { policy, issues } = resolveJobSpec({ timeout: timeout as string }, { numbersAreMs: false, requireInitialDelay: false });
      issues.forEach((i) => problems.push(`${loaded.source}: ${SHUTDOWN_TIMEOUT_PATH}: ${BAD_OPTION('value', i.value, i.expected)}`));
      if (policy) shutdownTimeoutMs = policy.timeoutMs;
    }
    for (const entry of validateJobsConfig(loaded, options.jobsPath, [...jobs.keys()])) {
      const job = jobs.get(entry.className) ?? jobs.get(entry.className.split('.').pop()!)!;
      if (claim(entry.name, entry.where)) plan.push({ job: job.job, input: { ...entry.spec, name: entry.name, numbersAreMs: false } });
    }
  });

  if (cluster) {
    for (const { input } of plan) {
      const { policy } = resolveJobSpec(input, { numbersAreMs: input.numbersAreMs, requireInitialDelay: false });
      if (policy?.cluster && policy.mode === 'fixed-delay') {
        problems.push(`job '${input.name}': mode: 'fixed-delay' cannot be shared by replicas (its ticks depend on when the local run ended); use 'fixed-rate', or cluster: false to run it on every replica`);
      }
    }
  }
  if (problems.length) throw new InvalidJobsConfigError(problems);
  return { plan, cluster, shutdownTimeoutMs };
}

function collect(problems: string[], step: () => void): void {
  try {
    step();
  } catch (error) {
    if (!(error instanceof InvalidJobsConfigError)) throw error;
    problems.push(...error.problems);
  }
}
