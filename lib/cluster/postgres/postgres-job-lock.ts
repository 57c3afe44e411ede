import pg from 'pg';
import type {
  HeldLease,
  JobLock,
  LockResult,
  TickClaim,
} from '../../interfaces/job-lock.interface.js';
import { DEFAULT_KEY_PREFIX, DEFAULT_LOCK_TABLE } from '../cluster.constants.js';
import { newLockToken } from '../lock-token.js';
import { retryLater } from '../retry-later.js';
import { postgresConfigError } from './postgres-errors.js';
import { ensureTable } from './postgres-table.js';
import { inTransaction } from './postgres-transaction.js';
import { lockSql, quoteTable, type LockSql } from './postgres.sql.js';
import { noop } from '../../utils/noop.js';

/** Options of `PostgresJobLock`. */
export interface PostgresJobLockOptions {
  /** Prefix of every row key. Default: `core-lib-jobs`. */
  keyPrefix?: string;
  /** Lock table, created if missing (optionally `schema.table`). Default: `core_lib_job_locks`. */
  table?: string;
}

interface ClaimRow {
  ord: number;
  tick_won: boolean;
  run_won: boolean;
}

interface HolderRow {
  key: string;
  holder: string | null;
  token: string | null;
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

/**
 * Every this many claims, a lock also deletes expired rows (tick claims pile up otherwise).
 * @internal
 */
export const SWEEP_EVERY = 100;

/**
 * `JobLock` on PostgreSQL (pg), from a URL or a `Pool` you pass in.
 *
 * A lock TABLE, not advisory locks: an advisory lock belongs to a database session, so it dies
 * with the connection (a `pg_terminate_backend` or a pool recycling a client would free a run
 * that is still going), it cannot outlive the run ("tick 12:00 was already claimed", which a
 * replica reaching that tick late must still see), and it has no expiry, so a lease that ends
 * unless extended cannot be expressed. A row with a token and an `expires_at` does all three.
 *
 * Errors: an outage is thrown as it comes; a configuration problem (a wrong password, a table of
 * another shape, a missing privilege) as a `ClusterConfigError` that says what to do.
 */
export class PostgresJobLock implements JobLock {
  private readonly pool: pg.Pool;
  private readonly owned: boolean;
  private readonly prefix: string;
  private readonly table: string;
  private readonly quoted: string;
  private readonly sql: LockSql;
  private created: Promise<void> | undefined;
  private acquires = 0;

  /**
   * `pool`: a pg Pool (kept open on `close()`; give it a `pool.on('error')` listener, as pg asks
   * of every pool), or a `postgres://` URL (default: the PG* environment variables).
   */
  constructor(pool?: pg.Pool | string, options: PostgresJobLockOptions = {}) {
    this.owned = typeof pool !== 'object';
    this.pool =
      typeof pool === 'object'
        ? pool
        : new pg.Pool({ ...LOCK_POOL_OPTIONS, connectionString: pool });
    if (this.owned) {
      // A killed connection emits 'error' on its client, whatever the client is doing: each of our
      // clients has a listener from its 'connect' on, and an idle one's error reaches the pool's
      // (which drops that client and opens a new one when needed). Without them: a crash.
      this.pool.on('connect', (client) => client.on('error', noop));
      this.pool.on('error', noop);
    }
    this.prefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
    this.table = options.table ?? DEFAULT_LOCK_TABLE;
    this.quoted = quoteTable(this.table);
    const last = this.table.split('.').pop()!;
    this.sql = lockSql(this.quoted, quoteTable(`${last.slice(0, 48)}_expires_at_idx`));
  }

  time(): Promise<number> {
    return this.guard(async () =>
      Number((await this.pool.query<{ ms: number }>(this.sql.time)).rows[0].ms),
    );
  }

  anchor(name: string, proposed: number, ttlMs?: number): Promise<number> {
    return this.guard(async () => {
      const params = [this.key(name, 'anchor'), Math.round(proposed), ttlMs ?? null];
      return Number(
        (await this.pool.query<{ value: string }>(this.sql.anchor, params)).rows[0].value,
      );
    });
  }

  claim(claims: readonly TickClaim[]): Promise<LockResult[]> {
    if (!claims.length) return Promise.resolve([]);
    return this.guard(async () => {
      this.acquires += claims.length;
      if (this.acquires >= SWEEP_EVERY) {
        this.acquires = 0;
        this.pool.query(this.sql.sweep).catch(noop);
      }
      const tokens = claims.map((c) => newLockToken(c.holder));
      try {
        return await this.claimBatch(claims, tokens);
      } catch (error) {
        // The COMMIT may have gone through with its reply lost: drop the leases it may have taken.
        const leases = claims.map((c, i) => ({ name: c.name, token: tokens[i] }));
        retryLater(() => this.release(leases));
        throw error;
      }
    });
  }

