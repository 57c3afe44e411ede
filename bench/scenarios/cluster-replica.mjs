// One replica of this module in the cluster scenario, run as its own process by cluster.mjs.
// Plain JS (decorators applied by hand) importing the BUILT package by self-reference (dist/:
// run `npm run build` first), configured the way a user would: `cluster: { backend, url,
// keyPrefix }`. Same approach as test/cluster/fixtures/replica.mjs, plus the timing of every claim.
//
// Settings (env): BENCH_BACKEND redis|postgres, BENCH_URL, BENCH_PREFIX (lock key prefix),
// BENCH_TABLE (PostgreSQL lock table), BENCH_JOB (job name), BENCH_PERIOD_MS, BENCH_REPLICA.
//
// Timing. The engine's tick fires synchronously into the coordinator's runTick(), which calls
// `lock.claim([{ name, due, ... }])` in the same turn (a batch of the claims due together). The backend's lock class is
// wrapped here (its prototype, the very class the module loads for `backend: 'redis'|'postgres'`)
// to take performance.now() at that call: that is the start of runTick, within a microsecond.
// The job takes performance.now() when its run() starts. On the winner, run start − claim call
// is the lock overhead of that tick. Every replica's claim round trip (call → answer, won or
// not) is kept too. On SIGTERM it prints `RUNS [...]` and `CLAIMS {...}` (replica-io.mjs).
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { performance } from 'node:perf_hooks';
import { BaseJob, CoreLibJobsModule, Job } from 'nestjs-core-lib-jobs';
import { RedisJobLock } from 'nestjs-core-lib-jobs/redis';
import { PostgresJobLock } from 'nestjs-core-lib-jobs/postgres';
import { announceReady, onTerm, replicaName, wallNow } from '../lib/replica-io.mjs';

const env = process.env;
const backend = env.BENCH_BACKEND;
const jobName = env.BENCH_JOB ?? 'bench-probe';
const periodMs = Number(env.BENCH_PERIOD_MS);

/** Claim call times by `name due` (until the run or the answer takes them); claims; runs. */
const claimStarts = new Map();
const claims = [];
const runs = [];

const Lock = backend === 'redis' ? RedisJobLock : PostgresJobLock;
const claim = Lock.prototype.claim;
Lock.prototype.claim = function timedClaim(batch) {
  const t0 = performance.now();
  const keys = batch.map(({ name, due }) => `${name} ${due}`);
  for (const key of keys) claimStarts.set(key, t0);
  const answer = claim.call(this, batch);
  answer.then(
    (results) => {
      results.forEach((result, i) => {
        claims.push([batch[i].due, performance.now() - t0, result.acquired ? 1 : 0]);
        if (!result.acquired) claimStarts.delete(keys[i]);
      });
    },
    () => {
      for (const [i, key] of keys.entries()) {
        claims.push([batch[i].due, performance.now() - t0, -1]);
        claimStarts.delete(key);
      }
    },
  );
  return answer;
};

class ProbeJob extends BaseJob {
  run(_params, context) {
    const t1 = performance.now();
    const start = wallNow();
    const key = `${context.name} ${context.scheduledAt}`;
    const t0 = claimStarts.get(key);
    claimStarts.delete(key);
    const overheadMs = t0 === undefined ? null : t1 - t0;
    runs.push({ replica: replicaName, due: context.scheduledAt, start, overheadMs });
  }
}
Job({ name: jobName, initialDelay: 0, frequency: periodMs, jitter: 0, cluster: true })(ProbeJob);

const cluster = { backend, url: env.BENCH_URL, keyPrefix: env.BENCH_PREFIX };
if (env.BENCH_TABLE) cluster.table = env.BENCH_TABLE;

class AppModule {}
Module({
  imports: [
    ScheduleModule.forRoot(),
    CoreLibJobsModule.forRoot({ config: {}, cluster, shutdownTimeout: '10s' }),
  ],
  providers: [ProbeJob],
})(AppModule);

const app = await NestFactory.createApplicationContext(AppModule, { logger: ['warn', 'error'] });
onTerm(
  () => app.close(),
  () => ({
    RUNS: runs,
    CLAIMS: { replica: replicaName, claims, unconsumed: claimStarts.size },
  }),
);
announceReady();
