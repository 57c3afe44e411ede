import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Boots test/cluster/fixtures/boot.mjs (the built package) in its own process; returns what it
 * printed: `{ started: true, ioredis, pg }` or `{ started: false, name, message }`.
 */
export async function bootApp(
  env: Record<string, string>,
  hidePeers = false,
): Promise<Record<string, unknown>> {
  const args = [
    ...(hidePeers ? ['--import', './test/cluster/fixtures/hide-peers.mjs'] : []),
    'test/cluster/fixtures/boot.mjs',
  ];
  const { stdout } = await run(process.execPath, args, {
    env: { ...process.env, ...env },
    timeout: 20_000,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}
