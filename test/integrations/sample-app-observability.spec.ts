import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { fileURLToPath } from 'node:url';
import { JobScheduler, type JobInfo } from 'nestjs-core-lib-jobs';
import { parseExposition, valueOf } from './helpers/prometheus-text.js';

const P = 'core_lib_jobs_';

// The sample app's AppModule, served over HTTP on a free port, with a YAML of this test's own.
describe('the sample app: /metrics and /health', () => {
  let app: INestApplication;
  let base: string;
  const post = (path: string) => fetch(`${base}${path}`, { method: 'POST' });
  const scrape = async () => {
    const response = await fetch(`${base}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseExposition(await response.text());
  };

  beforeAll(async () => {
    const yaml = fileURLToPath(new URL('./fixtures/sample-app.yaml', import.meta.url));
    process.env.CORE_LIB_CONFIG = yaml;
    const { AppModule } = await import('../../sample-app/app.module.js');
    app = await NestFactory.create(AppModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    await app?.close();
    delete process.env.CORE_LIB_CONFIG;
  });

  it('serves the job metrics, counted after a known number of runs', async () => {
    for (let i = 0; i < 3; i++)
      expect((await post('/jobs/refresh-users/trigger')).status).toBe(201);
    const m = await scrape();
    const job = { job: 'refresh-users' };
    expect(valueOf(m, `${P}runs_total`, { ...job, outcome: 'succeeded' })).toBe(3);
    expect(valueOf(m, `${P}run_duration_seconds_count`, job)).toBe(3);
    // RefreshUsers awaits 50ms of pretend I/O per run.
    expect(valueOf(m, `${P}run_duration_seconds_sum`, job)).toBeGreaterThanOrEqual(0.15);
    expect(valueOf(m, `${P}running`, job)).toBe(0);
    expect(valueOf(m, `${P}lateness_seconds_count`, job)).toBeUndefined(); // triggered, not due
    const jobs = (await (await fetch(`${base}/jobs`)).json()) as Array<Record<string, string>>;
    for (const { name, nextRunAt } of jobs) {
      const next = valueOf(m, `${P}next_run_timestamp_seconds`, { job: name });
      expect(next).toBe(Date.parse(nextRunAt) / 1000);
    }
    expect(jobs.map((j) => j.name).sort()).toEqual(['import-feed', 'refresh-users']);
  });

  it('answers /health with 200 while healthy, 503 with the job after 3 failed runs', async () => {
    const healthy = await fetch(`${base}/health`);
    expect(healthy.status).toBe(200);
    expect(await healthy.json()).toMatchObject({
      status: 'ok',
      info: { jobs: { status: 'up', checked: 2 } },
    });
    const scheduler = app.get(JobScheduler);
    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push(await scheduler.trigger('import-feed', { url: 'x' }));
    expect(outcomes.map((o) => o.status)).toEqual(['failed', 'failed', 'failed']);
    const down = await fetch(`${base}/health`);
    expect(down.status).toBe(503);
    const body = (await down.json()) as { error: { jobs: Record<string, unknown> } };
    expect(body.error.jobs).toEqual({
      status: 'down',
      message: 'job import-feed failed 3 times in a row',
      problems: {
        'import-feed': {
          consecutiveFailures: 3,
          lastError: 'cannot import the feed at "x": not an http(s) URL',
        },
      },
    });
    const m = await scrape();
    expect(valueOf(m, `${P}runs_total`, { job: 'import-feed', outcome: 'failed' })).toBe(3);
    expect((scheduler.get('import-feed') as JobInfo).failures).toBe(3);
  });
});
