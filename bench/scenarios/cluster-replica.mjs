// One replica of the cluster scenario (scenario 4), run as its own process by cluster.mjs. Plain
// JS (decorators applied by hand) importing the BUILT package by self-reference (dist/: run
// `npm run build` first), configured the way a user would: `cluster: { backend, url, keyPrefix }`.
// Same approach as test/cluster/fixtures/replica.mjs, plus the timing of every claim.
//
// Settings (env): BENCH_BACKEND redis|postgres, BENCH_URL (lock and run records, one backend),
// BENCH_PREFIX (lock key prefix), BENCH_TABLE (PostgreSQL lock table), BENCH_RUNS (the Redis list
// or PostgreSQL table where every run is recorded), BENCH_JOB (job name), BENCH_PERIOD_MS,
// BENCH_REPLICA (a label).
//
// Timing. The engine's tick fires synchronously into the coordinator's runTick(), which calls
// `lock.acquire(name, due, ...)` synchronously (no await before it). The backend's lock class is
// wrapped here (its prototype, the very class the module loads for `backend: 'redis'|'postgres'`)
// to take performance.now() at that call: that is the start of runTick, within a microsecond.
// The job takes performance.now() when its run() starts. On the winner, run start − claim call
// is the lock overhead of that tick. Every replica's claim round trip (call → answer, won or
// not) is kept too, and printed on SIGTERM as one `CLAIMS {json}` line.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { performance } from 'node:perf_hooks';
import { BaseJob, CoreLibJobsModule, Job } from 'nestjs-core-lib-jobs';
import { RedisJobLock } from 'nestjs-core-lib-jobs/redis';
import { PostgresJobLock } from 'nestjs-core-lib-jobs/postgres';
import { Redis } from 'ioredis';
import pg from 'pg';

const env = process.env;
const backend = env.BENCH_BACKEND;
const replica = env.BENCH_REPLICA ?? `pid${process.pid}`;
const jobName = env.BENCH_JOB ?? 'bench-probe';
const periodMs = Number(env.BENCH_PERIOD_MS);

/** Claim call times by `name due` (until the run or the answer takes them), and every claim's round trip. */
const claimStarts = new Map();
const claims = [];
const Lock = backend === 'redis' ? RedisJobLock : PostgresJobLock;
const acquire = Lock.prototype.acquire;
Lock.prototype.acquire = function timedAcquire(name, due, ...rest) {
  const t0 = performance.now();
  const key = `${name} ${due}`;
  claimStarts.set(key, t0);
  const answer = acquire.call(this, name, due, ...rest);
  answer.then(
    (result) => {
      claims.push([due, performance.now() - t0, result.acquired ? 1 : 0]);
      if (!result.acquired) claimStarts.delete(key);
    },
    () => {
      claims.push([due, performance.now() - t0, -1]);
      claimStarts.delete(key);
    },
  );
  return answer;
};

const recorder = backend === 'redis'
  ? redisRecorder(new Redis(env.BENCH_URL))
  : postgresRecorder(new pg.Pool({ connectionString: env.BENCH_URL, application_name: 'bench-cluster-recorder', max: 2 }));

class ProbeJob extends BaseJob {
  async run(_params, context) {
    const t1 = performance.now();
    const start = performance.timeOrigin + t1; // wall clock, sub-millisecond
    const key = `${context.name} ${context.scheduledAt}`;
    const t0 = claimStarts.get(key);
    claimStarts.delete(key);
    await recorder.record({ replica, due: context.scheduledAt, start, overheadMs: t0 === undefined ? null : t1 - t0 });
  }
}
Job({ name: jobName, initialDelay: 0, frequency: periodMs, jitter: 0, cluster: true })(ProbeJob);

class AppModule {}
Module({
  imports: [
    ScheduleModule.forRoot(),
    CoreLibJobsModule.forRoot({
      config: {},
      cluster: { backend, url: env.BENCH_URL, keyPrefix: env.BENCH_PREFIX, ...(env.BENCH_TABLE ? { table: env.BENCH_TABLE } : {}) },
      shutdownTimeout: '10s',
    }),
  ],
  providers: [ProbeJob],
})(AppModule);

const app = await NestFactory.createApplicationContext(AppModule, { logger: ['warn', 'error'] });
console.log(`READY ${replica} ${process.pid}`);

process.once('SIGTERM', async () => {
  await app.close();
  await recorder.close();
  console.log(`CLAIMS ${JSON.stringify({ replica, claims, unconsumed: claimStarts.size })}`);
  process.exit(0);
});

function redisRecorder(redis) {
  return {
    record: (run) => redis.rpush(env.BENCH_RUNS, JSON.stringify(run)),
    close: () => redis.quit(),
  };
}

function postgresRecorder(pool) {
  pool.on('error', () => undefined);
  return {
    record: ({ replica: r, due, start, overheadMs }) =>
      pool.query(`INSERT INTO ${env.BENCH_RUNS} (replica, due, started, overhead_ms) VALUES ($1, $2, $3, $4)`, [r, due, start, overheadMs]),
    close: () => pool.end(),
  };
}
