/**
 * Scenario 4, cluster. `replicas` (3) processes (cluster-replica.mjs, importing the BUILT package,
 * i.e. dist/) share ONE job every `periodMs` (100 ms, no jitter: every replica races for every
 * tick), configured as a user would (`cluster: { backend, url, keyPrefix }`), first on one Redis,
 * then on one PostgreSQL (alternating order over reps). Every rep has its own key prefix (Redis)
 * or lock table and run table (PostgreSQL), dropped afterwards.
 *
 * Each run is recorded by the replica that ran it, in the backend itself (a Redis list, a
 * PostgreSQL table), as the cluster tests do: runs, duplicates and missed ticks are all counted
 * from that one record. After every replica is up, `warmupMs` passes, then the measured window
 * [windowStart, windowEnd) of `durationMs`; the replicas are stopped `settleMs` after it.
 *
 *   overhead     lock overhead of a run, on the replica that won the tick: performance.now() when
 *                the job's run() starts − performance.now() when the coordinator asked the
 *                backend for that tick (the replica wraps the backend lock's acquire(); the
 *                engine's timer calls runTick(), which calls acquire() synchronously, so this is
 *                the start of runTick within a microsecond). It is everything the cluster adds
 *                between "the tick fired" and "the job runs": the claim round trip (one Lua
 *                script on Redis; a transaction on PostgreSQL) plus the coordinator's and the
 *                runner's bookkeeping. One process, one monotonic clock: no clock offsets in it.
 *                p50, p99 and max over the window's runs (about durationMs / periodMs of them,
 *                so with 100 runs the p99 is about the second largest).
 *   claim        round trip of every claim, on every replica, won or lost (call → answer): what
 *                each replica pays per tick, even when another one runs it.
 *   afterClaim   (JSON only) overhead − the winner's own claim round trip: what the coordinator
 *                and the runner add between the backend's answer and the job's run().
 *   dueToStart   the job's start (wall clock on the winner, performance.timeOrigin + now(), for
 *                sub-ms) − its due time (context.scheduledAt, on the backend's clock, which the
 *                coordinator keeps as local clock + measured offset, rounded to 1 ms): the
 *                end-to-end lateness, i.e. the engine's own timer lateness + the lock overhead.
 *                Backend and replicas share one machine, hence one clock, so the offset is ~0,
 *                but this one is only good to ±1 ms.
 *   duplicates   recorded runs − distinct ticks among them, over the whole run (not only the
 *                window): runs of one tick on more than one replica, or twice on one. Must be 0.
 *   missed       ticks on the job's grid due in the window with no recorded run. The grid
 *                (anchor + k × periodMs, the anchor being the backend's) is read off the recorded
 *                due times; `offGrid` counts recorded dues not on it (must be 0).
 * A rep whose replicas fail (start, exit code) is recorded as an error, not as numbers. A backend
 * that is not reachable is skipped with the reason; with none reachable the scenario is
 * 'pending', never made-up numbers.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { alternate, percentileSorted, sorted, summarize } from '../lib/stats.mjs';
import { sleep } from '../lib/time.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REPLICA = fileURLToPath(new URL('./cluster-replica.mjs', import.meta.url));

export const CLUSTER_METRICS = [
  'overheadP50Ms', 'overheadP99Ms', 'overheadMaxMs', 'claimP50Ms', 'claimP99Ms',
  'dueToStartP50Ms', 'dueToStartP99Ms', 'afterClaimP50Ms', 'afterClaimP99Ms', 'ticksDue', 'runs', 'duplicates', 'missed',
];
export const CLUSTER_BACKENDS = ['redis', 'postgres'];

const JOB = 'bench-probe';

/** Scenario 4: every reachable backend, `reps` times in alternating order. */
export async function runCluster(options = {}) {
  const config = {
    backends: CLUSTER_BACKENDS, replicas: 3, periodMs: 100, durationMs: 10_000, warmupMs: 1000, settleMs: 500,
    startGapMs: 100, reps: 3,
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    ...options,
  };
  const log = options.log ?? (() => {});
  const backends = {};
  const reachable = [];
  for (const name of config.backends) {
    if (!CLUSTER_BACKENDS.includes(name)) throw new Error(`Unknown cluster backend ${name} (expected ${CLUSTER_BACKENDS.join(' or ')})`);
    try {
      const adapter = await ADAPTERS[name](config);
      reachable.push(adapter);
      backends[name] = { server: adapter.server, reps: [], errors: [] };
    } catch (error) {
      backends[name] = { skipped: `not reachable at ${redact(name === 'redis' ? config.redisUrl : config.databaseUrl)}: ${firstLine(error)}` };
      log(`cluster ${name}: skipped, ${backends[name].skipped}`);
    }
  }
  const publicConfig = { ...config, log: undefined, redisUrl: redact(config.redisUrl), databaseUrl: redact(config.databaseUrl) };
  try {
    if (!reachable.length) {
      return { status: 'pending', reason: `no backend reachable (${config.backends.map((b) => `${b}: ${backends[b].skipped}`).join('; ')})`, config: publicConfig, backends };
    }
    for (let rep = 0; rep < config.reps; rep++) {
      for (const adapter of alternate(reachable, rep)) {
        const entry = backends[adapter.name];
        try {
          const r = await clusterRun(adapter, config, `${Date.now().toString(36)}_${process.pid}_${rep}`);
          entry.reps.push(r);
          log(`cluster rep ${rep + 1}/${config.reps} ${adapter.name}: overhead p50 ${r.overheadP50Ms.toFixed(2)} ms, p99 ${r.overheadP99Ms.toFixed(2)} ms; ` +
            `${r.runs} runs / ${r.ticksDue} ticks due, ${r.duplicates} duplicates, ${r.missed} missed`);
        } catch (error) {
          entry.errors.push(firstLine(error));
          log(`cluster rep ${rep + 1}/${config.reps} ${adapter.name}: FAILED ${error.message}`);
        }
      }
    }
  } finally {
    await Promise.all(reachable.map((a) => a.close()));
  }
  for (const adapter of reachable) {
    const entry = backends[adapter.name];
    entry.summary = Object.fromEntries(CLUSTER_METRICS.map((m) => [m, summarize(entry.reps.map((r) => r[m]))]));
    const total = (m) => entry.reps.reduce((sum, r) => sum + r[m], 0);
    entry.totals = { reps: entry.reps.length, ticksDue: total('ticksDue'), runs: total('runs'), duplicates: total('duplicates'), missed: total('missed'), offGrid: total('offGrid') };
  }
  return { status: reachable.some((a) => backends[a.name].reps.length) ? 'measured' : 'failed', config: publicConfig, backends };
}

