import { describe, expect, it } from '@jest/globals';
import { renderPage } from '../../lib/dashboard/dashboard.page.js';
import { toClusterView } from '../../lib/dashboard/dashboard.view.js';
import { parseListQuery } from '../../lib/dashboard/job-list.query.js';
import { checkJobs } from '../../lib/integrations/health/jobs-health.check.js';
import type { ClusterStatus } from '../../lib/interfaces/cluster-status.interface.js';

/** A backend that answers but refuses the lock as configured is down for health and dashboard. */
const misconfigured: ClusterStatus = {
  backend: 'postgres (db:5432)',
  replicaId: 'web-1',
  reachable: true,
  unreachableSince: null,
  problem: 'lock table t has another shape: column expires_at is missing',
};
const limits = { maxConsecutiveFailures: 3, maxLatenessMs: 60_000 };

describe('a reachable but misconfigured cluster backend', () => {
  it('makes the health check down, saying what the backend reported', () => {
    const verdict = checkJobs([], new Map(), misconfigured, Date.now(), limits);
    expect(verdict.messages).toEqual([
      'cluster backend postgres (db:5432) is misconfigured: ' +
        'lock table t has another shape: column expires_at is missing',
    ]);
    expect(
      checkJobs([], new Map(), { ...misconfigured, problem: null }, 0, limits).messages,
    ).toEqual([]);
  });

  it("shows as a problem in the dashboard's header, with what the backend reported", () => {
    const cluster = toClusterView(misconfigured);
    const { query } = parseListQuery({});
    const counts = { all: 0, failing: 0, paused: 0, running: 0 };
    const lists = { replicas: [], rate: [], query, total: 0, counts };
    const state = { now: new Date(0).toISOString(), cluster, jobs: [], ...lists };
    const html = renderPage(state, { readOnly: true, token: 't', base: '/jobs-dashboard' });
    expect(html).toContain('data-mode="problem"');
    expect(html).toContain('column expires_at is missing</q>');
    const fine = renderPage(
      { ...state, cluster: { ...cluster!, problem: null } },
      {
        readOnly: true,
        token: 't',
        base: '/jobs-dashboard',
      },
    );
    expect(fine).toContain('data-mode="reachable"');
  });
});
