// The PostgreSQL and Redis job stores' write rate under a burst: `runs` jobs due at one instant,
// each recorded as runStarted + heartbeat + runEnded (plus a markTick per run, as the other
// replicas of a cluster send for a tick they did not win), all issued together as a replica's
// recorder issues them. Prints runs recorded per second and round trips per run.
//
//   node bench/store-batch.mjs [--lib=dist] [--runs=10000] [--backend=postgres|redis]
//
// `--lib` is the folder of a build of lib/ (default: dist/, from `npm run build`), so two builds
// (before and after a change) can be measured side by side. PostgreSQL: queries are counted by a
// pg Pool whose `Client` (a documented pg-pool option) counts what it sends. Redis: on a private
// redis-server, `INFO commandstats` deltas give the script calls (EVALSHA + EVAL: one per call
// the store makes) and `total_commands_processed` all commands, those run inside scripts too.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';

const arg = (name, fallback) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const lib = path.resolve(arg('lib', 'dist'));
const runs = Number(arg('runs', 10_000));
const backend = arg('backend', 'postgres');
const T = Date.now();

const start = (i) => ({
  name: `job-${i}`,
  runId: `run-${T}-${i}`,
  due: T,
  reason: 'schedule',
  startedAt: T + 1,
  replica: 'bench:1',
  leaseUntil: T + 30_000,
});
const record = (i) => ({
  ...start(i),
  endedAt: T + 2,
  status: 'succeeded',
  attempts: 1,
  error: null,
});

async function burst(store) {
  const began = performance.now();
  const writes = [];
  for (let i = 0; i < runs; i++) {
    writes.push(store.markTick(`job-${i}`, T));
    writes.push(store.runStarted(start(i)));
  }
  for (let i = 0; i < runs; i++)
    writes.push(store.heartbeat(`job-${i}`, `run-${T}-${i}`, T + 60_000));
  for (let i = 0; i < runs; i++) writes.push(store.runEnded(record(i)));
  const settled = await Promise.allSettled(writes);
  const ms = performance.now() - began;
  const failed = settled.filter((s) => s.status === 'rejected');
  const states = await store.states();
  const recorded = states.filter((s) => s.runs === 1 && s.running.length === 0).length;
  return { ms, failed: failed.length, firstError: failed[0]?.reason?.message, recorded };
}

async function postgres() {
  const { PostgresJobStore } = await import(pathToFileURL(path.join(lib, 'cluster-postgres.js')));
  let queries = 0;
  class CountingClient extends pg.Client {
    query(...args) {
      queries++;
      return super.query(...args);
    }
  }
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const pool = new pg.Pool({ connectionString: url, max: 16, Client: CountingClient });
  pool.on('error', () => undefined);
  const table = `bench_batch_${process.pid}`;
  const store = new PostgresJobStore(pool, { table, keyPrefix: 'bench' });
  await store.open();
  await store.markTick('warm-up', 1);
  queries = 0;
  const result = await burst(store);
  const sent = queries;
  await store.close();
  await pool.query(`DROP TABLE IF EXISTS "${table}_state", "${table}_history"`);
  await pool.end();
  return { ...result, roundTrips: sent };
}

async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  return port;
}

async function redis() {
  const { RedisJobStore } = await import(pathToFileURL(path.join(lib, 'cluster-redis.js')));
  const port = await freePort();
  const server = spawn('redis-server', [
    '--port',
    String(port),
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
  const admin = new Redis({ port, lazyConnect: true, retryStrategy: () => 50 });
  admin.on('error', () => undefined); // refused until the server is up
  for (let i = 0; i < 50; i++) {
    if (
      await admin.connect().then(
        () => true,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const client = new Redis({ port });
  const store = new RedisJobStore(client, { keyPrefix: 'bench' });
  await store.open();
  await store.markTick('warm-up', 1);
  const before = await stats(admin);
  const result = await burst(store);
  const after = await stats(admin);
  await store.close();
  client.disconnect();
  admin.disconnect();
  server.kill();
  // The two INFO calls of `stats` are counted in the second reading.
  const commands = after.commands - before.commands - 2;
  return { ...result, scripts: after.scripts - before.scripts, commands };
}

async function stats(admin) {
  const info = (await admin.info('stats')) + (await admin.info('commandstats'));
  const calls = (cmd) => Number(new RegExp(`cmdstat_${cmd}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
  const commands = Number(/total_commands_processed:(\d+)/.exec(info)[1]);
  return { commands, scripts: calls('evalsha') + calls('eval') };
}

const result = backend === 'redis' ? await redis() : await postgres();
const perRun = (n) => (n / runs).toFixed(3);
console.log(
  JSON.stringify({
    backend,
    lib: path.relative(process.cwd(), lib),
    runs,
    ms: Math.round(result.ms),
    runsPerSecond: Math.round((runs / result.ms) * 1000),
    recorded: result.recorded,
    failed: result.failed,
    firstError: result.firstError,
    ...(result.roundTrips !== undefined
      ? { roundTrips: result.roundTrips, roundTripsPerRun: perRun(result.roundTrips) }
      : {
          scriptCalls: result.scripts,
          scriptCallsPerRun: perRun(result.scripts),
          commandsPerRun: perRun(result.commands),
        }),
  }),
);
