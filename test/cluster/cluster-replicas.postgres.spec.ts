import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { assertBuilt, sleep, startReplicas, uniqueTag } from './helpers/replica-process.js';
import {
  DATABASE_URL,
  duplicateDues,
  postgresRunStore,
  type RunStore,
} from './helpers/run-records.js';
import {
  clockSkew,
  killedHolder,
  longRun,
  stopAll,
  threeReplicas,
  type ClusterBackend,
} from './helpers/scenarios.js';
import { terminateBursts, type BurstOutcome } from './helpers/terminate-bursts.js';

// Real replica processes against the PostgreSQL at DATABASE_URL; this run has its own lock table,
// its own run tables, and tags its lock connections (application_name) so it can kill only those.
describe('cluster mode on PostgreSQL (replica processes)', () => {
  const tag = uniqueTag('cltest_pg');
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
  const stores: RunStore[] = [];
  const appName = (scenario: string): string => `${tag}_${scenario}`;
  const withAppName = (scenario: string): string => {
    const url = new URL(DATABASE_URL);
    url.searchParams.set('application_name', appName(scenario));
    return url.toString();
  };
  const backend: ClusterBackend = {
    name: 'postgres',
    lock: (scenario) => ({ url: withAppName(scenario), prefix: scenario, table: `${tag}_locks` }),
    runs: async (scenario) => {
      const store = await postgresRunStore(pool, `${tag}_${scenario}_runs`);
      stores.push(store);
      return store;
    },
  };

  beforeAll(() => assertBuilt());
  afterAll(async () => {
    for (const store of stores) await store.drop();
    await pool.query(`DROP TABLE IF EXISTS ${tag}_locks`);
    await pool.end();
  });

  it('runs each tick once across three replicas started 300ms apart (from YAML)', async () => {
    const measured = await threeReplicas(backend, 'yaml');
    console.log(`postgres, three replicas: ${JSON.stringify(measured)}`);
  }, 30_000);

  it('a later tick runs on another replica within the lease after kill -9', async () => {
    const measured = await killedHolder(backend);
    console.log(`postgres, killed holder: ${JSON.stringify(measured)}`);
  }, 30_000);

  it('never duplicates a run longer than the lease', async () => {
    const measured = await longRun(backend);
    console.log(`postgres, long run: ${JSON.stringify(measured)}`);
  }, 30_000);

  it('still runs each tick once with a replica whose clock is 1s ahead', async () => {
    const measured = await clockSkew(backend);
    console.log(`postgres, clock skew: ${JSON.stringify(measured)}`);
  }, 30_000);

  it("recovers on its own when pg_terminate_backend kills the replicas' connections", async () => {
    const store = await backend.runs('terminate');
    const base = {
      backend: 'postgres' as const,
      ...backend.lock('terminate'),
      recordUrl: store.url,
      jobs: [{ name: 'probe', frequencyMs: 200, runMs: 50, recordKey: store.key }],
    };
    const replicas = await startReplicas([
      { ...base, replica: 'r1' },
      { ...base, replica: 'r2' },
    ]);
    // A burst of kills, so some land on idle pooled connections and some in the middle of a query.
    const terminate = async (): Promise<number> => {
      let count = 0;
      for (const end = Date.now() + 400; Date.now() < end; await sleep(5)) {
        const { rows } = await pool.query(
          'SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE ' +
            'application_name = $1',
          [appName('terminate')],
        );
        count += rows.filter((r) => r.done).length;
      }
      return count;
    };
    await sleep(2_000);
    const killed = [await terminate()];
    await sleep(1_500);
    killed.push(await terminate());
    const lastKill = Date.now();
    await sleep(2_500);
    const alive = replicas.map((r) => r.alive);
    const codes = await stopAll(replicas);
    const runs = await store.read();
    if (process.env.DEBUG_CLUSTER)
      console.log(
        replicas.map((r) => r.lines.join('\n')).join('\n----\n'),
        JSON.stringify(runs.map((r) => r.start - lastKill)),
      );
    const after = runs.filter((r) => r.start > lastKill);
    const down = replicas.map((r) => r.count(/Cluster backend postgres .* is unreachable/));
    const back = replicas.map((r) => r.count(/Cluster backend postgres .* is reachable again/));

    expect(killed.every((n) => n > 0)).toBe(true);
    expect(alive).toEqual([true, true]);
    expect(codes).toEqual([0, 0]);
    expect(duplicateDues(runs)).toEqual([]);
    expect(after.length).toBeGreaterThanOrEqual(8);
    expect(after[0].start - lastKill).toBeLessThan(1_000);
    expect(down).toEqual(back); // every outage seen also ended
    console.log(
      `postgres, terminate: ${JSON.stringify({
        killedConnections: killed,
        runs: runs.length,
        runsAfterLastKill: after.length,
        firstRunAfterKillMs: after[0].start - lastKill,
        outageLogs: down,
      })}`,
    );
  }, 30_000);

  // Longer by hand: TERMINATE_TRIES=6 TERMINATE_BURSTS=5 (each try starts its own 3 replicas).
  const tries = Number(process.env.TERMINATE_TRIES ?? 2);
  const bursts = Number(process.env.TERMINATE_BURSTS ?? 4);
  it(
    `survives ${tries}x${bursts} bursts of pg_terminate_backend: no crash, runs resume, none twice`,
    async () => {
      const outcomes: BurstOutcome[] = [];
      for (let i = 0; i < tries; i++) {
        const scenario = `burst${i}`;
        const store = await backend.runs(scenario);
        const { url, prefix } = backend.lock(scenario);
        const lock = { url, prefix, table: `${tag}_locks`, appName: appName(scenario) };
        outcomes.push(
          await terminateBursts({
            admin: pool,
            ...lock,
            store,
            replicas: 3,
            bursts,
            burstMs: 1_000,
          }),
        );
      }
      const summary = {
        tries,
        bursts: outcomes.reduce((n, o) => n + o.killed.length, 0),
        crashed: outcomes.reduce((n, o) => n + o.crashed, 0),
        duplicates: outcomes.reduce((n, o) => n + o.duplicates.length, 0),
        killed: outcomes.map((o) => o.killed),
        resumeMs: outcomes.map((o) => o.resumeMs),
        outageLogs: outcomes.map((o) => o.down),
        runs: outcomes.map((o) => o.runs),
      };
      console.log(`postgres, terminate bursts: ${JSON.stringify(summary)}`);

      expect(outcomes.flatMap((o) => o.crashLines)).toEqual([]);
      for (const o of outcomes) {
        expect(o.codes).toEqual([0, 0, 0]);
        expect(o.killed).toHaveLength(bursts);
        expect(o.killed.every((n) => n > 0)).toBe(true);
        expect(o.resumeMs.filter((ms) => !(ms < 2_000))).toEqual([]);
        expect(o.duplicates).toEqual([]);
        expect(o.overlapping).toBe(0);
        expect(o.down).toEqual(o.back); // every outage logged once, and its end once
        expect(o.misconfigured).toBe(0); // a killed connection is an outage
      }
    },
    40_000 * Math.max(1, tries / 2),
  );
});
