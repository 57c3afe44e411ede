/**
 * Scenario 4, cluster: "one run per tick across replicas". `replicas` (3) processes share ONE job
 * every `periodMs` (each of `periods`: 100 ms and 1 s), per contender:
 *   ours-redis     this module, `cluster: { backend: 'redis', url, keyPrefix }`
 *                  (cluster-replica.mjs,
 *                  the BUILT package, dist/), no jitter: every replica races for every tick;
 *   ours-postgres  the same on PostgreSQL (its own lock table per rep);
 *   bullmq         BullMQ's job scheduler: each replica upserts it (`every`) and runs a Worker
 *                  (cluster-bullmq-replica.mjs, which also defines BullMQ's due time exactly).
 * Both Redis contenders use the same Redis, in the bench's DB (cluster-contenders.mjs). Per
 * period, `reps` reps in alternating order. After every replica is up, `warmupMs`, then the
 * window [windowStart, windowEnd) of `durationMs`; replicas are stopped `settleMs` after it and
 * print their runs (cluster-analyse.mjs has the definitions of everything computed from them).
 *
 *   dueToStart   a run's start (wall clock in the replica, sub-ms) − the due time of the tick it
 *                names: lateness per tick, uncapped (±1 ms: this module's due is on the
 *                backend's clock as the coordinator measures it, rounded to 1 ms)
 *   orderLate    the k-th run (by start) − the k-th tick of the window, uncapped: a lost tick
 *                shifts every later run by a period; orderLateLast: that of the window's
 *                last tick
 *   runs         runs for ticks due in the window (the fired-in-window count); missed: window
 *                ticks with no run; duplicates: runs − distinct ticks, over the whole rep
 *   overhead     this module only: on the winner, run start − the coordinator's claim call
 *                (performance.now(), one process; cluster-replica.mjs); claim: every claim's
 *                round trip, won or lost, on every replica
 *   cpuPerTick   CPU time (process.cpuUsage, user + system) of ALL replicas in the window / ticks
 *                due; read by each replica when the parent writes `MARK start|end` to its stdin
 *   commands     Redis only: INFO commandstats after − before the window, / ticks due: every
 *                command Redis ran, those inside Lua scripts included; scriptCalls: EVALSHA & co;
 *                redisCpu: Redis's own CPU (INFO cpu) per tick. Server-wide counters: a rep in
 *                which another DB's client was active is flagged (`redis.others`), never hidden.
 * A rep whose replicas fail is recorded as an error, not as numbers. A contender whose service
 * cannot be reached is skipped with the reason; with none reachable the scenario is 'pending'.
 */
import { alternate, summarize } from '../lib/stats.mjs';
import { clusterRun } from './cluster-run.mjs';
import {
  CLUSTER_CONTENDERS,
  clusterContender,
  firstLine,
  openServices,
  redact,
  SERVICE_OF,
} from './cluster-contenders.mjs';

export { CLUSTER_CONTENDERS, CLUSTER_LABELS } from './cluster-contenders.mjs';

export const CLUSTER_METRICS = [
  'dueToStartP50Ms',
  'dueToStartP99Ms',
  'dueToStartMaxMs',
  'orderLateP99Ms',
  'orderLateMaxMs',
  'orderLateLastMs',
  'overheadP50Ms',
  'overheadP99Ms',
  'overheadMaxMs',
  'claimP50Ms',
  'claimP99Ms',
  'afterClaimP50Ms',
  'afterClaimP99Ms',
  'cpuPerTickMs',
  'cpuPercent',
  'commandsPerTick',
  'scriptCallsPerTick',
  'redisCpuPerTickMs',
  'ticksDue',
  'runs',
  'duplicates',
  'missed',
];
const TOTALS = ['ticksDue', 'runs', 'duplicates', 'missed', 'offGrid', 'dueMismatch'];

