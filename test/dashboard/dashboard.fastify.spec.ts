import { afterEach, describe, expect, it } from '@jest/globals';
import { CoreLibJobsDashboardModule, type DashboardState } from 'nestjs-core-lib-jobs/dashboard';
import { startDashboardApp, type DashboardApp } from './helpers/dashboard-app.js';
import { nonLoopbackIPv4, request, tokenOf } from './helpers/http.js';

/**
 * The dashboard on Fastify (@nestjs/platform-fastify), over real HTTP: the page and its headers,
 * the JSON state, the actions with their token, and the access checks, which read the request as
 * Express and Fastify both give it.
 */
describe('dashboard on Fastify', () => {
  let started: DashboardApp | undefined;
  afterEach(async () => {
    await started?.app.close();
    started = undefined;
  });
  const start = async (
    options: Parameters<typeof CoreLibJobsDashboardModule.forRoot>[0] = {},
    host?: string,
  ): Promise<DashboardApp> =>
    (started = await startDashboardApp(CoreLibJobsDashboardModule.forRoot(options), {
      platform: 'fastify',
      host,
    }));

  it('serves the page with its security headers, and the state as JSON', async () => {
    const { origin, scheduler } = await start();
    scheduler.schedule('1h', '5s', { run: () => undefined }, { name: 'every-5s' });
    const page = await request(`${origin}/jobs-dashboard`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('every-5s');
    const reply = await request(`${origin}/jobs-dashboard/api/jobs`);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    const state = JSON.parse(reply.body) as DashboardState;
    expect(state.jobs.map((j) => [j.name, j.scheduleWords])).toEqual([
      ['every-5s', 'Every 5 seconds'],
    ]);
  });

  it('runs the actions with the page token, and refuses them without it', async () => {
    const { origin, scheduler } = await start();
    const seen: unknown[] = [];
    scheduler.schedule('1h', '1h', { run: (p: unknown) => void seen.push(p) }, { name: 'report' });
    const token = tokenOf((await request(`${origin}/jobs-dashboard`)).body);
    const post = (action: string, json: unknown, headers: Record<string, string> = {}) =>
      request(`${origin}/jobs-dashboard/api/${action}`, { method: 'POST', json, headers });
    const withToken = { 'x-jobs-dashboard-token': token };

    const trigger = await post('trigger', { name: 'report', params: { day: 1 } }, withToken);
    expect(trigger.status).toBe(200);
    expect(JSON.parse(trigger.body)).toMatchObject({ outcome: 'succeeded' });
    expect(seen).toEqual([{ day: 1 }]);

    expect((await post('pause', { name: 'report' }, withToken)).status).toBe(200);
    expect(scheduler.get('report')!.state).toBe('paused');
    expect((await post('resume', { name: 'report' }, withToken)).status).toBe(200);
    expect(scheduler.get('report')!.state).toBe('scheduled');

    const noToken = await post('trigger', { name: 'report' });
    expect(noToken.status).toBe(403);
    const badBody = await post('trigger', [1, 2], withToken);
    expect(badBody.status).toBe(400);
    expect(seen).toHaveLength(1);
  });

  it('is read-only when asked: 405 with an empty Allow, through the Fastify reply', async () => {
    const { origin, scheduler } = await start({ readOnly: true });
    scheduler.schedule('1h', '1h', { run: () => undefined }, { name: 'report' });
    const page = await request(`${origin}/jobs-dashboard`);
    const token = /data-token="([^"]+)"/.exec(page.body)?.[1] ?? 'none';
    const reply = await request(`${origin}/jobs-dashboard/api/trigger`, {
      method: 'POST',
      json: { name: 'report' },
      headers: { 'x-jobs-dashboard-token': token },
    });
    expect([reply.status, reply.headers.allow]).toEqual([405, '']);
    expect(scheduler.get('report')!.runs).toBe(0);
  });

  it('refuses a non-loopback peer, a forwarded request and a foreign Host', async () => {
    const { port } = await start({}, '0.0.0.0');
    const remote = await request(`http://${nonLoopbackIPv4()}:${port}/jobs-dashboard/api/jobs`);
    expect(remote.status).toBe(403);
    expect(JSON.parse(remote.body).message).toMatch(/only local requests/);
    const local = `http://127.0.0.1:${port}/jobs-dashboard`;
    const forwarded = await request(local, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(forwarded.status).toBe(403);
    const rebinding = await request(local, { headers: { host: `evil.example:${port}` } });
    expect(rebinding.status).toBe(403);
    expect((await request(local)).status).toBe(200);
  });

  it('honours authorize(req) with the request Fastify gives', async () => {
    const seen: string[] = [];
    const { origin } = await start({
      authorize: (req: { headers: Record<string, string | string[] | undefined> }) => {
        seen.push(String(req.headers['x-user'] ?? ''));
        return req.headers['x-user'] === 'admin';
      },
    });
    expect(
      (await request(`${origin}/jobs-dashboard`, { headers: { 'x-user': 'eve' } })).status,
    ).toBe(403);
    const admin = await request(`${origin}/jobs-dashboard`, { headers: { 'x-user': 'admin' } });
    expect(admin.status).toBe(200);
    expect(seen).toEqual(['eve', 'admin']);
  });
});
