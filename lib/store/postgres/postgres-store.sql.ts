/**
 * SQL of `PostgresJobStore`, for its two tables (quoted names). `<table>_state`: one row per job
 * (scoped by key prefix): `last_tick`, `lease_until` (the earliest lease of its open runs, for
 * reapers), `doc` (the rest of its state as JSON) and `version` (bumped by every save, so a save
 * based on a stale read changes nothing). `<table>_history`: one row per kept run. Times are
 * epoch ms (bigint), given by the caller.
 */
export const storeSql = (
  state: string,
  history: string,
  names: { lease: string; runs: string },
) => ({
  create: [
    `CREATE TABLE IF NOT EXISTS ${state} (
      prefix text NOT NULL,
      name text NOT NULL,
      last_tick bigint,
      lease_until bigint,
      doc jsonb NOT NULL DEFAULT '{}'::jsonb,
      version bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (prefix, name)
    )`,
    `CREATE INDEX IF NOT EXISTS ${names.lease} ON ${state} (prefix, lease_until)
      WHERE lease_until IS NOT NULL`,
    `CREATE TABLE IF NOT EXISTS ${history} (
      id bigserial PRIMARY KEY,
      prefix text NOT NULL,
      name text NOT NULL,
      run_id text NOT NULL,
      record jsonb NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS ${names.runs} ON ${history} (prefix, name, id)`,
  ],

  // One statement, so concurrent marks cannot lose one another: the greatest tick stays.
  markTick: `INSERT INTO ${state} AS s (prefix, name, last_tick) VALUES ($1, $2, $3)
    ON CONFLICT (prefix, name) DO UPDATE SET last_tick = GREATEST(s.last_tick, EXCLUDED.last_tick)`,

  read: `SELECT last_tick, doc, version FROM ${state} WHERE prefix = $1 AND name = $2`,
  // The contended path: creates the row if needed and locks it until the transaction ends, so
  // the save that follows cannot lose to another writer.
  lock: `INSERT INTO ${state} AS s (prefix, name) VALUES ($1, $2)
    ON CONFLICT (prefix, name) DO UPDATE SET name = s.name
    RETURNING last_tick, doc, version`,
  inHistory: `SELECT 1 FROM ${history} WHERE prefix = $1 AND name = $2 AND run_id = $3 LIMIT 1`,
  /** Saves a job read at version $8 (its row must still be at it); see `saveWith`. */
  update: saveWith(
    history,
    `UPDATE ${state} SET doc = $3, lease_until = $4, last_tick = GREATEST(last_tick, $5),
      version = version + 1
    WHERE prefix = $1 AND name = $2 AND version = $8 RETURNING 1`,
  ),
  /** Saves a job that had no row when read (the row must still be missing). */
  insert: saveWith(
    history,
    `INSERT INTO ${state} (prefix, name, doc, lease_until, last_tick)
    VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (prefix, name) DO NOTHING RETURNING 1`,
  ),

  states: `SELECT name, last_tick, doc FROM ${state} WHERE prefix = $1 ORDER BY name`,
  history: `SELECT record FROM ${history} WHERE prefix = $1 AND name = $2
    ORDER BY id DESC LIMIT $3`,
  expired: `SELECT name FROM ${state} WHERE prefix = $1 AND lease_until < $2
    ORDER BY lease_until LIMIT $3`,
});

/**
 * One statement: `saved` writes the state row (or nothing, when another writer got there first);
 * only then are the new records added ($6: a JSON list, oldest first; the last $7 are kept) and
 * older rows trimmed so $7 remain. The trim does not see this statement's inserts, so it keeps
 * $7 minus the number added. Returns `saved`: 1, or 0 for "read again and retry".
 */
function saveWith(history: string, saved: string): string {
  return `WITH saved AS (${saved}
    ), added AS (
      INSERT INTO ${history} (prefix, name, run_id, record)
      SELECT $1, $2, e.r->>'runId', e.r
      FROM jsonb_array_elements($6::jsonb) WITH ORDINALITY AS e(r, n)
      WHERE EXISTS (SELECT 1 FROM saved) AND e.n > jsonb_array_length($6::jsonb) - $7::int
      ORDER BY e.n
    ), trimmed AS (
      DELETE FROM ${history}
      WHERE prefix = $1 AND name = $2 AND jsonb_array_length($6::jsonb) > 0
        AND EXISTS (SELECT 1 FROM saved)
        AND id <= (SELECT id FROM ${history} WHERE prefix = $1 AND name = $2 ORDER BY id DESC
          OFFSET GREATEST($7::int - jsonb_array_length($6::jsonb), 0) LIMIT 1)
    ) SELECT count(*)::int AS saved FROM saved`;
}

export type StoreSql = ReturnType<typeof storeSql>;
