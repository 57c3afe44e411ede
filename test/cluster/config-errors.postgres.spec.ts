import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { acquire } from './helpers/lock-contract.js';
import { Logger, type LoggerService } from '@nestjs/common';
import pg from 'pg';
import { PostgresJobLock } from '../../lib/cluster-postgres.js';
import { createClusterCoordinator } from '../../lib/cluster/cluster.factory.js';
import { ClusterConfigError } from '../../lib/errors/cluster-config.error.js';
import type { RunOutcome } from '../../lib/interfaces/job-event.interface.js';
import { bootApp } from './helpers/boot-app.js';
import { assertBuilt, uniqueTag } from './helpers/replica-process.js';
import { DATABASE_URL } from './helpers/run-records.js';

// A configuration problem is not an outage: named once, as what it is, with what to do; at
// startup, the app refuses to start. Real PostgreSQL; tables and a role of this run's own.
const tag = uniqueTag('cltest_cfg');
const role = `${tag}_user`;
const admin = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
const succeeded: RunOutcome = { status: 'succeeded', attempts: 1, durationMs: 1 };
const RENAME = 'drop it (it is created again) or set `table` to another name';
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

const tables: string[] = [];
const table = (name: string): string => (tables.push(`${tag}_${name}`), `${tag}_${name}`);
afterAll(async () => {
  for (const t of tables) await admin.query(`DROP TABLE IF EXISTS ${t}`);
  await admin.query(`DROP ROLE IF EXISTS ${role}`);
  await admin.end();
});

