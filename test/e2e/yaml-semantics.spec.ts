import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CoreLibJobsModule, JobScheduler } from '../../lib/index.js';
import { appYaml, captureLogs, closeApps, fixtureApp, startApp } from '../fixtures/fixture-app.js';
import {
  FixtureCoreLib,
  SendReport,
  UpdateCache,
  resetLogs,
  runLog,
  runsOf,
} from '../fixtures/fixture-jobs.js';

const ENV_KEYS = ['FIXTURE_FREQUENCY', 'FIXTURE_JOBS_ENABLED', 'FIXTURE_CACHE_KEY', 'FIXTURE_USER'];
let savedEnv: Record<string, string | undefined>;

beforeEach(() => {
  resetLogs();
  captureLogs();
  savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
});

afterEach(async () => {
  await closeApps();
  jest.useRealTimers();
  jest.restoreAllMocks();
  for (const [key, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

/** Starts the fixture app on a YAML file from `test/fixtures/apps/`. */
const startOn = (file: string) =>
  startApp(
    fixtureApp({
      jobsModule: CoreLibJobsModule.forRoot({ config: appYaml(file), coreLib: FixtureCoreLib }),
      providers: [UpdateCache, SendReport],
    }),
  );

const keys = () => runsOf('UpdateCache').map((r) => (r.params as { key: string }).key);

describe('YAML schedule semantics', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });

  it("initial_delay 'boot' and 'startup' run at once, and an absent, null, empty or None frequency runs once", async () => {
    const mod = await startOn('once.yaml');
    const registry = mod.get(SchedulerRegistry);
    expect(registry.getTimeouts().sort()).toEqual(['absent', 'empty', 'none', 'null']);
    expect(registry.getIntervals()).toEqual([]);
    await jest.advanceTimersByTimeAsync(0);
    expect(keys().sort()).toEqual(['absent', 'empty', 'none', 'null']);
    expect(runLog.every((r) => r.at === runLog[0].at)).toBe(true);
    await jest.advanceTimersByTimeAsync(24 * 3600_000);
    expect(keys()).toHaveLength(4);
    // A once job leaves the registry after its run.
    expect(registry.getTimeouts()).toEqual([]);
  });

  it('passes params to every run, not only the first', async () => {
    await startOn('basic.yaml');
    await jest.advanceTimersByTimeAsync(120_000);
    expect(runsOf('UpdateCache')).toHaveLength(5);
    expect(runsOf('UpdateCache').map((r) => r.params)).toEqual(Array(5).fill({ key: 'users' }));
  });

  it("reads frequency '16:00' as 16 minutes and '2h32m' as 2 h 32 min (pytimeparse), with a dotted class", async () => {
    const start = Date.now();
    const mod = await startOn('core-lib-style.yaml');
    await jest.advanceTimersByTimeAsync((2 * 60 + 32) * 60_000 - 1);
    expect(runLog).toEqual([]);
    await jest.advanceTimersByTimeAsync(1 + 32 * 60_000);
    const minutes = runsOf('UpdateCache').map((r) => (r.at - start) / 60_000);
    expect(minutes).toEqual([152, 168, 184]);
    expect(
      runsOf('UpdateCache').every(
        (r) => (r.params as { some_param: string }).some_param === 'some value',
      ),
    ).toBe(true);
    expect(mod.get(JobScheduler).list()[0].schedule).toMatch(/every 16m/);
  });

  it("waits a delay longer than Node's timer limit: '30 days' is 30 days", async () => {
    const t0 = Date.now();
    await startOn('long-delay.yaml');
    await jest.advanceTimersByTimeAsync(30 * 86_400_000 - 1);
    expect(runLog).toEqual([]);
    await jest.advanceTimersByTimeAsync(30 * 86_400_000 + 1);
    expect(runsOf('UpdateCache').map((r) => (r.at - t0) / 86_400_000)).toEqual([30, 60]);
  });

  it('enabled: false turns a job off', async () => {
    const mod = await startOn('disabled.yaml');
    await jest.advanceTimersByTimeAsync(60_000);
    expect(runsOf('UpdateCache')).toEqual([]);
    expect(runsOf('send-report')).toHaveLength(7);
    expect(mod.get(SchedulerRegistry).getIntervals()).toEqual(['on']);
  });

  it('${oc.env:JOBS_ENABLED,true} turns a job off from the environment', async () => {
    process.env.FIXTURE_FREQUENCY = '10s';
    process.env.FIXTURE_USER = 'ada';
    process.env.FIXTURE_JOBS_ENABLED = 'false';
    await startOn('env.yaml');
    await jest.advanceTimersByTimeAsync(60_000);
    expect(runLog).toEqual([]);
  });

  it('${oc.env:VAR,default} falls back to its default when the variable is unset', async () => {
    process.env.FIXTURE_FREQUENCY = '10s';
    process.env.FIXTURE_USER = 'ada';
    delete process.env.FIXTURE_JOBS_ENABLED;
    delete process.env.FIXTURE_CACHE_KEY;
    await startOn('env.yaml');
    await jest.advanceTimersByTimeAsync(0);
    expect(runsOf('UpdateCache').map((r) => r.params)).toEqual([
      { key: 'fallback-key', greeting: 'Hello ada' },
    ]);
  });

  it('${VAR} and ${oc.env:VAR} take their values from the environment, in durations and params', async () => {
    process.env.FIXTURE_FREQUENCY = '7s';
    process.env.FIXTURE_USER = 'grace';
    process.env.FIXTURE_CACHE_KEY = 'from-env';
    process.env.FIXTURE_JOBS_ENABLED = 'true';
    await startOn('env.yaml');
    await jest.advanceTimersByTimeAsync(14_000);
    expect(runsOf('UpdateCache').map((r) => r.params)).toEqual(
      Array(3).fill({ key: 'from-env', greeting: 'Hello grace' }),
    );
  });
});

describe('cron from YAML', () => {
  it('registers a cron job and runs it at 16:00 Europe/Paris (winter, UTC+1)', async () => {
    jest.useFakeTimers({ now: new Date('2025-01-15T14:59:59.000Z') }); // 15:59:59 in Paris
    const mod = await startOn('cron.yaml');
    expect([...mod.get(SchedulerRegistry).getCronJobs().keys()]).toEqual(['teatime']);
    expect(mod.get(JobScheduler).get('teatime')?.nextRunAt).toEqual(
      new Date('2025-01-15T15:00:00.000Z'),
    );
    await jest.advanceTimersByTimeAsync(999);
    expect(runLog).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(runsOf('UpdateCache').map((r) => [new Date(r.at).toISOString(), r.params])).toEqual([
      ['2025-01-15T15:00:00.000Z', { key: 'tea' }],
    ]);
    // Next day, same Paris time; nothing at 16:00 UTC in between.
    await jest.advanceTimersByTimeAsync(24 * 3600_000);
    expect(runsOf('UpdateCache').map((r) => new Date(r.at).toISOString())).toEqual([
      '2025-01-15T15:00:00.000Z',
      '2025-01-16T15:00:00.000Z',
    ]);
  });

  it('follows the zone across seasons: 16:00 Paris is 14:00 UTC in summer (UTC+2)', async () => {
    jest.useFakeTimers({ now: new Date('2025-07-01T13:59:59.000Z') }); // 15:59:59 in Paris
    await startOn('cron.yaml');
    await jest.advanceTimersByTimeAsync(1_000);
    expect(runsOf('UpdateCache').map((r) => new Date(r.at).toISOString())).toEqual([
      '2025-07-01T14:00:00.000Z',
    ]);
  });

  it('keeps 16:00 Paris time across the spring-forward change', async () => {
    jest.useFakeTimers({ now: new Date('2025-03-29T12:00:00.000Z') });
    await startOn('cron.yaml');
    // 29 Mar (UTC+1), 30 Mar (spring forward, UTC+2), 31 Mar.
    await jest.advanceTimersByTimeAsync(3 * 24 * 3600_000);
    expect(runsOf('UpdateCache').map((r) => new Date(r.at).toISOString())).toEqual([
      '2025-03-29T15:00:00.000Z',
      '2025-03-30T14:00:00.000Z',
      '2025-03-31T14:00:00.000Z',
    ]);
  });

  /** Runs of a daily 02:30 Paris job during the Paris calendar day [fromUtc, toUtc). */
  async function dailyAt0230(fromUtc: string, toUtc: string): Promise<string[]> {
    jest.useFakeTimers({ now: new Date(new Date(fromUtc).getTime() - 3600_000) });
    await startApp(
      fixtureApp({
        jobsModule: CoreLibJobsModule.forRoot({
          config: {
            core_lib: {
              jobs: [
                {
                  name: 'small-hours',
                  cron: '30 2 * * *',
                  time_zone: 'Europe/Paris',
                  handler: { class: 'UpdateCache' },
                },
              ],
            },
          },
          coreLib: FixtureCoreLib,
        }),
        providers: [UpdateCache],
      }),
    );
    await jest.advanceTimersByTimeAsync(new Date(toUtc).getTime() - Date.now());
    return runsOf('UpdateCache')
      .map((r) => new Date(r.at).toISOString())
      .filter((t) => t >= fromUtc && t < toUtc);
  }

  it('does not skip 02:30 on the spring-forward day, when 02:30 does not exist in Paris', async () => {
    const runs = await dailyAt0230('2025-03-29T23:00:00.000Z', '2025-03-30T22:00:00.000Z');
    expect(runs).toHaveLength(1);
  });

  it('does not run 02:30 twice on the fall-back day, when 02:30 happens twice in Paris', async () => {
    const runs = await dailyAt0230('2025-10-25T22:00:00.000Z', '2025-10-26T23:00:00.000Z');
    expect(runs).toHaveLength(1);
  });
});
