import type { Logger } from '@nestjs/common';
import type { JobEvent, JobListener } from '../interfaces/job-event.interface.js';
import { describeThrown, stackOf } from '../utils/thrown-value.js';
import { LISTENER_THREW } from './job-engine.messages.js';

/**
 * The listeners of `subscribe()`. Senders check `listening` first, so no event object is built
 * while nobody listens. Nothing a listener throws or rejects reaches the engine. @internal
 */
export class JobEvents {
  private readonly listeners = new Set<JobListener>();

  constructor(private readonly logger: Logger) {}

  get listening(): boolean {
    return this.listeners.size > 0;
  }

  get count(): number {
    return this.listeners.size;
  }

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: JobListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  emit(event: JobEvent): void {
    for (const listener of this.listeners) {
      try {
        const result: unknown = listener(event);
        // An async listener's rejection would be unhandled (the end of the process): catch it.
        // `Promise.prototype.then` itself, in case the promise's own `then` was replaced.
        if (result instanceof Promise) {
          const onRejected = (error: unknown) => this.threw(event, error);
          Promise.prototype.then.call(result, undefined, onRejected);
        }
      } catch (error) {
        this.threw(event, error);
      }
    }
  }

  /** Logs what a listener threw, whatever it is (see `describeThrown`). */
  private threw(event: JobEvent, error: unknown): void {
    const what = describeThrown(error);
    this.logger.error(LISTENER_THREW(event.type, event.name, what), stackOf(error));
  }
}
