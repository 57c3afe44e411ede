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

  // Marks of many jobs in one statement; concurrent marks cannot lose one another (the greatest
  // tick stays), and a mark that moves nothing writes nothing. Rows in name order: two replicas
  // marking the same jobs take their row locks in one order, so they never deadlock.
  markTicks: `INSERT INTO ${state} AS s (prefix, name, last_tick)
    SELECT $1, m.name, max(m.due) FROM unnest($2::text[], $3::bigint[]) AS m(name, due)
    GROUP BY m.name ORDER BY m.name
    ON CONFLICT (prefix, name) DO UPDATE SET last_tick = EXCLUDED.last_tick
    WHERE s.last_tick IS NULL OR s.last_tick < EXCLUDED.last_tick`,

  /**
   * Rows of many jobs ($2: JSON list of { name, run_ids }), one per job asked for (null columns
   * when it has none), with `recorded`: which of its `run_ids` are in its history.
   */
  readMany: `SELECT q.name, s.last_tick, s.doc, s.version,
      CASE WHEN q.run_ids IS NULL OR jsonb_array_length(q.run_ids) = 0 THEN '{}'::text[]
      ELSE ARRAY(SELECT h.run_id FROM ${history} h WHERE h.prefix = $1 AND h.name = q.name
        AND h.run_id IN (SELECT jsonb_array_elements_text(q.run_ids))) END AS recorded
    FROM jsonb_to_recordset($2::jsonb) AS q(name text, run_ids jsonb)
    LEFT JOIN ${state} s ON s.prefix = $1 AND s.name = q.name`,
  /** The contended path, in a transaction: locks the existing rows of jobs $2, in name order. */
  lockMany: `SELECT name FROM ${state} WHERE prefix = $1 AND name = ANY($2::text[])
    ORDER BY name FOR UPDATE`,
  read: `SELECT last_tick, doc, version FROM ${state} WHERE prefix = $1 AND name = $2`,
  saveMany: saveManySql(state, history),

  states: `SELECT name, last_tick, doc FROM ${state} WHERE prefix = $1 ORDER BY name`,
  history: `SELECT record FROM ${history} WHERE prefix = $1 AND name = $2
    ORDER BY id DESC LIMIT $3`,
  expired: `SELECT name FROM ${state} WHERE prefix = $1 AND lease_until < $2
    ORDER BY lease_until LIMIT $3`,
});

/**
 * Saves many jobs in one statement. $2: JSON list of { name, doc, lease_until, last_tick,
 * version, records }; a job read at `version` is saved only if its row is still at it, one read
 * without a row (version null) only if the row is still missing. Rows are locked in name order
 * first (no deadlock with another replica's save). Then each saved job's new records are added
 * (oldest first; the last $3 are kept) and its older rows trimmed so $3 remain (the trim does not
 * see this statement's inserts, so it keeps $3 minus the number added). Returns the saved names:
 * a job missing from them was saved by another writer since the read, and is read again.
 */
function saveManySql(state: string, history: string): string {
  return `WITH input AS (
      SELECT * FROM jsonb_to_recordset($2::jsonb) AS i(name text, doc jsonb, lease_until bigint,
        last_tick bigint, version bigint, records jsonb)
    ), locked AS (
      SELECT s.name FROM ${state} s JOIN input i ON i.name = s.name AND i.version = s.version
      WHERE s.prefix = $1 ORDER BY s.name FOR UPDATE OF s
    ), updated AS (
      UPDATE ${state} s SET doc = i.doc, lease_until = i.lease_until,
        last_tick = GREATEST(s.last_tick, i.last_tick), version = s.version + 1
      FROM input i JOIN locked l ON l.name = i.name
      WHERE s.prefix = $1 AND s.name = i.name AND s.version = i.version
      RETURNING s.name
    ), inserted AS (
      INSERT INTO ${state} (prefix, name, doc, lease_until, last_tick)
      SELECT $1, i.name, i.doc, i.lease_until, i.last_tick FROM input i
      WHERE i.version IS NULL ORDER BY i.name
      ON CONFLICT (prefix, name) DO NOTHING RETURNING name
    ), saved AS (
      SELECT name FROM updated UNION ALL SELECT name FROM inserted
    ), added AS (
      INSERT INTO ${history} (prefix, name, run_id, record)
      SELECT $1, i.name, e.r->>'runId', e.r
      FROM input i JOIN saved USING (name)
      CROSS JOIN LATERAL jsonb_array_elements(i.records) WITH ORDINALITY AS e(r, n)
      WHERE e.n > jsonb_array_length(i.records) - $3::int
      ORDER BY i.name, e.n
    ), trimmed AS (
      DELETE FROM ${history} h USING (
        SELECT i.name, (SELECT x.id FROM ${history} x WHERE x.prefix = $1 AND x.name = i.name
          ORDER BY x.id DESC OFFSET GREATEST($3::int - jsonb_array_length(i.records), 0) LIMIT 1
        ) AS cut
        FROM input i JOIN saved USING (name) WHERE jsonb_array_length(i.records) > 0
      ) c
      WHERE h.prefix = $1 AND h.name = c.name AND h.id <= c.cut
    ) SELECT name FROM saved`;
}

export type StoreSql = ReturnType<typeof storeSql>;
