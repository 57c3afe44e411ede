import type pg from 'pg';
import { ConcurrencyGate } from '../../utils/concurrency-gate.js';
import { BackPressureError, type BackPressure } from '../back-pressure.error.js';
import { createPgPool } from './postgres-pool.js';
import { inTransaction, underAdvisoryLock, type TransactionWork } from './postgres-transaction.js';

/** What a `PgConnection` is given. */
export interface PgConnectionOptions {
  /** Runs once before the first call (again after it failed): creates the tables, say. */
  setup?: (client: pg.PoolClient) => Promise<void>;
  /** Key of the transaction-scoped advisory lock `setup` runs under (replicas take turns). */
  setupLockKey?: string;
  /** Calls (queries, transactions) in flight at once; the others wait in order. Default 16. */
  maxInFlight?: number;
  /** Calls that may wait; past it a call fails at once with a `BackPressureError`. */
  maxQueued?: number;
  /** Settings of a pool we create (over `PG_POOL_DEFAULTS`); ignored for a pool passed in. */
  poolOptions?: pg.PoolConfig;
}

/**
 * Sent all at once (100,000 runs ending together), calls queued in pg-pool, whose waits time out
 * after `connectionTimeoutMillis`: the bench's burst recorded 394 of 100,000 runs in 240 s.
 */
export const PG_MAX_IN_FLIGHT = 16;
export const PG_MAX_QUEUED = 10_000;
/** pg-pool's own error when no client was free within `connectionTimeoutMillis`. */
const POOL_TIMEOUT = /timeout exceeded when trying to connect/i;

/**
 * A PostgreSQL connection of ours, from a pg Pool passed in (left open on `close()`; give it an
 * 'error' listener, as pg asks of every pool) or a URL (a pool of our own, `createPgPool`).
 * Runs `setup` once under an advisory lock before the first call, keeps at most `maxInFlight`
 * calls on the pool, and reports a saturated pool as a `BackPressureError` (not an outage): a
 * call that timed out in pg-pool's queue while the pool's connections were all busy.
 */
export class PgConnection {
  readonly pool: pg.Pool;
  /** Whether we made the pool (and so end it on close). */
  readonly owned: boolean;
  private readonly gate: ConcurrencyGate;
  private readonly max: number;
  /** Clients the pool has handed out, connected, and not yet taken back. */
  private readonly busy = new Set<pg.PoolClient>();
  private inFlight = 0;
  private created: Promise<void> | undefined;

  constructor(
    pool: pg.Pool | string | undefined,
    private readonly o: PgConnectionOptions = {},
  ) {
    this.owned = typeof pool !== 'object';
    this.pool = typeof pool === 'object' ? pool : createPgPool(pool, o.poolOptions);
    // pg-pool fills in its default `max` (10) on `options`, a documented field of the Pool.
    this.max = this.pool.options.max ?? 10;
    // 'acquire' comes only for a connected client: connections still being opened are not busy.
    this.pool
      .on('acquire', (client) => this.busy.add(client))
      .on('release', (_error: Error | undefined, client: pg.PoolClient) => this.busy.delete(client))
      .on('remove', (client) => this.busy.delete(client as pg.PoolClient));
    this.gate = new ConcurrencyGate(o.maxInFlight ?? PG_MAX_IN_FLIGHT);
  }

  /** Runs `setup` (once; again after a failure). */
  ready(): Promise<void> {
    const { setup, setupLockKey = 'core-lib-jobs:setup' } = this.o;
    if (!setup) return Promise.resolve();
    this.created ??= underAdvisoryLock(this.pool, setupLockKey, setup).catch((error) => {
      this.created = undefined;
      throw error;
    });
    return this.created;
  }

  /** A query on any client of the pool, once set up. */
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    return this.run(() => this.pool.query<R>(text, values));
  }

  /** Runs `work` in a transaction on one client (see `inTransaction`), once set up. */
  transaction<T>(work: (client: pg.PoolClient) => Promise<TransactionWork<T>>): Promise<T> {
    return this.run(() => inTransaction(this.pool, work));
  }

  /** How full the queues are now (for the pool's: with the call that just gave up). */
  pressure(source: BackPressure['source']): BackPressure {
    const { pool, max } = this;
    const queued = source === 'pool' ? pool.waitingCount + 1 : this.gate.queued;
    return { source, queued, inFlight: this.inFlight, connections: pool.totalCount, max };
  }

  async close(): Promise<void> {
    if (this.owned && !this.pool.ended) await this.pool.end();
  }

  private async run<T>(call: () => Promise<T>): Promise<T> {
    await this.ready();
    if (this.gate.queued >= (this.o.maxQueued ?? PG_MAX_QUEUED)) {
      throw new BackPressureError(this.pressure('queue'));
    }
    return this.gate.run(async () => {
      this.inFlight++;
      try {
        return await call();
      } catch (error) {
        throw this.saturated(error)
          ? new BackPressureError(this.pressure('pool'), { cause: error })
          : error;
      } finally {
        this.inFlight--;
      }
    });
  }

  /**
   * A pg-pool wait that timed out while every connection the pool may open was connected and
   * handed out: the server answers. The same wait behind connections that are still being
   * opened (a server that hangs, a firewall dropping packets) is an outage.
   */
  private saturated(error: unknown): boolean {
    if (!(error instanceof Error) || !POOL_TIMEOUT.test(error.message)) return false;
    return this.busy.size > 0 && this.busy.size >= this.max;
  }
}
