/**
 * One rep of one cluster contender (cluster.mjs has the scenario and its definitions): start the
 * replicas, mark the window's ends on each (CPU) and read Redis's counters around it, stop the
 * replicas, and analyse what they printed.
 */
import { sleep } from '../lib/time.mjs';
import { ReplicaProcess } from '../lib/replica-process.mjs';
import { otherActiveClients, redisDelta, redisSnapshot } from '../lib/redis-stats.mjs';
import { analyse, cpuStats } from './cluster-analyse.mjs';

const JOB = 'bench-probe';

/** One rep of one contender: start the replicas, measure the window, stop them, read their runs. */
export async function clusterRun(contender, config, tag, services) {
  const { periodMs } = config;
  const store = await contender.setUp(tag);
  const replicas = [];
  try {
    const env = { ...store.env, BENCH_JOB: JOB, BENCH_PERIOD_MS: String(periodMs) };
    for (let i = 0; i < config.replicas; i++) {
      if (i) await sleep(config.startGapMs);
      replicas.push(new ReplicaProcess(`r${i + 1}`, contender.script, env));
    }
    await Promise.all(replicas.map((r) => r.ready()));
    const windowStart = Date.now() + config.warmupMs;
    const window = { periodMs, windowStart, windowEnd: windowStart + config.durationMs };
    const redis = contender.service === 'redis' ? services : undefined;
    const measured = await measureWindow(replicas, window, redis);
    await sleep(window.windowEnd + config.settleMs - Date.now());
    return await collect(replicas, contender, window, measured);
  } finally {
    await Promise.all(replicas.map((r) => r.kill()));
    await store.drop();
  }
}

/** CPU marks at both ends of the window on every replica, and the Redis counters around it. */
async function measureWindow(replicas, { windowStart, windowEnd }, redisServices) {
  const redis = redisServices?.redis;
  await sleep(windowStart - Date.now());
  for (const r of replicas) r.mark('start');
  const before = redis && (await redisSnapshot(redis));
  await sleep(windowEnd - Date.now());
  for (const r of replicas) r.mark('end');
  const after = redis && (await redisSnapshot(redis));
  const others =
    redis && (await otherActiveClients(redis, redisServices.redisDb, windowEnd - windowStart));
  const marks = await Promise.all(
    replicas.map(async (r) => ({ start: await r.marked('start'), end: await r.marked('end') })),
  );
  return { marks, redis: redis && { ...redisDelta(before, after), others } };
}

async function collect(replicas, contender, window, { marks, redis }) {
  const exitCodes = await Promise.all(replicas.map((r) => r.stop()));
  const output = () => replicas.map((r) => `${r.name}:\n${r.output()}`).join('\n');
  if (exitCodes.some((c) => c !== 0))
    throw new Error(`replica exit codes ${exitCodes.join(', ')}:\n${output()}`);
  const runs = replicas.flatMap((r) => r.record('RUNS') ?? []).sort((a, b) => a.start - b.start);
  if (!runs.length) throw new Error(`no run recorded:\n${output()}`);
  const claims = contender.id.startsWith('ours-')
    ? replicas.map((r) => r.record('CLAIMS'))
    : undefined;
  const analysed = analyse(runs, claims, window);
  const result = { ...analysed, ...cpuStats(marks, analysed.ticksDue) };
  if (redis) {
    redis.clean = !redis.others.length && redis.newConnections === 0;
    Object.assign(result, {
      redis,
      commandsPerTick: redis.commands / result.ticksDue,
      scriptCallsPerTick: redis.scriptCalls / result.ticksDue,
      redisCpuPerTickMs: redis.serverCpuMs / result.ticksDue,
    });
  }
  result.exitCodes = exitCodes;
  result.replicaOutput = replicas
    .flatMap((r) => r.otherLines().map((l) => `${r.name}: ${l}`))
    .slice(0, 20);
  return result;
}
