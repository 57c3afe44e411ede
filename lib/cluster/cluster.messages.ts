import { formatDuration } from '../utils/duration.parser.js';

/** Message text of cluster mode: setup errors and the log lines of an outage. */
export const BACKEND_DOWN = (backend: string, error: unknown): string =>
  `Cluster backend ${backend} is unreachable (${errorText(error)}); cluster jobs do not run until it is back`;

export const BACKEND_BACK = (backend: string, downMs: number): string =>
  `Cluster backend ${backend} is reachable again after ${formatDuration(downMs)}; cluster jobs resume`;

export const LEASE_LOST = (name: string, backend: string): string =>
  `Job ${name} lost its cluster lease on ${backend} while running; the run goes on, but another replica may start the job's next tick before it ends`;

export const ANCHOR_CHANGED = (name: string, mine: number, stored: number): string =>
  `The schedule anchor of job ${name} in the cluster backend changed (${mine} here, ${stored} stored) while it was unreachable; ` +
  'replicas started since then follow another grid until this one restarts';

export const PEER_MISSING = (backend: string, pkg: string): string =>
  `Cluster backend '${backend}' needs the optional package '${pkg}', which is not installed: run npm install ${pkg}`;

function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}

/** What a cluster option should have been ("got X, expected <this>"). */
export const EXPECTED = {
  backends: (backends: readonly string[]): string => backends.map((b) => `'${b}'`).join(' or '),
  notHere: (field: string, owners: readonly string[]): string => `no '${field}' here: it is for backend ${owners.map((b) => `'${b}'`).join(' or ')}`,
  url: (schemes: readonly string[]): string => `a ${schemes.map((s) => `${s}://`).join(' or ')} URL`,
  notBoth: (other: string): string => `either 'url' or '${other}', not both`,
  client: 'an ioredis client (new Redis(...))',
  pool: "a pg Pool (new Pool(...) from 'pg')",
  lock: (methods: readonly string[]): string => `a JobLock (an object with ${methods.join(', ')})`,
  table: "a table name such as 'core_lib_job_locks' or 'jobs.locks' (letters, digits, '_')",
  text: 'a non-empty string',
  lease: (numbersAreMs: boolean): string => `a duration of at least 1s, such as '30s'${numbersAreMs ? ' or 30000 (ms)' : ''}`,
  known: (suggestion: string | undefined, known: readonly string[]): string =>
    suggestion ? `a known option; did you mean '${suggestion}'?` : `one of ${known.join(', ')}`,
  options: "{ backend: 'redis' | 'postgres' | 'custom', ... }",
  section: "a mapping such as { backend: redis, url: '${oc.env:REDIS_URL}' }",
};
