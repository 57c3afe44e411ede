import { afterEach, describe, expect, it } from '@jest/globals';
import { ScheduleModule } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import { InvalidJobsConfigError, JobsSetupError } from 'nestjs-core-lib-jobs';
import { CoreLibJobsDashboardModule } from 'nestjs-core-lib-jobs/dashboard';
import { startDashboardApp, type DashboardApp } from './helpers/dashboard-app.js';
import { request, tokenOf } from './helpers/http.js';

const WHERE = 'CoreLibJobsDashboardModule options';

async function startupError(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected startup to fail, but it succeeded');
}

describe('CoreLibJobsDashboardModule options', () => {
  let started: DashboardApp | undefined;
  afterEach(async () => {
    await started?.app.close();
    started = undefined;
  });

  it('refuses bad options at startup, every problem on its own line', async () => {
    const options = { readOnly: 'yes', authorize: 'admins', colour: 'blue' } as never;
    const error = await startupError(() =>
      startDashboardApp(CoreLibJobsDashboardModule.forRoot(options)),
    );
    expect(error).toBeInstanceOf(InvalidJobsConfigError);
    expect((error as InvalidJobsConfigError).problems).toEqual([
      `${WHERE}: colour: unknown option, expected one of ` +
        'readOnly, authorize, path, guards, imports',
      `${WHERE}: readOnly: "yes" is invalid, expected true or false`,
      `${WHERE}: authorize: "admins" is invalid, expected a function (request) => boolean`,
    ]);
  });

  it('refuses a bad path or bad guards when forRoot() is called', () => {
    const call = () =>
      CoreLibJobsDashboardModule.forRoot({ path: 'jobs dashboard', guards: ['x'] as never });
    expect(call).toThrow(InvalidJobsConfigError);
    expect(call).toThrow(`${WHERE}: path: "jobs dashboard" is invalid, expected a URL path`);
    expect(call).toThrow(`${WHERE}: guards: ["x"] is invalid, expected an array of guard classes`);
  });

  it('forRootAsync(): the factory gives the same options; path stays beside it', async () => {
    const dashboard = CoreLibJobsDashboardModule.forRootAsync({
      path: 'ops/jobs',
      useFactory: async () => ({ readOnly: true }),
    });
    started = await startDashboardApp(dashboard);
    const page = await request(`${started.origin}/ops/jobs`);
    expect(page.status).toBe(200);
    expect(page.body).not.toContain('<button');
    const reply = await request(`${started.origin}/ops/jobs/api/pause`, {
      method: 'POST',
      json: { name: 'x' },
      headers: { 'x-jobs-dashboard-token': tokenOf(page.body) },
    });
    expect(reply.status).toBe(405);
  });

  it('forRootAsync(): a factory that returns path is refused, and a bad readOnly', async () => {
    const dashboard = CoreLibJobsDashboardModule.forRootAsync({
      useFactory: () => ({ path: 'elsewhere', readOnly: 1 }) as never,
    });
    const error = await startupError(() => startDashboardApp(dashboard));
    expect((error as InvalidJobsConfigError).problems).toEqual([
      `${WHERE}: path: returned by the factory; pass it to forRootAsync() itself (routes and ` +
        'guards are wired before the factory runs)',
      `${WHERE}: readOnly: 1 is invalid, expected true or false`,
    ]);
  });

  it('says what is missing when CoreLibJobsModule is not imported', async () => {
    const compile = () =>
      Test.createTestingModule({
        imports: [ScheduleModule.forRoot(), CoreLibJobsDashboardModule.forRoot()],
      }).compile();
    const error = await startupError(compile);
    expect(error).toBeInstanceOf(JobsSetupError);
    expect(error.message).toBe(
      'CoreLibJobsDashboardModule needs CoreLibJobsModule.forRoot() (or forRootAsync()) in the app',
    );
  });
});
