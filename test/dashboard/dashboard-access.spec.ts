import { afterEach, describe, expect, it } from '@jest/globals';
import { Injectable, Module, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { CoreLibJobsDashboardModule } from 'nestjs-core-lib-jobs/dashboard';
import { startDashboardApp, type DashboardApp } from './helpers/dashboard-app.js';
import { nonLoopbackIPv4, request, tokenOf } from './helpers/http.js';

/** Who may see the dashboard, and which actions are refused (real HTTP, Express). */
describe('dashboard access', () => {
  let started: DashboardApp | undefined;
  afterEach(async () => {
    await started?.app.close();
    started = undefined;
  });
  const start = async (...args: Parameters<typeof startDashboardApp>): Promise<DashboardApp> =>
    (started = await startDashboardApp(...args));

  describe('by default (local requests only)', () => {
    it('lets a loopback request in and mounts the page at /jobs-dashboard', async () => {
      const { origin } = await start(CoreLibJobsDashboardModule.forRoot());
      const page = await request(`${origin}/jobs-dashboard`);
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect((await request(`${origin}/jobs-dashboard/api/jobs`)).status).toBe(200);
    });

    it('refuses a request from a non-loopback address with 403', async () => {
      const { port } = await start(CoreLibJobsDashboardModule.forRoot(), { host: '0.0.0.0' });
      const reply = await request(`http://${nonLoopbackIPv4()}:${port}/jobs-dashboard/api/jobs`);
      expect(reply.status).toBe(403);
      expect(JSON.parse(reply.body).message).toMatch(/only local requests/);
    });

    it('refuses a request forwarded by a proxy on this machine', async () => {
      const { origin } = await start(CoreLibJobsDashboardModule.forRoot());
      for (const header of ['x-forwarded-for', 'forwarded', 'x-real-ip']) {
        const reply = await request(`${origin}/jobs-dashboard`, {
          headers: { [header]: '203.0.113.9' },
        });
        expect([header, reply.status]).toEqual([header, 403]);
      }
    });

    it('refuses a Host that is not a loopback name (DNS rebinding)', async () => {
      const { origin, port } = await start(CoreLibJobsDashboardModule.forRoot());
      const evil = await request(`${origin}/jobs-dashboard`, {
        headers: { host: `evil.example:${port}` },
      });
      expect(evil.status).toBe(403);
      const local = await request(`${origin}/jobs-dashboard`, {
        headers: { host: `localhost:${port}` },
      });
      expect(local.status).toBe(200);
    });
  });

  describe('authorize and guards', () => {
    it('authorize(req) decides instead of the loopback rule', async () => {
      const seen: string[] = [];
      const authorize = (req: { headers: Record<string, string> }): boolean => {
        seen.push(req.headers['x-user'] ?? '');
        return req.headers['x-user'] === 'ops';
      };
      const { port } = await start(CoreLibJobsDashboardModule.forRoot({ authorize }), {
        host: '0.0.0.0',
      });
      const remote = `http://${nonLoopbackIPv4()}:${port}/jobs-dashboard`;
      expect((await request(remote, { headers: { 'x-user': 'ops' } })).status).toBe(200);
      expect((await request(remote, { headers: { 'x-user': 'guest' } })).status).toBe(403);
      expect(seen).toEqual(['ops', 'guest']);
    });

    it('guard classes get their injections; every guard must pass', async () => {
      @Injectable()
      class Allowed {
        readonly users = new Set(['ops']);
      }
      @Injectable()
      class UserGuard implements CanActivate {
        constructor(private readonly allowed: Allowed) {}
        canActivate(context: ExecutionContext): boolean {
          const req = context.switchToHttp().getRequest<{ headers: Record<string, string> }>();
          return this.allowed.users.has(req.headers['x-user']);
        }
      }
      const asyncYes: CanActivate = { canActivate: async () => true };
      @Module({ providers: [Allowed], exports: [Allowed] })
      class AuthModule {}
      const dashboard = CoreLibJobsDashboardModule.forRoot({
        guards: [UserGuard, asyncYes],
        imports: [AuthModule],
      });
      const { port } = await start(dashboard, { host: '0.0.0.0' });
      const remote = `http://${nonLoopbackIPv4()}:${port}/jobs-dashboard`;
      expect((await request(remote, { headers: { 'x-user': 'ops' } })).status).toBe(200);
      expect((await request(remote, { headers: { 'x-user': 'guest' } })).status).toBe(403);
    });

    it('a guard that says no closes the page even to loopback requests', async () => {
      const closed: CanActivate = { canActivate: () => false };
      const { origin } = await start(CoreLibJobsDashboardModule.forRoot({ guards: [closed] }));
      expect((await request(`${origin}/jobs-dashboard`)).status).toBe(403);
    });
  });

  describe('actions', () => {
    const pauseFrom = async (origin: string, headers: Record<string, string>) =>
      request(`${origin}/jobs-dashboard/api/pause`, {
        method: 'POST',
        json: { name: 'tick' },
        headers,
      });

    const startWithJob = async (
      readOnly = false,
    ): Promise<{ origin: string; token: string; app: DashboardApp }> => {
      const app = await start(CoreLibJobsDashboardModule.forRoot({ readOnly }));
      app.scheduler.schedule('1h', '1h', { run: () => undefined }, { name: 'tick' });
      const token = tokenOf((await request(`${app.origin}/jobs-dashboard`)).body);
      return { origin: app.origin, token, app };
    };

    it('need the page token: without it, or with another, 403 and nothing happens', async () => {
      const { origin, token, app } = await startWithJob();
      expect((await pauseFrom(origin, {})).status).toBe(403);
      expect((await pauseFrom(origin, { 'x-jobs-dashboard-token': `${token}x` })).status).toBe(403);
      expect(app.scheduler.get('tick')?.state).toBe('scheduled');
      const ok = await pauseFrom(origin, { 'x-jobs-dashboard-token': token });
      expect([ok.status, JSON.parse(ok.body).message]).toEqual([200, 'Paused']);
      expect(app.scheduler.get('tick')?.state).toBe('paused');
    });

    it('refuse a cross-site request even with the token (Sec-Fetch-Site, Origin)', async () => {
      const { origin, token, app } = await startWithJob();
      const withToken = { 'x-jobs-dashboard-token': token };
      const crossSite = await pauseFrom(origin, { ...withToken, 'sec-fetch-site': 'cross-site' });
      expect([crossSite.status, JSON.parse(crossSite.body).message]).toEqual([
        403,
        expect.stringMatching(/cross-site request \(Sec-Fetch-Site: cross-site\)/),
      ]);
      const otherOrigin = await pauseFrom(origin, { ...withToken, origin: 'http://evil.example' });
      expect(otherOrigin.status).toBe(403);
      expect(app.scheduler.get('tick')?.state).toBe('scheduled');
      const sameOrigin = await pauseFrom(origin, {
        ...withToken,
        origin,
        'sec-fetch-site': 'same-origin',
      });
      expect(sameOrigin.status).toBe(200);
    });

    it('record who acted (the user a guard or authorize set) and why in the audit trail', async () => {
      const setUser: CanActivate = {
        canActivate(context: ExecutionContext): boolean {
          const req = context.switchToHttp().getRequest<{ user?: unknown }>();
          req.user = { id: 7, username: 'alice' };
          return true;
        },
      };
      const app = await start(CoreLibJobsDashboardModule.forRoot({ guards: [setUser] }));
      app.scheduler.schedule('1h', '1h', { run: () => undefined }, { name: 'tick' });
      const token = tokenOf((await request(`${app.origin}/jobs-dashboard`)).body);
      const headers = { 'x-jobs-dashboard-token': token };
      const act = (action: string, json: unknown) =>
        request(`${app.origin}/jobs-dashboard/api/${action}`, { method: 'POST', json, headers });
      const paused = await act('pause', { name: 'tick', reason: '  disk full <b>now</b> ' });
      expect(paused.status).toBe(200);
      // Answered once the control plane holds the pause: it is in force and audited already.
      expect(app.scheduler.get('tick')).toMatchObject({
        state: 'paused',
        pause: { by: 'alice', reason: 'disk full <b>now</b>' },
      });
      expect((await act('resume', { name: 'tick' })).status).toBe(200);
      expect((await act('trigger', { name: 'tick', reason: 'backfill' })).status).toBe(200);
      const audit = await app.scheduler.audit({ name: 'tick' });
      expect(audit.map((e) => [e.action, e.by, e.reason])).toEqual([
        ['trigger', 'alice', 'backfill'],
        ['resume', 'alice', null],
        ['pause', 'alice', 'disk full <b>now</b>'],
      ]);
      // A reason that is not short text is refused, and nothing is recorded.
      const long = await act('pause', { name: 'tick', reason: 'x'.repeat(501) });
      const number = await act('pause', { name: 'tick', reason: 42 });
      expect([long.status, number.status]).toEqual([400, 400]);
      expect(JSON.parse(long.body).message).toBe('reason: expected text of at most 500 characters');
      expect(await app.scheduler.audit({ name: 'tick' })).toHaveLength(3);
      expect(app.scheduler.get('tick')?.state).toBe('scheduled');
    });

    it("name the request's user set by authorize, else 'dashboard'", async () => {
      const authorize = (req: { headers: Record<string, string>; user?: unknown }): boolean => {
        if (req.headers['x-user']) req.user = req.headers['x-user'];
        return true;
      };
      const app = await start(CoreLibJobsDashboardModule.forRoot({ authorize }));
      app.scheduler.schedule('1h', '1h', { run: () => undefined }, { name: 'tick' });
      const token = tokenOf((await request(`${app.origin}/jobs-dashboard`)).body);
      const pause = (user?: string) =>
        request(`${app.origin}/jobs-dashboard/api/pause`, {
          method: 'POST',
          json: { name: 'tick' },
          headers: { 'x-jobs-dashboard-token': token, ...(user ? { 'x-user': user } : {}) },
        });
      expect((await pause('bob')).status).toBe(200);
      expect((await pause()).status).toBe(200);
      const audit = await app.scheduler.audit({ name: 'tick' });
      expect(audit.map((e) => e.by)).toEqual(['dashboard', 'bob']);
    });

    it('read-only: 405 with an empty Allow, and nothing happens', async () => {
      const { origin, token, app } = await startWithJob(true);
      for (const action of ['trigger', 'pause', 'resume']) {
        const reply = await request(`${origin}/jobs-dashboard/api/${action}`, {
          method: 'POST',
          json: { name: 'tick' },
          headers: { 'x-jobs-dashboard-token': token },
        });
        expect([action, reply.status, reply.headers.allow]).toEqual([action, 405, '']);
      }
      expect(app.scheduler.get('tick')).toMatchObject({ state: 'scheduled', runs: 0 });
    });
  });
});
