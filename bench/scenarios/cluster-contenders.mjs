/**
 * The contenders of the cluster scenario, each a replica script and, per rep, its settings in a
 * namespace of its own (a key prefix / a lock table) that is removed afterwards. The Redis ones
 * share the bench's Redis DB (`redisDb`, 13 unless REDIS_URL names one): only bench keys live
 * there, and the bench deletes only keys under its own prefixes (never FLUSHDB).
 */
import { fileURLToPath } from 'node:url';

const script = (file) => fileURLToPath(new URL(file, import.meta.url));
const OURS = script('./cluster-replica.mjs');
const BULLMQ = script('./cluster-bullmq-replica.mjs');

export const CLUSTER_CONTENDERS = ['ours-redis', 'ours-postgres', 'bullmq'];

export const CLUSTER_LABELS = {
  'ours-redis': 'this module · Redis lock',
  'ours-postgres': 'this module · PostgreSQL lock',
  bullmq: 'BullMQ · upsertJobScheduler + Worker',
};

/** The services a contender needs: 'redis' or 'postgres'. */
export const SERVICE_OF = { 'ours-redis': 'redis', 'ours-postgres': 'postgres', bullmq: 'redis' };

/** The URL with its DB: REDIS_URL's own DB if it names one, else `db`. */
export function redisUrlWithDb(url, db) {
  const u = new URL(url);
  if (!/^\/\d+$/.test(u.pathname)) u.pathname = `/${db}`;
  return u.toString();
}

/** Deletes every key under `prefix:` (SCAN + DEL): only the bench's own keys. */
export async function deletePrefix(redis, prefix) {
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (found.length) await redis.del(...found);
  } while (cursor !== '0');
}

/** `id` → { id, label, script, service, setUp(tag) → { env, drop() } } on the opened services. */
export function clusterContender(id, services) {
  const { redis, redisUrl, pool, databaseUrl } = services;
  const base = { id, label: CLUSTER_LABELS[id], service: SERVICE_OF[id] };
  if (id === 'ours-redis') {
    return {
      ...base,
      script: OURS,
      setUp(tag) {
        const prefix = `bench-cluster:${tag}`;
        const env = { BENCH_BACKEND: 'redis', BENCH_URL: redisUrl, BENCH_PREFIX: prefix };
        return { env, drop: () => deletePrefix(redis, prefix) };
      },
    };
  }
  if (id === 'ours-postgres') {
    return {
      ...base,
      script: OURS,
      setUp(tag) {
        const table = `bench_cluster_${tag}_locks`;
        const url = new URL(databaseUrl);
        url.searchParams.set('application_name', `bench_cluster_${tag}`);
        const env = { BENCH_BACKEND: 'postgres', BENCH_URL: url.toString(), BENCH_PREFIX: 'bench' };
        return {
          env: { ...env, BENCH_TABLE: table },
          drop: () => pool.query(`DROP TABLE IF EXISTS ${table}`),
        };
      },
    };
  }
  if (id === 'bullmq') {
    return {
      ...base,
      script: BULLMQ,
      setUp(tag) {
        const prefix = `bench-bullmq:${tag}`;
        return {
          env: { BENCH_URL: redisUrl, BENCH_PREFIX: prefix },
          drop: () => deletePrefix(redis, prefix),
        };
      },
    };
  }
  throw new Error(
    `Unknown cluster contender ${id} (expected one of ${CLUSTER_CONTENDERS.join(', ')})`,
  );
}

/**
 * The bench's own clients of the services the contenders need (reachability, server version,
 * Redis stats, clean-up). A service that cannot be reached is `{ skipped: reason }`.
 */
export async function openServices({ contenders, redisUrl, redisDb, databaseUrl }) {
  const need = new Set(contenders.map((id) => SERVICE_OF[id]));
  const services = { skipped: {}, servers: {} };
  if (need.has('redis')) {
    const url = redisUrlWithDb(redisUrl, redisDb);
    try {
      services.redis = await openRedis(url);
      services.redisUrl = url;
      services.redisDb = Number(new URL(url).pathname.slice(1));
      const info = await services.redis.info('server');
      const field = (name) => new RegExp(`^${name}:(\\S+)`, 'm').exec(info)?.[1] ?? '?';
      // hz matters: Redis serves the timeouts of blocked commands (BullMQ's BZPOPMIN) at hz.
      services.servers.redis = `Redis ${field('redis_version')} (hz ${field('hz')})`;
    } catch (error) {
      services.skipped.redis = `not reachable at ${redact(url)}: ${firstLine(error)}`;
    }
  }
  if (need.has('postgres')) {
    try {
      services.pool = await openPostgres(databaseUrl);
      services.databaseUrl = databaseUrl;
      const { rows } = await services.pool.query('SHOW server_version');
      services.servers.postgres = `PostgreSQL ${String(rows[0].server_version).split(' ')[0]}`;
    } catch (error) {
      services.skipped.postgres = `not reachable at ${redact(databaseUrl)}: ${firstLine(error)}`;
    }
  }
  services.close = async () => {
    await services.redis?.quit().catch(() => services.redis.disconnect());
    await services.pool?.end().catch(() => undefined);
  };
  return services;
}

async function openRedis(url) {
  const { Redis } = await import('ioredis');
  const options = { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 1 };
  const client = new Redis(url, { ...options, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return client;
  } catch (error) {
    client.disconnect();
    throw error;
  }
}

async function openPostgres(url) {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 2000 });
  pool.on('error', () => undefined);
  try {
    await pool.query('SELECT 1');
    return pool;
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
}

export function firstLine(error) {
  return String(error?.message ?? error).split('\n')[0];
}

/** A URL without its password, for the report. */
export function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return String(url);
  }
}
