import { request as httpRequest } from 'node:http';
import { networkInterfaces } from 'node:os';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface RequestOptions {
  method?: string;
  /** Sent as is, `Host` included (fetch() would refuse to set it). */
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
}

/** One HTTP request through node:http, so any header can be set. */
export function request(url: string, options: RequestOptions = {}): Promise<Reply> {
  const body = options.json === undefined ? undefined : JSON.stringify(options.json);
  const headers = { ...(body ? { 'content-type': 'application/json' } : {}), ...options.headers };
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The page's token (`data-token`), which the page sends with every action. */
export function tokenOf(html: string): string {
  const token = /data-token="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('the dashboard page has no data-token attribute');
  return token;
}

/**
 * This machine's first non-loopback IPv4 address: a request to it from here comes from it too,
 * so the server sees a non-loopback peer. Throws (the test fails, it is not skipped) if none.
 */
export function nonLoopbackIPv4(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    const found = addresses?.find((a) => a.family === 'IPv4' && !a.internal);
    if (found) return found.address;
  }
  throw new Error(
    'this machine has no non-loopback IPv4 address, so the "non-local request gets 403" test ' +
      'cannot run; give it one (e.g. a network namespace with a veth pair)',
  );
}
