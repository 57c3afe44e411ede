// @ts-check
// One replica of this module in the cluster-scale scenario (cluster-scale.mjs), its own process.
// The BUILT package (dist/, by self-reference), configured as a user would: N YAML entries of
// one job class, each its own schedule (`cron: '* * * * * *'`: all N due at every second, as a
// thousand tenants' hourly reports are at the top of the hour), cluster mode on Redis or
// PostgreSQL, and optionally the job store on the same backend.
//
// Settings (env): BENCH_BACKEND redis|postgres, BENCH_URL, BENCH_PREFIX, BENCH_TABLE (PostgreSQL
// lock table), BENCH_JOBS (N), BENCH_STORE ('' or the store's JSON options), BENCH_REPLICA.
//
// It counts its backend round trips: the lock's batch calls (claim, extend, release, time,
// anchor: one round trip each on Redis) and, on PostgreSQL, every query any pg client of this
// process sends (pg.Client.prototype.query, which pool.query also goes through: the lock's and
// the store's). On SIGTERM it prints `RUNS [[job, due, start], ...]` and `TRIPS {...}`.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import pg from 'pg';
import { BaseJob, CoreLibJobsModule, Job } from 'nestjs-core-lib-jobs';
import { RedisJobLock } from 'nestjs-core-lib-jobs/redis';
import { PostgresJobLock } from 'nestjs-core-lib-jobs/postgres';
import { announceReady, onTerm, wallNow } from '../lib/replica-io.mjs';

const env = process.env;
const backend = env.BENCH_BACKEND;
const n = Number(env.BENCH_JOBS);

/** @type {Array<[number, number, number]>} */
const runs = [];
const trips = { claim: 0, claimed: 0, extend: 0, release: 0, other: 0, queries: 0 };

const Lock = backend === 'redis' ? RedisJobLock : PostgresJobLock;
for (const method of /** @type {const} */ (['claim', 'extend', 'release', 'time', 'anchor'])) {
  const original = Lock.prototype[method];
  Object.defineProperty(Lock.prototype, method, {
    configurable: true,
    writable: true,
    /** @param {any[]} args */
    value(...args) {
      if (method === 'claim') trips.claimed += args[0].length;
      if (method === 'claim' || method === 'extend' || method === 'release') trips[method]++;
      else trips.other++;
      return /** @type {Function} */ (original).apply(this, args);
    },
  });
}
if (backend === 'postgres') {
  // Counts and forwards every form of the call unchanged.
  const proto = /** @type {{ query: (...args: unknown[]) => unknown }} */ (
    /** @type {unknown} */ (pg.Client.prototype)
  );
  const query = proto.query;
  proto.query = function countedQuery(...args) {
    trips.queries++;
    return query.apply(this, args);
  };
}

class ScaleProbe extends BaseJob {
  /** @param {unknown} _params @param {{ name: string, scheduledAt: number }} context */
  run(_params, context) {
    runs.push([Number(context.name.slice(4)), context.scheduledAt, wallNow()]);
  }
}
Job({ name: 'ScaleProbe' })(ScaleProbe);

const jobs = Array.from({ length: n }, (_, i) => ({
  name: `job-${i}`,
  cron: '* * * * * *',
  handler: { class: 'ScaleProbe' },
}));
/** @type {Record<string, unknown>} */
const cluster = { backend, url: env.BENCH_URL, keyPrefix: env.BENCH_PREFIX };
if (env.BENCH_TABLE) cluster.table = env.BENCH_TABLE;
/** @type {Record<string, unknown>} */
const options = { config: { core_lib: { jobs } }, cluster, shutdownTimeout: '10s' };
if (env.BENCH_STORE) options.store = JSON.parse(env.BENCH_STORE);

class AppModule {}
Module({
  imports: [ScheduleModule.forRoot(), CoreLibJobsModule.forRoot(options)],
  providers: [ScaleProbe],
})(AppModule);

const app = await NestFactory.createApplicationContext(AppModule, { logger: ['warn', 'error'] });
onTerm(
  () => app.close(),
  () => ({ RUNS: runs, TRIPS: trips }),
);
announceReady();