/** One rep on one backend: start the replicas, measure the window, stop them, read the record. */
export async function clusterRun(adapter, config, tag) {
  const { periodMs } = config;
  const store = await adapter.setUp(tag);
  const replicas = [];
  try {
    for (let i = 0; i < config.replicas; i++) {
      if (i) await sleep(config.startGapMs);
      replicas.push(new Replica(`r${i + 1}`, { ...store.env, BENCH_BACKEND: adapter.name, BENCH_JOB: JOB, BENCH_PERIOD_MS: String(periodMs) }));
    }
    await Promise.all(replicas.map((r) => r.ready()));
    const windowStart = Date.now() + config.warmupMs;
    const windowEnd = windowStart + config.durationMs;
    await sleep(windowEnd + config.settleMs - Date.now());
    const exitCodes = await Promise.all(replicas.map((r) => r.stop()));
    if (exitCodes.some((c) => c !== 0)) throw new Error(`replica exit codes ${exitCodes.join(', ')}:\n${replicas.map((r) => r.lines.join('\n')).join('\n')}`);
    const runs = await store.read();
    if (!runs.length) throw new Error(`no run recorded:\n${replicas.map((r) => r.lines.join('\n')).join('\n')}`);
    const claims = replicas.map((r) => r.claims());
    return {
      ...analyse(runs, claims, { periodMs, windowStart, windowEnd }),
      exitCodes,
      replicaOutput: replicas.flatMap((r) => r.otherLines().map((line) => `${r.name}: ${line}`)).slice(0, 20),
    };
  } finally {
    await Promise.all(replicas.map((r) => r.kill()));
    await store.drop();
  }
}

