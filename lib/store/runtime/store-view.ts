import type { JobInfo } from '../../interfaces/job-info.interface.js';
import type { JobState, JobStore, RunRecord } from '../../interfaces/job-store.interface.js';
import type { StoreWatch } from './store-watch.js';

/** How often the cached view of the store is read again, besides after each local run. */
export const VIEW_REFRESH_MS = 3_000;
/** A local run's end asks for a refresh this soon (runs ending together share one read). */
const AFTER_RUN_MS = 50;

/**
 * A cached copy of every job's stored state, so `list()` and `get()` stay synchronous: read in
 * the background every `VIEW_REFRESH_MS` and shortly after each local run ends. @internal
 */
export class StoreView {
  private states = new Map<string, JobState>();
  private timer: NodeJS.Timeout | undefined;
  private soon: NodeJS.Timeout | undefined;
  private reading: Promise<void> | undefined;

  constructor(
    private readonly store: JobStore,
    private readonly watch: StoreWatch,
  ) {}

  start(everyMs = VIEW_REFRESH_MS): Promise<void> {
    this.timer = setInterval(() => void this.refresh(), everyMs);
    this.timer.unref();
    return this.refresh();
  }

  /** Reads the store again (one read at a time); resolves when the view is fresh. */
  refresh(): Promise<void> {
    this.reading ??= this.watch
      .call(() => this.store.states())
      .then((states) => {
        if (states) this.states = new Map(states.map((s) => [s.name, s]));
      })
      .finally(() => (this.reading = undefined));
    return this.reading;
  }

  /** A local run ended: read again shortly. */
  touched(): void {
    this.soon ??= setTimeout(() => {
      this.soon = undefined;
      void this.refresh();
    }, AFTER_RUN_MS);
    this.soon.unref();
  }

  state(name: string): JobState | undefined {
    return this.states.get(name);
  }

  /**
   * `info` with the stored last run, runner and counters (the whole cluster's, across restarts),
   * unless this process saw a later run than the cached view.
   */
  merge(info: JobInfo): JobInfo {
    const state = this.states.get(info.name);
    if (!state) return info;
    const merged = {
      ...info,
      runs: Math.max(info.runs, state.runs),
      failures: Math.max(info.failures, state.failures),
      running: info.running || state.running.length > 0,
    };
    const last = state.lastRun && lastRealRun(state.lastRun);
    if (!last || (info.lastRunAt && info.lastRunAt.getTime() > last.startedAt)) return merged;
    return {
      ...merged,
      lastRunAt: new Date(last.startedAt),
      lastDurationMs: last.endedAt - last.startedAt,
      lastError: last.status === 'succeeded' ? null : (last.error?.message ?? last.status),
      lastRunBy: last.replica,
    };
  }

  stop(): void {
    clearInterval(this.timer);
    clearTimeout(this.soon);
  }
}

/** A skip is not a run: `list()` shows the last run that happened. */
const lastRealRun = (record: RunRecord): RunRecord | undefined =>
  record.status === 'skipped' ? undefined : record;
