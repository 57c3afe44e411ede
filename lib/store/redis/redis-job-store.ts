import { Redis } from 'ioredis';
import { LOCK_CLIENT_OPTIONS } from '../../cluster/redis/redis-job-lock.js';
import type {
  JobState,
  JobStore,
  RunRecord,
  RunStart,
} from '../../interfaces/job-store.interface.js';
import { abandonedRecord, cleanRecord, cleanStart, limitOf } from '../run-record.js';
import { DEFAULT_HISTORY, DEFAULT_STORE_KEY_PREFIX, REAP_BATCH } from '../store.constants.js';
import { WriteBatcher, type BatchedWrite } from '../write-batcher.js';
import {
  defineCommands,
  member,
  openRunsOf,
  parseMember,
  toState,
  type StoreCommands,
} from './redis-store.commands.js';

/** Options of `RedisJobStore`. */
export interface RedisJobStoreOptions {
  /** Prefix of every key. Default: `core-lib-jobs`. */
  keyPrefix?: string;
  /** Runs kept per job, newest first; `0` keeps none. Default: 50. */
  history?: number;
}

/** How long a write waits for others to share its script call, and how many share one. */
export const REDIS_BATCH_WINDOW_MS = 2;
export const REDIS_MAX_BATCH = 200;

/** One write: its code and fields for the batch script, and its history key (an end's). */
interface RedisWrite extends BatchedWrite {
  args: (string | number)[];
  history?: string;
  resolve(done: boolean): void;
}

/**
 * `JobStore` on Redis (ioredis), from a URL or a client you pass in. Writes made within 2 ms of
 * each other (up to 200) go in one script call (redis-store.scripts.ts), applied in call order. Keys: `<prefix>:{store}:jobs`
 * (a hash: job → JSON state), `<prefix>:{store}:leases` (open runs by lease end) and
 * `<prefix>:{store}:history:<job>` (a list, newest first, cut with LTRIM). They share one hash
 * tag, so the scripts also run on Redis Cluster, and never clash with the lock's `<prefix>:{job}:`.
 */
export class RedisJobStore implements JobStore {
  private readonly client: Redis & StoreCommands;
  private readonly owned: boolean;
  private readonly base: string;
  private readonly historyLimit: number;
  private connecting: Promise<void> | undefined;
  private lastError: Error | undefined;
  private readonly batcher = new WriteBatcher<RedisWrite>({
    windowMs: REDIS_BATCH_WINDOW_MS,
    maxBatch: REDIS_MAX_BATCH,
    maxInFlight: 4,
    // One connection: Redis runs the calls in the order they were sent.
    ordered: true,
    send: (writes) => this.send(writes),
  });

  /**
   * `client`: an ioredis client (kept open on `close()`), or a `redis://` URL (default:
   * 127.0.0.1:6379) for a client of the store's own, which fails fast while Redis is down.
   */
  constructor(client?: Redis | string, options: RedisJobStoreOptions = {}) {
    this.owned = typeof client !== 'object';
    const redis =
      typeof client === 'object'
        ? client
        : new Redis(client ?? 'redis://127.0.0.1:6379', LOCK_CLIENT_OPTIONS);
    // Without a listener ioredis would print every failed reconnection; the caller logs failures.
    if (this.owned) {
      redis.on('error', (error: Error) => (this.lastError = error));
      redis.on('ready', () => (this.lastError = undefined));
    }
    defineCommands(redis);
    this.client = redis as Redis & StoreCommands;
    this.base = `${options.keyPrefix ?? DEFAULT_STORE_KEY_PREFIX}:{store}`;
    this.historyLimit = options.history ?? DEFAULT_HISTORY;
  }

  /** Connects in the background: a server that is down is not an error here. */
  async open(): Promise<void> {
    this.ready().catch(() => undefined);
  }

  async runStarted(start: RunStart): Promise<void> {
    const run = cleanStart(start);
    const marks = run.reason === 'trigger' ? '0' : '1';
    const json = JSON.stringify(run);
    await this.write(['s', run.name, run.runId, json, run.leaseUntil, run.due, marks, member(run)]);
  }

  heartbeat(name: string, runId: string, leaseUntil: number): Promise<boolean> {
    const until = Math.round(leaseUntil);
    return this.write(['b', name, runId, until, member({ name, runId })]);
  }

  runEnded(record: RunRecord): Promise<boolean> {
    return this.end(cleanRecord(record), '');
  }

  async markTick(name: string, due: number): Promise<void> {
    await this.write(['m', name, Math.round(due)]);
  }