/**
 * The numbers of one rep from the recorded runs ({ replica, due, start, overheadMs }) and each
 * replica's claims ({ replica, claims: [[due, ms, 1 won | 0 lost | -1 error]], unconsumed }).
 */
export function analyse(runs, replicaClaims, { periodMs, windowStart, windowEnd }) {
  const ref = runs[0].due;
  const onGrid = (due) => (((due - ref) % periodMs) + periodMs) % periodMs === 0;
  const firstDue = ref + Math.ceil((windowStart - ref) / periodMs) * periodMs;
  const ticksDue = Math.max(0, Math.ceil((windowEnd - firstDue) / periodMs));
  const inWindow = (due) => due >= windowStart && due < windowEnd;
  const windowRuns = runs.filter((r) => inWindow(r.due));
  const ranTicks = new Set(windowRuns.filter((r) => onGrid(r.due)).map((r) => r.due)).size;
  const overheads = sorted(windowRuns.filter((r) => typeof r.overheadMs === 'number').map((r) => r.overheadMs));
  const lateness = sorted(windowRuns.map((r) => r.start - r.due));
  const windowClaims = replicaClaims.flatMap((c) => c.claims.filter(([due]) => inWindow(due)));
  const claimMs = sorted(windowClaims.filter(([, , result]) => result >= 0).map(([, ms]) => ms));
  // What the coordinator and the runner add after the winner's claim is answered.
  const wonClaimMs = new Map(replicaClaims.flatMap((c) => c.claims.filter(([, , result]) => result === 1).map(([due, ms]) => [`${c.replica} ${due}`, ms])));
  const afterClaim = sorted(windowRuns.filter((r) => typeof r.overheadMs === 'number' && wonClaimMs.has(`${r.replica} ${r.due}`))
    .map((r) => r.overheadMs - wonClaimMs.get(`${r.replica} ${r.due}`)));
  const winsByReplica = {};
  for (const r of windowRuns) winsByReplica[r.replica] = (winsByReplica[r.replica] ?? 0) + 1;
  return {
    ticksDue,
    runs: windowRuns.length,
    ranTicks,
    duplicates: runs.length - new Set(runs.map((r) => r.due)).size,
    missed: ticksDue - ranTicks,
    offGrid: runs.filter((r) => !onGrid(r.due)).length,
    unmatched: windowRuns.length - overheads.length,
    overheadP50Ms: percentileSorted(overheads, 50),
    overheadP99Ms: percentileSorted(overheads, 99),
    overheadMaxMs: overheads.length ? overheads[overheads.length - 1] : NaN,
    claimP50Ms: percentileSorted(claimMs, 50),
    claimP99Ms: percentileSorted(claimMs, 99),
    afterClaimP50Ms: percentileSorted(afterClaim, 50),
    afterClaimP99Ms: percentileSorted(afterClaim, 99),
    claims: windowClaims.length,
    claimErrors: windowClaims.filter(([, , result]) => result < 0).length,
    dueToStartP50Ms: percentileSorted(lateness, 50),
    dueToStartP99Ms: percentileSorted(lateness, 99),
    dueToStartMaxMs: lateness.length ? lateness[lateness.length - 1] : NaN,
    winsByReplica,
    unconsumedClaims: replicaClaims.reduce((sum, c) => sum + c.unconsumed, 0),
    recordedRuns: runs.length,
    windowStart,
    windowEnd,
  };
}

/** A replica process: its output lines, ready, graceful stop, kill. */
class Replica {
  lines = [];

