import pg from 'pg';
import { PgSession } from '../../store/postgres/pg-session.js';
import { noop } from '../../utils/noop.js';
import {
  DEFAULT_AUDIT_LIMIT,
  type ControlChange,
  type ControlSnapshot,
  type ControlStore,
  type StoredAudit,
} from '../control-store.interface.js';
import { controlSql } from './postgres-control.sql.js';

/** Options of `PostgresControlStore`. */
export interface PostgresControlStoreOptions {
  /** Scope of this app's rows, so apps can share the tables. Default: `core-lib-jobs`. */
  keyPrefix?: string;
  /** Prefix of the tables `<table>_control` and `<table>_audit`. Default: `core_lib_job`. */
  table?: string;
  /** Audit entries kept. Default: 1,000. */
  auditLimit?: number;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,50}$/;
const RELISTEN_MS = 500;

/**
 * The control plane on PostgreSQL: `core_lib_job_control` (one row per definition or pause, as
 * jsonb) and `core_lib_job_audit`, created if missing. A change, its audit entry and a NOTIFY
 * are one transaction: stored whole or not at all, and heard (LISTEN, on a connection held for
 * it) only once committed. @internal
 */
export class PostgresControlStore implements ControlStore {
  readonly label: string;
  private readonly pool: pg.Pool;
  private readonly session: PgSession;
  private readonly scope: string;
  private readonly sql: ReturnType<typeof controlSql>;
  private readonly channel: string;
  private readonly auditLimit: number;
  private listener: pg.PoolClient | undefined;
  private closed = false;

  constructor(pool?: pg.Pool | string, options: PostgresControlStoreOptions = {}) {
    const owned = typeof pool !== 'object';
    this.pool =
      typeof pool === 'object'
        ? pool
        : new pg.Pool({
            connectionString: pool,
            max: 3,
            application_name: 'core-lib-jobs-control',
          });
    const table = options.table ?? 'core_lib_job';
    if (!IDENTIFIER.test(table))
      throw new Error(`table: got '${table}', expected [a-z_][a-z0-9_]*`);
    this.sql = controlSql(`${table}_control`, `${table}_audit`);
    this.channel = `${table}_control`;
    this.session = new PgSession(this.pool, owned, this.sql.create, `${table}_control`);
    this.scope = options.keyPrefix ?? 'core-lib-jobs';
    this.auditLimit = options.auditLimit ?? DEFAULT_AUDIT_LIMIT;
    const { host, port } = this.pool.options as { host?: string; port?: number };
    this.label = `postgres (${host ?? 'localhost'}:${port ?? 5432})`;
  }

  async open(): Promise<void> {
    this.session.ready().catch(noop);
  }

  async load(): Promise<ControlSnapshot> {
    const { rows } = await this.session.query<{ kind: string; name: string; value: never }>(
      this.sql.load,
      [this.scope],
    );
    const snapshot: ControlSnapshot = { definitions: {}, pauses: {} };
    for (const { kind, name, value } of rows) {
      if (kind === 'definition') snapshot.definitions[name] = value;
      else if (kind === 'pause') snapshot.pauses[name] = value;
    }
    return snapshot;
  }

  async commit(change: ControlChange, audit: StoredAudit): Promise<void> {
    const { sql, scope } = this;
    await this.session.transaction(async (client) => {
      if (change.kind !== 'none') {
        if (change.value) {
          await client.query(sql.put, [
            scope,
            change.kind,
            change.name,
            JSON.stringify(change.value),
          ]);
        } else {
          await client.query(sql.delete, [scope, change.kind, change.name]);
        }
      }
      await client.query(sql.append, [scope, audit.name, JSON.stringify(audit)]);
      await client.query(sql.trim, [scope, this.auditLimit]);
      if (change.kind !== 'none') await client.query(sql.notify, [this.channel, scope]);
      return { result: undefined, commit: true };
    });
  }

  async audit(name: string | undefined, limit: number | undefined): Promise<StoredAudit[]> {
    const { rows } = await this.session.query<{ value: StoredAudit }>(this.sql.read, [
      this.scope,
      name ?? null,
      limit ?? this.auditLimit,
    ]);
    return rows.map((r) => r.value);
  }

  /**
   * LISTENs on a client held for it. When its connection drops, another is taken (every
   * `RELISTEN_MS` until one is had) and `onChange` runs, for what was sent meanwhile.
   */
  async watch(onChange: () => void): Promise<void> {
    await this.session.ready();
    const client = await checkOut(this.pool);
    if (this.closed) return client.release();
    this.listener = client;
    client.on('notification', (message) => {
      if (message.payload === this.scope) onChange();
    });
    let gone = false;
    // Called by the client's 'error' and by a failed LISTEN, often both: only the first call
    // releases the client and starts the one retry loop (two loops leaked a client each time,
    // and the pool's end() then waited for it forever at shutdown).
    const lost = (): void => {
      if (gone) return;
      gone = true;
      client.removeListener('error', lost);
      client.release(true);
      if (this.listener === client) this.listener = undefined;
      if (this.closed) return;
      const retry = (): void => {
        if (this.closed) return;
        this.watch(onChange).then(onChange, () => setTimeout(retry, RELISTEN_MS).unref());
      };
      setTimeout(retry, RELISTEN_MS).unref();
    };
    client.on('error', lost);
    // A failed LISTEN is a lost connection: `lost` retries it, the caller need not.
    await client.query(`LISTEN ${this.channel}`).catch(lost);
  }

  async close(): Promise<void> {
    this.closed = true;
    const listener = this.listener;
    this.listener = undefined;
    if (listener) {
      await listener.query(`UNLISTEN ${this.channel}`).catch(noop);
      listener.release();
    }
    await this.session.close();
  }
}

/** A client with an 'error' listener from the moment the pool hands it over. */
function checkOut(pool: pg.Pool): Promise<pg.PoolClient> {
  return new Promise((resolve, reject) => {
    pool.connect((error, client) => {
      if (error || !client) return reject(error ?? new Error('pg Pool handed over no client'));
      client.on('error', noop);
      resolve(client);
    });
  });
}
