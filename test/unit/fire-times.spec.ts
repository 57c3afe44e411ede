import { jest } from '@jest/globals';
import { CronTime } from 'cron';
import { CRON_MEMO_SIZE, fireTimes, nextCronTick } from '../../lib/engine/fire-times.js';

const at = (iso: string) => Date.parse(iso);

describe('nextCronTick', () => {
  afterEach(() => jest.restoreAllMocks());

  it('computes a thousand jobs of one expression due at one instant once, not a thousand times', () => {
    const jobs = Array.from({ length: 1000 }, () => new CronTime('0 * * * *', 'Europe/Paris'));
    const t = at('2026-03-01T10:00:00Z') + 7; // an instant no other test asks about
    const compute = jest.spyOn(CronTime.prototype, 'getNextDateFrom');
    const next = jobs.map((cronTime) => nextCronTick(cronTime, t));
    expect(compute).toHaveBeenCalledTimes(1);
    expect(new Set(next)).toEqual(new Set([at('2026-03-01T11:00:00Z')]));
  });

  it('keeps the answers of different zones, offsets and expressions apart', () => {
    const t = at('2026-06-01T10:10:00Z');
    expect(nextCronTick(new CronTime('0 * * * *', 'Europe/Paris'), t)).toBe(
      at('2026-06-01T11:00:00Z'),
    );
    // Kolkata is UTC+5:30: its top of the hour is half past in UTC.
    expect(nextCronTick(new CronTime('0 * * * *', 'Asia/Kolkata'), t)).toBe(
      at('2026-06-01T10:30:00Z'),
    );
    expect(nextCronTick(new CronTime('15 * * * *', 'Europe/Paris'), t)).toBe(
      at('2026-06-01T10:15:00Z'),
    );
  });

  it('gives the answers cron gives, across a DST change', () => {
    const paris = new CronTime('30 2 * * *', 'Europe/Paris');
    const start = at('2026-03-28T00:00:00Z'); // 2:30 does not exist in Paris on March 29
    for (let i = 0; i < 72; i++) {
      const t = start + i * 3_600_000;
      const direct = paris.getNextDateFrom(new Date(t), 'Europe/Paris').toMillis();
      expect(nextCronTick(paris, t)).toBe(direct);
    }
  });

  it('forgets the oldest answers past its size, and still answers right', () => {
    const everySecond = new CronTime('* * * * * *', 'UTC');
    const start = at('2026-05-01T00:00:00Z');
    const instants = Array.from({ length: CRON_MEMO_SIZE + 10 }, (_, i) => start + i * 1000 + 1);
    for (const t of instants) nextCronTick(everySecond, t);
    const compute = jest.spyOn(CronTime.prototype, 'getNextDateFrom');
    expect(nextCronTick(everySecond, instants[0])).toBe(start + 1000); // forgotten: computed
    expect(nextCronTick(everySecond, instants.at(-1)!)).toBe(instants.at(-1)! + 999); // kept
    expect(compute).toHaveBeenCalledTimes(1);
  });

  it('is what fireTimes walks', () => {
    const trigger = {
      kind: 'cron',
      cron: '0 0 * * *',
      timeZone: 'UTC',
      initialDelayMs: 0,
    } as const;
    expect(fireTimes(trigger, at('2026-01-01T12:00:00Z'), 3)).toEqual([
      at('2026-01-02T00:00:00Z'),
      at('2026-01-03T00:00:00Z'),
      at('2026-01-04T00:00:00Z'),
    ]);
  });
});
