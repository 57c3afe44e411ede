import { describe, expect, it, jest } from '@jest/globals';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CoreLibJobsModule, JobScheduler } from '../../lib/index.js';
import { fixtureApp, startApp, useFixtureApps } from '../fixtures/fixture-app.js';
import { FixtureCoreLib, UpdateCache, runLog } from '../fixtures/fixture-jobs.js';

useFixtureApps();

describe('smoke', () => {
  it('runs a YAML job at bootstrap with coreLib, then every 30s', async () => {
    const mod = await startApp(
      fixtureApp({
        jobsModule: CoreLibJobsModule.forRoot({
          coreLib: FixtureCoreLib,
          config: {
            core_lib: {
              jobs: [
                {
                  initial_delay: 'startup',
                  frequency: '30s',
                  handler: { class: 'UpdateCache', params: { key: 'users' } },
                },
              ],
            },
          },
        }),
        providers: [UpdateCache],
      }),
    );
    await jest.advanceTimersByTimeAsync(0);
    expect(runLog).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(runLog).toHaveLength(3);
    expect(runLog.every((r) => r.coreLib === mod.get(FixtureCoreLib))).toBe(true);
    expect(mod.get(SchedulerRegistry).getIntervals()).toEqual(['UpdateCache']);
    expect(mod.get(JobScheduler).list()[0].runs).toBe(3);
  });
});
