import { CronTime } from 'cron';
import { nextCronTick, nextOnGrid } from '../../lib/engine/fire-times.js';
import type { CatchUpSettings } from '../../lib/engine/job-spec.catch-up.js';
import { missedTicks } from '../../lib/engine/missed-ticks.js';

const DAY = 24 * 3_600_000;
const at = (iso: string): number => Date.parse(iso);
const iso = (ts: number[]): string[] => ts.map((t) => new Date(t).toISOString());
const cron = (expr: string, zone: string) => {
  const time = new CronTime(expr, zone);
  return (t: number): number => nextCronTick(time, t);
};
const policy = (over: Partial<CatchUpSettings>): CatchUpSettings => ({
  catchUp: 'all',
  catchUpWindowMs: DAY,
  catchUpLimit: 10,
  ...over,
});

describe('missedTicks (fixed clock)', () => {
  const hourlyParis = cron('0 * * * *', 'Europe/Paris');

  it('cron across the spring DST change: 02:00 does not exist in Paris', () => {
    // Last tick 00:00 CET; now 06:00 CEST. Missed: 01:00 CET, 03:00, 04:00, 05:00 CEST.
    const r = missedTicks(hourlyParis, at('2026-03-28T23:00:00Z'), at('2026-03-29T04:00:00Z'), {
      ...policy({}),
    });
    expect(iso(r.due)).toEqual([
      '2026-03-29T00:00:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-29T02:00:00.000Z',
      '2026-03-29T03:00:00.000Z',
    ]);
    expect(r.older).toBe(false);
  });

  it('cron across the autumn DST change: 02:00 runs twice (CEST, then CET)', () => {
    const r = missedTicks(hourlyParis, at('2026-10-24T23:00:00Z'), at('2026-10-25T03:30:00Z'), {
      ...policy({}),
    });
    expect(iso(r.due)).toEqual([
      '2026-10-25T00:00:00.000Z', // 02:00 CEST
      '2026-10-25T01:00:00.000Z', // 02:00 CET
      '2026-10-25T02:00:00.000Z',
      '2026-10-25T03:00:00.000Z',
    ]);
  });

  it('daily cron at a time the spring change skips: the one tick the engine fires', () => {
    const daily = cron('30 2 * * *', 'Europe/Paris');
    const last = at('2026-03-28T01:30:00Z');
    const r = missedTicks(daily, last, at('2026-03-29T12:00:00Z'), policy({ catchUp: 'last' }));
    expect(r.due).toEqual([daily(last)]);
    expect(iso(r.due)).toEqual(['2026-03-29T01:00:00.000Z']);
  });

  it('interval: the stored grid (last tick + k × frequency), strictly before now', () => {
    const last = 1_000_000;
    const grid = (t: number): number => nextOnGrid(last, 1_000, t);
    const r = missedTicks(grid, last, last + 3_500, policy({}));
    expect(r.due).toEqual([last + 1_000, last + 2_000, last + 3_000]);
    // A tick due exactly now is the live schedule's, not a missed one.
    expect(missedTicks(grid, last, last + 3_000, policy({})).due).toEqual([
      last + 1_000,
      last + 2_000,
    ]);
  });

  it('last: only the latest missed tick', () => {
    const last = 5_000;
    const grid = (t: number): number => nextOnGrid(last, 1_000, t);
    const r = missedTicks(grid, last, last + 3_500, policy({ catchUp: 'last' }));
    expect(r).toEqual({ due: [last + 3_000], older: true });
  });

  it('none: nothing', () => {
    const grid = (t: number): number => nextOnGrid(0, 1_000, t);
    expect(missedTicks(grid, 0, 10_000, policy({ catchUp: 'none' })).due).toEqual([]);
  });

  it('limit: the latest catchUpLimit ticks, oldest first', () => {
    const last = 0;
    const grid = (t: number): number => nextOnGrid(last, 1_000, t);
    const r = missedTicks(grid, last, 20_500, policy({ catchUpLimit: 3 }));
    expect(r).toEqual({ due: [18_000, 19_000, 20_000], older: true });
  });

  it('window: ticks older than catchUpWindow are never run', () => {
    const last = 0;
    const grid = (t: number): number => nextOnGrid(last, 1_000, t);
    const r = missedTicks(grid, last, 10_500, policy({ catchUpWindowMs: 2_500 }));
    // now - window = 8000: 8000 is in the window, 7000 is not.
    expect(r).toEqual({ due: [8_000, 9_000, 10_000], older: true });
    const none = missedTicks(grid, last, 10_500, policy({ catchUpWindowMs: 400 }));
    expect(none).toEqual({ due: [], older: true });
  });

  it('a 1-second job missed for a day is cheap to work out', () => {
    const last = at('2026-01-01T00:00:00Z');
    let calls = 0;
    const grid = (t: number): number => (calls++, nextOnGrid(last, 1_000, t));
    const r = missedTicks(grid, last, last + DAY - 500, policy({ catchUpWindowMs: DAY }));
    expect(r.due).toHaveLength(10);
    expect(r.due[9]).toBe(last + DAY - 1_000);
    expect(calls).toBeLessThan(200);
  });

  it('no tick after the last one before now: nothing missed', () => {
    const grid = (t: number): number => nextOnGrid(0, 60_000, t);
    expect(missedTicks(grid, 60_000, 119_999, policy({}))).toEqual({ due: [], older: false });
  });
});
