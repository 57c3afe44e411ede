import { Redis, type RedisOptions } from 'ioredis';
import type {
  HeldLease,
  JobLock,
  LockResult,
  TickClaim,
} from '../../interfaces/job-lock.interface.js';
import { DEFAULT_KEY_PREFIX } from '../cluster.constants.js';
import { holderOfToken, newLockToken } from '../lock-token.js';
import { retryLater } from '../retry-later.js';
import { redisConfigError } from './redis-errors.js';
import { ANCHOR, CLAIM, EXTEND, RELEASE } from './redis.scripts.js';

/** Options of `RedisJobLock`. */
export interface RedisJobLockOptions {
  /** Prefix of every key. Default: `core-lib-jobs`. */
  keyPrefix?: string;
}

/**
 * Settings of a client the lock creates: while disconnected, commands fail at once instead of
 * waiting in a queue and running late (a late acquire could start a stale tick), and the client
 * keeps reconnecting, at most every 0.5s, so runs resume soon after Redis is back.
 */
export const LOCK_CLIENT_OPTIONS: RedisOptions = {
  lazyConnect: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  autoResendUnfulfilledCommands: false,
  connectTimeout: 5_000,
  commandTimeout: 5_000,
  retryStrategy: (attempt: number) => Math.min(50 * attempt, 500),
};

interface LockCommands {
  coreLibJobsAnchor(key: string, proposed: number, ttlMs: number | ''): Promise<string>;
  coreLibJobsClaim(...keysThenArgs: Array<string | number>): Promise<Array<number | string>>;
  coreLibJobsExtend(...keysThenArgs: Array<string | number>): Promise<number[]>;
  coreLibJobsRelease(...keysThenArgs: Array<string | number>): Promise<number>;
}

/**
 * `JobLock` on Redis (ioredis), from a URL or a client you pass in. Each batch is one script
 * call over the keys of all its jobs (`prefix:{name}:tick:<due>`, `prefix:{name}:run`), so it
 * needs one Redis (a primary, with replicas or Sentinel), not Redis Cluster. An outage is thrown
 * as it comes; a configuration problem (a wrong password, a command the ACL forbids, keys of another
 * type under the prefix) as a `ClusterConfigError` that says what to do.
 */
export class RedisJobLock implements JobLock {
  private readonly client: Redis & LockCommands;
  private readonly owned: boolean;
  private readonly prefix: string;
  private connecting: Promise<void> | undefined;
  /** Why our own client is disconnected, for the outage log. */
  private lastError: Error | undefined;

  /**
   * `client`: an ioredis client (kept open on `close()`; give it `enableOfflineQueue: false` so
   * commands fail at once during an outage, as `LOCK_CLIENT_OPTIONS` does), or a `redis://` URL
   * (default: 127.0.0.1:6379) for a client of the lock's own.
   */
  constructor(client?: Redis | string, options: RedisJobLockOptions = {}) {
    this.owned = typeof client !== 'object';
    const redis =
      typeof client === 'object'
        ? client
        : new Redis(client ?? 'redis://127.0.0.1:6379', LOCK_CLIENT_OPTIONS);
    // ioredis emits 'error' only to listeners (documented: an app without one does not crash), so
    // a client passed in is left as it is. Ours keeps the last error, for the outage log line
    // (which the coordinator writes once) and to tell a refused password from an outage.
    if (this.owned)
      redis
        .on('error', (error: Error) => (this.lastError = error))
        .on('ready', () => (this.lastError = undefined));
    defineCommands(redis);
    this.client = redis as Redis & LockCommands;
    this.prefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
  }

  time(): Promise<number> {
    return this.guard(async () => {
      const [seconds, micros] = await this.client.time();
      return Number(seconds) * 1000 + Number(micros) / 1000;
    });
  }

  anchor(name: string, proposed: number, ttlMs?: number): Promise<number> {
    const ttl = ttlMs === undefined ? '' : Math.max(1, Math.round(ttlMs));
    return this.guard(async () =>
      Number(
        await this.client.coreLibJobsAnchor(this.key(name, 'anchor'), Math.round(proposed), ttl),
      ),
    );
  }

