import { DEFAULT_JOBS_PATH } from './core-lib-jobs.constants.js';
import { clusterOptionProblems } from './cluster/cluster-options.validator.js';
import { resolveJobSpec } from './engine/job-spec.js';
import { InvalidJobsConfigError } from './errors/invalid-jobs-config.error.js';
import { BAD_OPTION } from './errors/job-scheduler.messages.js';
import type { CoreLibJobsModuleOptions } from './interfaces/core-lib-jobs-options.interface.js';
import type { ResolvedModuleOptions } from './interfaces/resolved-options.interface.js';

const WHERE = 'CoreLibJobsModule options';

/** Validates `forRoot()` options (and what `forRootAsync()`'s factory returns) the same way. */
export function resolveModuleOptions(raw: CoreLibJobsModuleOptions | undefined | null): ResolvedModuleOptions {
  const options = raw ?? {};
  const problems: string[] = [];
  const bad = (field: string, value: unknown, expected: string): void => {
    problems.push(`${WHERE}: ${BAD_OPTION(field, value, expected)}`);
  };
  if (typeof options !== 'object') {
    throw new InvalidJobsConfigError([`${WHERE}: expected an object, got ${typeof options}`]);
  }
  const { config, jobsPath = DEFAULT_JOBS_PATH, jobs = [], coreLib, shutdownTimeout, clock, cluster } = options;
  if (config !== undefined && typeof config !== 'string' && (typeof config !== 'object' || config === null || Array.isArray(config))) {
    bad('config', config, 'a file path or a parsed YAML document (an object)');
  }
  if (typeof jobsPath !== 'string' || !/^[^.\s]+(\.[^.\s]+)*$/.test(jobsPath)) bad('jobsPath', jobsPath, "a dotted path such as 'core_lib.jobs'");
  if (!Array.isArray(jobs) || jobs.some((j) => typeof j !== 'function')) bad('jobs', jobs, 'an array of job classes');
  if (coreLib === null || (coreLib !== undefined && !['function', 'string', 'symbol'].includes(typeof coreLib))) {
    bad('coreLib', coreLib, 'a class or an injection token');
  }
  if (cluster !== undefined && cluster !== false) problems.push(...clusterOptionProblems(cluster, WHERE));
  if (clock !== undefined && typeof clock !== 'function') bad('clock', clock, 'a function returning epoch milliseconds');
  const spec = resolveJobSpec({ timeout: shutdownTimeout }, { numbersAreMs: true, requireInitialDelay: false });
  for (const issue of spec.issues) bad('shutdownTimeout', issue.value, issue.expected);
  if (problems.length) throw new InvalidJobsConfigError(problems);
  return {
    config,
    jobsPath,
    jobs,
    coreLib,
    shutdownTimeoutMs: shutdownTimeout === undefined ? undefined : spec.policy!.timeoutMs,
    clock,
    cluster,
  };
}
