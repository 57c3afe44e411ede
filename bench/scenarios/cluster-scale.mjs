// @ts-check
/**
 * Scenario "cluster scale": many jobs due at the same instant across replicas. `replicas` (3)
 * processes; N jobs (each `ns`), all due at every second (`cron: '* * * * * *'`), no-op runs.
 * Contenders, in alternating order per rep:
 *   ours-redis, ours-postgres           this module, cluster mode, the memory job store (cluster
 *                                       mode's default store is its backend)
 *   ours-redis+store, ours-postgres+store   the same with the job store on that backend
 *   bullmq-c1, bullmq-c50               BullMQ job schedulers, one queue, a Worker per replica
 *                                       at concurrency 1 / 50
 * After every replica is up, `warmupMs`, then a window of `durationMs`; the replicas stop
 * `settleMs` after it and print their runs. Per rep:
 *   due / ran / missed   ticks due in the window (N × seconds), those run, those never run
 *   duplicates           runs of one tick beyond the first, over the whole rep
 *   dueToStart           run start (wall clock, sub-ms) − the tick's due time: p50, p99, max
 *   cpuPerTickMs         CPU (user + system) of all replicas in the window / ticks due
 *   tripsPerTick         this module: lock calls (batches) and, on PostgreSQL, every query its pg
 *                        clients sent (lock and store), over the whole rep / ticks run
 *   commandsPerTick, redisCpuPerTickMs   Redis: INFO commandstats / cpu around the window, per
 *                        tick due (server-wide: a rep in which another DB was active is flagged)
 */
import { fileURLToPath } from 'node:url';
import { percentileSorted, sorted, summarize } from '../lib/stats.mjs';
import { sleep } from '../lib/time.mjs';
import { ReplicaProcess } from '../lib/replica-process.mjs';
import { otherActiveClients, redisDelta, redisSnapshot } from '../lib/redis-stats.mjs';
import { deletePrefix, openServices, redact } from './cluster-contenders.mjs';

const script = (/** @type {string} */ file) => fileURLToPath(new URL(file, import.meta.url));
const OURS = script('./cluster-scale-replica.mjs');
const BULLMQ = script('./cluster-scale-bullmq-replica.mjs');

/**
 * "Without the job store": cluster mode records runs in its backend unless a store is named, so
 * these contenders name the memory store (nothing leaves the process).
 */
const NO_STORE = { backend: 'memory' };

export const SCALE_CONTENDERS = [
  'ours-redis',
  'ours-redis+store',
  'ours-postgres',
  'ours-postgres+store',
  'bullmq-c1',
  'bullmq-c50',
];

/**
 * @typedef {{ id: string, service: 'redis' | 'postgres', script: string,
 *   setUp(tag: string): { env: Record<string, string>, drop(): Promise<unknown> } }} ScaleContender
 * @typedef {{ ns: number[], contenders: string[], replicas: number, durationMs: number,
 *   warmupMs: number, settleMs: number, reps: number, redisUrl: string, redisDb: number,
 *   databaseUrl: string, log?: (line: string) => void }} ScaleConfig
 */

