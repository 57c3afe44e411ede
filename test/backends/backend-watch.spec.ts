import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { BackPressureError } from '../../lib/backends/back-pressure.error.js';
import { BackendWatch, PRESSURE_LOG_EVERY_MS } from '../../lib/backends/backend-watch.js';
import { watchText } from '../../lib/backends/backends.messages.js';

/** Errors as the backends give them (an SQLSTATE, a Redis reply, a refused connection). */
const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
  code: 'ECONNREFUSED',
});
const wrongPass = new Error('WRONGPASS invalid username-password pair or user is disabled.');
const noTable = Object.assign(new Error('relation "t" does not exist'), { code: '42P01' });
const full = (queued: number) =>
  new BackPressureError({ source: 'pool', queued, inFlight: 16, connections: 4, max: 4 });

describe('BackendWatch', () => {
  let lines: string[];
  let watch: BackendWatch;
  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
    lines = [];
    const logger = {
      error: (m: unknown) => void lines.push(`error ${String(m)}`),
      warn: (m: unknown) => void lines.push(`warn ${String(m)}`),
      log: (m: unknown) => void lines.push(`log ${String(m)}`),
    };
    watch = new BackendWatch({ logger, text: watchText('Job store postgres') });
  });
  afterEach(() => {
    jest.useRealTimers();
  });
  const fail = (error: unknown) => watch.call(() => Promise.reject(error));
  const succeed = () => watch.call(() => Promise.resolve('ok'));

  it('logs an outage once when it starts and once when it ends', async () => {
    await fail(refused);
    await fail(refused);
    jest.advanceTimersByTime(2_500);
    expect(await succeed()).toBe('ok');
    await succeed();
    expect(lines).toEqual([
      'error Job store postgres is unreachable (connect ECONNREFUSED 127.0.0.1:5432)',
      'log Job store postgres is reachable again after 2.5s',
    ]);
    expect(watch.downSince).toBeUndefined();
  });

  it('takes only a call begun after the failure as proof that the backend is back', () => {
    const before = watch.begin();
    watch.failed(refused);
    expect(watch.succeeded(before)).toBe(false); // answered before the outage was seen
    expect(watch.downSince).toBe(1_000_000);
    expect(watch.succeeded(watch.begin())).toBe(true);
    expect(lines).toHaveLength(2);
  });

  it('logs a configuration problem once for good, not as an outage', async () => {
    for (let i = 0; i < 3; i++) {
      await fail(wrongPass);
      await succeed(); // a partly usable backend: the problem is logged again only if new
    }
    await fail(noTable);
    expect(lines).toEqual([
      'error Job store postgres answers but cannot be used as configured: ' +
        'WRONGPASS invalid username-password pair or user is disabled.',
      'error Job store postgres answers but cannot be used as configured: ' +
        'relation "t" does not exist',
    ]);
    expect(watch.downSince).toBeUndefined();
    expect(watch.problem).toBe(lines[1].slice('error '.length));
  });

  it('keeps a configuration problem for the caller before the start', async () => {
    const quiet = new BackendWatch({
      logger: { error: () => lines.push('x'), warn: () => 0, log: () => 0 },
      text: watchText('x'),
      started: false,
    });
    expect(quiet.failed(wrongPass)).toEqual({ kind: 'config', reason: 'auth' });
    expect(lines).toEqual([]);
  });

  it('logs back-pressure at most once a minute, with its numbers and advice, never as down', async () => {
    await fail(full(120));
    await fail(full(300));
    jest.advanceTimersByTime(PRESSURE_LOG_EVERY_MS - 1);
    await fail(full(10));
    jest.advanceTimersByTime(1);
    await fail(full(42));
    expect(lines).toEqual([
      'warn Job store postgres is saturated, not down: 120 call(s) queued for a connection, ' +
        '16 in flight, 4 connection(s) open of at most 4. Calls wait or fail until the burst is ' +
        'over; give it a larger pool (pool options, or a pg Pool with a larger `max` that you ' +
        'pass in), spread the jobs due at one instant (jitter), or run fewer jobs per instant ' +
        '(logged once a minute at most)',
      expect.stringContaining('warn Job store postgres is saturated, not down: 42 call(s)'),
    ]);
    expect(watch.downSince).toBeUndefined();
  });

  it('logs nothing once closed', async () => {
    watch.closed = true;
    await fail(refused);
    await fail(full(1));
    expect(lines).toEqual([]);
  });
});
