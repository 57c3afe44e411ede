import { loadConfig, type LoadedConfig } from '../config/config.loader.js';
import { validateJobsConfig, type JobEntry } from '../config/jobs-config.validator.js';
import { readModuleSettings } from '../config/module-settings.js';
import { DEFAULT_CONFIG_FILE } from '../core-lib-jobs.constants.js';
import { clusterProblems } from '../plan/job-plan.js';
import { collectProblems } from '../utils/collect-problems.js';

/** What the CLI checks: a file, read as the module reads it. */
export interface CheckInput {
  /** The YAML file; default: `core_lib.yaml` in the working directory. */
  file: string | undefined;
  jobsPath: string;
  /** The job names the app registers; undefined: `handler.class` is not checked. */
  jobs: string[] | undefined;
  env: NodeJS.ProcessEnv;
}

/** The entries as the app would schedule them, or every problem it would report at startup. */
export interface CheckResult {
  source: string;
  entries: JobEntry[];
  problems: string[];
}

/**
 * Loads and checks a jobs file with the module's own loader, settings reader, validator and
 * plan rules, in the order the app reports them. Only `@Job()` schedules (code) are not seen.
 */
export function checkConfig({ file, jobsPath, jobs, env }: CheckInput): CheckResult {
  const source = file ?? DEFAULT_CONFIG_FILE;
  const problems: string[] = [];
  let yaml: LoadedConfig | undefined;
  collectProblems(problems, () => {
    yaml = loadConfig(source, env);
  });
  if (!yaml) return { source, entries: [], problems };
  const code = { jobsPath, shutdownTimeoutMs: undefined, cluster: undefined };
  const settings = readModuleSettings(yaml, code);
  problems.push(...settings.problems);
  let entries: JobEntry[] = [];
  collectProblems(problems, () => {
    entries = validateJobsConfig(yaml!, jobsPath, jobs);
  });
  problems.push(...clusterProblems(entries, settings.cluster));
  return { source, entries, problems };
}