  async lastTick(name: string): Promise<number | undefined> {
    return (await this.state(name))?.lastTick ?? undefined;
  }

  async state(name: string): Promise<JobState | undefined> {
    await this.ready();
    const raw = await this.client.hget(this.jobs, name);
    return raw === null ? undefined : toState(name, raw);
  }

  async states(): Promise<JobState[]> {
    await this.ready();
    const all = await this.client.hgetall(this.jobs);
    return Object.entries(all).map(([name, raw]) => toState(name, raw));
  }

  async history(name: string, query?: { limit?: number }): Promise<RunRecord[]> {
    await this.ready();
    const limit = limitOf(query);
    if (limit === 0) return [];
    const entries = await this.client.lrange(this.historyKey(name), 0, (limit ?? 0) - 1);
    return entries.map((entry) => JSON.parse(entry) as RunRecord);
  }

  async reapAbandoned(now: number): Promise<RunRecord[]> {
    await this.ready();
    const expired = ['-inf', `(${now}`, 'LIMIT', 0, REAP_BATCH] as const;
    const runs = (await this.client.zrangebyscore(this.leases, ...expired)).map(parseMember);
    if (!runs.length) return [];
    const names = [...new Set(runs.map((run) => run.name))];
    const stored = await this.client.hmget(this.jobs, ...names);
    const running = new Map(names.map((name, i) => [name, openRunsOf(stored[i])]));
    const closed = await Promise.all(
      runs.map(async ({ name, runId, member }) => {
        const open = running.get(name)?.get(runId);
        // Its run is no longer open (or the member is not one of ours): drop the member.
        if (!open) return void (await this.client.zrem(this.leases, member));
        const record = cleanRecord(abandonedRecord(open, now));
        return (await this.end(record, Math.round(now))) ? record : undefined;
      }),
    );
    return closed.filter((record): record is RunRecord => record !== undefined);
  }

  async close(): Promise<void> {
    await this.batcher.drain();
    if (!this.owned || this.client.status === 'end') return;
    if (this.client.status !== 'ready') return this.client.disconnect();
    await this.client.quit().catch(() => this.client.disconnect());
  }

  /** Records `record` unless already recorded; a reaper passes `expiredBefore`. */
  private end(record: RunRecord, expiredBefore: number | ''): Promise<boolean> {
    const json = JSON.stringify(record);
    const needle = `"runId":${JSON.stringify(record.runId)}`;
    const history = this.historyKey(record.name);
    // 0: the index of its history key, set when the batch is sent.
    const args = ['e', 0, record.name, record.runId, json, needle, member(record), expiredBefore];
    return this.write(args, history);
  }

  /** Queues one write for the next batch; resolves with its result. */
  private write(args: (string | number)[], history?: string): Promise<boolean> {
    return new Promise((resolve, fail) => {
      this.batcher.add({ key: undefined, args, history, resolve, fail });
    });
  }

  /** Sends a batch in one script call and settles each write with its result. */
  private async send(writes: RedisWrite[]): Promise<void> {
    await this.ready();
    const histories = new Map<string, number>();
    const args: (string | number)[] = [this.historyLimit];
    for (const write of writes) {
      const { history } = write;
      if (history === undefined) {
        args.push(...write.args);
        continue;
      }
      // KEYS[1] and KEYS[2] are the hash and the leases; history keys follow, once each.
      if (!histories.has(history)) histories.set(history, histories.size + 3);
      args.push(write.args[0], histories.get(history)!, ...write.args.slice(2));
    }
    const keys = [this.jobs, this.leases, ...histories.keys()];
    const results = await this.client.coreLibJobsStoreBatch(keys.length, ...keys, ...args);
    writes.forEach((write, i) => write.resolve(results[i] === 1));
  }

  private get jobs(): string {
    return `${this.base}:jobs`;
  }

  private get leases(): string {
    return `${this.base}:leases`;
  }

  private historyKey(name: string): string {
    return `${this.base}:history:${name}`;
  }

  /** Connects a lazy client on first use; after that, our own client fails fast while down. */
  private async ready(): Promise<void> {
    if (this.client.status === 'wait') {
      this.connecting ??= this.client.connect().finally(() => (this.connecting = undefined));
    }
    await this.connecting;
    if (this.owned && this.client.status !== 'ready') {
      const last = this.lastError ? `, last error: ${this.lastError.message}` : '';
      throw new Error(`Redis connection is ${this.client.status}${last}`);
    }
  }
}
