import { clusterOptionProblems } from './cluster/cluster-options.validator.js';
import { DEFAULT_JOBS_PATH } from './core-lib-jobs.constants.js';
import { resolveJobSpec } from './engine/job-spec.js';
import { storeOptionProblems } from './store/config/store-options.validator.js';
import { InvalidJobsConfigError } from './errors/invalid-jobs-config.error.js';
import { BAD_OPTION } from './errors/job-scheduler.messages.js';
import { FACTORY_IMPORTS } from './errors/jobs-setup.messages.js';
import type { CoreLibJobsModuleOptions } from './interfaces/core-lib-jobs-options.interface.js';
import type { ResolvedModuleOptions } from './interfaces/resolved-options.interface.js';
import { own } from './utils/own.js';

const WHERE = 'CoreLibJobsModule options';
const JOBS_PATH = /^[^.\s]+(\.[^.\s]+)*$/;

/**
 * Validates `forRoot()` options (and what `forRootAsync()`'s factory returns) the same way.
 * `listed`: the `jobs` given to `forRoot()` / `forRootAsync()` themselves.
 */
export function resolveModuleOptions(
  raw: CoreLibJobsModuleOptions | undefined | null,
  listed: unknown = [],
): ResolvedModuleOptions {
  const options = raw ?? {};
  if (typeof options !== 'object') {
    throw new InvalidJobsConfigError([`${WHERE}: expected an object, got ${typeof options}`]);
  }
  const problems = optionProblems(options, listed);
  // Modules are wired before a factory runs: `imports` it returns could not be honoured.
  if (own(options, 'imports') !== undefined) problems.push(FACTORY_IMPORTS());
  const spec = resolveJobSpec({ timeout: options.shutdownTimeout }, SHUTDOWN_TIMEOUT);
  for (const { value, expected } of spec.issues) {
    problems.push(`${WHERE}: ${BAD_OPTION('shutdownTimeout', value, expected)}`);
  }
  if (problems.length) throw new InvalidJobsConfigError(problems);
  const { config, jobsPath = DEFAULT_JOBS_PATH, jobs = [], coreLib, clock, cluster } = options;
  const { store } = options;
  return {
    config,
    jobsPath,
    jobs: [...new Set([...(listed as []), ...jobs])],
    coreLib,
    shutdownTimeoutMs: options.shutdownTimeout === undefined ? undefined : spec.policy!.timeoutMs,
    clock,
    cluster,
    store,
  };
}

/** How the shutdown timeout is read: a duration from code (numbers are milliseconds). */
const SHUTDOWN_TIMEOUT = { numbersAreMs: true, requireInitialDelay: false };

/** The problems of every option but the shutdown timeout, one line each. */
function optionProblems(options: CoreLibJobsModuleOptions, listed: unknown): string[] {
  const problems: string[] = [];
  const bad = (field: string, value: unknown, expected: string): void => {
    problems.push(`${WHERE}: ${BAD_OPTION(field, value, expected)}`);
  };
  const { config, jobsPath = DEFAULT_JOBS_PATH, jobs = [], coreLib, clock, cluster } = options;
  const isDocument = typeof config === 'object' && config !== null && !Array.isArray(config);
  if (config !== undefined && typeof config !== 'string' && !isDocument) {
    bad('config', config, 'a file path or a parsed YAML document (an object)');
  }
  if (typeof jobsPath !== 'string' || !JOBS_PATH.test(jobsPath)) {
    bad('jobsPath', jobsPath, "a dotted path such as 'core_lib.jobs'");
  }
  for (const list of [listed, jobs]) {
    if (!Array.isArray(list) || list.some((j) => typeof j !== 'function')) {
      bad('jobs', list, 'an array of job classes');
    }
  }
  const isToken = ['function', 'string', 'symbol'].includes(typeof coreLib);
  if (coreLib === null || (coreLib !== undefined && !isToken)) {
    bad('coreLib', coreLib, 'a class or an injection token');
  }
  if (cluster !== undefined && cluster !== false)
    problems.push(...clusterOptionProblems(cluster, WHERE));
  if (own(options, 'store') !== undefined) {
    problems.push(...storeOptionProblems(options.store, WHERE));
  }
  if (clock !== undefined && typeof clock !== 'function') {
    bad('clock', clock, 'a function returning epoch milliseconds');
  }
  return problems;
}
