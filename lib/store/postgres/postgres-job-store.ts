import pg from 'pg';
import { LOCK_POOL_OPTIONS } from '../../cluster/postgres/postgres-job-lock.js';
import { quoteTable } from '../../cluster/postgres/postgres.sql.js';
import type {
  JobState,
  JobStore,
  RunRecord,
  RunStart,
} from '../../interfaces/job-store.interface.js';
import {
  endRun,
  expiredRuns,
  extendRun,
  recordedBefore,
  startRun,
  toJobState,
} from '../job-state.js';
import { abandonedRecord, cleanRecord, cleanStart, limitOf } from '../run-record.js';
import {
  DEFAULT_HISTORY,
  DEFAULT_STORE_KEY_PREFIX,
  DEFAULT_STORE_TABLE,
  REAP_BATCH,
} from '../store.constants.js';
import { JobBatchWriter, toJob, type Row } from './job-batch.writer.js';
import { PgSession } from './pg-session.js';
import { storeSql, type StoreSql } from './postgres-store.sql.js';

/** Options of `PostgresJobStore`. */
export interface PostgresJobStoreOptions {
  /** Scope of this app's rows, so apps can share the tables. Default: `core-lib-jobs`. */
  keyPrefix?: string;
  /** Prefix of the tables, created if missing (`schema.prefix` too). Default: `core_lib_jobs`. */
  table?: string;
  /** Runs kept per job, newest first; `0` keeps none. Default: 50. */
  history?: number;
}

/**
 * `JobStore` on PostgreSQL (pg), from a URL or a `Pool` you pass in. Writes go in batches
 * (job-batch.writer.ts): those made within a few ms of each other cost one read of their jobs'
 * rows and one statement saving the rows, their new history rows and the trim of the old ones,
 * which skips each job another replica saved since the read (read again then): two round trips
 * for up to 500 writes, no lock held in between. Marks of the batch are one more statement.
 */
export class PostgresJobStore implements JobStore {
  private readonly session: PgSession;
  private readonly prefix: string;
  private readonly sql: StoreSql;
  private readonly writer: JobBatchWriter;

  /** `pool`: a pg Pool (left open on `close()`), or a `postgres://` URL (default: PG* vars). */
  constructor(pool?: pg.Pool | string, options: PostgresJobStoreOptions = {}) {
    const table = options.table ?? DEFAULT_STORE_TABLE;
    const last = table.split('.').pop()!;
    const names = {
      lease: quoteTable(`${last}_state_lease_idx`),
      runs: quoteTable(`${last}_history_idx`),
    };
    this.sql = storeSql(quoteTable(`${table}_state`), quoteTable(`${table}_history`), names);
    const own = typeof pool !== 'object';
    const created = own ? new pg.Pool({ ...LOCK_POOL_OPTIONS, connectionString: pool }) : pool;
    this.session = new PgSession(created, own, this.sql.create, `core-lib-jobs:${table}`);
    this.prefix = options.keyPrefix ?? DEFAULT_STORE_KEY_PREFIX;
    const history = options.history ?? DEFAULT_HISTORY;
    this.writer = new JobBatchWriter(this.session, this.sql, this.prefix, history);
  }

  /** Creates the tables in the background: a server that is down is not an error here. */
  async open(): Promise<void> {
    this.session.ready().catch(() => undefined);
  }

  async runStarted(start: RunStart): Promise<void> {
    const run = cleanStart(start);
    await this.writer.update(run.name, (job) => ({
      result: undefined,
      save: startRun(job, run),
    }));
  }

  async heartbeat(name: string, runId: string, leaseUntil: number): Promise<boolean> {
    const until = Math.round(leaseUntil);
    return this.writer.update(name, (job) => {
      const open = extendRun(job, runId, until);
      return { result: open, save: open };
    });
  }

  async runEnded(record: RunRecord): Promise<boolean> {
    const clean = cleanRecord(record);
    const { runId } = clean;
    return this.writer.update(
      clean.name,
      (job, recorded) => {
        if (recordedBefore(job, runId, () => recorded(runId)))
          return { result: false, save: false };
        endRun(job, clean);
        return { result: true, save: true, records: [clean] };
      },
      runId,
    );
  }

  async markTick(name: string, due: number): Promise<void> {
    await this.writer.markTick(name, Math.round(due));
  }

  async lastTick(name: string): Promise<number | undefined> {
    const { rows } = await this.session.query<Row>(this.sql.read, [this.prefix, name]);
    return rows[0]?.last_tick == null ? undefined : Number(rows[0].last_tick);
  }

  async state(name: string): Promise<JobState | undefined> {
    const { rows } = await this.session.query<Row>(this.sql.read, [this.prefix, name]);
    return rows[0] && toJobState(name, toJob(rows[0]));
  }

  async states(): Promise<JobState[]> {
    const { rows } = await this.session.query<Row & { name: string }>(this.sql.states, [
      this.prefix,
    ]);
    return rows.map((row) => toJobState(row.name, toJob(row)));
  }

  async history(name: string, query?: { limit?: number }): Promise<RunRecord[]> {
    const params = [this.prefix, name, limitOf(query) ?? null];
    const { rows } = await this.session.query<{ record: RunRecord }>(this.sql.history, params);
    return rows.map((row) => row.record);
  }

  async reapAbandoned(now: number): Promise<RunRecord[]> {
    const at = Math.round(now);
    const { rows } = await this.session.query<{ name: string }>(this.sql.expired, [
      this.prefix,
      at,
      REAP_BATCH,
    ]);
    const closed = await Promise.all(
      rows.map(({ name }) =>
        this.writer.update(name, (job) => {
          const records = expiredRuns(job, at).map((run) => cleanRecord(abandonedRecord(run, at)));
          records.forEach((record) => endRun(job, record));
          return { result: records, save: records.length > 0, records };
        }),
      ),
    );
    return closed.flat();
  }

  async close(): Promise<void> {
    await this.writer.drain();
    await this.session.close();
  }
}
