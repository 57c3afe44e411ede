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
