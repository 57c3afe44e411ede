import { dirname } from 'node:path';
import type { JobsConfig } from '../config/jobs-config.interface.js';
import { loadPeer } from '../utils/load-peer.js';
import type { ControlStore } from './control-store.interface.js';
import { MemoryControlStore } from './memory-control-store.js';
import { CONTROL_PEER_MISSING } from './control.messages.js';

const DEFAULT_STATE_FILE = '.core-lib-jobs/state.json';

/**
 * Where the control plane keeps its state: cluster mode's backend (every replica must see it),
 * else the job store's (Redis, PostgreSQL, the file store's folder), else this process's memory.
 * A custom lock or store has no control backend of its own: memory then.
 */
export async function createControlStore(config: JobsConfig): Promise<ControlStore> {
  const { cluster, store } = config;
  const shared = cluster && cluster.backend !== 'custom' ? cluster : store;
  switch (shared.backend) {
    case 'redis': {
      const load = (): Promise<typeof import('./redis/redis-control-store.js')> =>
        import('./redis/redis-control-store.js');
      const { RedisControlStore } = await loadPeer(
        'ioredis',
        CONTROL_PEER_MISSING('redis', 'ioredis'),
        load,
      );
      return new RedisControlStore((shared.client as never) ?? shared.url, {
        keyPrefix: shared.keyPrefix,
      });
    }
    case 'postgres': {
      const load = (): Promise<typeof import('./postgres/postgres-control-store.js')> =>
        import('./postgres/postgres-control-store.js');
      const { PostgresControlStore } = await loadPeer(
        'pg',
        CONTROL_PEER_MISSING('postgres', 'pg'),
        load,
      );
      return new PostgresControlStore((shared.pool as never) ?? shared.url, {
        keyPrefix: shared.keyPrefix,
      });
    }
    case 'file': {
      const { FileControlStore } = await import('./file-control-store.js');
      return new FileControlStore(dirname(shared.path ?? DEFAULT_STATE_FILE));
    }
    default:
      return new MemoryControlStore();
  }
}
