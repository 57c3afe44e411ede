import { Redis } from 'ioredis';
import pg from 'pg';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** One run as the replicas recorded it (real clock; `end` missing if it never ended). */
export interface RunRecord {
  replica: string;
  due: number;
  start: number;
  end?: number;
}

/** Where a scenario's replicas record their runs, and how the test reads them back. */
export interface RunStore {
  url: string;
  key: string;
  read(): Promise<RunRecord[]>;
  drop(): Promise<void>;
}

export function redisRunStore(redis: Redis, key: string): RunStore {
  return {
    url: REDIS_URL,
    key,
    async read() {
      const runs = new Map<string, RunRecord>();
      for (const text of await redis.lrange(key, 0, -1)) {
        const { id, replica, due, start, end } = JSON.parse(text);
        if (end === undefined) runs.set(id, { replica, due, start });
        else runs.get(id)!.end = end;
      }
      return [...runs.values()].sort((a, b) => a.start - b.start);
    },
    async drop() {
      await redis.del(key);
    },
  };
}

export async function postgresRunStore(pool: pg.Pool, table: string): Promise<RunStore> {
  await pool.query(
    `CREATE TABLE ${table} (id serial PRIMARY KEY, replica text, due bigint, started bigint, ` +
      `ended bigint)`,
  );
  return {
    url: DATABASE_URL,
    key: table,
    async read() {
      const { rows } = await pool.query(
        `SELECT replica, due, started, ended FROM ${table} ORDER BY started, id`,
      );
      return rows.map((r) => ({
        replica: r.replica,
        due: Number(r.due),
        start: Number(r.started),
        end: r.ended === null ? undefined : Number(r.ended),
      }));
    },
    async drop() {
      await pool.query(`DROP TABLE IF EXISTS ${table}`);
    },
  };
}

/** Runs that start before an earlier run ended (a run without an end lasts until `openEnd`). */
export function overlapping(runs: RunRecord[], openEnd = Infinity): RunRecord[] {
  const sorted = [...runs].sort((a, b) => a.start - b.start);
  let busyUntil = -Infinity;
  const found: RunRecord[] = [];
  for (const run of sorted) {
    if (run.start < busyUntil) found.push(run);
    busyUntil = Math.max(busyUntil, run.end ?? openEnd);
  }
  return found;
}

/** Dues run more than once. */
export function duplicateDues(runs: RunRecord[]): number[] {
  const seen = new Set<number>();
  return runs.filter((r) => seen.has(r.due) || !seen.add(r.due)).map((r) => r.due);
}

/** Ticks on the grid between the first and the last due run (both included). */
export function ticksSpanned(runs: RunRecord[], frequencyMs: number): number {
  const dues = runs.map((r) => r.due);
  return (Math.max(...dues) - Math.min(...dues)) / frequencyMs + 1;
}