  constructor(name, env) {
    this.name = name;
    this.child = spawn(process.execPath, [REPLICA], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', BENCH_REPLICA: name, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        const parts = (rest + chunk).split('\n');
        rest = parts.pop();
        this.lines.push(...parts);
      });
    }
    // 'close', not 'exit': by then stdout and stderr are fully read.
    this.exited = new Promise((resolve) => this.child.once('close', (code) => resolve(code)));
  }

  get alive() {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async ready(timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    while (!this.lines.some((line) => line.startsWith('READY '))) {
      if (!this.alive) throw new Error(`replica ${this.name} exited before it was ready (is dist/ built? \`npm run build\`):\n${this.lines.join('\n')}`);
      if (Date.now() > deadline) throw new Error(`replica ${this.name} not ready after ${timeoutMs} ms:\n${this.lines.join('\n')}`);
      await sleep(20);
    }
  }

  /** SIGTERM (the app drains and closes, then prints its claims); SIGKILL if it hangs. */
  async stop(timeoutMs = 15_000) {
    if (this.alive) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  async kill() {
    if (this.alive) this.child.kill('SIGKILL');
    await this.exited;
  }

  claims() {
    const line = this.lines.find((l) => l.startsWith('CLAIMS '));
    if (!line) throw new Error(`replica ${this.name} printed no claims:\n${this.lines.join('\n')}`);
    return JSON.parse(line.slice('CLAIMS '.length));
  }

  /** Anything it printed besides READY and CLAIMS (warnings, errors). */
  otherLines() {
    return this.lines.filter((l) => l.trim() && !l.startsWith('READY ') && !l.startsWith('CLAIMS '));
  }
}

/**
 * Per backend: a client of the bench's own (reachability, server version, run records, clean-up)
 * and, per rep, the replicas' settings: a unique lock key prefix / lock table and run store.
 */
const ADAPTERS = {
  async redis(config) {
    const { Redis } = await import('ioredis');
    const client = new Redis(config.redisUrl, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 1, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (error) {
      client.disconnect();
      throw error;
    }
    const info = await client.info('server');
    return {
      name: 'redis',
      server: `Redis ${/redis_version:(\S+)/.exec(info)?.[1] ?? '?'}`,
      async setUp(tag) {
        const prefix = `bench-cluster:${tag}`;
        const key = `${prefix}:runs`;
        return {
          env: { BENCH_URL: config.redisUrl, BENCH_PREFIX: prefix, BENCH_RUNS: key },
          read: async () => (await client.lrange(key, 0, -1)).map((text) => JSON.parse(text)).sort((a, b) => a.start - b.start),
          async drop() {
            const keys = [];
            let cursor = '0';
            do {
              const [next, found] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
              cursor = next;
              keys.push(...found);
            } while (cursor !== '0');
            if (keys.length) await client.del(...keys);
          },
        };
      },
      close: () => client.quit().catch(() => client.disconnect()),
    };
  },

  async postgres(config) {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 2, connectionTimeoutMillis: 2000 });
    pool.on('error', () => undefined);
    let version;
    try {
      version = (await pool.query('SHOW server_version')).rows[0].server_version;
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
    return {
      name: 'postgres',
      server: `PostgreSQL ${String(version).split(' ')[0]}`,
      async setUp(tag) {
        const runs = `bench_cluster_${tag}_runs`;
        const locks = `bench_cluster_${tag}_locks`;
        await pool.query(`CREATE TABLE ${runs} (id serial PRIMARY KEY, replica text, due bigint, started double precision, overhead_ms double precision)`);
        const url = new URL(config.databaseUrl);
        url.searchParams.set('application_name', `bench_cluster_${tag}`);
        return {
          env: { BENCH_URL: url.toString(), BENCH_PREFIX: 'bench', BENCH_TABLE: locks, BENCH_RUNS: runs },
          async read() {
            const { rows } = await pool.query(`SELECT replica, due, started, overhead_ms FROM ${runs} ORDER BY started, id`);
            return rows.map((r) => ({ replica: r.replica, due: Number(r.due), start: Number(r.started), overheadMs: r.overhead_ms === null ? null : Number(r.overhead_ms) }));
          },
          async drop() {
            await pool.query(`DROP TABLE IF EXISTS ${runs}`);
            await pool.query(`DROP TABLE IF EXISTS ${locks}`);
          },
        };
      },
      close: () => pool.end(),
    };
  },
};

function firstLine(error) {
  return String(error?.message ?? error).split('\n')[0];
}

/** A URL without its password, for the report. */
function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return String(url);
  }
}
