import { jest } from '@jest/globals';
import { SchedulerRegistry } from '@nestjs/schedule';
import { JobRegistration } from '../../lib/engine/job-registration.js';

/**
 * The registration keeps one unref'd Node timer on its entries' duration (so that Node keeps that
 * timer list instead of creating and deleting one per job). It must not keep the process alive,
 * and a test's fake timers must not see it.
 */
const control = { pause: () => undefined, resume: () => undefined, runNow: async () => undefined };
const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('JobRegistration anchor timer', () => {
  afterEach(() => jest.useRealTimers());

  it('does not keep the process alive', () => {
    const before = timeouts();
    const registration = new JobRegistration(new SchedulerRegistry(), control as never);
    expect(timeouts()).toBe(before);
    registration.close();
  });

  it('is a real timer that fake timers neither count nor are asked to clear', () => {
    jest.useFakeTimers();
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const registration = new JobRegistration(new SchedulerRegistry(), control as never);
    expect(jest.getTimerCount()).toBe(0);
    registration.close();
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });
});
