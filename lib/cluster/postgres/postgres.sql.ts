/**
 * SQL of `PostgresJobLock`, for the quoted table name `t`. Every expiry is computed on the
 * database's clock (`clock_timestamp()`), never on a replica's, so skewed replicas agree.
 * Rows: `prefix:name:anchor` (value), `prefix:name:tick:<due>` (holder) and `prefix:name:run`
 * (holder, token), each with `expires_at` (null: kept for good).
 * @internal
 */
export const lockSql = (t: string, indexName: string) => ({
  create: `CREATE TABLE IF NOT EXISTS ${t} (
    key text PRIMARY KEY,
    holder text,
    token text,
    value bigint,
    expires_at timestamptz
  )`,
  index: `CREATE INDEX IF NOT EXISTS ${indexName} ON ${t} (expires_at)`,
  time: `SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS ms`,

  // One statement: an expired anchor (once jobs) is replaced, a live one is returned as is.
  anchor: `INSERT INTO ${t} AS l (key, value, expires_at)
    VALUES ($1, $2, clock_timestamp() + $3::float8 * interval '1 millisecond')
    ON CONFLICT (key) DO UPDATE SET
      value = CASE WHEN l.expires_at <= clock_timestamp() THEN EXCLUDED.value ELSE l.value END,
      expires_at = CASE WHEN l.expires_at <= clock_timestamp() THEN EXCLUDED.expires_at ELSE l.expires_at END
    RETURNING value`,

  // Claims a batch: $1..$6 are arrays (tick key, run key, holder, token, lease ms, tick ttl
  // ms). Rows are written in key order, so every replica locks them in the same order and none
  // deadlock. A row is
  // taken unless someone holds it unexpired; under READ COMMITTED a concurrent claimer waits on
  // the row (or on the other's pending insert), then re-checks the WHERE against the committed
  // row: exactly one of them gets it. The run rows are claimed only for the ticks won; a tick won
  // whose run lease is held (`busy`) is deleted again in the same transaction (`unclaim`).
  claim: `WITH input AS (
      SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[])
        WITH ORDINALITY AS i(tick, run, holder, token, lease_ms, ttl_ms, ord)
    ), ticks AS (
      INSERT INTO ${t} AS l (key, holder, token, expires_at)
      SELECT tick, holder, token, clock_timestamp() + ttl_ms * interval '1 millisecond'
        FROM input ORDER BY tick
      ON CONFLICT (key) DO UPDATE SET holder = EXCLUDED.holder, token = EXCLUDED.token, expires_at = EXCLUDED.expires_at
        WHERE l.expires_at <= clock_timestamp()
      RETURNING key
    ), runs AS (
      INSERT INTO ${t} AS l (key, holder, token, expires_at)
      SELECT i.run, i.holder, i.token, clock_timestamp() + i.lease_ms * interval '1 millisecond'
        FROM input i JOIN ticks k ON k.key = i.tick ORDER BY i.run
      ON CONFLICT (key) DO UPDATE SET holder = EXCLUDED.holder, token = EXCLUDED.token, expires_at = EXCLUDED.expires_at
        WHERE l.expires_at <= clock_timestamp()
      RETURNING key
    )
    SELECT i.ord::int AS ord, k.key IS NOT NULL AS tick_won, r.key IS NOT NULL AS run_won
      FROM input i LEFT JOIN ticks k ON k.key = i.tick LEFT JOIN runs r ON r.key = i.run
      ORDER BY i.ord`,
  unclaim: `DELETE FROM ${t} WHERE key = ANY($1::text[]) AND token = ANY($2::text[])`,
  // Who holds the rows of the claims lost (read after the claim: it sees their commits).
  holders: `SELECT key, holder, token FROM ${t} WHERE key = ANY($1::text[])`,

  extend: `UPDATE ${t} AS l SET expires_at = clock_timestamp() + $3::float8 * interval '1 millisecond'
    FROM unnest($1::text[], $2::text[]) AS i(key, token)
    WHERE l.key = i.key AND l.token = i.token AND l.expires_at > clock_timestamp()
    RETURNING l.key`,
  release: `DELETE FROM ${t} AS l USING unnest($1::text[], $2::text[]) AS i(key, token)
    WHERE l.key = i.key AND l.token = i.token`,

  // SKIP LOCKED: the sweep never waits on (or deadlocks with) a row an acquire is working on.
  sweep: `DELETE FROM ${t} WHERE key IN (
    SELECT key FROM ${t} WHERE expires_at < clock_timestamp() LIMIT 1000 FOR UPDATE SKIP LOCKED)`,
});

/** @internal */
export type LockSql = ReturnType<typeof lockSql>;

/**
 * `"schema"."table"` from `schema.table`; names are checked to be plain identifiers beforehand.
 * @internal
 */
export function quoteTable(name: string): string {
  return name
    .split('.')
    .map((part) => `"${part.replace(/"/g, '""')}"`)
    .join('.');
}

/**
 * Columns of the table named `$1` (quoted as in SQL; no row when it does not exist): type without
 * modifiers, whether an insert must fill it, and whether a unique index that `ON CONFLICT` can use
 * (not partial, not deferred) covers it alone.
 * @internal
 */
export const TABLE_COLUMNS = `SELECT a.attname AS name, format_type(a.atttypid, NULL) AS type,
    a.attnotnull AND NOT a.atthasdef AND a.attidentity = '' AS required,
    EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisunique
      AND i.indimmediate AND i.indpred IS NULL AND i.indnkeyatts = 1 AND i.indkey[0] = a.attnum
    ) AS is_unique
  FROM pg_attribute a
  WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped`;

/** Privileges the lock needs on table `$1` that the current user lacks. @internal */
export const TABLE_PRIVILEGES = `SELECT p AS privilege
  FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']) AS p
  WHERE NOT has_table_privilege(to_regclass($1), p)`;