describe('PostgresJobLock: configuration problems', () => {
  it('names every way a lock table differs from its own, and what to do', async () => {
    const t = table('shape');
    await admin.query(
      `CREATE TABLE ${t} (key text, holder text, token varchar(80), value integer, note text ` +
        `NOT NULL)`,
    );
    const lock = new PostgresJobLock(DATABASE_URL, { table: t });
    const error = await failure(lock.time());
    await lock.close();
    expect(error).toBeInstanceOf(ClusterConfigError);
    expect((error as Error).message).toBe(
      `lock table ${t} has another shape: column value is integer (expected bigint), ` +
        'column expires_at is missing, ' +
        `column key has no primary key or unique index of its own, column note is NOT NULL ` +
        `without a default; ${RENAME}`,
    );
  });

  it('names a login the server refuses, and a database that does not exist', async () => {
    const nobody = new PostgresJobLock(urlAs(`${tag}_nobody`), { table: table('login') });
    const login = await failure(nobody.time());
    await nobody.close();
    expect(login).toBeInstanceOf(ClusterConfigError);
    expect((login as Error).message).toBe(
      `the server refuses the login (role "${tag}_nobody" does not exist); ` +
        'check the user and password in the URL, or in the pool you pass in',
    );
    const nowhere = new PostgresJobLock(urlAs('postgres', `${tag}_db`), { table: table('db') });
    const database = await failure(nowhere.time());
    await nowhere.close();
    expect((database as Error).message).toBe(
      `database "${tag}_db" does not exist; create it, or fix the database in the URL`,
    );
  });

  it('names missing privileges, and works once they are granted', async () => {
    const t = table('grants');
    await admin.query(`CREATE ROLE ${role} LOGIN`);
    const grant =
      `grant the lock's database user SELECT, INSERT, UPDATE and DELETE on ${t} ` +
      '(and CREATE on its schema, for the lock to create the table)';
    const lock = new PostgresJobLock(urlAs(role), { table: t });
    // PostgreSQL 15 lets no one but the owner create in schema public.
    expect((await failure(lock.time())) as Error).toEqual(
      new ClusterConfigError(`permission denied for schema public; ${grant}`),
    );
    const own = new PostgresJobLock(DATABASE_URL, { table: t });
    await own.time(); // creates the table, as the admin
    await own.close();
    expect((await failure(lock.time())) as Error).toEqual(
      new ClusterConfigError(
        `the user has no SELECT, INSERT, UPDATE, DELETE privilege on ${t}; ${grant}`,
      ),
    );
    await admin.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${t} TO ${role}`);
    expect((await acquire(lock, 'granted', 1_000, 'a', 5_000, 60_000)).acquired).toBe(true);
    await lock.close();
    await admin.query(`DROP TABLE ${t}`);
  });

  it('keeps an outage an outage', async () => {
    const lock = new PostgresJobLock('postgres://postgres@127.0.0.1:1/test', {
      table: table('outage'),
    });
    const error = await failure(lock.time());
    await lock.close();
    expect(error).toHaveProperty('code', 'ECONNREFUSED');
    expect(error).not.toBeInstanceOf(ClusterConfigError);
  });

  it('creates a table dropped while in use again, without a failed call', async () => {
    const t = table('dropped');
    const lock = new PostgresJobLock(DATABASE_URL, { table: t });
    expect(await lock.anchor('job', 1_000)).toBe(1_000);
    await admin.query(`DROP TABLE ${t}`);
    expect((await acquire(lock, 'job', 1_000, 'a', 5_000, 60_000)).acquired).toBe(true);
    await lock.close();
  });
});

describe('cluster coordinator on PostgreSQL: configuration problems', () => {
  let errors: string[];
  beforeEach(() => {
    errors = [];
    const quiet = (): void => undefined;
    const logger: LoggerService = {
      log: quiet,
      warn: quiet,
      error: (m: unknown) => void errors.push(String(m)),
    };
    Logger.overrideLogger(logger);
  });
  afterEach(() => Logger.overrideLogger(false as never));

  it('refuses to start on a lock table of another shape, naming backend, table, fix', async () => {
    const t = table('start');
    await admin.query(
      `CREATE TABLE ${t} (key text PRIMARY KEY, holder text, token text, value bigint)`,
    );
    const coordinator = await createClusterCoordinator(
      { backend: 'postgres', url: DATABASE_URL, table: t },
      Date.now,
    );
    const error = await failure(coordinator.start());
    expect(error).toBeInstanceOf(ClusterConfigError);
    expect((error as Error).message).toBe(
      `Cluster backend postgres (127.0.0.1:5432) is misconfigured: lock table ${t} has ` +
        `another shape: column expires_at is missing; ${RENAME}`,
    );
    expect(errors).toEqual([]); // the error says it; no log line besides
    // What the message says to do works.
    await admin.query(`DROP TABLE ${t}`);
    const again = await createClusterCoordinator(
      { backend: 'postgres', url: DATABASE_URL, table: t },
      Date.now,
    );
    await again.start();
    expect(
      await again.runTick(
        'job',
        1_000,
        60_000,
        () => succeeded,
        () => undefined,
      ),
    ).toBe(succeeded);
    await again.close();
  });

  it('logs a table that changes shape in use once, as what it is; runs nothing', async () => {
    const t = table('later');
    const coordinator = await createClusterCoordinator(
      { backend: 'postgres', url: DATABASE_URL, table: t },
      Date.now,
    );
    await coordinator.start();
    expect(
      (
        await coordinator.runTick(
          'job',
          1,
          60_000,
          () => succeeded,
          () => undefined,
        )
      ).status,
    ).toBe('succeeded');
    await admin.query(`ALTER TABLE ${t} DROP COLUMN expires_at`);
    let runs = 0;
    for (let due = 2; due <= 6; due++) {
      const outcome = await coordinator.runTick(
        'job',
        due,
        60_000,
        () => (runs++, succeeded),
        () => undefined,
      );
      expect(outcome.skipReason).toBe('cluster-unavailable');
    }
    await coordinator.close();
    expect(runs).toBe(0);
    expect(errors).toEqual([
      'Cluster backend postgres (127.0.0.1:5432) is misconfigured: ' +
        `lock table ${t} rejects the lock's statements ` +
        `(column "expires_at" of relation "${t}" does not exist); ${RENAME}; cluster jobs do ` +
        `not run until this is fixed`,
    ]);
  });
});

describe('an app on PostgreSQL (built package, own process)', () => {
  beforeAll(() => assertBuilt());

  it('refuses to start with a lock table of another shape', async () => {
    const t = table('app');
    await admin.query(
      `CREATE TABLE ${t} (key text PRIMARY KEY, holder text, value bigint, expires_at timestamptz)`,
    );
    expect(
      await bootApp({ CLUSTER: 'postgres', CLUSTER_URL: DATABASE_URL, CLUSTER_TABLE: t }),
    ).toEqual({
      started: false,
      name: 'ClusterConfigError',
      message:
        `Cluster backend postgres (127.0.0.1:5432) is misconfigured: lock table ${t} ` +
        `has another shape: column token is missing; ${RENAME}`,
    });
  }, 30_000);
});
