import { describe, expect, it } from '@jest/globals';
import {
  cronInWords,
  durationInWords,
  scheduleInWords,
} from '../../lib/dashboard/schedule-words.js';

describe('schedule in words', () => {
  it.each([
    [5_000, '5 seconds'],
    [60_000, '1 minute'],
    [9_120_000, '2 hours 32 minutes'],
    [90_061_500, '1 day 1 hour 1 minute 1 second 500 milliseconds'],
  ])('duration %d ms is "%s"', (ms, words) => {
    expect(durationInWords(ms)).toBe(words);
  });

  it('says interval and once jobs plainly', () => {
    const job = { cron: null, initialDelayMs: 0 };
    expect(scheduleInWords({ ...job, kind: 'interval', frequencyMs: 60_000 })).toBe('Every minute');
    expect(scheduleInWords({ ...job, kind: 'interval', frequencyMs: 30_000 })).toBe(
      'Every 30 seconds',
    );
    expect(scheduleInWords({ ...job, kind: 'once', frequencyMs: null })).toBe('Once, at startup');
    expect(
      scheduleInWords({ ...job, kind: 'once', frequencyMs: null, initialDelayMs: 180_000 }),
    ).toBe('Once, 3 minutes after start');
  });

  it.each([
    ['0 16 * * *', 'Every day at 16:00'],
    ['30 7 * * 1-5', 'Monday to Friday at 07:30'],
    ['0 9 * * MON,THU', 'Every Monday and Thursday at 09:00'],
    ['0 0 * * 0', 'Every Sunday at 00:00'],
    ['0 0 1 * *', 'On day 1 of every month at 00:00'],
    ['15 30 4 * * *', 'Every day at 04:30:15'],
    ['* * * * *', 'Every minute'],
    ['*/15 * * * *', 'Every 15 minutes'],
    ['*/10 * * * * *', 'Every 10 seconds'],
    ['5 * * * *', 'Every hour, at minute 5'],
    ['0 */6 * * *', 'Every 6 hours, at minute 0'],
    ['0 9-17 * * 1-5', 'At minute 0, hour 9-17, Monday to Friday'],
    ['0 0 1 1 *', 'At minute 0, hour 0, day of month 1, in January'],
  ])('cron %s is "%s"', (cron, words) => {
    expect(cronInWords(cron)).toBe(words);
  });
});