/** @returns {ScaleContender} */
function contender(/** @type {string} */ id, /** @type {any} */ services) {
  const { redis, redisUrl, pool, databaseUrl } = services;
  const withStore = id.endsWith('+store');
  if (id.startsWith('ours-redis')) {
    return {
      id,
      service: 'redis',
      script: OURS,
      setUp(tag) {
        const prefix = `bench-scale:${tag}`;
        const store = { backend: 'redis', url: redisUrl, keyPrefix: `${prefix}-store` };
        const env = {
          BENCH_BACKEND: 'redis',
          BENCH_URL: redisUrl,
          BENCH_PREFIX: prefix,
          BENCH_STORE: JSON.stringify(withStore ? store : NO_STORE),
        };
        return {
          env,
          drop: async () => {
            await deletePrefix(redis, prefix);
            await deletePrefix(redis, `${prefix}-store`);
          },
        };
      },
    };
  }
  if (id.startsWith('ours-postgres')) {
    return {
      id,
      service: 'postgres',
      script: OURS,
      setUp(tag) {
        const table = `bench_scale_${tag}_locks`;
        const storeTable = `bench_scale_${tag}_store`;
        const store = { backend: 'postgres', url: databaseUrl, table: storeTable };
        const env = {
          BENCH_BACKEND: 'postgres',
          BENCH_URL: databaseUrl,
          BENCH_PREFIX: 'bench',
          BENCH_TABLE: table,
          BENCH_STORE: JSON.stringify(withStore ? store : NO_STORE),
        };
        return {
          env,
          drop: async () => {
            await pool.query(`DROP TABLE IF EXISTS ${table}`);
            // The store may own several tables named after its own (runs, history...).
            const { rows } = await pool.query(
              `SELECT tablename FROM pg_tables WHERE tablename LIKE $1`,
              [`${storeTable}%`],
            );
            for (const row of rows) await pool.query(`DROP TABLE IF EXISTS "${row.tablename}"`);
          },
        };
      },
    };
  }
  const concurrency = id.slice('bullmq-c'.length);
  return {
    id,
    service: 'redis',
    script: BULLMQ,
    setUp(tag) {
      const prefix = `bench-scale-bullmq:${tag}`;
      const env = { BENCH_URL: redisUrl, BENCH_PREFIX: prefix, BENCH_CONCURRENCY: concurrency };
      return { env, drop: () => deletePrefix(redis, prefix) };
    },
  };
}

/** One rep of one contender at N jobs. */
async function scaleRun(
  /** @type {ScaleContender} */ c,
  /** @type {number} */ n,
  /** @type {ScaleConfig} */ config,
  /** @type {string} */ tag,
  /** @type {any} */ services,
) {
  const store = c.setUp(tag);
  /** @type {ReplicaProcess[]} */
  const replicas = [];
  try {
    for (let i = 0; i < config.replicas; i++) {
      const env = { ...store.env, BENCH_JOBS: String(n), BENCH_UPSERT: i === 0 ? '1' : '0' };
      const replica = new ReplicaProcess(`r${i + 1}`, c.script, env);
      replicas.push(replica);
      // BullMQ: the schedulers exist before the other workers start.
      if (i === 0 && c.script === BULLMQ) await replica.ready(120_000);
    }
    await Promise.all(replicas.map((r) => r.ready(120_000)));
    // The window starts on a second boundary, so it holds whole ticks of every job.
    const windowStart = Math.ceil((Date.now() + config.warmupMs) / 1000) * 1000;
    const windowEnd = windowStart + config.durationMs;
    const redis = c.service === 'redis' ? services.redis : undefined;
    await sleep(windowStart - Date.now() - 500); // marks half-way between two ticks
    for (const r of replicas) r.mark('start');
    const before = redis && (await redisSnapshot(redis));
    await sleep(windowEnd - Date.now() - 500);
    for (const r of replicas) r.mark('end');
    const after = redis && (await redisSnapshot(redis));
    const others = redis && (await otherActiveClients(redis, services.redisDb, config.durationMs));
    const marks = await Promise.all(
      replicas.map(async (r) => ({ start: await r.marked('start'), end: await r.marked('end') })),
    );
    await sleep(windowEnd + config.settleMs - Date.now());
    const codes = await Promise.all(replicas.map((r) => r.stop(60_000)));
    if (codes.some((code) => code !== 0)) {
      const output = replicas.map((r) => `${r.name}:\n${r.output().slice(-3000)}`).join('\n');
      throw new Error(`replica exit codes ${codes.join(', ')}:\n${output}`);
    }
    const result = analyse(replicas, n, windowStart, windowEnd, marks);
    if (redis && before && after) {
      const delta = redisDelta(before, after);
      Object.assign(result, {
        commandsPerTick: delta.commands / result.due,
        redisCpuPerTickMs: delta.serverCpuMs / result.due,
        redisClean: !(others ?? []).length,
      });
    }
    result.otherLines = replicas
      .flatMap((r) => r.otherLines().map((l) => `${r.name}: ${l}`))
      .slice(0, 10);
    return result;
  } finally {
    await Promise.all(replicas.map((r) => r.kill()));
    await store.drop();
  }
}

