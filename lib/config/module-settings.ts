import { resolveClusterConfig } from '../cluster/cluster-options.resolver.js';
import {
  DEFAULT_CLUSTER_PATH,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  SHUTDOWN_TIMEOUT_PATH,
} from '../core-lib-jobs.constants.js';
import { resolveJobSpec } from '../engine/job-spec.js';
import { BAD_OPTION } from '../errors/job-scheduler.messages.js';
import type { ClusterOptions } from '../interfaces/cluster-options.interface.js';
import type { JobStoreOptions } from '../interfaces/job-store-options.interface.js';
import { resolveStoreConfig } from '../store/config/store-options.resolver.js';
import { STORE_CONFIG_PATH } from '../store/store.constants.js';
import { collectProblems } from '../utils/collect-problems.js';
import { unresolvedProblem, type LoadedConfig } from './config.loader.js';

/** What the module options say about the module-level settings (undefined: not given). */
export interface SettingsFromCode {
  jobsPath: string;
  shutdownTimeoutMs: number | undefined;
  cluster: ClusterOptions | false | undefined;
  store?: JobStoreOptions;
}

/** The module-level settings: code options win over YAML; YAML's problems, one line each. */
export interface ModuleSettings {
  shutdownTimeoutMs: number;
  cluster: ClusterOptions | undefined;
  /** The store named in code or YAML; undefined: none named. */
  store: JobStoreOptions | undefined;
  problems: string[];
}

/** How a YAML option that is a duration (not a job's schedule) is read. */
const YAML_OPTION = { numbersAreMs: false, requireInitialDelay: false };

/**
 * Reads the YAML's cluster section and shutdown timeout, where the code options do not set them,
 * and collects the problems of the document outside the job entries (the validator reports
 * those inside, with their entry).
 */
export function readModuleSettings(
  yaml: LoadedConfig | undefined,
  code: SettingsFromCode,
): ModuleSettings {
  const settings: ModuleSettings = {
    shutdownTimeoutMs: code.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS,
    cluster: code.cluster || undefined,
    store: code.store,
    problems: [],
  };
  if (!yaml) return settings;
  const entriesPrefix = `${code.jobsPath}.`;
  for (const failed of yaml.unresolved) {
    if (!failed.path.startsWith(entriesPrefix))
      settings.problems.push(unresolvedProblem(yaml, failed));
  }
  // forRoot({ cluster }) wins over YAML; `cluster: false` turns YAML's off.
  const section = yaml.at(DEFAULT_CLUSTER_PATH);
  if (code.cluster === undefined && section != null) {
    const where = `${yaml.source}: ${DEFAULT_CLUSTER_PATH}`;
    collectProblems(settings.problems, () => {
      settings.cluster = resolveClusterConfig(section, where);
    });
  }
  // forRoot({ store }) wins over YAML.
  const store = yaml.at(STORE_CONFIG_PATH);
  if (code.store === undefined && store != null) {
    const where = `${yaml.source}: ${STORE_CONFIG_PATH}`;
    collectProblems(settings.problems, () => {
      settings.store = resolveStoreConfig(store, where);
    });
  }
  const timeout = yaml.at(SHUTDOWN_TIMEOUT_PATH);
  if (timeout != null && code.shutdownTimeoutMs === undefined) {
    const { policy, issues } = resolveJobSpec({ timeout: timeout as string }, YAML_OPTION);
    for (const { value, expected } of issues) {
      const problem = BAD_OPTION('value', value, expected);
      settings.problems.push(`${yaml.source}: ${SHUTDOWN_TIMEOUT_PATH}: ${problem}`);
    }
    if (policy) settings.shutdownTimeoutMs = policy.timeoutMs;
  }
  return settings;
}
