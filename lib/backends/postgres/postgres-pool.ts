import pg from 'pg';
import { noop } from '../../utils/noop.js';

/** Settings of a pool we create: small, and no query can hang a caller for long. */
export const PG_POOL_DEFAULTS: pg.PoolConfig = {
  application_name: 'core-lib-jobs',
  max: 4,
  idleTimeoutMillis: 30_000,
  connectionTimeoutMillis: 5_000,
  query_timeout: 5_000,
  keepAlive: true,
};

/**
 * A pool of our own, on `url` (default: the PG* environment variables), `PG_POOL_DEFAULTS`
 * overridden by `options`. Its errors are heard from birth: a killed connection emits 'error' on
 * its client whatever the client is doing, so each client has a listener from its 'connect' on,
 * and an idle one's error reaches the pool's (which drops that client). Without them: a crash.
 */
export function createPgPool(url: string | undefined, options: pg.PoolConfig = {}): pg.Pool {
  const pool = new pg.Pool({ ...PG_POOL_DEFAULTS, ...options, connectionString: url });
  pool.on('error', noop);
  pool.on('connect', (client) => client.on('error', noop));
  return pool;
}