export const CLUSTER_DEFAULTS = {
  contenders: CLUSTER_CONTENDERS,
  periods: [100, 1000],
  replicas: 3,
  durationMs: 10_000,
  warmupMs: 1000,
  settleMs: 500,
  startGapMs: 100,
  reps: 3,
  redisDb: 13,
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
};

/** Scenario 4: every reachable contender, per period, `reps` times in alternating order. */
export async function runCluster(options = {}) {
  const config = { ...CLUSTER_DEFAULTS, ...options };
  const log = options.log ?? (() => {});
  for (const id of config.contenders) {
    if (!SERVICE_OF[id])
      throw new Error(
        `Unknown cluster contender ${id} (expected ${CLUSTER_CONTENDERS.join(', ')})`,
      );
  }
  const services = await openServices(config);
  const reachable = config.contenders.filter((id) => !services.skipped[SERVICE_OF[id]]);
  const periods = {};
  try {
    for (const periodMs of config.periods) {
      periods[periodMs] = await runPeriod(config, { periodMs, services, reachable, log });
    }
  } finally {
    await services.close();
  }
  const skipped = Object.fromEntries(
    config.contenders
      .filter((id) => !reachable.includes(id))
      .map((id) => [id, services.skipped[SERVICE_OF[id]]]),
  );
  for (const [id, reason] of Object.entries(skipped)) log(`cluster ${id}: skipped, ${reason}`);
  const publicConfig = {
    ...config,
    log: undefined,
    redisUrl: redact(config.redisUrl),
    databaseUrl: redact(config.databaseUrl),
  };
  const measured = Object.values(periods).some((byId) =>
    Object.values(byId).some((e) => e.reps.length),
  );
  const status = !reachable.length ? 'pending' : measured ? 'measured' : 'failed';
  const reason =
    status === 'pending' ? `nothing reachable (${Object.values(skipped).join('; ')})` : undefined;
  return { status, reason, config: publicConfig, servers: services.servers, skipped, periods };
}

/** One line of the progress log per rep. */
function describeRep(r) {
  const redis = r.redis ? `, ${r.commandsPerTick.toFixed(1)} Redis commands/tick` : '';
  return (
    `due → start p99 ${r.dueToStartP99Ms.toFixed(2)} ms, ${r.runs} runs / ${r.ticksDue} ` +
    `ticks due, ${r.duplicates} duplicates, ${r.missed} missed, ` +
    `CPU ${r.cpuPerTickMs.toFixed(2)} ms/tick${redis}`
  );
}

/** Medians over reps of every metric, and the counts summed over reps. */
function summarise(entry) {
  entry.summary = Object.fromEntries(
    CLUSTER_METRICS.map((m) => [m, summarize(entry.reps.map((r) => r[m]))]),
  );
  const total = (m) => entry.reps.reduce((sum, r) => sum + r[m], 0);
  entry.totals = Object.fromEntries(TOTALS.map((m) => [m, total(m)]));
  entry.totals.reps = entry.reps.length;
  entry.totals.redisPolluted = entry.reps.filter((r) => r.redis && !r.redis.clean).length;
}

async function runPeriod(config, { periodMs, services, reachable, log }) {
  const byId = Object.fromEntries(reachable.map((id) => [id, { reps: [], errors: [] }]));
  for (let rep = 0; rep < config.reps; rep++) {
    for (const id of alternate(reachable, rep)) {
      const contender = clusterContender(id, services);
      const tag = `${Date.now().toString(36)}_${process.pid}_${periodMs}_${rep}`;
      const where = `cluster ${periodMs} ms rep ${rep + 1}/${config.reps} ${id}`;
      try {
        const r = await clusterRun(contender, { ...config, periodMs }, tag, services);
        byId[id].reps.push(r);
        log(`${where}: ${describeRep(r)}`);
      } catch (error) {
        byId[id].errors.push(firstLine(error));
        log(`${where}: FAILED ${error.message}`);
      }
    }
  }
  Object.values(byId).forEach(summarise);
  return byId;
}
