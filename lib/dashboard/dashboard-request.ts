import { timingSafeEqual } from 'node:crypto';
import { TOKEN_HEADER } from './dashboard.constants.js';
import { BAD_TOKEN, CROSS_SITE } from './dashboard.messages.js';

/** The parts of a request the checks read; Express's and Fastify's requests both have them. */
export interface RequestLike {
  headers: Record<string, string | string[] | undefined>;
  socket?: { remoteAddress?: string };
}

/** Headers a reverse proxy adds: behind one, the peer address is the proxy's, not the user's. */
const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

const header = (req: RequestLike, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  return (
    /^127\.\d+\.\d+\.\d+$/.test(address) || address === '::1' || /^::ffff:127\./i.test(address)
  );
}

/** `localhost`, `*.localhost`, `127.x.x.x` or `[::1]`, with or without a port. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${host}`).hostname;
  } catch {
    return false;
  }
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    hostname === '[::1]' ||
    isLoopbackAddress(hostname)
  );
}

/**
 * The default rule, as Hangfire's: the peer is a loopback address, and the request was not
 * forwarded by a proxy on this machine. The Host header must name a loopback host too, so a web
 * page whose domain an attacker points at 127.0.0.1 (DNS rebinding) cannot read the dashboard.
 */
export function isLocalRequest(req: RequestLike): boolean {
  if (PROXY_HEADERS.some((name) => header(req, name) !== undefined)) return false;
  return isLoopbackAddress(req.socket?.remoteAddress) && isLoopbackHost(header(req, 'host'));
}

/**
 * Why a state-changing request may be forged, or undefined. Browsers send `Sec-Fetch-Site` and
 * `Origin`; when they do, they must say "same origin". The token header is always required: a
 * cross-site form cannot set it, and a cross-site script cannot read the page that holds it.
 */
export function forgeryProblem(req: RequestLike, token: string): string | undefined {
  const site = header(req, 'sec-fetch-site');
  if (site !== undefined && site !== 'same-origin') return CROSS_SITE('Sec-Fetch-Site', site);
  const origin = header(req, 'origin');
  if (origin !== undefined && hostOf(origin) !== header(req, 'host')) {
    return CROSS_SITE('Origin', origin);
  }
  const sent = Buffer.from(header(req, TOKEN_HEADER) ?? '');
  const expected = Buffer.from(token);
  if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) return BAD_TOKEN();
  return undefined;
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined; // `Origin: null` (sandboxed frames, file://) is never our page
  }
}

/** Who acts, for the audit trail: the user a guard or `authorize` put on the request, if any. */
export function requestUser(req: RequestLike & { user?: unknown }): string | undefined {
  const user = req.user;
  if (typeof user === 'string' && user) return user;
  if (typeof user !== 'object' || user === null) return undefined;
  for (const key of ['username', 'name', 'email', 'id', 'sub']) {
    const value = (user as Record<string, unknown>)[key];
    if ((typeof value === 'string' && value) || typeof value === 'number') return String(value);
  }
  return undefined;
}

/** The dashboard's own path (`/jobs-dashboard`), from a page's URL (the list or a job's). */
export function dashboardBase(req: { originalUrl?: string; url?: string }): string {
  const path = (req.originalUrl ?? req.url ?? '/').split('?')[0];
  const job = path.lastIndexOf('/job/');
  return (job >= 0 ? path.slice(0, job) : path).replace(/\/+$/, '');
}
