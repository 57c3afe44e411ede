import { hostname } from 'node:os';
import { InvalidJobsConfigError } from '../errors/invalid-jobs-config.error.js';
import { loadPeer } from '../utils/load-peer.js';
import type { ClusterCoordinator } from '../interfaces/cluster-coordinator.interface.js';
import type { ClusterOptions } from '../interfaces/cluster-options.interface.js';
import type { JobLock } from '../interfaces/job-lock.interface.js';
import { clusterOptionProblems, leaseMsOf } from './cluster-options.validator.js';
import { DEFAULT_KEY_PREFIX, DEFAULT_LEASE_MS } from './cluster.constants.js';
import { LockClusterCoordinator } from './cluster.coordinator.js';
import { PEER_MISSING } from './cluster.messages.js';

const WHERE = 'CoreLibJobsModule options';

/**
 * Builds the coordinator for the configured backend. The backend's module (and with it ioredis
 * or pg) is imported here, on demand: an app without cluster config never loads either.
 * @internal
 */
export async function createClusterCoordinator(
  options: ClusterOptions,
  localNow: () => number,
): Promise<ClusterCoordinator> {
  const problems = clusterOptionProblems(options, WHERE);
  if (problems.length) throw new InvalidJobsConfigError(problems);
  const { lock, label } = await createJobLock(options);
  return new LockClusterCoordinator(lock, {
    backend: label,
    replicaId: options.replicaId ?? `${hostname()}:${process.pid}`,
    leaseMs: leaseMsOf(options.lease, true) ?? DEFAULT_LEASE_MS,
    localNow,
  });
}

/** The configured backend's lock (options already validated), and how logs name it. @internal */
export async function createJobLock(
  options: ClusterOptions,
): Promise<{ lock: JobLock; label: string }> {
  const keyPrefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
  switch (options.backend) {
    case 'redis': {
      const { RedisJobLock } = await loadPeer(
        'ioredis',
        PEER_MISSING('redis', 'ioredis'),
        () => import('./redis/redis-job-lock.js'),
      );
      return {
        lock: new RedisJobLock((options.client as never) ?? options.url, { keyPrefix }),
        label: `redis${at(options.url)}`,
      };
    }
    case 'postgres': {
      const { PostgresJobLock } = await loadPeer(
        'pg',
        PEER_MISSING('postgres', 'pg'),
        () => import('./postgres/postgres-job-lock.js'),
      );
      const lock = new PostgresJobLock((options.pool as never) ?? options.url, {
        keyPrefix,
        table: options.table,
      });
      return { lock, label: `postgres${at(options.url)}` };
    }
    case 'custom':
      return {
        lock: options.lock,
        label: `custom lock ${options.lock.constructor?.name ?? ''}`.trim(),
      };
  }
}

/** ` (host:port)` of a URL for logs, never its credentials. */
function at(url: string | undefined): string {
  if (!url) return '';
  try {
    return ` (${new URL(url).host})`;
  } catch {
    return '';
  }
}
