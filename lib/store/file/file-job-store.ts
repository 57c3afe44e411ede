import { Logger } from '@nestjs/common';
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type {
  JobState,
  JobStore,
  RunRecord,
  RunStart,
} from '../../interfaces/job-store.interface.js';
import { JobBook, type BookEntry } from '../job-book.js';
import { JobStoreError } from '../job-store.error.js';
import { limitOf } from '../run-record.js';
import { DEFAULT_HISTORY, DEFAULT_STATE_FILE } from '../store.constants.js';
import { LOCK_TAKEN_OVER, NOT_OPEN, STATE_FILE_UNREADABLE } from '../store.messages.js';
import { acquireStateLock, isAlive, type HeldLock } from './state-file.lock.js';
import { parseStateFile, serializeStateFile } from './state-file.schema.js';
import { CoalescedWriter, writeFileAtomic } from './state-file.writer.js';

/** Options of `FileJobStore`. */
export interface FileJobStoreOptions {
  /** The JSON file, relative to the working directory. Default: `.core-lib-jobs/state.json`. */
  path?: string;
  /** Runs kept per job, newest first; `0` keeps none. Default: 50. */
  history?: number;
}

const runKey = (run: RunStart): string => JSON.stringify([run.name, run.runId]);

/**
 * `JobStore` in one JSON file, for a single instance. The state lives in memory; each change
 * asks for a write, and writes are coalesced (one in flight, the latest state wins) and atomic
 * (temp file, fsync, rename), so a kill -9 at any moment leaves a whole file. `<file>.lock`
 * (owner pid) keeps a second process off the file; a lock whose process is gone is taken over.
 * A corrupt or hand-broken file stops `open()` with an error that says what is wrong where.
 * Heartbeats are not written: only this process can hold open runs, and runs a previous
 * process left open are closed as abandoned by the first `reapAbandoned()`.
 */
export class FileJobStore implements JobStore {
  /** The state file, absolute. */
  readonly file: string;
  private readonly historyLimit: number;
  private readonly writer: CoalescedWriter;
  private readonly logger = new Logger('JobStore');
  private book: JobBook | undefined;
  private lock: HeldLock | undefined;
  /** Runs found open in the file at `open()`: their process is gone. */
  private orphans = new Set<string>();

  constructor(options: FileJobStoreOptions = {}) {
    this.file = resolve(options.path ?? DEFAULT_STATE_FILE);
    this.historyLimit = options.history ?? DEFAULT_HISTORY;
    this.writer = new CoalescedWriter(() =>
      writeFileAtomic(this.file, serializeStateFile(this.opened().entries())),
    );
  }

  /** Takes the lock file, then loads the file; throws a `JobStoreError` when it cannot. */
  async open(): Promise<void> {
    if (this.book) return;
    await mkdir(dirname(this.file), { recursive: true }).catch((error: Error) => {
      throw new JobStoreError(STATE_FILE_UNREADABLE(this.file, error.message), this.file);
    });
    const lock = await acquireStateLock(this.file);
    try {
      if (lock.tookOverFrom !== undefined) {
        this.logger.warn(LOCK_TAKEN_OVER(this.file, lock.tookOverFrom));
      }
      await removeLeftovers(this.file);
      const entries = await this.load();
      this.book = new JobBook(this.historyLimit, entries);
      this.orphans = new Set(entries.flatMap(([, entry]) => entry.running.map(runKey)));
      this.lock = lock;
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  async runStarted(start: RunStart): Promise<void> {
    this.opened().start(start);
    await this.writer.request();
  }

  async heartbeat(name: string, runId: string, leaseUntil: number): Promise<boolean> {
    return this.opened().heartbeat(name, runId, leaseUntil);
  }

  async runEnded(record: RunRecord): Promise<boolean> {
    if (!this.opened().end(record)) return false;
    await this.writer.request();
    return true;
  }

  async markTick(name: string, due: number): Promise<void> {
    this.opened().markTick(name, due);
    await this.writer.request();
  }

  async lastTick(name: string): Promise<number | undefined> {
    return this.opened().lastTick(name);
  }

  async state(name: string): Promise<JobState | undefined> {
    return this.opened().state(name);
  }

  async states(): Promise<JobState[]> {
    return this.opened().states();
  }

  async history(name: string, query?: { limit?: number }): Promise<RunRecord[]> {
    return this.opened().history(name, limitOf(query));
  }

  async reapAbandoned(now: number): Promise<RunRecord[]> {
    const closed = this.opened().reap(now, (run) => this.orphans.has(runKey(run)));
    this.orphans.clear();
    if (closed.length) await this.writer.request();
    return closed;
  }

  /** Waits for the last write, then releases the lock file. */
  async close(): Promise<void> {
    if (!this.book) return;
    await this.writer.flush();
    this.book = undefined;
    await this.lock?.release();
    this.lock = undefined;
  }

  private opened(): JobBook {
    if (!this.book) throw new JobStoreError(NOT_OPEN(`FileJobStore(${this.file})`), this.file);
    return this.book;
  }

  private async load(): Promise<[string, BookEntry][]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      const { code, message } = error as NodeJS.ErrnoException;
      if (code === 'ENOENT') return [];
      throw new JobStoreError(STATE_FILE_UNREADABLE(this.file, message), this.file);
    }
    return parseStateFile(text, this.file);
  }
}

/**
 * Deletes temp files a killed process left: the state file's (we hold the lock, so nobody else
 * writes one) and the lock file's of other processes that are gone.
 */
async function removeLeftovers(file: string): Promise<void> {
  const base = basename(file);
  const leftovers = (await readdir(dirname(file))).filter((name) => {
    if (name.startsWith(`${base}.tmp-`)) return true;
    const pid = /^\.lock(\.takeover)?\.tmp-(\d+)\.\w+$/.exec(name.slice(base.length))?.[2];
    // Our own pid: another store of this process may be taking the lock right now.
    const gone = pid !== undefined && Number(pid) !== process.pid && !isAlive(Number(pid));
    return name.startsWith(base) && gone;
  });
  await Promise.all(leftovers.map((name) => unlink(join(dirname(file), name)).catch(() => {})));
}