/** @returns {Record<string, any>} */
function analyse(
  /** @type {ReplicaProcess[]} */ replicas,
  /** @type {number} */ n,
  /** @type {number} */ windowStart,
  /** @type {number} */ windowEnd,
  /** @type {Array<{ start: any, end: any }>} */ marks,
) {
  const seconds = (windowEnd - windowStart) / 1000;
  const due = n * seconds;
  /** @type {Map<string, number>} */
  const count = new Map();
  const late = [];
  let runs = 0;
  for (const r of replicas) {
    for (const [job, at, start] of r.record('RUNS') ?? []) {
      runs++;
      const key = `${job} ${at}`;
      count.set(key, (count.get(key) ?? 0) + 1);
      if (at >= windowStart && at < windowEnd && count.get(key) === 1) late.push(start - at);
    }
  }
  const duplicates = runs - count.size;
  const ran = late.length;
  const s = sorted(late);
  const cpuUs = marks.reduce((sum, m) => sum + (m.end.cpuUs - m.start.cpuUs), 0);
  const trips = replicas.map((r) => r.record('TRIPS') ?? {});
  const sum = (/** @type {string} */ k) => trips.reduce((acc, t) => acc + (t[k] ?? 0), 0);
  const lockCalls = sum('claim') + sum('extend') + sum('release') + sum('other');
  return {
    due,
    ran,
    missed: due - ran,
    duplicates,
    dueToStartP50Ms: percentileSorted(s, 50),
    dueToStartP99Ms: percentileSorted(s, 99),
    dueToStartMaxMs: s.length ? s[s.length - 1] : NaN,
    cpuPerTickMs: cpuUs / 1000 / due,
    lockCallsPerTick: count.size ? lockCalls / count.size : NaN,
    claimsPerLockCall: sum('claim') ? sum('claimed') / sum('claim') : NaN,
    queriesPerTick: sum('queries') && count.size ? sum('queries') / count.size : NaN,
  };
}

/** Runs the scenario: every N, every contender, `reps` reps in alternating order. */
export async function runClusterScale(/** @type {ScaleConfig} */ config) {
  const log = config.log ?? (() => undefined);
  const services = await openServices({
    contenders: config.contenders.map((id) =>
      id.includes('postgres') ? 'ours-postgres' : 'bullmq',
    ),
    redisUrl: config.redisUrl,
    redisDb: config.redisDb,
    databaseUrl: config.databaseUrl,
  });
  /** @type {Record<string, any>} */
  const out = { config: { ...config, log: undefined }, servers: services.servers, rows: [] };
  try {
    for (const n of config.ns) {
      /** @type {Record<string, any[]>} */
      const reps = Object.fromEntries(config.contenders.map((id) => [id, []]));
      for (let rep = 0; rep < config.reps; rep++) {
        const order = rep % 2 ? [...config.contenders].reverse() : config.contenders;
        for (const id of order) {
          const c = contender(id, services);
          if (services.skipped[c.service]) {
            reps[id].push({ error: services.skipped[c.service] });
            continue;
          }
          const tag = `${n}_${rep}_${id.replace(/\W/g, '_')}_${process.pid}`;
          try {
            const result = await scaleRun(c, n, config, tag, services);
            log(`cluster-scale N=${n} ${id} rep ${rep + 1}: ${brief(result)}`);
            reps[id].push(result);
          } catch (error) {
            const message = String(/** @type {any} */ (error)?.message ?? error).slice(0, 2000);
            log(`cluster-scale N=${n} ${id} rep ${rep + 1}: ERROR ${message.split('\n')[0]}`);
            reps[id].push({ error: message });
          }
        }
      }
      for (const id of config.contenders) out.rows.push({ n, id, ...summary(reps[id]) });
    }
  } finally {
    await services.close();
  }
  out.databaseUrl = redact(config.databaseUrl);
  return out;
}

