import type pg from 'pg';
import { inTransaction } from '../../cluster/postgres/postgres-transaction.js';
import { ConcurrencyGate } from '../../utils/concurrency-gate.js';
import { noop } from '../../utils/noop.js';

/**
 * Queries and transactions of one store in flight at once; the others wait in order here. Sent
 * all at once (100,000 runs ending together), they queued in pg-pool, whose waits time out after
 * `connectionTimeoutMillis`: the bench's burst recorded 394 of 100,000 runs in 240 s.
 */
export const MAX_IN_FLIGHT = 16;

/**
 * A store's pool: creates the tables once before the first query (and again after a failure),
 * runs transactions on one client, and never lets a dropped connection crash the process.
 */
export class PgSession {
  private created: Promise<void> | undefined;
  private readonly gate = new ConcurrencyGate(MAX_IN_FLIGHT);

  constructor(
    private readonly pool: pg.Pool,
    /** Whether we made the pool (and so end it on close and listen to its errors). */
    private readonly owned: boolean,
    private readonly createStatements: readonly string[],
    /** Key of the advisory lock replicas creating the tables together take turns on. */
    private readonly createLockKey: string,
  ) {
    // An idle client whose connection was killed emits 'error' on the pool: unheard, it would
    // crash the process. The pool drops that client and opens another when needed.
    if (!owned) return;
    pool.on('error', noop);
    // Every client of ours has a listener from the moment it exists (a connection killed
    // between checkout and a later listener would crash the process).
    pool.on('connect', (client) => client.on('error', noop));
  }

  /** Creates the tables (once; again after a failure). */
  ready(): Promise<void> {
    this.created ??= inTransaction(this.pool, async (client) => {
      // Concurrent CREATE ... IF NOT EXISTS can still collide in the catalog: take turns.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [this.createLockKey]);
      for (const statement of this.createStatements) await client.query(statement);
      return { result: undefined, commit: true };
    }).catch((error) => {
      this.created = undefined;
      throw error;
    });
    return this.created;
  }

  /** A query on any client of the pool, once the tables exist. */
  async query<R extends pg.QueryResultRow>(
    text: string,
    params: unknown[],
  ): Promise<pg.QueryResult<R>> {
    await this.ready();
    return this.gate.run(() => this.pool.query<R>(text, params));
  }

  /** Runs `work` in a transaction (after the tables are made); see `inTransaction`. */
  async transaction<T>(
    work: (client: pg.PoolClient) => Promise<{ result: T; commit: boolean }>,
  ): Promise<T> {
    await this.ready();
    return this.gate.run(() => inTransaction(this.pool, work));
  }

  async close(): Promise<void> {
    if (this.owned && !this.pool.ended) await this.pool.end();
  }
}
