import { afterAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { faultOf } from '../../lib/backends/backend-fault.js';
import { BackPressureError } from '../../lib/backends/back-pressure.error.js';
import { PgConnection } from '../../lib/backends/postgres/postgres-connection.js';
import { DATABASE_URL } from '../cluster/helpers/run-records.js';
import { uniqueTag } from '../cluster/helpers/replica-process.js';

// faultOf and PgConnection over the errors a real PostgreSQL gives (trust auth here: a role
// that does not exist is the refused login).
const tag = uniqueTag('bk_pg');
const admin = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
const urlAs = (user: string, database = 'test'): string => {
  const url = new URL(DATABASE_URL);
  url.username = user;
  url.pathname = `/${database}`;
  return url.toString();
};
const failure = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => 'no error',
    (e: unknown) => e,
  );
/** One query on a client of its own, failing with what the server said. */
const errorOf = async (url: string, sql: string): Promise<unknown> => {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await failure(client.query(sql));
  } catch (error) {
    return error;
  } finally {
    await client.end().catch(() => undefined);
  }
};
const closers: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await admin.query(`DROP TABLE IF EXISTS ${tag}_t`);
  await admin.query(`DROP ROLE IF EXISTS ${tag}_r`);
  await admin.end();
});

/** A TCP server that accepts connections and never answers: a server that hangs. */
async function silentServer(): Promise<{ port: number; server: Server }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => void sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    sockets.forEach((socket) => socket.destroy());
    return new Promise((resolve) => server.close(resolve));
  });
  return { port: (server.address() as { port: number }).port, server };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const { port, server } = await silentServer();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('faultOf over real PostgreSQL errors', () => {
  it('names the login, the database, the table and the privilege as config problems', async () => {
    await admin.query(`CREATE TABLE ${tag}_t (id int)`);
    await admin.query(`CREATE ROLE ${tag}_r LOGIN`);
    const cases = {
      login: await errorOf(urlAs(`${tag}_nobody`), 'SELECT 1'),
      database: await errorOf(urlAs('postgres', `${tag}_db`), 'SELECT 1'),
      missing: await errorOf(DATABASE_URL, `SELECT * FROM ${tag}_none`),
      permission: await errorOf(urlAs(`${tag}_r`), `SELECT * FROM ${tag}_t`),
      rejects: await errorOf(DATABASE_URL, `INSERT INTO ${tag}_t (id) VALUES ('x')`),
    };
    expect(Object.fromEntries(Object.entries(cases).map(([k, e]) => [k, faultOf(e)]))).toEqual({
      login: { kind: 'config', reason: 'login' },
      database: { kind: 'config', reason: 'database' },
      missing: { kind: 'config', reason: 'table-missing' },
      permission: { kind: 'config', reason: 'permission' },
      rejects: { kind: 'config', reason: 'table-rejects' },
    });
    expect((cases.login as Error).message).toBe(`role "${tag}_nobody" does not exist`);
  });

  it('calls a killed connection and a refused one an outage', async () => {
    const client = new pg.Client({ connectionString: DATABASE_URL });
    client.on('error', () => undefined);
    await client.connect();
    const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    const sleeping = failure(client.query('SELECT pg_sleep(10)'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    const killed = await sleeping;
    const afterwards = await failure(client.query('SELECT 1'));
    const refused = await errorOf(urlAs('postgres').replace(':5432', `:${await closedPort()}`), '');

    expect((killed as { code?: string }).code).toBe('57P01'); // admin shutdown: passes
    expect(faultOf(killed)).toEqual({ kind: 'outage' });
    expect(faultOf(afterwards)).toEqual({ kind: 'outage' });
    expect((refused as { code?: string }).code).toBe('ECONNREFUSED');
    expect(faultOf(refused)).toEqual({ kind: 'outage' });
  });
});

describe('PgConnection', () => {
  const connection = (url: string, options: ConstructorParameters<typeof PgConnection>[1]) => {
    const made = new PgConnection(url, options);
    closers.push(() => made.close());
    return made;
  };

  it('reports a burst bigger than its pool as back-pressure, with the numbers', async () => {
    const pool = { max: 1, connectionTimeoutMillis: 100 };
    const db = connection(DATABASE_URL, { poolOptions: pool, maxInFlight: 8 });
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => failure(db.query('SELECT pg_sleep(0.3)'))),
    );
    const refused = outcomes.filter((o): o is BackPressureError => o instanceof BackPressureError);

    // One call holds the only connection; 7 wait in the pool and time out; 2 wait in our queue.
    expect(outcomes.filter((o) => o === 'no error').length).toBeGreaterThanOrEqual(1);
    expect(refused.length).toBeGreaterThanOrEqual(7);
    expect(outcomes.length - refused.length).toBe(outcomes.filter((o) => o === 'no error').length);
    const first = refused[0];
    expect(first.pressure).toEqual({
      source: 'pool',
      queued: 7,
      inFlight: 8,
      connections: 1,
      max: 1,
    });
    expect(first.message).toBe(
      'no connection free in time: the pool is saturated (7 call(s) queued for a connection, ' +
        '8 in flight, 1 connection(s) open of at most 1); the server answers',
    );
    expect(faultOf(first)).toEqual({ kind: 'back-pressure', pressure: first.pressure });
    expect((first.cause as Error).message).toMatch(/timeout exceeded when trying to connect/);
  });

  it('reports its own queue full as back-pressure at once, before any wait', async () => {
    const db = connection(DATABASE_URL, { maxInFlight: 1, maxQueued: 2 });
    await db.query('SELECT 1'); // the first call connects
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () => failure(db.query('SELECT pg_sleep(0.05)'))),
    );
    const refused = outcomes.filter((o) => o instanceof BackPressureError);
    expect(outcomes.filter((o) => o === 'no error')).toHaveLength(3);
    expect(refused.map((e) => (e as BackPressureError).pressure)).toEqual([
      { source: 'queue', queued: 2, inFlight: 1, connections: 1, max: 4 },
      { source: 'queue', queued: 2, inFlight: 1, connections: 1, max: 4 },
    ]);
  });

  it('calls a stopped port, and a server that never answers, an outage', async () => {
    const refusedUrl = DATABASE_URL.replace(':5432', `:${await closedPort()}`);
    const { port } = await silentServer();
    const silentUrl = DATABASE_URL.replace(':5432', `:${port}`);
    const quick = { max: 1, connectionTimeoutMillis: 300 };
    for (const url of [refusedUrl, silentUrl]) {
      const db = connection(url, { poolOptions: quick });
      // A burst: calls queued behind the one connecting time out too, and are not back-pressure.
      const outcomes = await Promise.all(
        Array.from({ length: 4 }, () => failure(db.query('SELECT 1'))),
      );
      for (const outcome of outcomes) {
        expect(outcome).not.toBe('no error');
        expect(faultOf(outcome)).toEqual({ kind: 'outage' });
      }
    }
  });

  it('runs its setup once, under an advisory lock, however many connections start together', async () => {
    await admin.query(`CREATE TABLE IF NOT EXISTS ${tag}_setup (n int)`);
    const setup = async (client: pg.PoolClient): Promise<void> => {
      const { rows } = await client.query(`SELECT count(*)::int AS n FROM ${tag}_setup`);
      // Replicas take turns: each one sees the rows of those before it.
      await new Promise((resolve) => setTimeout(resolve, 50));
      await client.query(`INSERT INTO ${tag}_setup (n) VALUES ($1)`, [rows[0].n]);
    };
    const dbs = Array.from({ length: 3 }, () =>
      connection(DATABASE_URL, { setup, setupLockKey: `${tag}:setup` }),
    );
    await Promise.all(dbs.flatMap((db) => [db.query('SELECT 1'), db.query('SELECT 2')]));
    const { rows } = await admin.query(`SELECT n FROM ${tag}_setup ORDER BY n`);
    await admin.query(`DROP TABLE ${tag}_setup`);
    expect(rows.map((r) => r.n)).toEqual([0, 1, 2]);
  });
});
