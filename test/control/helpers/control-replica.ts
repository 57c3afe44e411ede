import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { waitFor } from '../../cluster/helpers/replica-process.js';

const FIXTURE = resolve(process.cwd(), 'test/control/fixtures/control-replica.mjs');

/** Settings of one replica (see test/control/fixtures/control-replica.mjs). */
export interface ControlReplicaSettings {
  replica: string;
  backend: 'redis' | 'postgres';
  url: string;
  prefix: string;
  table?: string;
  /** false: this replica has no Probe job class. */
  probe?: boolean;
}

/** One run as a replica printed it. */
export interface PrintedRun {
  name: string;
  due: number;
  start: number;
  replica: string;
}

/** A replica process that takes control commands on stdin. */
export class ControlReplica {
  readonly lines: string[] = [];
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;
  private nextId = 1;

  constructor(readonly settings: ControlReplicaSettings) {
    this.child = spawn(process.execPath, [FIXTURE], {
      env: {
        ...process.env,
        NO_COLOR: '1',
        REPLICA: settings.replica,
        BACKEND: settings.backend,
        URL: settings.url,
        PREFIX: settings.prefix,
        TABLE: settings.table ?? '',
        PROBE: settings.probe === false ? '0' : '1',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const parts = (rest + chunk).split('\n');
        rest = parts.pop()!;
        this.lines.push(...parts);
      });
    }
    this.exited = new Promise((done) => this.child.once('close', (code) => done(code)));
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async ready(timeoutMs = 20_000): Promise<void> {
    await waitFor(
      () => {
        if (!this.alive)
          throw new Error(`${this.settings.replica} died:\n${this.lines.join('\n')}`);
        return this.lines.some((l) => l.startsWith('READY '));
      },
      timeoutMs,
      `${this.settings.replica} ready`,
    );
  }

  /** Sends a command; resolves with its answer ({ ok, value | error, t0, t1 }). */
  async call<T = unknown>(op: string, ...args: unknown[]): Promise<Answer<T>> {
    const id = this.nextId++;
    this.child.stdin!.write(`${JSON.stringify({ id, op, args })}\n`);
    const line = await waitFor(
      () => this.lines.find((l) => l.startsWith('RESULT ') && JSON.parse(l.slice(7)).id === id),
      15_000,
      `${this.settings.replica} ${op}`,
      5,
    );
    return JSON.parse(line.slice(7)) as Answer<T>;
  }

  /** Like `call()`, but throws when the command failed. */
  async must<T = unknown>(op: string, ...args: unknown[]): Promise<T> {
    const answer = await this.call<T>(op, ...args);
    if (!answer.ok) throw new Error(`${this.settings.replica} ${op}: ${answer.error}`);
    return answer.value as T;
  }

  runs(name: string): PrintedRun[] {
    return this.lines
      .filter((l) => l.startsWith(`RUN ${name} `))
      .map((l) => {
        const [, runName, due, start, replica] = l.split(' ');
        return { name: runName, due: Number(due), start: Number(start), replica };
      });
  }

  async stop(): Promise<void> {
    if (this.alive) this.child.kill('SIGTERM');
    await this.exited;
  }

  async kill9(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }
}

export interface Answer<T> {
  id: number;
  ok: boolean;
  value?: T;
  error?: string;
  t0: number;
  t1: number;
}

/** Starts replicas together and waits until all are ready. */
export async function startControlReplicas(
  all: ControlReplicaSettings[],
): Promise<ControlReplica[]> {
  const started = all.map((s) => new ControlReplica(s));
  try {
    await Promise.all(started.map((r) => r.ready()));
  } catch (error) {
    await Promise.all(started.map((r) => r.stop()));
    throw error;
  }
  return started;
}
