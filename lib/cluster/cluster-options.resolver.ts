import { InvalidJobsConfigError } from '../errors/invalid-jobs-config.error.js';
import type { ClusterOptions } from '../interfaces/cluster-options.interface.js';

/** Validates YAML `core_lib.jobs_cluster` (snake_case) into `ClusterOptions`. PLACEHOLDER: being written. */
export function resolveClusterConfig(section: unknown, where: string): ClusterOptions {
  throw new InvalidJobsConfigError([`${where}: cluster mode is not implemented yet`]);
}
