import { describe, expect, it, jest } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { CoreLibJobsModule, InvalidJobsConfigError, JobSchedulerError } from '../../lib/index.js';
import { fixtureApp, startupFailure, useFixtureApps } from '../fixtures/fixture-app.js';
import {
  HeartbeatJob,
  MillisecondBeatJob,
  NoInitialDelayJob,
  runLog,
  UpdateCache,
} from '../fixtures/fixture-jobs.js';

useFixtureApps();

describe('a bad @Job() schedule', () => {
  it('fails init() with the one InvalidJobsConfigError, and the good jobs never run', async () => {
    const { phase, error } = await startupFailure(
      fixtureApp({
        jobsModule: CoreLibJobsModule.forRoot({
          config: {
            core_lib: {
              jobs: [{ initial_delay: 'boot', frequency: '1s', handler: { class: 'UpdateCache' } }],
            },
          },
        }),
        // The good code job comes first, so it would be scheduled before the bad one.
        providers: [HeartbeatJob, UpdateCache, NoInitialDelayJob],
      }),
    );
    expect(phase).toBe('init');
    expect(error).toBeInstanceOf(InvalidJobsConfigError);
    expect((error as InvalidJobsConfigError).problems).toEqual([
      expect.stringMatching(
        /^@Job\(\) on NoInitialDelayJob: initialDelay: undefined is invalid, expected 'boot'/,
      ),
    ]);
    // Heartbeat's first tick is at 1s and UpdateCache's at boot: a minute passes, nothing runs.
    await jest.advanceTimersByTimeAsync(60_000);
    expect(runLog).toEqual([]);
  });

  it('is reported with the YAML problems, in the same error', async () => {
    const { error } = await startupFailure(
      fixtureApp({
        jobsModule: CoreLibJobsModule.forRoot({
          config: {
            core_lib: { jobs: [{ initial_delay: 'soon', handler: { class: 'UpdateCache' } }] },
          },
        }),
        providers: [UpdateCache, NoInitialDelayJob],
      }),
    );
    expect((error as InvalidJobsConfigError).problems).toEqual([
      expect.stringContaining('@Job() on NoInitialDelayJob: initialDelay'),
      expect.stringMatching(/core_lib\.jobs\[0\].*initial_delay: got "soon"/),
    ]);
  });
});

/** The app's own @nestjs/schedule interval, under the name of one of our jobs. */
@Injectable()
class AppTimers {
  ticks = 0;

  @Interval('heartbeat', 60_000)
  tick(): void {
    this.ticks++;
  }
}

describe('a name the registry refuses at bootstrap', () => {
  it('fails init() and stops the jobs scheduled before it: none runs', async () => {
    const { phase, error } = await startupFailure(
      fixtureApp({
        jobsModule: CoreLibJobsModule.forRoot({ config: {} }),
        providers: [MillisecondBeatJob, HeartbeatJob, AppTimers],
      }),
    );
    expect(phase).toBe('init');
    expect(error).toBeInstanceOf(JobSchedulerError);
    expect(error.message).toMatch(/'heartbeat' is already scheduled/);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(runLog).toEqual([]); // ms-beat (500 ms, then every 250 ms) was scheduled first
  });
});
