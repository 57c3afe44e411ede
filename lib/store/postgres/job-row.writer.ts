import type pg from 'pg';
import type { RunRecord } from '../../interfaces/job-store.interface.js';
import { emptyJob, nextLeaseEnd, type JobData } from '../job-state.js';
import { JobStoreError } from '../job-store.error.js';
import { LOST_UNDER_LOCK } from '../store.messages.js';
import type { PgSession } from './pg-session.js';
import type { StoreSql } from './postgres-store.sql.js';
import { noop } from '../../utils/noop.js';

/** A job's row as read. */
export type Row = { last_tick: string | null; doc: Partial<JobData>; version?: string };
/** What a change may look up besides the job's row. */
export type JobView = { inHistory: (runId: string) => Promise<boolean> };
/** What a change did: its result, and whether (and with which new records) to save. */
export type Change<T> = { result: T; save: boolean; records?: RunRecord[] };
type Query = <R extends pg.QueryResultRow>(
  text: string,
  values: unknown[],
) => Promise<pg.QueryResult<R>>;

/**
 * The writes of `PostgresJobStore`: read a job's row, change it with the rules of job-state.ts,
 * save it. Writes of one job from this process are queued, so they apply in call order.
 */
export class JobRowWriter {
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly session: PgSession,
    private readonly sql: StoreSql,
    private readonly prefix: string,
    private readonly historyLimit: number,
  ) {}

  /** Waits for the writes queued so far. */
  async drain(): Promise<void> {
    await Promise.all(this.queues.values());
  }

  /**
   * Applies `change` to job `name` and saves it, after earlier writes of the job from here. First
   * optimistically (read, then a save that fails if another writer saved in between); if
   * another writer did, again in a transaction that locks the row, which cannot fail that way.
   */
  update<T>(name: string, change: (job: JobData, view: JobView) => Promise<Change<T>>): Promise<T> {
    return this.queued(name, async () => {
      const query: Query = (text, values) => this.session.query(text, values);
      const fast = await this.attempt(name, change, query, this.sql.read);
      if (fast.done) return fast.result;
      return this.session.transaction(async (client) => {
        const locked = await this.attempt(
          name,
          change,
          (t, v) => client.query(t, v),
          this.sql.lock,
        );
        if (!locked.done) throw new JobStoreError(LOST_UNDER_LOCK(name));
        // Nothing changed: roll back, so an unknown job does not keep the row just made.
        return { result: locked.result, commit: locked.saved };
      });
    });
  }

  /** One read-change-save; `done: false` when another writer saved the job since the read. */
  private async attempt<T>(
    name: string,
    change: (job: JobData, view: JobView) => Promise<Change<T>>,
    query: Query,
    read: string,
  ): Promise<{ done: true; result: T; saved: boolean } | { done: false }> {
    const { rows } = await query<Row>(read, [this.prefix, name]);
    const job = rows[0] ? toJob(rows[0]) : emptyJob();
    const view: JobView = {
      inHistory: async (runId) =>
        ((await query(this.sql.inHistory, [this.prefix, name, runId])).rowCount ?? 0) > 0,
    };
    const { result, save, records = [] } = await change(job, view);
    // Nothing changed: nothing written, so an unknown job gets no row.
    if (!save) return { done: true, result, saved: false };
    const saved = await this.save(query, name, job, records, rows[0]?.version);
    return saved ? { done: true, result, saved } : { done: false };
  }

  /** Saves `job` read at `version` (undefined: it had no row); false if another writer won. */
  private async save(
    query: Query,
    name: string,
    job: JobData,
    records: RunRecord[],
    version?: string,
  ): Promise<boolean> {
    const { lastTick, running, ...rest } = job;
    const doc = JSON.stringify({ ...rest, running });
    const params = [
      this.prefix,
      name,
      doc,
      nextLeaseEnd(job),
      lastTick,
      JSON.stringify(records),
      this.historyLimit,
    ];
    const [text, values] =
      version === undefined ? [this.sql.insert, params] : [this.sql.update, [...params, version]];
    const { rows } = await query<{ saved: number }>(text, values);
    return rows[0].saved === 1;
  }

  /** Runs `work` after every earlier write of the same job from this store. */
  private queued<T>(name: string, work: () => Promise<T>): Promise<T> {
    const result = (this.queues.get(name) ?? Promise.resolve()).then(work);
    const tail = result.then(noop, noop);
    this.queues.set(name, tail);
    void tail.then(() => this.queues.get(name) === tail && this.queues.delete(name));
    return result;
  }
}

/** A job's state from its row. */
export function toJob(row: Row): JobData {
  const lastTick = row.last_tick === null ? null : Number(row.last_tick);
  return { ...emptyJob(), ...row.doc, lastTick };
}
