import type { Logger } from '@nestjs/common';
import { ClusterConfigError } from '../errors/cluster-config.error.js';
import { BACKEND_BACK, BACKEND_DOWN, BACKEND_MISCONFIGURED_LOG } from './cluster.messages.js';

/**
 * What the coordinator's backend calls tell: an outage is logged once when it starts and once
 * when it ends; a configuration problem (`ClusterConfigError`) is not an outage, and is logged
 * once for good (a partly usable backend, TIME allowed but scripts refused, would otherwise
 * log it again after each call that works).
 * @internal
 */
export class BackendWatch {
  /** When the current outage was first seen. */
  downSince: number | undefined;
  /** The last configuration problem met, until a tick claim succeeds again. */
  problem: string | undefined;
  /** A configuration problem met before the start is thrown by `start()`, not logged. */
  started = false;
  /** After close, nothing is logged. */
  closed = false;
  /** Calls started so far, and how many had started when the outage was seen. */
  private calls = 0;
  private downAfter = 0;
  private readonly problems = new Set<string>();

  constructor(
    private readonly backend: string,
    private readonly logger: Logger,
  ) {}

  /** A call starts; returns its number. */
  begin(): number {
    return ++this.calls;
  }

  failed(error: unknown): void {
    if (this.closed) return;
    if (error instanceof ClusterConfigError) {
      if (!this.started) return;
      this.problem = error.message;
      if (this.problems.has(error.message)) return;
      this.problems.add(error.message);
      this.logger.error(BACKEND_MISCONFIGURED_LOG(this.backend, error.message));
    } else if (this.downSince === undefined) {
      this.downSince = Date.now();
      this.downAfter = this.calls;
      this.logger.error(BACKEND_DOWN(this.backend, error));
    }
  }

  /** Call `seq` succeeded; true when it ends an outage (logged here). */
  succeeded(seq: number): boolean {
    // Only a call sent after the failure proves the backend is back (not one answered before it).
    if (this.downSince === undefined || seq <= this.downAfter) return false;
    this.logger.log(BACKEND_BACK(this.backend, Date.now() - this.downSince));
    this.downSince = undefined;
    return true;
  }
}
