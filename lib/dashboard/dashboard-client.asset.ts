import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { JobsSetupError } from '../errors/jobs-setup.error.js';
import { CLIENT_NOT_BUILT } from './dashboard.messages.js';

/** The page's scripts, in the order they run: the charts first (the main script uses them). */
const FILES = ['dashboard-charts.client.js', 'dashboard.client.js'];

/** One built script: its bytes as served, and the hash the Content-Security-Policy allows. */
export interface ClientScript {
  source: string;
  hash: string;
}

/**
 * Where the built scripts are: next to this module in the package (`dist/dashboard/browser`),
 * or, when this module runs from its TypeScript source (the tests), in the checkout's `dist/`.
 */
function folder(): string {
  const candidates = [
    new URL('./browser/', import.meta.url),
    new URL('../../dist/dashboard/browser/', import.meta.url),
  ].map((url) => fileURLToPath(url));
  const found = candidates.find((dir) => FILES.every((file) => existsSync(dir + file)));
  if (!found) throw new JobsSetupError(CLIENT_NOT_BUILT(candidates));
  return found;
}

/** Reads the built scripts once, and hashes the exact bytes the page will hold. */
function load(): ClientScript[] {
  const dir = folder();
  return FILES.map((file) => {
    // A trailing newline is cut, so the bytes between <script> and </script> are these.
    const source = readFileSync(dir + file, 'utf8').trimEnd();
    return { source, hash: createHash('sha256').update(source).digest('base64') };
  });
}

let scripts: ClientScript[] | undefined;

/** The page's scripts (read at the first page served, then kept). */
export function clientScripts(): ClientScript[] {
  scripts ??= load();
  return scripts;
}
