import type { JobState, JobStore, RunRecord, RunStart } from '../interfaces/job-store.interface.js';
import { JobBook } from './job-book.js';
import { limitOf } from './run-record.js';
import { DEFAULT_HISTORY } from './store.constants.js';

/** Options of `MemoryJobStore`. */
export interface MemoryJobStoreOptions {
  /** Runs kept per job, newest first; `0` keeps none. Default: 50. */
  history?: number;
}

/**
 * The default `JobStore`: this process's memory, so nothing outlives it (no catch-up, and a
 * replica sees only its own runs). A run is abandoned only when its lease runs out unrenewed.
 */
export class MemoryJobStore implements JobStore {
  private readonly book: JobBook;

  constructor(options: MemoryJobStoreOptions = {}) {
    this.book = new JobBook(options.history ?? DEFAULT_HISTORY);
  }

  async open(): Promise<void> {}

  async runStarted(start: RunStart): Promise<void> {
    this.book.start(start);
  }

  async heartbeat(name: string, runId: string, leaseUntil: number): Promise<boolean> {
    return this.book.heartbeat(name, runId, leaseUntil);
  }

  async runEnded(record: RunRecord): Promise<boolean> {
    return this.book.end(record);
  }

  async markTick(name: string, due: number): Promise<void> {
    this.book.markTick(name, due);
  }

  async lastTick(name: string): Promise<number | undefined> {
    return this.book.lastTick(name);
  }

  async state(name: string): Promise<JobState | undefined> {
    return this.book.state(name);
  }

  async states(): Promise<JobState[]> {
    return this.book.states();
  }

  async history(name: string, query?: { limit?: number }): Promise<RunRecord[]> {
    return this.book.history(name, limitOf(query));
  }

  async reapAbandoned(now: number): Promise<RunRecord[]> {
    return this.book.reap(now);
  }

  async close(): Promise<void> {}
}
