import { BACK_PRESSURE_ERROR } from './backends.messages.js';

/** How full a backend's queue was when a call could not get a connection in time. */
export interface BackPressure {
  /** Whose queue was full: pg-pool's wait for a client, or our own queue of calls. */
  source: 'pool' | 'queue';
  /** Calls waiting for a connection (pg-pool's `waitingCount`, or our own queue's length). */
  queued: number;
  /** Calls holding a connection (or a slot of our own limit) at that moment. */
  inFlight: number;
  /** Connections the pool had open (`totalCount`). */
  connections: number;
  /** The pool's `max`, when we made the pool. */
  max?: number;
}

/**
 * A call refused because the backend's queue was full while the backend itself answers: the
 * app asks more than the pool can carry (back-pressure), which is not an outage.
 */
export class BackPressureError extends Error {
  override readonly name = 'BackPressureError';

  constructor(
    readonly pressure: BackPressure,
    options?: ErrorOptions,
  ) {
    super(BACK_PRESSURE_ERROR(pressure), options);
  }
}
