import { BackPressureError, type BackPressure } from './back-pressure.error.js';
import { postgresFaultOf } from './postgres/postgres-errors.js';
import { redisFaultOf } from './redis/redis-errors.js';

/**
 * What a failed backend call says about the backend:
 * - `outage`: it cannot be reached or is failing over; passes on its own.
 * - `config`: it answers but cannot be used as configured (a wrong password, a missing table or
 *   privilege); does not pass on its own. `reason` names which (see postgresFaultOf, redisFaultOf).
 * - `back-pressure`: it answers, but our queue for its connections is full.
 */
export type BackendFault =
  | { kind: 'outage' }
  | { kind: 'config'; reason: string }
  | { kind: 'back-pressure'; pressure: BackPressure };

/**
 * The fault behind any error of the PostgreSQL or Redis plumbing: a `BackPressureError`, an
 * SQLSTATE, a Redis error reply, else an outage. An error with a `backendFault` of its own (a
 * typed config error, say) is taken at its word.
 */
export function faultOf(error: unknown): BackendFault {
  if (error instanceof BackPressureError)
    return { kind: 'back-pressure', pressure: error.pressure };
  const own = (error as { backendFault?: unknown } | null)?.backendFault;
  if (isFault(own)) return own;
  return postgresFaultOf(error) ?? redisFaultOf(error) ?? { kind: 'outage' };
}

const isFault = (value: unknown): value is BackendFault =>
  typeof value === 'object' &&
  value !== null &&
  ['outage', 'config', 'back-pressure'].includes((value as { kind?: unknown }).kind as string);
