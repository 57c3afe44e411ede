import type { BackendFault } from '../backend-fault.js';

/** An SQLSTATE: five digits or capitals (a network error's code such as ECONNRESET is longer). */
const SQLSTATE = /^[0-9A-Z]{5}$/;

/** Whether `error` is a server-side SQL error (an SQLSTATE): the connection itself is fine. */
export const isSqlError = (error: unknown): boolean =>
  SQLSTATE.test(String((error as { code?: unknown } | null)?.code));

/**
 * The configuration problem behind a PostgreSQL error, by its SQLSTATE: `reason` is `login`
 * (class 28), `database` (3D000), `schema` (3F000), `permission` (42501), `table-missing`
 * (42P01) or `table-rejects` (any other 42, 22 or 23: the table is not the one we create).
 * Undefined for anything else: a refused or lost connection, a server shutting down (57P01),
 * too many connections (53300), a read-only standby in a failover (25006)... an outage.
 */
export function postgresFaultOf(error: unknown): BackendFault | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !SQLSTATE.test(code)) return undefined;
  const reason = reasonOf(code);
  return reason === undefined ? undefined : { kind: 'config', reason };
}

function reasonOf(code: string): string | undefined {
  if (code.startsWith('28')) return 'login';
  if (code === '3D000') return 'database';
  if (code === '3F000') return 'schema';
  if (code === '42501') return 'permission';
  if (code === '42P01') return 'table-missing';
  if (/^(42|22|23)/.test(code)) return 'table-rejects';
  return undefined;
}
