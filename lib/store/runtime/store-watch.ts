import type { Logger } from '@nestjs/common';
import { STORE_BACK, STORE_DOWN } from './store-runtime.messages.js';

/**
 * Store calls made off the run's path: an outage is logged once when the first call fails, and
 * once when a call works again. Nothing a store does is thrown from here. @internal
 */
export class StoreWatch {
  private downSince: number | undefined;
  /** Calls begun so far, and how many had begun when the outage was seen. */
  private calls = 0;
  private downAfter = 0;
  closed = false;

  constructor(
    private readonly store: string,
    private readonly logger: Logger,
  ) {}

  /** Runs `call` (a store method), never throwing; resolves with its result or undefined. */
  async call<T>(call: () => Promise<T>): Promise<T | undefined> {
    const seq = ++this.calls;
    try {
      const result = await call();
      this.succeeded(seq);
      return result;
    } catch (error) {
      this.failed(error);
      return undefined;
    }
  }

  private failed(error: unknown): void {
    if (this.closed || this.downSince !== undefined) return;
    this.downSince = Date.now();
    this.downAfter = this.calls;
    this.logger.error(STORE_DOWN(this.store, error));
  }

  /** Only a call begun after the failure proves the store is back. */
  private succeeded(seq: number): void {
    if (this.downSince === undefined || seq <= this.downAfter) return;
    this.logger.log(STORE_BACK(this.store, Date.now() - this.downSince));
    this.downSince = undefined;
  }
}
