import { formatDuration } from '../utils/duration.parser.js';

/** Message text of cluster mode: setup errors and the log lines of an outage. @internal */
export const BACKEND_DOWN = (backend: string, error: unknown): string =>
  `Cluster backend ${backend} is unreachable (${errorText(error)}); ` +
  'cluster jobs do not run until it is back';

/** @internal */
export const BACKEND_BACK = (backend: string, downMs: number): string =>
  `Cluster backend ${backend} is reachable again after ${formatDuration(downMs)}; ` +
  'cluster jobs resume';

/** A backend that answers but cannot be used as configured: the app refuses to start. @internal */
export const BACKEND_MISCONFIGURED = (backend: string, problem: string): string =>
  `Cluster backend ${backend} is misconfigured: ${problem}`;

/** The same, met while the app runs: logged once per problem. @internal */
export const BACKEND_MISCONFIGURED_LOG = (backend: string, problem: string): string =>
  `${BACKEND_MISCONFIGURED(backend, problem)}; cluster jobs do not run until this is fixed`;

const RENAME_TABLE = 'drop it (it is created again) or set `table` to another name';

/** Configuration problems as a lock reports them (the coordinator names the backend). @internal */
export const PROBLEM = {
  tableShape: (table: string, issues: readonly string[]): string =>
    `lock table ${table} has another shape: ${issues.join(', ')}; ${RENAME_TABLE}`,
  tableRejects: (table: string, message: string): string =>
    `lock table ${table} rejects the lock's statements (${message}); ${RENAME_TABLE}`,
  tableMissing: (table: string, message: string): string =>
    `${message}: lock table ${table} is dropped again and again while in use`,
  pgLogin: (message: string): string =>
    `the server refuses the login (${message}); check the user and password in the URL, ` +
    'or in the pool you pass in',
  pgDatabase: (message: string): string => `${message}; create it, or fix the database in the URL`,
  pgSchema: (message: string): string => `${message}; create it, or set \`table\` to another name`,
  pgPermission: (table: string, message: string): string =>
    `${message}; grant the lock's database user SELECT, INSERT, UPDATE and DELETE on ${table} ` +
    '(and CREATE on its schema, for the lock to create the table)',
  redisAuth: (message: string): string =>
    `the server refuses the credentials (${message}); give the password in the URL ` +
    '(redis://:password@host:port or redis://user:password@host:port), ' +
    'or on the client you pass in',
  redisCommands: (message: string): string =>
    `the server refuses a command the lock needs (${message}); ` +
    "allow TIME, EVALSHA and EVAL on the lock's keys in the Redis user's ACL",
  redisScripts: (): string =>
    'the Redis user may not run scripts (NOPERM on EVALSHA or EVAL); allow EVALSHA and EVAL ' +
    "on the lock's keys in its ACL",
  redisKeys: (prefix: string, message: string): string =>
    `keys under the prefix '${prefix}' hold values of another type (${message}): ` +
    'another program uses them; set `keyPrefix` to another value',
};

/** Ways a lock table can differ from the one the lock creates. @internal */
export const TABLE_ISSUE = {
  missing: (column: string): string => `column ${column} is missing`,
  type: (column: string, type: string, expected: string): string =>
    `column ${column} is ${type} (expected ${expected})`,
  notUnique: (column: string): string =>
    `column ${column} has no primary key or unique index of its own`,
  required: (column: string): string => `column ${column} is NOT NULL without a default`,
};

/** @internal */
export const NO_PRIVILEGE = (table: string, missing: readonly string[]): string =>
  `the user has no ${missing.join(', ')} privilege on ${table}`;

/** @internal */
export const LEASE_LOST = (name: string, backend: string): string =>
  `Job ${name} lost its cluster lease on ${backend} while running; its signal is aborted ` +
  "(LeaseLostError), since another replica may start the job's next tick before it ends";

/** @internal */
export const ANCHOR_CHANGED = (name: string, mine: number, stored: number): string =>
  `The schedule anchor of job ${name} in the cluster backend changed ` +
  `(${mine} here, ${stored} stored) while it was unreachable; ` +
  'replicas started since then follow another grid until this one restarts';

/** @internal */
export const PEER_MISSING = (backend: string, pkg: string): string =>
  `Cluster backend '${backend}' needs the optional package '${pkg}', which is not installed: ` +
  `run npm install ${pkg}`;

function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}

/** What a cluster option should have been ("got X, expected <this>"). @internal */
export const EXPECTED = {
  backends: (backends: readonly string[]): string => backends.map((b) => `'${b}'`).join(' or '),
  notHere: (field: string, owners: readonly string[]): string =>
    `no '${field}' here: it is for backend ${owners.map((b) => `'${b}'`).join(' or ')}`,
  url: (schemes: readonly string[]): string =>
    `a ${schemes.map((s) => `${s}://`).join(' or ')} URL`,
  notBoth: (other: string): string => `either 'url' or '${other}', not both`,
  client: 'an ioredis client (new Redis(...))',
  pool: "a pg Pool (new Pool(...) from 'pg')",
  lock: (methods: readonly string[]): string => `a JobLock (an object with ${methods.join(', ')})`,
  table: "a table name such as 'core_lib_job_locks' or 'jobs.locks' (letters, digits, '_')",
  text: 'a non-empty string',
  lease: (numbersAreMs: boolean): string =>
    `a duration of at least 1s, such as '30s'${numbersAreMs ? ' or 30000 (ms)' : ''}`,
  known: (suggestion: string | undefined, known: readonly string[]): string =>
    suggestion ? `a known option; did you mean '${suggestion}'?` : `one of ${known.join(', ')}`,
  options: "{ backend: 'redis' | 'postgres' | 'custom', ... }",
  section: "a mapping such as { backend: redis, url: '${oc.env:REDIS_URL}' }",
};
