import type pg from 'pg';
import { ClusterConfigError } from '../../errors/cluster-config.error.js';
import { NO_PRIVILEGE, PROBLEM, TABLE_ISSUE } from '../cluster.messages.js';
import { TABLE_COLUMNS, TABLE_PRIVILEGES, type LockSql } from './postgres.sql.js';

/** Columns of the lock table, and the types each may have (the first is what we create). */
const EXPECTED_TYPES: Record<string, readonly string[]> = {
  key: ['text', 'character varying'],
  holder: ['text', 'character varying'],
  token: ['text', 'character varying'],
  value: ['bigint'],
  expires_at: ['timestamp with time zone'],
};

interface Column {
  name: string;
  type: string;
  required: boolean;
  is_unique: boolean;
}

/**
 * Creates the lock table if it does not exist; checks one that does (made by an older version,
 * by a DBA, or by another program under the same name), so a table of another shape is a
 * clear error at startup rather than a failed statement on every tick. `quoted`: the name as
 * it appears in SQL. Runs in the caller's transaction.
 * @internal
 */
export async function ensureTable(
  client: pg.PoolClient,
  table: string,
  quoted: string,
  sql: LockSql,
) {
  const { rows: columns } = await client.query<Column>(TABLE_COLUMNS, [quoted]);
  if (!columns.length) {
    await client.query(sql.create);
    await client.query(sql.index);
    return;
  }
  const issues = shapeIssues(columns);
  if (issues.length) throw new ClusterConfigError(PROBLEM.tableShape(table, issues));
  const { rows } = await client.query<{ privilege: string }>(TABLE_PRIVILEGES, [quoted]);
  const missing = rows.map((r) => r.privilege);
  if (missing.length)
    throw new ClusterConfigError(PROBLEM.pgPermission(table, NO_PRIVILEGE(table, missing)));
}

/** How an existing table differs from the one the lock creates, one phrase each. @internal */
export function shapeIssues(columns: readonly Column[]): string[] {
  const issues: string[] = [];
  const byName = new Map(columns.map((c) => [c.name, c]));
  for (const [name, types] of Object.entries(EXPECTED_TYPES)) {
    const column = byName.get(name);
    if (!column) issues.push(TABLE_ISSUE.missing(name));
    else if (!types.includes(column.type))
      issues.push(TABLE_ISSUE.type(name, column.type, types[0]));
  }
  if (byName.has('key') && !byName.get('key')!.is_unique) issues.push(TABLE_ISSUE.notUnique('key'));
  // A column of someone else's that must be filled: every insert of ours would fail.
  for (const column of columns) {
    if (column.required && !Object.hasOwn(EXPECTED_TYPES, column.name))
      issues.push(TABLE_ISSUE.required(column.name));
  }
  return issues;
}
