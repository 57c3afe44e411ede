import type { LoggerService } from '@nestjs/common';
import { faultOf, type BackendFault } from './backend-fault.js';
import type { WatchText } from './backends.messages.js';

/** What a `BackendWatch` is given. */
export interface BackendWatchOptions {
  logger: Pick<LoggerService, 'error' | 'warn' | 'log'>;
  /** Its log lines (`watchText(label)` for the defaults). */
  text: WatchText;
  /** How an error is classified (default: `faultOf`). */
  classify?: (error: unknown) => BackendFault;
  /** Whether config problems are logged from the start (default true; see `started`). */
  started?: boolean;
}

/** Back-pressure is logged at most this often. */
export const PRESSURE_LOG_EVERY_MS = 60_000;

/**
 * What the calls to one backend tell, logged without repeating itself: an outage once when it
 * starts and once when it ends; a configuration problem once for good (per distinct message: a
 * partly usable backend would otherwise log it again after each call that works); back-pressure
 * (a full pool while the backend answers) once per minute at most, with its numbers, and never
 * as an outage. Use `call()` for calls whose errors are only logged, or `begin()`, `failed()`
 * and `succeeded()` around calls whose errors the caller handles.
 */
export class BackendWatch {
  /** When the current outage was first seen. */
  downSince: number | undefined;
  /** The last configuration problem met, until a call begun after it succeeds. */
  problem: string | undefined;
  /** Before the start, configuration problems are the caller's to throw, not logged here. */
  started: boolean;
  /** After close, nothing is logged. */
  closed = false;
  private calls = 0;
  private downAfter = 0;
  private problemAfter = 0;
  private readonly problems = new Set<string>();
  private pressureLoggedAt = -Infinity;

  constructor(private readonly o: BackendWatchOptions) {
    this.started = o.started ?? true;
  }

  /** Runs `call`, never throwing; resolves with its result, or undefined when it failed. */
  async call<T>(call: () => Promise<T>): Promise<T | undefined> {
    const seq = this.begin();
    try {
      const result = await call();
      this.succeeded(seq);
      return result;
    } catch (error) {
      this.failed(error);
      return undefined;
    }
  }

  /** A call starts; returns its number for `succeeded()`. */
  begin(): number {
    return ++this.calls;
  }

  /** A call failed: logs what it means (once), and returns it. */
  failed(error: unknown): BackendFault {
    const fault = (this.o.classify ?? faultOf)(error);
    if (this.closed) return fault;
    if (fault.kind === 'back-pressure') {
      const now = Date.now();
      if (now - this.pressureLoggedAt < PRESSURE_LOG_EVERY_MS) return fault;
      this.pressureLoggedAt = now;
      this.o.logger.warn(this.o.text.pressure(fault.pressure));
    } else if (fault.kind === 'config') {
      if (!this.started) return fault;
      const message = this.o.text.problem(error);
      this.problem = message;
      this.problemAfter = this.calls;
      if (this.problems.has(message)) return fault;
      this.problems.add(message);
      this.o.logger.error(message);
    } else if (this.downSince === undefined) {
      this.downSince = Date.now();
      this.downAfter = this.calls;
      this.o.logger.error(this.o.text.down(error));
    }
    return fault;
  }

  /** Call `seq` succeeded; true when it ends an outage (logged here). */
  succeeded(seq: number): boolean {
    if (this.problem !== undefined && seq > this.problemAfter) this.problem = undefined;
    // Only a call begun after the failure proves the backend is back (not one answered before).
    if (this.downSince === undefined || seq <= this.downAfter) return false;
    this.o.logger.log(this.o.text.back(Date.now() - this.downSince));
    this.downSince = undefined;
    return true;
  }
}