  extend(leases: readonly HeldLease[], leaseMs: number): Promise<boolean[]> {
    if (!leases.length) return Promise.resolve([]);
    return this.guard(async () => {
      const keys = leases.map((l) => this.key(l.name, 'run'));
      const params = [keys, leases.map((l) => l.token), leaseMs];
      const { rows } = await this.pool.query<{ key: string }>(this.sql.extend, params);
      const held = new Set(rows.map((r) => r.key));
      return keys.map((key) => held.has(key));
    });
  }

  release(leases: readonly HeldLease[]): Promise<void> {
    if (!leases.length) return Promise.resolve();
    return this.guard(async () => {
      const keys = leases.map((l) => this.key(l.name, 'run'));
      await this.pool.query(this.sql.release, [keys, leases.map((l) => l.token)]);
    });
  }

  async close(): Promise<void> {
    if (this.owned && !this.pool.ended) await this.pool.end();
  }

  /**
   * Claims the batch in one transaction: one statement takes the free ticks and, for those, the
   * free run leases; a tick won whose run lease is held is given back before the commit, so each
   * claim takes both rows or neither, and no other replica ever sees a tick claimed but not run.
   */
  private claimBatch(claims: readonly TickClaim[], tokens: string[]): Promise<LockResult[]> {
    const ticks = claims.map((c) => this.key(c.name, `tick:${c.due}`));
    const runs = claims.map((c) => this.key(c.name, 'run'));
    const params = [
      ticks,
      runs,
      claims.map((c) => c.holder),
      tokens,
      claims.map((c) => c.leaseMs),
      claims.map((c) => c.tickTtlMs),
    ];
    return inTransaction<LockResult[]>(this.pool, async (client) => {
      const { rows } = await client.query<ClaimRow>(this.sql.claim, params);
      const busy = rows.filter((r) => r.tick_won && !r.run_won).map((r) => r.ord - 1);
      if (busy.length) {
        const unclaim = [busy.map((i) => ticks[i]), busy.map((i) => tokens[i])];
        await client.query(this.sql.unclaim, unclaim);
      }
      const lost = rows.filter((r) => !r.run_won).map((r) => r.ord - 1);
      const holders = new Map<string, { holder: string | null; token: string | null }>();
      if (lost.length) {
        const keys = lost.map((i) => (rows[i].tick_won ? runs[i] : ticks[i]));
        const found = await client.query<HolderRow>(this.sql.holders, [keys]);
        for (const row of found.rows) holders.set(row.key, row);
      }
      const result = rows.map((r, i): LockResult => {
        if (r.run_won) return { acquired: true, token: tokens[i] };
        if (!r.tick_won) {
          const holder = holders.get(ticks[i])?.holder ?? undefined;
          return { acquired: false, reason: 'taken', holder };
        }
        const row = holders.get(runs[i]);
        return { acquired: false, reason: 'busy', holder: row?.holder ?? undefined };
      });
      return { result, commit: true };
    });
  }

  private key(name: string, part: string): string {
    return `${this.prefix}:${name}:${part}`;
  }

  /**
   * Runs `operation` once the table is ready; a configuration problem becomes a
   * `ClusterConfigError`. A table dropped while in use is created again, and the operation tried
   * once more (a failed statement changed nothing).
   */
  private async guard<T>(operation: () => Promise<T>, again = true): Promise<T> {
    try {
      await this.ready();
      return await operation();
    } catch (error) {
      const dropped = (error as { code?: unknown })?.code === '42P01';
      if (dropped) this.created = undefined;
      if (dropped && again) return this.guard(operation, false);
      throw postgresConfigError(error, this.table) ?? error;
    }
  }

  /** Creates or checks the table on first use (again after a failure). */
  private ready(): Promise<void> {
    this.created ??= this.createTable().catch((error) => {
      this.created = undefined;
      throw error;
    });
    return this.created;
  }

  private createTable(): Promise<void> {
    return inTransaction(this.pool, async (client) => {
      // Concurrent CREATE TABLE IF NOT EXISTS can still collide in the catalog: replicas booting
      // together take turns (a transaction-scoped advisory lock is fine for that: it is short).
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        `core-lib-jobs:${this.table}`,
      ]);
      await ensureTable(client, this.table, this.quoted, this.sql);
      return { result: undefined, commit: true };
    });
  }
}
