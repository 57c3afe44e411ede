import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = `${ROOT}dist-sample/main.js`;

export interface SampleApp {
  port: number;
  /** Everything the app printed, for the failure message. */
  output: () => string;
  stop: () => Promise<void>;
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * Starts the BUILT sample app (`npm run build:sample`) as a child process and waits until it
 * answers on `port`. `env` adds to the environment (HOST, DASHBOARD_READ_ONLY).
 */
export async function startSampleApp(
  port: number,
  env: Record<string, string> = {},
): Promise<SampleApp> {
  if (!existsSync(MAIN)) {
    throw new Error(
      `${MAIN} is missing: run \`npm run build:sample\` first (npm run test:browser does)`,
    );
  }
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    // A state file of its own: the file store refuses a second process on one file.
    env: {
      ...process.env,
      PORT: String(port),
      NO_COLOR: '1',
      JOBS_STATE_FILE: `${tmpdir()}/sample-app-${process.pid}-${port}.json`,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const app: SampleApp = { port, output: () => output, stop: () => stop(child) };
  try {
    await waitUntilAnswering(child, port, () => output);
  } catch (error) {
    await app.stop();
    throw error;
  }
  return app;
}

async function waitUntilAnswering(
  child: ChildProcess,
  port: number,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`the sample app exited (${child.exitCode}):\n${output()}`);
    const up = await fetch(`http://127.0.0.1:${port}/jobs`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the sample app did not answer on port ${port} within 20 s:\n${output()}`);
}

/** SIGTERM (the app drains its runs), then SIGKILL if it has not exited after 10 s. */
function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
