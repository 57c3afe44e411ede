import pg from 'pg';
import type { JobLock, LockResult } from '../../interfaces/job-lock.interface.js';
import { DEFAULT_KEY_PREFIX, DEFAULT_LOCK_TABLE } from '../cluster.constants.js';
import { newLockToken } from '../lock-token.js';
import { retryLater } from '../retry-later.js';
import { lockSql, quoteTable, type LockSql } from './postgres.sql.js';

/** Options of `PostgresJobLock`. */
export interface PostgresJobLockOptions {
  /** Prefix of every row key. Default: `core-lib-jobs`. */
  keyPrefix?: string;
  /** Lock table, created if missing (optionally `schema.table`). Default: `core_lib_job_locks`. */
  table?: string;
}

/** Settings of a pool the lock creates: small, and no query can hang a tick for long. */
export const LOCK_POOL_OPTIONS: pg.PoolConfig = {
  application_name: 'core-lib-jobs',
  max: 4,
  idleTimeoutMillis: 30_000,
  connectionTimeoutMillis: 5_000,
  query_timeout: 5_000,
  keepAlive: true,
};

/** Every this many acquires, a lock also deletes expired rows (tick claims pile up otherwise). */
export const SWEEP_EVERY = 100;
const noop = (): void => undefined;

/**
 * `JobLock` on PostgreSQL (pg), from a URL or a `Pool` you pass in.
 *
 * A lock TABLE, not advisory locks: an advisory lock belongs to a database session, so it dies
 * with the connection (a `pg_terminate_backend` or a pool recycling a client would free a run
 * that is still going), it cannot outlive the run ("tick 12:00 was already claimed", which a
 * replica reaching that tick late must still see), and it has no expiry, so a lease that ends
 * unless extended cannot be expressed. A row with a token and an `expires_at` does all three.
 */
export class PostgresJobLock implements JobLock {
  private readonly pool: pg.Pool;
  private readonly owned: boolean;
  private readonly prefix: string;
  private readonly table: string;
  private readonly sql: LockSql;
  private created: Promise<void> | undefined;
  private acquires = 0;

  /** `pool`: a pg Pool (kept open on `close()`), or a `postgres://` URL (default: the PG* environment variables). */
  constructor(pool?: pg.Pool | string, options: PostgresJobLockOptions = {}) {
    this.owned = typeof pool !== 'object';
    this.pool = typeof pool === 'object' ? pool : new pg.Pool({ ...LOCK_POOL_OPTIONS, connectionString: pool });
    // An idle client whose connection was killed emits 'error' on the pool: without a listener
    // the process would crash. The pool drops that client and opens a new one when needed.
    if (this.owned) this.pool.on('error', noop);
    this.prefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
    this.table = options.table ?? DEFAULT_LOCK_TABLE;
    const last = this.table.split('.').pop()!;
    this.sql = lockSql(quoteTable(this.table), quoteTable(`${last.slice(0, 48)}_expires_at_idx`));
  }

  async time(): Promise<number> {
    await this.ready();
    const { rows } = await this.pool.query<{ ms: number }>(this.sql.time);
    return Number(rows[0].ms);
  }

  async anchor(name: string, proposed: number, ttlMs?: number): Promise<number> {
    await this.ready();
    const { rows } = await this.pool.query<{ value: string }>(this.sql.anchor, [this.key(name, 'anchor'), Math.round(proposed), ttlMs ?? null]);
    return Number(rows[0].value);
  }

  async acquire(name: string, due: number, holder: string, leaseMs: number, tickTtlMs: number): Promise<LockResult> {
    await this.ready();
    if (++this.acquires % SWEEP_EVERY === 0) this.pool.query(this.sql.sweep).catch(noop);
    const token = newLockToken(holder);
    const tick = this.key(name, `tick:${due}`);
    const run = this.key(name, 'run');
    try {
      return await this.transaction<LockResult>(async (client) => {
        // Always tick row, then run row: every acquirer locks in the same order, so none deadlock.
        for (const [key, ttl] of [[tick, tickTtlMs], [run, leaseMs]] as const) {
          const claimed = await client.query(this.sql.claim, [key, holder, token, ttl]);
          if (claimed.rowCount) continue;
          const { rows } = await client.query<{ holder: string | null }>(this.sql.holder, [key]);
          return { result: { acquired: false, holder: rows[0]?.holder ?? undefined }, commit: false };
        }
        return { result: { acquired: true, token }, commit: true };
      });
    } catch (error) {
      // The COMMIT may have gone through with its reply lost: drop the lease it may have taken.
      retryLater(() => this.release(name, token));
      throw error;
    }
  }

  async extend(name: string, token: string, leaseMs: number): Promise<boolean> {
    await this.ready();
    return (await this.pool.query(this.sql.extend, [this.key(name, 'run'), token, leaseMs])).rowCount === 1;
  }

  async release(name: string, token: string): Promise<void> {
    await this.ready();
    await this.pool.query(this.sql.release, [this.key(name, 'run'), token]);
  }

  async close(): Promise<void> {
    if (this.owned && !this.pool.ended) await this.pool.end();
  }

  private key(name: string, part: string): string {
    return `${this.prefix}:${name}:${part}`;
  }

  /** Creates the table on first use (retried after a failure). */
  private ready(): Promise<void> {
    this.created ??= this.createTable().catch((error) => {
      this.created = undefined;
      throw error;
    });
    return this.created;
  }

  private async createTable(): Promise<void> {
    await this.transaction(async (client) => {
      // Concurrent CREATE TABLE IF NOT EXISTS can still collide in the catalog: replicas booting
      // together take turns (a transaction-scoped advisory lock is fine for that: it is short).
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`core-lib-jobs:${this.table}`]);
      await client.query(this.sql.create);
      await client.query(this.sql.index);
      return { result: undefined, commit: true };
    });
  }

  /** Runs `work` in a transaction on one client; a client that failed is discarded, not reused. */
  private async transaction<T>(work: (client: pg.PoolClient) => Promise<{ result: T; commit: boolean }>): Promise<T> {
    const client = await this.pool.connect();
    // A checked-out client has no 'error' listener of the pool's: a killed connection must not crash us.
    client.on('error', noop);
    let failed: Error | undefined;
    try {
      await client.query('BEGIN');
      const { result, commit } = await work(client);
      await client.query(commit ? 'COMMIT' : 'ROLLBACK');
      return result;
    } catch (error) {
      failed = error as Error;
      await client.query('ROLLBACK').catch(noop);
      throw error;
    } finally {
      client.removeListener('error', noop);
      client.release(failed);
    }
  }
}
