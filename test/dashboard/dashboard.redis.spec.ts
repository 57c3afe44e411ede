import { afterEach, describe, expect, it } from '@jest/globals';
import { CoreLibJobsDashboardModule, type DashboardState } from 'nestjs-core-lib-jobs/dashboard';
import { startDashboardApp, type DashboardApp } from './helpers/dashboard-app.js';
import { request } from './helpers/http.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Keys of this test file only, so parallel runs of other tests never meet them. */
const keyPrefix = `dashboard-test-${process.pid}`;

/** The cluster panel, with cluster mode on a real Redis (and on a port where none listens). */
describe('dashboard in cluster mode (Redis)', () => {
  let started: DashboardApp | undefined;
  afterEach(async () => {
    await started?.app.close();
    started = undefined;
  });

  async function cluster(url: string): Promise<{ state: DashboardState; html: string }> {
    const options = { cluster: { backend: 'redis' as const, url, keyPrefix, replicaId: 'web-1' } };
    started = await startDashboardApp(CoreLibJobsDashboardModule.forRoot(), options);
    started.scheduler.schedule('1h', '1h', { run: () => undefined }, { name: 'nightly' });
    await started.scheduler.trigger('nightly');
    const state = JSON.parse((await request(`${started.origin}/jobs-dashboard/api/jobs`)).body);
    return { state, html: (await request(`${started.origin}/jobs-dashboard`)).body };
  }

  it('shows the backend, that it is reachable, and this replica', async () => {
    const { state, html } = await cluster(REDIS_URL);
    expect(state.cluster).toEqual({
      backend: expect.stringMatching(/^redis \(/),
      replicaId: 'web-1',
      reachable: true,
      unreachableSince: null,
      problem: null,
    });
    expect(html).toContain('data-mode="reachable"');
    expect(html).toContain('<code data-cluster-field="replicaId">web-1</code>');
    // A triggered run is not arbitrated: it ran here, on this replica.
    expect(state.jobs[0]).toMatchObject({ name: 'nightly', runs: 1, lastRunBy: 'web-1' });
  });

  it('says when the backend is unreachable, and since when', async () => {
    const before = Date.now();
    const { state, html } = await cluster('redis://127.0.0.1:1');
    expect(state.cluster).toMatchObject({ reachable: false, replicaId: 'web-1' });
    expect(Date.parse(state.cluster!.unreachableSince!)).toBeGreaterThanOrEqual(before - 1_000);
    expect(html).toContain('data-mode="unreachable"');
  });
});
