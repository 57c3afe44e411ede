import type { JobState, RunRecord, RunStart } from '../interfaces/job-store.interface.js';
import { abandonedRecord, cleanRecord, cleanStart } from './run-record.js';
import {
  emptyJob,
  endRun,
  extendRun,
  markTick,
  recordedBefore,
  startRun,
  toJobState,
  type JobData,
} from './job-state.js';

/** One job as the file store saves it: its state and its history, newest first. */
export type BookEntry = JobData & { history: RunRecord[] };

/**
 * Every job's state and history in memory, changed synchronously (so a check and the change it
 * guards can never interleave with another call): the body of the memory and file stores.
 */
export class JobBook {
  private readonly jobs = new Map<string, JobData>();
  private readonly histories = new Map<string, RunRecord[]>();

  constructor(
    private readonly historyLimit: number,
    entries: Iterable<[string, BookEntry]> = [],
  ) {
    for (const [name, { history, ...job }] of entries) {
      this.jobs.set(name, job);
      if (historyLimit > 0 && history.length) {
        this.histories.set(name, history.slice(0, historyLimit));
      }
    }
  }

  start(start: RunStart): void {
    startRun(this.job(start.name), cleanStart(start));
  }

  heartbeat(name: string, runId: string, leaseUntil: number): boolean {
    const job = this.jobs.get(name);
    return job !== undefined && extendRun(job, runId, Math.round(leaseUntil));
  }

  end(record: RunRecord): boolean {
    const job = this.job(record.name);
    const kept = (): RunRecord[] => this.histories.get(record.name) ?? [];
    if (recordedBefore(job, record.runId, () => kept().some((r) => r.runId === record.runId))) {
      return false;
    }
    const clean = cleanRecord(record);
    endRun(job, clean);
    if (this.historyLimit > 0) {
      this.histories.set(record.name, [clean, ...kept()].slice(0, this.historyLimit));
    }
    return true;
  }

  markTick(name: string, due: number): void {
    markTick(this.job(name), Math.round(due));
  }

  /** Closes as abandoned the runs whose lease ended before `now`, and those `orphan` names. */
  reap(now: number, orphan: (run: RunStart) => boolean = () => false): RunRecord[] {
    const closed: RunRecord[] = [];
    for (const job of this.jobs.values()) {
      const dead = job.running.filter((run) => orphan(run) || run.leaseUntil < now);
      for (const run of dead) {
        const record = abandonedRecord(run, now);
        if (this.end(record)) closed.push(record);
      }
    }
    return closed;
  }

  lastTick(name: string): number | undefined {
    return this.jobs.get(name)?.lastTick ?? undefined;
  }

  state(name: string): JobState | undefined {
    const job = this.jobs.get(name);
    return job && toJobState(name, job);
  }

  states(): JobState[] {
    return [...this.jobs].map(([name, job]) => toJobState(name, job));
  }

  history(name: string, limit?: number): RunRecord[] {
    return structuredClone((this.histories.get(name) ?? []).slice(0, limit ?? Infinity));
  }

  /** Every job with its history, for the file store to save. */
  entries(): [string, BookEntry][] {
    return [...this.jobs].map(([name, job]) => [
      name,
      { ...job, history: this.histories.get(name) ?? [] },
    ]);
  }

  private job(name: string): JobData {
    let job = this.jobs.get(name);
    if (!job) this.jobs.set(name, (job = emptyJob()));
    return job;
  }
}