  claim(claims: readonly TickClaim[]): Promise<LockResult[]> {
    if (!claims.length) return Promise.resolve([]);
    return this.guard(async () => {
      const keys: string[] = [];
      const args: Array<string | number> = [];
      const tokens = claims.map((c) => newLockToken(c.holder));
      claims.forEach((c, i) => {
        keys.push(this.key(c.name, `tick:${c.due}`), this.key(c.name, 'run'));
        args.push(c.holder, tokens[i], ms(c.leaseMs), ms(c.tickTtlMs));
      });
      let reply: Array<number | string>;
      try {
        reply = await this.client.coreLibJobsClaim(keys.length, ...keys, ...args);
      } catch (error) {
        // The script may have run with its reply lost: drop the leases it may have taken, so
        // they do not block the jobs.
        const leases = claims.map((c, i) => ({ name: c.name, token: tokens[i] }));
        retryLater(() => this.release(leases));
        throw error;
      }
      return claims.map((_, i): LockResult => {
        const [won, kind, value] = reply.slice(3 * i, 3 * i + 3);
        if (Number(won) === 1) return { acquired: true, token: tokens[i] };
        if (kind === 'taken') return { acquired: false, reason: 'taken', holder: String(value) };
        return { acquired: false, reason: 'busy', holder: holderOfToken(String(value)) };
      });
    });
  }

  extend(leases: readonly HeldLease[], leaseMs: number): Promise<boolean[]> {
    if (!leases.length) return Promise.resolve([]);
    return this.guard(async () => {
      const keys = leases.map((l) => this.key(l.name, 'run'));
      const args = [ms(leaseMs), ...leases.map((l) => l.token)];
      const held = await this.client.coreLibJobsExtend(keys.length, ...keys, ...args);
      return held.map((one) => Number(one) === 1);
    });
  }

  release(leases: readonly HeldLease[]): Promise<void> {
    if (!leases.length) return Promise.resolve();
    return this.guard(async () => {
      const keys = leases.map((l) => this.key(l.name, 'run'));
      await this.client.coreLibJobsRelease(keys.length, ...keys, ...leases.map((l) => l.token));
    });
  }

  async close(): Promise<void> {
    if (!this.owned || this.client.status === 'end') return;
    if (this.client.status !== 'ready') return this.client.disconnect();
    await this.client.quit().catch(() => this.client.disconnect());
  }

  private key(name: string, part: string): string {
    return `${this.prefix}:{${name}}:${part}`;
  }

  /** Runs `operation` once connected; a configuration problem becomes a `ClusterConfigError`. */
  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      await this.ready();
      return await operation();
    } catch (error) {
      throw redisConfigError(error, this.prefix) ?? error;
    }
  }

  /**
   * Connects a lazy client on first use; after that, our own client fails fast while it
   * reconnects. While it cannot connect, the error is the last one the client met: a refused
   * password shows as NOAUTH or WRONGPASS, not as "Connection is closed.".
   */
  private async ready(): Promise<void> {
    if (this.client.status === 'wait')
      this.connecting ??= this.client.connect().finally(() => (this.connecting = undefined));
    try {
      await this.connecting;
    } catch (error) {
      throw this.lastError ?? error;
    }
    if (this.owned && this.client.status !== 'ready') {
      const cause = this.lastError;
      if (cause && redisConfigError(cause, this.prefix)) throw cause;
      throw new Error(
        `Redis connection is ${this.client.status}${cause ? `, last error: ${cause.message}` : ''}`,
      );
    }
  }
}

function defineCommands(redis: Redis): void {
  if (typeof (redis as Partial<LockCommands>).coreLibJobsClaim === 'function') return;
  redis.defineCommand('coreLibJobsAnchor', { numberOfKeys: 1, lua: ANCHOR });
  // The batch scripts take their number of keys as the first argument.
  redis.defineCommand('coreLibJobsClaim', { lua: CLAIM });
  redis.defineCommand('coreLibJobsExtend', { lua: EXTEND });
  redis.defineCommand('coreLibJobsRelease', { lua: RELEASE });
}

/** A duration as Redis takes it: whole milliseconds, at least 1. */
const ms = (value: number): number => Math.max(1, Math.round(value));
