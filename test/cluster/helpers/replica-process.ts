import { spawn, type ChildProcess } from 'node:child_process';
import { statSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = process.cwd();
const REPLICA = resolve(ROOT, 'test/cluster/fixtures/replica.mjs');

/** A job of a replica: every run is recorded under `recordKey`. */
export interface ProbeJobSpec {
  name: string;
  frequencyMs?: number;
  cron?: string;
  jitterMs?: number;
  runMs: number;
  /** `false`: runs on every replica. */
  cluster?: boolean;
  recordKey: string;
}

/** Settings of one replica process (see test/cluster/fixtures/replica.mjs). */
export interface ReplicaSettings {
  replica: string;
  backend: 'redis' | 'postgres';
  url: string;
  prefix: string;
  table?: string;
  from?: 'options' | 'yaml';
  lease?: string;
  skewMs?: number;
  recordUrl: string;
  jobs: ProbeJobSpec[];
}

/** A running replica: its output lines, and ways to stop it. */
export class ReplicaProcess {
  readonly lines: string[] = [];
  readonly exited: Promise<number | null>;
  pid = 0;
  private readonly child: ChildProcess;

  constructor(readonly settings: ReplicaSettings) {
    const env = {
      ...process.env,
      NO_COLOR: '1',
      REPLICA: settings.replica,
      CLUSTER_BACKEND: settings.backend,
      CLUSTER_URL: settings.url,
      CLUSTER_PREFIX: settings.prefix,
      CLUSTER_TABLE: settings.table ?? '',
      CLUSTER_FROM: settings.from ?? 'options',
      LEASE: settings.lease ?? '5s',
      SKEW_MS: String(settings.skewMs ?? 0),
      RECORD_URL: settings.recordUrl,
      JOBS: JSON.stringify(settings.jobs),
    };
    this.child = spawn(process.execPath, [REPLICA], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.pid = this.child.pid ?? 0;
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const parts = (rest + chunk).split('\n');
        rest = parts.pop()!;
        this.lines.push(...parts);
      });
    }
    // 'close', not 'exit': by then stdout and stderr are fully read.
    this.exited = new Promise((done) => this.child.once('close', (code) => done(code)));
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves once the app context is up (jobs scheduled); rejects if the process dies first. */
  async ready(timeoutMs = 20_000): Promise<void> {
    await waitFor(
      () => {
        if (!this.alive)
          throw new Error(
            `replica ${this.settings.replica} exited before it was ` +
              `ready:\n${this.lines.join('\n')}`,
          );
        return this.lines.some((line) => line.startsWith('READY '));
      },
      timeoutMs,
      `replica ${this.settings.replica} ready`,
    );
  }

  /** Graceful stop (SIGTERM: the app drains and closes); resolves with the exit code. */
  async stop(): Promise<number | null> {
    if (this.alive) this.child.kill('SIGTERM');
    return this.exited;
  }

  kill9(): void {
    this.child.kill('SIGKILL');
  }

  /** Lines matching `pattern`. */
  count(pattern: RegExp): number {
    return this.lines.filter((line) => pattern.test(line)).length;
  }

  /** `list()` as printed on SIGTERM. */
  listed(): Array<{ name: string; lastRunBy: string | null; runs: number }> {
    const line = this.lines.find((l) => l.startsWith('LIST '));
    return line ? JSON.parse(line.slice(5)) : [];
  }
}

/** Starts replicas `gapMs` apart, then waits until all are ready. */
export async function startReplicas(
  all: ReplicaSettings[],
  gapMs = 300,
): Promise<ReplicaProcess[]> {
  const started: ReplicaProcess[] = [];
  for (const settings of all) {
    if (started.length) await sleep(gapMs);
    started.push(new ReplicaProcess(settings));
  }
  try {
    await Promise.all(started.map((r) => r.ready()));
  } catch (error) {
    await Promise.all(started.map((r) => r.stop()));
    throw error;
  }
  return started;
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

export async function waitFor<T>(
  probe: () => T | Promise<T>,
  timeoutMs: number,
  what: string,
  everyMs = 25,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** The replicas import the BUILT package: fail clearly when dist/ is missing or older than lib/. */
export function assertBuilt(): void {
  const built = (() => {
    try {
      return statSync(join(ROOT, 'dist/cluster/cluster.factory.js')).mtimeMs;
    } catch {
      return 0;
    }
  })();
  const newest = newestMtime(join(ROOT, 'lib'));
  if (built < newest)
    throw new Error(
      'dist/ is missing or older than lib/: run `npm run build` before the cluster tests',
    );
}

function newestMtime(dir: string): number {
  return Math.max(
    0,
    ...readdirSync(dir, { withFileTypes: true }).map((entry) =>
      entry.isDirectory()
        ? newestMtime(join(dir, entry.name))
        : statSync(join(dir, entry.name)).mtimeMs,
    ),
  );
}

/** A tag unique to this test file run, for key prefixes and table names. */
export function uniqueTag(name: string): string {
  return `${name}_${Date.now().toString(36)}_${process.pid}`;
}
