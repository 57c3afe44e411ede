import type { ClusterCoordinator } from '../interfaces/cluster-coordinator.interface.js';
import type { ClusterOptions } from '../interfaces/cluster-options.interface.js';

/** Builds the coordinator for the configured backend. PLACEHOLDER: being written. */
export async function createClusterCoordinator(options: ClusterOptions, localNow: () => number): Promise<ClusterCoordinator> {
  throw new Error(`cluster backend ${options.backend} is not implemented yet (${localNow()})`);
}
