import type pg from 'pg';

/** What a transaction's work returns: its result, and whether to commit. @internal */
export interface TransactionWork<T> {
  result: T;
  commit: boolean;
}

const whileCheckedOut = (): void => undefined;
/** A server-side SQL error (an SQLSTATE): the connection itself is fine. */
const isSqlError = (error: unknown): boolean =>
  /^[0-9A-Z]{5}$/.test(String((error as { code?: unknown })?.code));

/**
 * Runs `work` in a transaction on one client of `pool`. A client that failed is discarded,
 * unless the failure was an SQL error and the ROLLBACK went through (a wrong table then costs no
 * new connection per tick).
 * @internal
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
function checkOut(pool: pg.Pool): Promise<pg.PoolClient> {
  return new Promise((resolve, reject) => {
    pool.connect((error, client) => {
      if (error || !client) return reject(error ?? new Error('pg Pool handed over no client'));
      client.on('error', whileCheckedOut);
      resolve(client);
    });
  });
}
