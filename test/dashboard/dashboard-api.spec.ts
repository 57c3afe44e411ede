import { afterEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { CoreLibJobsDashboardModule, type DashboardState } from 'nestjs-core-lib-jobs/dashboard';
import { startDashboardApp, type DashboardApp } from './helpers/dashboard-app.js';
import { request, tokenOf } from './helpers/http.js';

const EVIL_NAME = '<script>window.pwned = 1</script>';
const EVIL_ERROR = '<img src=x onerror="window.pwned = 2">';
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The page and its JSON API over real HTTP (Express), with jobs scheduled from code. */
describe('dashboard page and API', () => {
  let started: DashboardApp;
  let token: string;
  afterEach(() => started?.app.close());

  async function start(path?: string): Promise<DashboardApp> {
    started = await startDashboardApp(CoreLibJobsDashboardModule.forRoot({ path }));
    token = tokenOf((await request(`${started.origin}/${path ?? 'jobs-dashboard'}`)).body);
    return started;
  }
  const state = async (): Promise<DashboardState> =>
    JSON.parse((await request(`${started.origin}/jobs-dashboard/api/jobs`)).body);
  const act = async (action: string, json: unknown) => {
    const reply = await request(`${started.origin}/jobs-dashboard/api/${action}`, {
      method: 'POST',
      json,
      headers: { 'x-jobs-dashboard-token': token },
    });
    return { status: reply.status, ...JSON.parse(reply.body) };
  };

  it('shows each job: schedule (words, as written), zone, state, times, counters', async () => {
    const { scheduler } = await start();
    const noop = { run: () => undefined };
    scheduler.schedule('1h', '5s', noop, { name: 'every-5s' });
    scheduler.scheduleCron('0 16 * * 1-5', noop, { name: 'teatime', timeZone: 'Europe/Paris' });
    scheduler.scheduleOnce('3s', noop, { name: 'once' });
    const { jobs, cluster, now } = await state();
    expect(cluster).toBeNull();
    expect(Math.abs(Date.parse(now) - Date.now())).toBeLessThan(5_000);
    expect(jobs.map((j) => [j.name, j.scheduleWords, j.scheduleText, j.timeZone])).toEqual([
      ['every-5s', 'Every 5 seconds', 'every 5s (fixed-rate), first after 1h', '—'],
      ['once', 'Once, 3 seconds after start', 'once after 3s', '—'],
      ['teatime', 'Monday to Friday at 16:00', '0 16 * * 1-5', 'Europe/Paris'],
    ]);
    expect(jobs[0]).toMatchObject({
      state: 'scheduled',
      lastRunAt: null,
      lastStatus: null,
      runs: 0,
    });
    expect(Date.parse(jobs[0].nextRunAt!) - Date.now()).toBeGreaterThan(3_500_000);
  });

  it('trigger runs the job with the given params and answers with the outcome', async () => {
    const { scheduler } = await start();
    const seen: unknown[] = [];
    scheduler.schedule(
      '1h',
      '1h',
      { run: (params: unknown) => void seen.push(params) },
      {
        name: 'report',
        params: { day: 'default' },
      },
    );
    expect(await act('trigger', { name: 'report' })).toMatchObject({
      status: 200,
      outcome: 'succeeded',
      message: expect.stringMatching(/^Run succeeded in \d+ ms$/),
    });
    await act('trigger', { name: 'report', params: { day: 'monday' } });
    expect(seen).toEqual([{ day: 'default' }, { day: 'monday' }]);
    const [job] = (await state()).jobs;
    expect(job).toMatchObject({
      runs: 2,
      failures: 0,
      lastStatus: 'succeeded',
      lastRunBy: 'this process',
    });
    expect(job.lastDuration).toMatch(/^\d+ ms$/);
  });

  it("keeps the last error's stack until a run succeeds", async () => {
    const { scheduler } = await start();
    let fail = true;
    const job = {
      run() {
        if (fail) throw new TypeError('feed is down');
      },
    };
    scheduler.schedule('1h', '1h', job, { name: 'feed' });
    const failed = await act('trigger', { name: 'feed' });
    expect(failed.message).toMatch(/^Run failed in \d+ ms: feed is down$/);
    const [shown] = (await state()).jobs;
    expect(shown).toMatchObject({ lastStatus: 'failed', lastError: 'feed is down', failures: 1 });
    expect(shown.lastErrorStack).toMatch(/^TypeError: feed is down\n\s+at /);
    fail = false;
    await act('trigger', { name: 'feed' });
    expect((await state()).jobs[0]).toMatchObject({
      lastError: null,
      lastErrorStack: null,
      runs: 2,
    });
  });

  it('a long run answers "started" after a second; a trigger meanwhile is skipped', async () => {
    const { scheduler } = await start();
    let finish!: () => void;
    const slow = { run: () => new Promise<void>((resolve) => (finish = resolve)) };
    scheduler.schedule('1h', '1h', slow, { name: 'slow' });
    expect(await act('trigger', { name: 'slow' })).toMatchObject({
      message: 'Run started',
      outcome: 'running',
    });
    expect((await state()).jobs[0]).toMatchObject({ state: 'running', lastStatus: 'running' });
    expect(await act('trigger', { name: 'slow' })).toMatchObject({
      message: 'Run skipped (overlap)',
    });
    finish();
    await sleep(50);
    expect((await state()).jobs[0]).toMatchObject({ state: 'scheduled', runs: 1 });
  });

  it('pause and resume', async () => {
    const { scheduler } = await start();
    scheduler.schedule('1h', '1h', { run: () => undefined }, { name: 'tick' });
    expect(await act('pause', { name: 'tick' })).toMatchObject({ status: 200, message: 'Paused' });
    expect((await state()).jobs[0]).toMatchObject({ state: 'paused', nextRunAt: null });
    expect(await act('resume', { name: 'tick' })).toMatchObject({
      status: 200,
      message: 'Resumed',
    });
    expect((await state()).jobs[0]).toMatchObject({
      state: 'scheduled',
      nextRunAt: expect.any(String),
    });
  });

  it('an unknown job is 404 and a body without a name is 400', async () => {
    await start();
    expect(await act('pause', { name: 'nope' })).toMatchObject({
      status: 404,
      message: 'No job named "nope" is scheduled',
    });
    expect(await act('trigger', ['x'])).toMatchObject({
      status: 400,
      message: expect.stringMatching(/JSON object/),
    });
  });

  it('escapes every job name and error in the HTML it renders', async () => {
    const { scheduler, origin } = await start();
    scheduler.schedule(
      '1h',
      '1h',
      { run: () => Promise.reject(new Error(EVIL_ERROR)) },
      { name: EVIL_NAME },
    );
    await act('trigger', { name: EVIL_NAME });
    const html = (await request(`${origin}/jobs-dashboard`)).body;
    expect(html).not.toContain('<script>window.pwned');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;window.pwned = 1&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=&quot;window.pwned = 2&quot;&gt;');
  });

  it('allows exactly its own script and style by hash (Content-Security-Policy)', async () => {
    const { origin } = await start();
    const page = await request(`${origin}/jobs-dashboard`);
    const sha = (body: string) => `'sha256-${createHash('sha256').update(body).digest('base64')}'`;
    const bodies = (open: string, close: string) =>
      [...page.body.matchAll(new RegExp(`${open}([\\s\\S]*?)${close}`, 'g'))].map((m) => m[1]);
    const csp = String(page.headers['content-security-policy']);
    // The scripts that run (the JSON data block is not one), each allowed by its exact bytes.
    const scripts = bodies('<script type="module">', '</script>');
    expect(scripts).toHaveLength(2);
    expect(csp).toContain(`script-src ${scripts.map(sha).join(' ')};`);
    expect(csp).toContain(`style-src ${sha(bodies('<style>', '</style>')[0])};`);
    expect(page.body.match(/<script/g)).toHaveLength(3);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers['cache-control']).toBe('no-store');
  });

  it('mounts at the path given, slashes trimmed', async () => {
    started = await startDashboardApp(CoreLibJobsDashboardModule.forRoot({ path: '/admin/jobs/' }));
    expect((await request(`${started.origin}/admin/jobs`)).status).toBe(200);
    expect((await request(`${started.origin}/admin/jobs/api/jobs`)).status).toBe(200);
    expect((await request(`${started.origin}/jobs-dashboard`)).status).toBe(404);
  });
});
