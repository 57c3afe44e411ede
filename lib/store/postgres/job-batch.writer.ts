import type pg from 'pg';
import type { RunRecord } from '../../interfaces/job-store.interface.js';
import { emptyJob, nextLeaseEnd, type JobData } from '../job-state.js';
import { JobStoreError } from '../job-store.error.js';
import { LOST_UNDER_LOCK } from '../store.messages.js';
import { WriteBatcher, type BatchedWrite } from '../write-batcher.js';
import type { PgSession } from './pg-session.js';
import type { StoreSql } from './postgres-store.sql.js';

/** A job's row as read (`version` null: no row). */
export type Row = {
  last_tick: string | null;
  doc: Partial<JobData> | null;
  version?: string | null;
};
/** What a change did: its result, and whether (and with which new records) to save. */
export type Change<T> = { result: T; save: boolean; records?: RunRecord[] };
/** A change of one job's state; `recorded(runId)`: whether that run is in its history. */
export type ChangeFn<T> = (job: JobData, recorded: (runId: string) => boolean) => Change<T>;

/** How long a write waits for others to share its round trip, and how many share one. */
export const BATCH_WINDOW_MS = 2;
export const MAX_BATCH = 500;
/** Batches in flight at once (each is two round trips: a read, then one save statement). */
const MAX_BATCHES = 4;
/** Optimistic rounds before a contended job is saved in a transaction that locks its row. */
const OPTIMISTIC_ROUNDS = 2;
/** Locked rounds before giving up (each can only fail on a row created in between). */
const LOCKED_ROUNDS = 3;

interface DocWrite extends BatchedWrite {
  kind: 'doc';
  key: string;
  change: ChangeFn<unknown>;
  /** A run whose history entry the change may look up. */
  runId?: string;
  resolve(result: unknown): void;
}
interface MarkWrite extends BatchedWrite {
  kind: 'mark';
  key: undefined;
  name: string;
  due: number;
  resolve(result: unknown): void;
}
type Write = DocWrite | MarkWrite;
type Query = <R extends pg.QueryResultRow>(
  text: string,
  values: unknown[],
) => Promise<pg.QueryResult<R>>;

/**
 * The writes of `PostgresJobStore`, in batches: the writes made within a few ms of each other
 * (up to `MAX_BATCH`) cost one read of their jobs' rows, the rules of job-state.ts applied in
 * call order, and one statement saving them all (and their marks one more). A job another
 * replica saved in between is read and changed again; after `OPTIMISTIC_ROUNDS`, in a
 * transaction that locks its row. A job's writes from this process keep their call order.
 */
export class JobBatchWriter {
  private readonly batcher: WriteBatcher<Write>;

  constructor(
    private readonly session: PgSession,
    private readonly sql: StoreSql,
    private readonly prefix: string,
    private readonly historyLimit: number,
  ) {
    this.batcher = new WriteBatcher<Write>({
      windowMs: BATCH_WINDOW_MS,
      maxBatch: MAX_BATCH,
      maxInFlight: MAX_BATCHES,
      ordered: false,
      send: (writes) => this.send(writes),
    });
  }

  /** Applies `change` to job `name` and saves it, after earlier writes of the job from here. */
  update<T>(name: string, change: ChangeFn<T>, runId?: string): Promise<T> {
    return new Promise<T>((resolve, fail) => {
      const settle = resolve as (result: unknown) => void;
      this.batcher.add({ kind: 'doc', key: name, change, runId, resolve: settle, fail });
    });
  }

  /** Moves job `name`'s last tick to `due` unless it is past it already. */
  markTick(name: string, due: number): Promise<void> {
    return new Promise((resolve, fail) => {
      this.batcher.add({ kind: 'mark', key: undefined, name, due, resolve, fail } as MarkWrite);
    });
  }

  /** Waits for the writes made so far. */
  drain(): Promise<void> {
    return this.batcher.drain();
  }

  private async send(writes: Write[]): Promise<void> {
    const marks = writes.filter((w): w is MarkWrite => w.kind === 'mark');
    const docs = writes.filter((w): w is DocWrite => w.kind === 'doc');
    await Promise.all([
      marks.length ? this.sendMarks(marks) : undefined,
      docs.length ? this.sendDocs(docs, 0) : undefined,
    ]);
  }

