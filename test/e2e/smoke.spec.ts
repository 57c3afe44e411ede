import { jest } from '@jest/globals';
import { Module } from '@nestjs/common';
import { ScheduleModule, SchedulerRegistry } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import { CoreLibJobsModule, JobScheduler } from '../../lib/index.js';
import { FixtureCoreLib, UpdateCache, runLog } from '../fixtures/fixture-jobs.js';

describe('smoke', () => {
  it('runs a YAML job at bootstrap with coreLib', async () => {
    jest.useFakeTimers();
    @Module({
      imports: [
        ScheduleModule.forRoot(),
        CoreLibJobsModule.forRoot({
          coreLib: FixtureCoreLib,
          config: { core_lib: { jobs: [{ initial_delay: 'startup', frequency: '30s', handler: { class: 'UpdateCache', params: { key: 'users' } } }] } },
        }),
      ],
      providers: [FixtureCoreLib, UpdateCache],
    })
    class AppModule {}
    const mod = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const app = await mod.init();
    jest.advanceTimersByTime(1);
    expect(runLog.length).toBe(1);
    jest.advanceTimersByTime(60_000);
    expect(runLog.length).toBe(3);
    expect(mod.get(SchedulerRegistry).getIntervals()).toEqual(['UpdateCache']);
    expect(mod.get(JobScheduler).list()[0].runs).toBe(3);
    await app.close();
    jest.useRealTimers();
  });
});
