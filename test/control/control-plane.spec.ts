import { jest } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreLibJobsModule, InvalidJobsConfigError, JobScheduler } from '../../lib/index.js';
import { InvalidJobDefinitionError } from '../../lib/control/invalid-job-definition.error.js';
import { closeApp, fixtureApp, startApp, useFixtureApps } from '../fixtures/fixture-app.js';
import { FixtureCoreLib, runLog, SendReport, UpdateCache } from '../fixtures/fixture-jobs.js';

const runsNamed = (name: string): number => runLog.filter((r) => r.name === name).length;
const advance = (ms: number): Promise<void> => jest.advanceTimersByTimeAsync(ms);

// The control plane in one process (memory), and across restarts of one process (file).
describe('JobScheduler control plane (memory and file)', () => {
  const logs = useFixtureApps();

  async function app(options: Parameters<typeof CoreLibJobsModule.forRoot>[0] = {}) {
    const mod = await startApp(
      fixtureApp({
        jobsModule: CoreLibJobsModule.forRoot({ config: {}, coreLib: FixtureCoreLib, ...options }),
        providers: [UpdateCache, SendReport],
      }),
    );
    return { mod, scheduler: mod.get(JobScheduler) };
  }

  it('upsert() schedules a registered job by name, with its params; remove() stops it', async () => {
    const { scheduler } = await app();
    await scheduler.upsert(
      'hourly-cache',
      {
        handler: { class: 'UpdateCache', params: { key: 'k' } },
        initial_delay: '1s',
        frequency: '10s',
      },
      { by: 'ops', reason: 'warm it' },
    );
    await advance(21_500);
    expect(runsNamed('hourly-cache')).toBe(3);
    expect(runLog.find((r) => r.name === 'hourly-cache')?.params).toEqual({ key: 'k' });
    expect(scheduler.get('hourly-cache')).toMatchObject({ stored: true, frequencyMs: 10_000 });
    expect(scheduler.definitions()).toEqual([
      expect.objectContaining({
        name: 'hourly-cache',
        by: 'ops',
        state: 'scheduled',
        problem: null,
      }),
    ]);
    // Changed: the new frequency takes over.
    await scheduler.upsert('hourly-cache', {
      handler: { class: 'UpdateCache' },
      initial_delay: '1s',
      frequency: '1m',
    });
    expect(scheduler.get('hourly-cache')?.frequencyMs).toBe(60_000);
    await expect(scheduler.remove('hourly-cache', { by: 'ops' })).resolves.toBe(true);
    const before = runsNamed('hourly-cache');
    await advance(200_000);
    expect(runsNamed('hourly-cache')).toBe(before);
    expect(scheduler.get('hourly-cache')).toBeUndefined();
    const audit = await scheduler.audit({ name: 'hourly-cache' });
    expect(audit.map((e) => e.action)).toEqual(['remove', 'upsert', 'upsert']);
    expect(audit[2]).toMatchObject({ by: 'ops', reason: 'warm it', change: { before: null } });
    expect(audit[1].change).toMatchObject({
      before: { frequency: '10s' },
      after: { frequency: '1m' },
    });
    expect(audit[0].at).toBeInstanceOf(Date);
  });

  it('refuses a bad definition with one line per problem, in the words of YAML', async () => {
    const { scheduler } = await app();
    let error: InvalidJobsConfigError | undefined;
    try {
      void scheduler.upsert('bad', {
        handler: { class: 'UpdateCach' },
        initial_delay: '1s',
        frequency: 30,
        frequncy: '1s',
        cron: '* * *',
      } as never);
    } catch (e) {
      error = e as InvalidJobsConfigError;
    }
    expect(error).toBeInstanceOf(InvalidJobDefinitionError);
    expect(error).toBeInstanceOf(InvalidJobsConfigError);
    const problems = error!.problems.join('\n');
    expect(problems).toContain(
      "JobScheduler.upsert('bad'): handler.class: got \"UpdateCach\", expected one of the app's jobs",
    );
    expect(problems).toContain("did you mean 'UpdateCache'?");
    expect(problems).toContain(
      'frequncy: got "1s", expected a known key; did you mean \'frequency\'?',
    );
    expect(problems).toContain('frequency: got 30, expected a duration');
    expect(error!.problems.every((p) => p.startsWith("JobScheduler.upsert('bad'): "))).toBe(true);
    expect(scheduler.definitions()).toEqual([]);
    expect(await scheduler.audit()).toEqual([]);
    // Params that JSON would change, and a name a YAML/@Job schedule owns.
    expect(() =>
      scheduler.upsert('fn', {
        handler: { class: 'UpdateCache', params: { f: () => 1 } },
        initial_delay: '1s',
      }),
    ).toThrow(/handler.params: .*expected plain JSON data/);
  });

  it('a YAML entry wins: upsert() of its name is refused', async () => {
    const { scheduler } = await app({
      config: {
        core_lib: {
          jobs: [{ name: 'nightly', initial_delay: '1h', handler: { class: 'UpdateCache' } }],
        },
      },
    });
    expect(() =>
      scheduler.upsert('nightly', { handler: { class: 'UpdateCache' }, initial_delay: '1s' }),
    ).toThrow(/is a schedule of this app's YAML, @Job\(\) or code/);
  });

  it('pause() with by and reason: shown in list() and audit(); resume() puts it back', async () => {
    const { scheduler } = await app();
    await scheduler.upsert('tick', {
      handler: { class: 'UpdateCache' },
      initial_delay: '1s',
      frequency: '1s',
    });
    await advance(2_500);
    const ran = runsNamed('tick');
    expect(ran).toBe(2);
    const paused = scheduler.pause('tick', { by: 'alice', reason: 'upstream is down' });
    // Held at once in one process (the old synchronous behaviour).
    expect(scheduler.get('tick')?.state).toBe('paused');
    await paused;
    await advance(5_000);
    expect(runsNamed('tick')).toBe(ran);
    expect(scheduler.get('tick')?.pause).toMatchObject({ by: 'alice', reason: 'upstream is down' });
    await scheduler.resume('tick', { by: 'bob' });
    await advance(3_000);
    expect(runsNamed('tick')).toBeGreaterThan(ran);
    expect(scheduler.get('tick')?.pause).toBeUndefined();
    const audit = await scheduler.audit({ name: 'tick', limit: 2 });
    expect(audit.map((e) => [e.action, e.by, e.reason])).toEqual([
      ['resume', 'bob', null],
      ['pause', 'alice', 'upstream is down'],
    ]);
    await scheduler.trigger('tick', { x: 1 }, { by: 'carol', reason: 'check' });
    expect((await scheduler.audit({ limit: 1 }))[0]).toMatchObject({
      action: 'trigger',
      by: 'carol',
      change: { params: { x: 1 } },
    });
    expect(() => scheduler.pause('missing')).toThrow(/No job named 'missing'/);
  });

  it('file store: definitions and pauses survive a restart; a missing class is skipped and shown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'control-'));
    try {
      const store = { backend: 'file' as const, path: join(dir, 'state.json') };
      const first = await app({ store });
      await first.scheduler.upsert('kept', {
        handler: { class: 'UpdateCache' },
        initial_delay: '1s',
        frequency: '1s',
      });
      await first.scheduler.pause('kept', { by: 'alice', reason: 'maintenance' });
      await closeApp(first.mod);
      const second = await app({ store });
      await advance(5_000);
      expect(runsNamed('kept')).toBe(0);
      expect(second.scheduler.get('kept')).toMatchObject({
        state: 'paused',
        stored: true,
        pause: { by: 'alice', reason: 'maintenance' },
      });
      await second.scheduler.resume('kept');
      await advance(2_500);
      expect(runsNamed('kept')).toBe(2);
      await closeApp(second.mod);

      // A definition naming a class this app does not have (removed in a deploy).
      const file = JSON.parse(
        (await import('node:fs')).readFileSync(join(dir, 'control.json'), 'utf8'),
      );
      file.definitions.gone = {
        ...file.definitions.kept,
        definition: { handler: { class: 'Removed' }, initial_delay: '1s' },
      };
      writeFileSync(join(dir, 'control.json'), JSON.stringify(file));
      logs.length = 0;
      const third = await app({ store });
      const warnings = logs.filter((l) => l.level === 'warn' && l.message.includes("'gone'"));
      expect(warnings).toHaveLength(1);
      expect(warnings[0].message).toContain('handler.class: got "Removed"');
      expect(third.scheduler.get('gone')).toMatchObject({ state: 'stopped', stored: true });
      expect(third.scheduler.get('gone')?.problem).toContain('Removed');
      expect(third.scheduler.definitions().find((d) => d.name === 'gone')?.state).toBe('skipped');
      expect(third.scheduler.get('kept')?.state).toBe('scheduled');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
