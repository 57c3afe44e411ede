import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = process.cwd();
const CHILD = resolve(ROOT, 'test/store/fixtures/file-store-child.mjs');

/** A process holding or writing a FileJobStore (see fixtures/file-store-child.mjs). */
export class StoreChild {
  readonly lines: string[] = [];
  readonly exited: Promise<number | null>;
  readonly pid: number;
  private readonly child: ChildProcess;

  /** `startAt`: when to open the store (epoch ms), so several children race for it. */
  constructor(mode: 'hold' | 'write', path: string, startAt?: number) {
    const args = [CHILD, mode, path, ...(startAt ? [String(startAt)] : [])];
    this.child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    this.pid = this.child.pid ?? 0;
    let rest = '';
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop()!;
      this.lines.push(...parts);
    });
    this.child
      .stderr!.setEncoding('utf8')
      .on('data', (chunk: string) => this.lines.push(`STDERR ${chunk}`));
    this.exited = new Promise((done) => this.child.once('exit', (code) => done(code)));
  }

  /** Resolves with the first line starting `OPEN` or `REFUSED` (or rejects when it exits first). */
  async outcome(timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = this.lines.find((l) => /^(OPEN|REFUSED|STDERR)/.test(l));
      if (line) return line;
      if (Date.now() > deadline || this.child.exitCode !== null) {
        throw new Error(`store child ${this.pid} said nothing useful: ${this.lines.join('\n')}`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}

/** The children import the BUILT store: fail clearly when dist/store is older than lib/store. */
export function assertStoreBuilt(): void {
  const built = mtime(join(ROOT, 'dist/store/file/file-job-store.js'));
  if (built < newest(join(ROOT, 'lib/store'))) {
    throw new Error('dist/store is missing or older than lib/store: run `npm run build` first');
  }
}

const mtime = (path: string): number => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
};

function newest(dir: string): number {
  return Math.max(
    0,
    ...readdirSync(dir, { withFileTypes: true }).map((e) =>
      e.isDirectory() ? newest(join(dir, e.name)) : mtime(join(dir, e.name)),
    ),
  );
}
