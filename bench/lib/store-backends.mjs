/**
 * The job stores of the store and soak scenarios: `none` (no store configured: nothing is
 * recorded), `memory`, `file`, `redis`, `postgres`. Each run gets its own tag, so its Redis key
 * prefix, PostgreSQL tables and state file are its own; `cleanupStore()` removes exactly those
 * (SCAN + DEL of the prefix, DROP of the two tables, rm of the temp directory).
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const STORE_KINDS = ['none', 'memory', 'file', 'redis', 'postgres'];

export const STORE_LABELS = {
  none: 'no store',
  memory: 'memory store',
  file: 'file store',
  redis: 'Redis store',
  postgres: 'PostgreSQL store',
};

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/13';
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A tag unique to this run: letters, digits and `_` only (it names a table). */
export function storeTag(kind) {
  return `bench_store_${kind}_${process.pid}_${Date.now().toString(36)}`;
}

/** The `store` option of `forRoot()` for `kind`, or undefined for `none`. */
export function storeOptions(kind, tag) {
  switch (kind) {
    case 'none':
      return undefined;
    case 'memory':
      return { backend: 'memory' };
    case 'file':
      return { backend: 'file', path: join(tmpdir(), tag, 'state.json') };
    case 'redis':
      return { backend: 'redis', url: REDIS_URL, keyPrefix: tag };
    case 'postgres':
      return { backend: 'postgres', url: DATABASE_URL, keyPrefix: tag, table: tag };
    default:
      throw new Error(`Unknown store '${kind}'; known: ${STORE_KINDS.join(', ')}`);
  }
}

/** Removes what a run of `kind` under `tag` left: its file, keys or tables. */
export async function cleanupStore(kind, tag) {
  if (kind === 'file') rmSync(join(tmpdir(), tag), { recursive: true, force: true });
  if (kind === 'redis') {
    const { Redis } = await import('ioredis');
    const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${tag}*`, 'COUNT', 1000);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  }
  if (kind === 'postgres') {
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    try {
      await client.query(`DROP TABLE IF EXISTS "${tag}_state", "${tag}_history"`);
    } finally {
      await client.end();
    }
  }
}
