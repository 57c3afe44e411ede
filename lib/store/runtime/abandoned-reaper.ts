import type { Logger } from '@nestjs/common';
import type { JobStore } from '../../interfaces/job-store.interface.js';
import { RUN_ABANDONED } from './store-runtime.messages.js';
import type { StoreWatch } from './store-watch.js';

/**
 * Asks the store, now and then every `everyMs`, to record as `abandoned` the runs whose lease
 * ran out (their replica died), and logs each one. One call at a time; the timer is unref'd,
 * so it never keeps the process alive. @internal
 */
export class AbandonedReaper {
  private timer: NodeJS.Timeout | undefined;
  private busy: Promise<void> | undefined;

  constructor(
    private readonly store: JobStore,
    private readonly watch: StoreWatch,
    private readonly logger: Logger,
    private readonly now: () => number,
    /** Some runs were recorded as abandoned (the cached view refreshes). */
    private readonly onReaped: () => void = () => undefined,
  ) {}

  start(everyMs: number): void {
    void this.reap();
    this.timer = setInterval(() => void this.reap(), everyMs);
    this.timer.unref();
  }

  /** One pass (skipped while the previous one is still going); resolves when it is done. */
  reap(): Promise<void> {
    this.busy ??= this.watch
      .call(() => this.store.reapAbandoned(this.now()))
      .then((closed = []) => {
        for (const run of closed) {
          this.logger.warn(RUN_ABANDONED(run.name, run.replica, run.startedAt));
        }
        if (closed.length) this.onReaped();
      })
      .finally(() => (this.busy = undefined));
    return this.busy;
  }

  /** Stops the timer; waits for a pass in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.busy;
  }
}
