import { Redis, type RedisOptions } from 'ioredis';
import { REDIS_NOT_READY } from '../backends.messages.js';
import { redisFaultOf } from './redis-errors.js';

/**
 * Settings of a client we create: while disconnected, commands fail at once instead of waiting
 * in a queue and running late, and the client keeps reconnecting, at most every 0.5s, so calls
 * work again soon after Redis is back. `maxRetriesPerRequest: 0`: the commands in flight when a
 * connection is lost (CLIENT KILL, a restart) fail at once; with 1 they are neither sent again
 * nor failed, and wait for `commandTimeout`.
 */
export const REDIS_CLIENT_DEFAULTS: RedisOptions = {
  lazyConnect: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  autoResendUnfulfilledCommands: false,
  connectTimeout: 5_000,
  commandTimeout: 5_000,
  retryStrategy: (attempt: number) => Math.min(50 * attempt, 500),
};

/**
 * A Redis connection of ours, from an ioredis client passed in (left open on `close()`) or a
 * URL (default 127.0.0.1:6379; a client of our own with `REDIS_CLIENT_DEFAULTS` and `options`).
 * Our own client has its 'error' listener from birth (ioredis would print every failed
 * reconnection otherwise) and remembers its last error, so `ready()` fails with the server's
 * own words: a refused password reads as WRONGPASS or NOAUTH, not "Connection is closed.".
 */
export class RedisConnection {
  readonly client: Redis;
  /** Whether we made the client (and so close it on `close()`). */
  readonly owned: boolean;
  private connecting: Promise<void> | undefined;
  private lastError: Error | undefined;

  constructor(client: Redis | string | undefined, options: RedisOptions = {}) {
    this.owned = typeof client !== 'object';
    this.client =
      typeof client === 'object'
        ? client
        : new Redis(client ?? 'redis://127.0.0.1:6379', { ...REDIS_CLIENT_DEFAULTS, ...options });
    if (this.owned) {
      this.client
        .on('error', (error: Error) => (this.lastError = error))
        .on('ready', () => (this.lastError = undefined));
    }
  }

  /**
   * Connects a lazy client on first use (once, however many callers wait); after that, our own
   * client fails fast while it reconnects, with the last error it met.
   */
  async ready(): Promise<void> {
    if (this.client.status === 'wait') {
      this.connecting ??= this.client.connect().finally(() => (this.connecting = undefined));
    }
    try {
      await this.connecting;
    } catch (error) {
      throw this.lastError ?? error;
    }
    if (this.owned && this.client.status !== 'ready') {
      const cause = this.lastError;
      if (cause && redisFaultOf(cause)) throw cause;
      throw new Error(REDIS_NOT_READY(this.client.status, cause), { cause });
    }
  }

  async close(): Promise<void> {
    if (!this.owned || this.client.status === 'end') return;
    if (this.client.status !== 'ready') return this.client.disconnect();
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