const brief = (/** @type {Record<string, any>} */ r) =>
  `${r.ran}/${r.due} run, ${r.duplicates} dup, p50 ${r.dueToStartP50Ms.toFixed(1)} ms, ` +
  `p99 ${r.dueToStartP99Ms.toFixed(1)} ms, max ${r.dueToStartMaxMs.toFixed(1)} ms, ` +
  `CPU ${r.cpuPerTickMs.toFixed(3)} ms/tick` +
  (Number.isFinite(r.commandsPerTick) ? `, ${r.commandsPerTick.toFixed(2)} Redis cmd/tick` : '') +
  (r.otherLines?.length ? ` | ${r.otherLines[0]}` : '');

const METRICS = [
  'due',
  'ran',
  'missed',
  'duplicates',
  'dueToStartP50Ms',
  'dueToStartP99Ms',
  'dueToStartMaxMs',
  'cpuPerTickMs',
  'lockCallsPerTick',
  'claimsPerLockCall',
  'queriesPerTick',
  'commandsPerTick',
  'redisCpuPerTickMs',
];

/** Medians over the reps that worked; the totals of due, ran, missed, duplicates. */
function summary(/** @type {any[]} */ reps) {
  const ok = reps.filter((r) => !r.error);
  /** @type {Record<string, any>} */
  const row = { reps: ok.length, errors: reps.filter((r) => r.error).map((r) => r.error) };
  for (const m of METRICS) {
    const values = ok.map((r) => r[m]);
    row[m] = ['due', 'ran', 'missed', 'duplicates'].includes(m)
      ? values.reduce((a, b) => a + (b ?? 0), 0)
      : summarize(values).median;
  }
  row.redisClean = ok.every((r) => r.redisClean !== false);
  row.otherLines = ok.flatMap((r) => r.otherLines ?? []).slice(0, 5);
  return row;
}

const fmt = (/** @type {number} */ v, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : '—');

/** The markdown table of a run. */
export function clusterScaleTable(/** @type {Record<string, any>} */ result) {
  const { config, servers } = result;
  const lines = [
    `#### Cluster scale — ${config.replicas} replica processes, N jobs due together every second, ` +
      `${config.durationMs / 1000} s window after ${config.warmupMs / 1000} s warm-up, ` +
      `${config.reps} rep(s) in alternating order, on ${Object.values(servers).join(' and ')}`,
    '',
    '| N | contender | ticks run / due | duplicates | due → start p50 | p99 | max | CPU per tick, all replicas | backend calls per tick | Redis commands per tick | Redis CPU per tick |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of result.rows) {
    if (!r.reps) {
      lines.push(
        `| ${r.n.toLocaleString('en-US')} | ${r.id} | error: ${String(r.errors[0]).split('\n')[0].slice(0, 120)} | | | | | | | | |`,
      );
      continue;
    }
    const calls = Number.isFinite(r.queriesPerTick) ? r.queriesPerTick : r.lockCallsPerTick;
    lines.push(
      `| ${r.n.toLocaleString('en-US')} | ${r.id} | ${r.ran.toLocaleString('en-US')} / ${r.due.toLocaleString('en-US')} | ${r.duplicates} | ` +
        `${fmt(r.dueToStartP50Ms)} ms | ${fmt(r.dueToStartP99Ms)} ms | ${fmt(r.dueToStartMaxMs)} ms | ` +
        `${fmt(r.cpuPerTickMs, 3)} ms | ${fmt(calls, 4)} | ${fmt(r.commandsPerTick, 2)} | ` +
        `${Number.isFinite(r.redisCpuPerTickMs) ? `${fmt(r.redisCpuPerTickMs, 4)} ms` : '—'}${r.redisClean ? '' : ' (other DB active)'} |`,
    );
  }
  lines.push(
    '',
    'Backend calls per tick: lock batches (Redis: one round trip each), or on PostgreSQL every ' +
      'query the replicas sent (lock and store), per tick run. BullMQ: —, its commands are in ' +
      'the Redis column.',
  );
  return lines.join('\n');
}
