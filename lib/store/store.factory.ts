import { InvalidJobsConfigError } from '../errors/invalid-jobs-config.error.js';
import { loadPeer } from '../utils/load-peer.js';
import type { ClusterOptions } from '../interfaces/cluster-options.interface.js';
import type { JobStoreOptions } from '../interfaces/job-store-options.interface.js';
import type { JobStore } from '../interfaces/job-store.interface.js';
import { storeOptionProblems } from './config/store-options.validator.js';
import { MemoryJobStore } from './memory-job-store.js';
import { STORE_PEER_MISSING } from './store.messages.js';

const WHERE = 'CoreLibJobsModule options';

/**
 * Which store to use: the one named (module option, else YAML), else cluster mode's backend
 * with its connection and key prefix (not its `table`, which names the lock table), else memory.
 */
export function storeOptionsFor(
  named: JobStoreOptions | undefined,
  cluster: ClusterOptions | undefined,
): JobStoreOptions {
  if (named) return named;
  if (cluster?.backend === 'redis') {
    const { url, client, keyPrefix } = cluster;
    return { backend: 'redis', url, client, keyPrefix };
  }
  if (cluster?.backend === 'postgres') {
    const { url, pool, keyPrefix } = cluster;
    return { backend: 'postgres', url, pool, keyPrefix };
  }
  return { backend: 'memory' };
}

/**
 * Builds the configured store, not yet opened (call `open()`). The Redis and PostgreSQL stores
 * (and with them ioredis and pg) are imported here, on demand: an app that does not use them
 * never loads either.
 */
export async function createJobStore(options: JobStoreOptions): Promise<JobStore> {
  const problems = storeOptionProblems(options, WHERE);
  if (problems.length) throw new InvalidJobsConfigError(problems);
  switch (options.backend) {
    case 'memory':
      return new MemoryJobStore(options);
    case 'file': {
      const { FileJobStore } = await import('./file/file-job-store.js');
      return new FileJobStore(options);
    }
    case 'redis': {
      const load = (): Promise<typeof import('./redis/redis-job-store.js')> =>
        import('./redis/redis-job-store.js');
      const { RedisJobStore } = await loadPeer(
        'ioredis',
        STORE_PEER_MISSING('redis', 'ioredis'),
        load,
      );
      const { url, client, keyPrefix, history } = options;
      return new RedisJobStore((client as never) ?? url, { keyPrefix, history });
    }
    case 'postgres': {
      const load = (): Promise<typeof import('./postgres/postgres-job-store.js')> =>
        import('./postgres/postgres-job-store.js');
      const { PostgresJobStore } = await loadPeer('pg', STORE_PEER_MISSING('postgres', 'pg'), load);
      const { url, pool, keyPrefix, table, history } = options;
      return new PostgresJobStore((pool as never) ?? url, { keyPrefix, table, history });
    }
    case 'custom':
      return options.store;
  }
}
