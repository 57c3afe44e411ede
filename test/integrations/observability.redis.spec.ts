import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { TerminusModule } from '@nestjs/terminus';
import type { TestingModule } from '@nestjs/testing';
import { Registry } from 'prom-client';
import { CoreLibJobsModule, JobScheduler } from 'nestjs-core-lib-jobs';
import { CoreLibJobsMetricsModule } from 'nestjs-core-lib-jobs/prometheus';
import { JobsHealthIndicator } from 'nestjs-core-lib-jobs/terminus';
import { OwnRedisServer } from '../cluster/helpers/redis-server.js';
import { sleep, uniqueTag, waitFor } from '../cluster/helpers/replica-process.js';
import { captureLogs, closeApps, fixtureApp, startApp } from '../fixtures/fixture-app.js';
import { parseExposition, valueOf, type Sample } from './helpers/prometheus-text.js';

const P = 'core_lib_jobs_';

/** One replica in this process: its own app, registry and health indicator, one Redis. */
interface Replica {
  id: string;
  registry: Registry;
  mod: TestingModule;
  health: () => ReturnType<JobsHealthIndicator['isHealthy']>;
  scrape: () => Promise<Sample[]>;
}

async function startReplica(id: string, url: string, keyPrefix: string): Promise<Replica> {
  const registry = new Registry();
  const cluster = { backend: 'redis' as const, url, keyPrefix, replicaId: id };
  const mod = await startApp(
    fixtureApp({
      jobsModule: CoreLibJobsModule.forRoot({ config: {}, cluster }),
      imports: [
        TerminusModule.forRoot({ logger: false }),
        CoreLibJobsMetricsModule.forRoot({ registry }),
      ],
      providers: [JobsHealthIndicator],
    }),
  );
  mod.get(JobScheduler).schedule('0s', '200ms', { run: () => undefined }, { name: 'tick' });
  const indicator = mod.get(JobsHealthIndicator);
  return {
    id,
    registry,
    mod,
    health: () => indicator.isHealthy('jobs', { maxLateness: '1m' }),
    scrape: async () => parseExposition(await registry.metrics()),
  };
}

// Real clock, real Redis: a redis-server of this test's own, stopped for a while.
describe('metrics and health in cluster mode (Redis)', () => {
  const tag = uniqueTag('obs-test');
  let server: OwnRedisServer;
  let replicas: Replica[];

  beforeAll(async () => {
    captureLogs();
    server = await OwnRedisServer.start(6420);
    replicas = [await startReplica('A', server.url, tag), await startReplica('B', server.url, tag)];
  });
  afterAll(async () => {
    await closeApps();
    await server?.stop();
    jest.restoreAllMocks();
  });

  it('counts the ticks each replica won and lost, and says the backend is up', async () => {
    await sleep(2_000);
    const [a, b] = await Promise.all(replicas.map((r) => r.scrape()));
    const won = (m: Sample[]) =>
      valueOf(m, `${P}cluster_claims_total`, { job: 'tick', result: 'won' }) ?? 0;
    const lost = (m: Sample[]) =>
      valueOf(m, `${P}cluster_claims_total`, { job: 'tick', result: 'lost' }) ?? 0;
    const runs = (m: Sample[]) =>
      valueOf(m, `${P}runs_total`, { job: 'tick', outcome: 'succeeded' }) ?? 0;
    // A tick is won by one replica, the other loses it: give or take a tick A ran before B
    // started, and one in flight while the two are scraped.
    expect(won(a) + won(b)).toBeGreaterThanOrEqual(6);
    expect(Math.abs(won(a) - lost(b))).toBeLessThanOrEqual(2);
    expect(Math.abs(won(b) - lost(a))).toBeLessThanOrEqual(2);
    expect(runs(a)).toBe(won(a));
    const held = (m: Sample[]) =>
      valueOf(m, `${P}skipped_total`, { job: 'tick', reason: 'cluster-held' });
    expect(held(b) ?? 0).toBe(lost(b));
    console.log(`claims: A won ${won(a)} lost ${lost(a)}, B won ${won(b)} lost ${lost(b)}`);
    const backend = `redis (127.0.0.1:${server.port})`;
    expect(valueOf(a, `${P}cluster_backend_up`, { backend })).toBe(1);
    expect(valueOf(a, `${P}cluster_backend_errors_total`)).toBe(0);
    expect(replicas[0].health()).toEqual({
      jobs: {
        status: 'up',
        checked: 1,
        cluster: {
          backend,
          replicaId: 'A',
          reachable: true,
          unreachableSince: null,
          problem: null,
        },
      },
    });
  });

  it('is down, and counts backend errors, while Redis is unreachable; up again after', async () => {
    await server.stop();
    const stoppedAt = Date.now();
    await waitFor(() => replicas.every((r) => r.health().jobs.status === 'down'), 5_000, 'down');
    await sleep(600);
    const backend = `redis (127.0.0.1:${server.port})`;
    for (const replica of replicas) {
      const m = await replica.scrape();
      expect(valueOf(m, `${P}cluster_backend_up`, { backend })).toBe(0);
      expect(valueOf(m, `${P}cluster_backend_errors_total`)).toBeGreaterThanOrEqual(2);
      const health = replica.health().jobs;
      expect(health).toMatchObject({
        status: 'down',
        message: `cluster backend ${backend} is unreachable`,
        cluster: { backend, replicaId: replica.id, reachable: false },
      });
      const since = (health.cluster as { unreachableSince: Date }).unreachableSince.getTime();
      expect(since).toBeGreaterThanOrEqual(stoppedAt);
    }
    await server.start();
    await waitFor(() => replicas.every((r) => r.health().jobs.status === 'up'), 5_000, 'up again');
    const m = await replicas[1].scrape();
    expect(valueOf(m, `${P}cluster_backend_up`, { backend })).toBe(1);
  }, 20_000);
});
