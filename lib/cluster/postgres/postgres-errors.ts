import { ClusterConfigError } from '../../errors/cluster-config.error.js';
import { PROBLEM } from '../cluster.messages.js';

/** An SQLSTATE: five digits or capitals (a network error's code such as ECONNRESET is longer). */
const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * The configuration problem behind a PostgreSQL error, found by its SQLSTATE, or undefined for
 * an outage: a refused or lost connection, a server shutting down (57P01), too many connections
 * (53300), a read-only standby during a failover (25006)... anything that may pass on its own.
 * @internal
 */
export function postgresConfigError(error: unknown, table: string): ClusterConfigError | undefined {
  if (error instanceof ClusterConfigError) return error;
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code !== 'string' || !SQLSTATE.test(code)) return undefined;
  const problem = problemOf(code, String(message), table);
  return problem === undefined ? undefined : new ClusterConfigError(problem, { cause: error });
}

function problemOf(code: string, message: string, table: string): string | undefined {
  if (code.startsWith('28')) return PROBLEM.pgLogin(message); // invalid authorization
  if (code === '3D000') return PROBLEM.pgDatabase(message); // no such database
  if (code === '3F000') return PROBLEM.pgSchema(message); // no such schema
  if (code === '42501') return PROBLEM.pgPermission(table, message);
  if (code === '42P01') return PROBLEM.tableMissing(table, message);
  // Any other rule (42), data (22) or integrity (23) error: the table is not the one we create.
  if (/^(42|22|23)/.test(code)) return PROBLEM.tableRejects(table, message);
  return undefined;
}
