import { leaseMsOf } from '../../cluster/cluster-options.validator.js';
import { DEFAULT_LEASE_MS } from '../../cluster/cluster.constants.js';
import type { ClusterOptions } from '../../interfaces/cluster-options.interface.js';

/**
 * A run's lease in the store: cluster mode's lease (so a run is abandoned when its lock would
 * be free), else the same default, 30s. @internal
 */
export function storeLeaseMs(cluster: ClusterOptions | undefined): number {
  return (cluster && leaseMsOf(cluster.lease, true)) || DEFAULT_LEASE_MS;
}
