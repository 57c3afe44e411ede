/** Message text of the shared backend plumbing: outages, config problems, back-pressure. */
import { describeThrown } from '../utils/thrown-value.js';
import { formatDuration } from '../utils/duration.parser.js';
import type { BackPressure } from './back-pressure.error.js';

/** The numbers of a full queue, as a phrase. */
const numbers = (p: BackPressure): string =>
  `${p.queued} call(s) queued for a connection, ${p.inFlight} in flight, ` +
  `${p.connections} connection(s) open${p.max === undefined ? '' : ` of at most ${p.max}`}`;

export const BACK_PRESSURE_ERROR = (p: BackPressure): string =>
  p.source === 'pool'
    ? `no connection free in time: the pool is saturated (${numbers(p)}); the server answers`
    : `queue of calls full (${numbers(p)}); the server answers`;

/** What to do about back-pressure. */
export const BACK_PRESSURE_ADVICE =
  'give it a larger pool (pool options, or a pg Pool with a larger `max` that you pass in), ' +
  'spread the jobs due at one instant (jitter), or run fewer jobs per instant';

/** The default texts of a `BackendWatch` for `label` (such as "Job store postgres"). */
export const watchText = (label: string) => ({
  down: (error: unknown): string => `${label} is unreachable (${describeThrown(error)})`,
  back: (downMs: number): string => `${label} is reachable again after ${formatDuration(downMs)}`,
  problem: (error: unknown): string =>
    `${label} answers but cannot be used as configured: ${describeThrown(error)}`,
  pressure: (p: BackPressure): string =>
    `${label} is saturated, not down: ${numbers(p)}. Calls wait or fail until the burst is ` +
    `over; ${BACK_PRESSURE_ADVICE} (logged once a minute at most)`,
});

export type WatchText = ReturnType<typeof watchText>;

export const REDIS_NOT_READY = (status: string, cause: Error | undefined): string =>
  `Redis connection is ${status}${cause ? `, last error: ${cause.message}` : ''}`;