  private async sendMarks(marks: MarkWrite[]): Promise<void> {
    try {
      const names = marks.map((m) => m.name);
      await this.session.query(this.sql.markTicks, [this.prefix, names, marks.map((m) => m.due)]);
      marks.forEach((m) => m.resolve(undefined));
    } catch (error) {
      marks.forEach((m) => m.fail(error));
    }
  }

  /** One round for `writes`: read, change, save; the jobs saved meanwhile go round again. */
  private async sendDocs(writes: DocWrite[], round: number): Promise<void> {
    let again: DocWrite[];
    try {
      again =
        round < OPTIMISTIC_ROUNDS
          ? await this.apply(writes, (text, values) => this.session.query(text, values))
          : await this.session.transaction(async (client) => {
              const query: Query = (text, values) => client.query(text, values);
              const names = [...new Set(writes.map((w) => w.key))];
              await query(this.sql.lockMany, [this.prefix, names]);
              return { result: await this.apply(writes, query), commit: true };
            });
    } catch (error) {
      writes.forEach((w) => w.fail(error));
      return;
    }
    if (!again.length) return;
    if (round + 1 >= OPTIMISTIC_ROUNDS + LOCKED_ROUNDS) {
      again.forEach((w) => w.fail(new JobStoreError(LOST_UNDER_LOCK(w.key))));
      return;
    }
    await this.sendDocs(again, round + 1);
  }

  /** Reads, changes and saves the jobs of `writes`; returns the writes of jobs not saved. */
  private async apply(writes: DocWrite[], query: Query): Promise<DocWrite[]> {
    const byJob = new Map<string, DocWrite[]>();
    for (const write of writes) {
      const list = byJob.get(write.key);
      if (list) list.push(write);
      else byJob.set(write.key, [write]);
    }
    const asked = [...byJob].map(([name, list]) => ({
      name,
      run_ids: list.flatMap((w) => (w.runId === undefined ? [] : [w.runId])),
    }));
    const { rows } = await query<Row & { name: string; recorded: string[] }>(this.sql.readMany, [
      this.prefix,
      JSON.stringify(asked),
    ]);
    const saves: object[] = [];
    const outcomes = new Map<string, unknown[]>();
    for (const row of rows) {
      const list = byJob.get(row.name)!;
      const job = toJob(row);
      const recorded = new Set(row.recorded);
      const results: unknown[] = [];
      const records: RunRecord[] = [];
      let save = false;
      for (const write of list) {
        const change = write.change(job, (runId) => recorded.has(runId));
        results.push(change.result);
        save ||= change.save;
        for (const record of change.records ?? []) {
          records.push(record);
          recorded.add(record.runId);
        }
      }
      outcomes.set(row.name, results);
      if (save) saves.push(this.saveOf(row, job, records));
    }
    const saved = new Set<string>();
    if (saves.length) {
      const params = [this.prefix, JSON.stringify(saves), this.historyLimit];
      const result = await query<{ name: string }>(this.sql.saveMany, params);
      for (const { name } of result.rows) saved.add(name);
    }
    const again: DocWrite[] = [];
    const toSave = new Set(saves.map((s) => (s as { name: string }).name));
    for (const [name, list] of byJob) {
      if (toSave.has(name) && !saved.has(name)) {
        again.push(...list);
        continue;
      }
      const results = outcomes.get(name)!;
      list.forEach((write, i) => write.resolve(results[i]));
    }
    return again;
  }

  private saveOf(row: Row & { name: string }, job: JobData, records: RunRecord[]): object {
    const { lastTick, running, ...rest } = job;
    return {
      name: row.name,
      doc: { ...rest, running },
      lease_until: nextLeaseEnd(job),
      last_tick: lastTick,
      version: row.version ?? null,
      records,
    };
  }
}

/** A job's state from its row (an empty one when it has none). */
export function toJob(row: Row): JobData {
  const lastTick = row.last_tick === null ? null : Number(row.last_tick);
  return { ...emptyJob(), ...(row.doc ?? {}), lastTick };
}
