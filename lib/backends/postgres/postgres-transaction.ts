import type pg from 'pg';
import { isSqlError } from './postgres-errors.js';

/** What a transaction's work returns: its result, and whether to commit. */
export interface TransactionWork<T> {
  result: T;
  commit: boolean;
}

const whileCheckedOut = (): void => undefined;

/**
 * Runs `work` in a transaction on one client of `pool`. A client that failed is discarded,
 * unless the failure was an SQL error and the ROLLBACK went through (a wrong table then costs no
 * new connection per call).
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<TransactionWork<T>>,
): Promise<T> {
  const client = await checkOut(pool);
  let failed: Error | undefined;
  try {
    await client.query('BEGIN');
    const { result, commit } = await work(client);
    await client.query(commit ? 'COMMIT' : 'ROLLBACK');
    return result;
  } catch (error) {
    const rolledBack = await client.query('ROLLBACK').then(
      () => true,
      () => false,
    );
    if (!rolledBack || !isSqlError(error)) failed = error as Error;
    throw error;
  } finally {
    client.removeListener('error', whileCheckedOut);
    client.release(failed);
  }
}

/**
 * Checks a client out with an 'error' listener attached in the very callback in which the pool
 * hands it over. With `await pool.connect()` there was a gap: a connection killed just then (its
 * FATAL in the same read as its ReadyForQuery) emitted 'error' on a client without a listener,
 * and the process crashed. While idle in the pool, a client's errors go to the pool's 'error'.
 */
export function checkOut(pool: pg.Pool): Promise<pg.PoolClient> {
  return new Promise((resolve, reject) => {
    pool.connect((error, client) => {
      if (error || !client) return reject(error ?? new Error('pg Pool handed over no client'));
      client.on('error', whileCheckedOut);
      resolve(client);
    });
  });
}

/**
 * Runs `work` (creating tables, say) in a transaction holding the transaction-scoped advisory
 * lock `key`: replicas starting together take turns (concurrent CREATE ... IF NOT EXISTS can
 * still collide in the catalog). The lock is freed with the transaction.
 */
export function underAdvisoryLock(
  pool: pg.Pool,
  key: string,
  work: (client: pg.PoolClient) => Promise<void>,
): Promise<void> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [key]);
    await work(client);
    return { result: undefined, commit: true };
  });
}
