import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { waitFor } from '../../cluster/helpers/replica-process.js';

const APP = resolve(process.cwd(), 'test/store/fixtures/catch-up-app.mjs');

/** A job of the catch-up app (see test/store/fixtures/catch-up-app.mjs). */
export interface CatchUpJobSpec {
  name: string;
  frequencyMs?: number;
  cron?: string;
  catchUp?: 'none' | 'last' | 'all';
  catchUpWindow?: string;
  catchUpLimit?: number;
  runMs: number;
}

export interface CatchUpAppSettings {
  replica: string;
  store: object;
  cluster?: object;
  jobs: CatchUpJobSpec[];
}

/** One run as the app printed it. */
export interface SeenRun {
  name: string;
  reason: 'schedule' | 'catch-up' | 'trigger';
  due: number;
  start: number;
  end?: number;
  replica: string;
}

/** The catch-up app in its own process: its runs, read from its output. */
export class CatchUpApp {
  readonly lines: string[] = [];
  readonly exited: Promise<number | null>;
  readonly spawnedAt = Date.now();
  private readonly child: ChildProcess;

  constructor(readonly settings: CatchUpAppSettings) {
    const env = {
      ...process.env,
      NO_COLOR: '1',
      REPLICA: settings.replica,
      STORE: JSON.stringify(settings.store),
      CLUSTER: settings.cluster ? JSON.stringify(settings.cluster) : '',
      JOBS: JSON.stringify(settings.jobs),
    };
    this.child = spawn(process.execPath, [APP], { env, stdio: ['ignore', 'pipe', 'pipe'] });
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
        if (!this.alive) throw new Error(`app exited before it was ready:\n${this.output()}`);
        return this.lines.some((line) => line.startsWith('READY '));
      },
      timeoutMs,
      `app ${this.settings.replica} ready`,
    );
  }

  /** When the app printed READY (epoch ms). */
  readyAt(): number {
    const line = this.lines.find((l) => l.startsWith('READY '));
    return line ? Number(line.split(' ')[2]) : NaN;
  }

  /** Runs of `name` (all jobs without it), in the order they started, with their ends. */
  runs(name?: string): SeenRun[] {
    const ends = new Map<string, number>();
    const runs: SeenRun[] = [];
    for (const line of this.lines) {
      if (line.startsWith('END ')) {
        const end = JSON.parse(line.slice(4));
        ends.set(`${end.name}@${end.due}`, end.end);
      } else if (line.startsWith('RUN ')) runs.push(JSON.parse(line.slice(4)));
    }
    return runs
      .filter((run) => name === undefined || run.name === name)
      .map((run) => ({ ...run, end: ends.get(`${run.name}@${run.due}`) }));
  }

  output(): string {
    return this.lines.join('\n');
  }

  kill9(): Promise<number | null> {
    this.child.kill('SIGKILL');
    return this.exited;
  }

  stop(): Promise<number | null> {
    if (this.alive) this.child.kill('SIGTERM');
    return this.exited;
  }
}
