import { Redis } from 'ioredis';
import { LOCK_CLIENT_OPTIONS } from '../../cluster/redis/redis-job-lock.js';
import {
  DEFAULT_AUDIT_LIMIT,
  type ControlChange,
  type ControlSnapshot,
  type ControlStore,
  type StoredAudit,
} from '../control-store.interface.js';

/** Options of `RedisControlStore`. */
export interface RedisControlStoreOptions {
  /** Prefix of every key. Default: `core-lib-jobs`. */
  keyPrefix?: string;
  /** Audit entries kept. Default: 1,000. */
  auditLimit?: number;
}

const DEFINITION = 'd:';
const PAUSE = 'p:';

/**
 * The control plane on Redis: `<prefix>:{control}:state` (a hash: `d:<name>` a definition,
 * `p:<name>` a pause, as JSON), `<prefix>:{control}:audit` (a list, newest first, cut with LTRIM)
 * and the channel `<prefix>:{control}:changed`. A change, its audit entry and the message are one
 * MULTI/EXEC: stored whole or not at all, and announced only once stored. @internal
 */
export class RedisControlStore implements ControlStore {
  readonly label: string;
  private readonly client: Redis;
  private readonly owned: boolean;
  private subscriber: Redis | undefined;
  private readonly stateKey: string;
  private readonly auditKey: string;
  private readonly channel: string;
  private readonly auditLimit: number;
  private connecting: Promise<void> | undefined;
  private lastError: Error | undefined;

  constructor(client?: Redis | string, options: RedisControlStoreOptions = {}) {
    this.owned = typeof client !== 'object';
    this.client =
      typeof client === 'object'
        ? client
        : new Redis(client ?? 'redis://127.0.0.1:6379', LOCK_CLIENT_OPTIONS);
    if (this.owned) {
      this.client.on('error', (error: Error) => (this.lastError = error));
      this.client.on('ready', () => (this.lastError = undefined));
    }
    const base = `${options.keyPrefix ?? 'core-lib-jobs'}:{control}`;
    this.stateKey = `${base}:state`;
    this.auditKey = `${base}:audit`;
    this.channel = `${base}:changed`;
    this.auditLimit = options.auditLimit ?? DEFAULT_AUDIT_LIMIT;
    const { host, port } = this.client.options;
    this.label = `redis (${host ?? '127.0.0.1'}:${port ?? 6379})`;
  }

  async open(): Promise<void> {
    this.ready().catch(() => undefined);
  }

  async load(): Promise<ControlSnapshot> {
    await this.ready();
    const all = await this.client.hgetall(this.stateKey);
    const snapshot: ControlSnapshot = { definitions: {}, pauses: {} };
    for (const [field, json] of Object.entries(all)) {
      if (field.startsWith(DEFINITION)) {
        snapshot.definitions[field.slice(DEFINITION.length)] = JSON.parse(json);
      } else if (field.startsWith(PAUSE)) {
        snapshot.pauses[field.slice(PAUSE.length)] = JSON.parse(json);
      }
    }
    return snapshot;
  }

  async commit(change: ControlChange, audit: StoredAudit): Promise<void> {
    await this.ready();
    const multi = this.client.multi();
    if (change.kind !== 'none') {
      const field = (change.kind === 'definition' ? DEFINITION : PAUSE) + change.name;
      if (change.value) multi.hset(this.stateKey, field, JSON.stringify(change.value));
      else multi.hdel(this.stateKey, field);
    }
    multi.lpush(this.auditKey, JSON.stringify(audit));
    multi.ltrim(this.auditKey, 0, this.auditLimit - 1);
    if (change.kind !== 'none') multi.publish(this.channel, change.name);
    const results = await multi.exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw failed?.[0] ?? new Error('MULTI was discarded');
  }

  async audit(name: string | undefined, limit: number | undefined): Promise<StoredAudit[]> {
    await this.ready();
    const all = (await this.client.lrange(this.auditKey, 0, -1)).map(
      (json) => JSON.parse(json) as StoredAudit,
    );
    const found = name === undefined ? all : all.filter((e) => e.name === name);
    return found.slice(0, limit ?? found.length);
  }

  /**
   * Subscribes on a connection of its own (a subscribed connection runs no other command). After
   * a reconnection ioredis subscribes again; what was published meanwhile is read at `ready`.
   */
  async watch(onChange: () => void): Promise<void> {
    const subscriber = this.client.duplicate({
      enableOfflineQueue: true,
      lazyConnect: false,
      autoResubscribe: true,
    });
    this.subscriber = subscriber;
    let connectedBefore = false;
    subscriber.on('error', () => undefined);
    subscriber.on('ready', () => {
      if (connectedBefore) onChange();
      connectedBefore = true;
    });
    subscriber.on('message', () => onChange());
    await subscriber.subscribe(this.channel);
  }

  async close(): Promise<void> {
    this.subscriber?.disconnect();
    if (!this.owned) return;
    if (this.client.status !== 'ready') return this.client.disconnect();
    await this.client.quit().catch(() => this.client.disconnect());
  }

  private async ready(): Promise<void> {
    if (this.client.status === 'wait') {
      this.connecting ??= this.client.connect().finally(() => (this.connecting = undefined));
    }
    await this.connecting;
    if (this.client.status !== 'ready') {
      const last = this.lastError ? `, last error: ${this.lastError.message}` : '';
      throw new Error(`Redis connection is ${this.client.status}${last}`);
    }
  }
}
