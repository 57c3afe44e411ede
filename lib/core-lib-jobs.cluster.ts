import type { ClusterCoordinator } from './interfaces/cluster-coordinator.interface.js';
import type { ClusterOptions } from './interfaces/cluster-options.interface.js';

/**
 * Builds the cluster coordinator of the configured backend. The factory (and with it ioredis or
 * pg) is imported only here, so an app without cluster mode never loads either.
 */
export async function createCoordinator(
  options: ClusterOptions,
  now: () => number,
): Promise<ClusterCoordinator> {
  const { createClusterCoordinator } = await import('./cluster/cluster.factory.js');
  return createClusterCoordinator(options, now);
}
