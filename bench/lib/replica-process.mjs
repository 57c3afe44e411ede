/**
 * One replica process of the cluster scenario, seen from the parent: its output lines, ready,
 * CPU marks, graceful stop, kill, and the records it prints. The protocol (replica side in
 * replica-io.mjs): `READY …` once up; on a stdin line `MARK <label>` it prints
 * `MARK <label> {"at","cpuUs"}`; on SIGTERM it stops, prints `<TAG> {json}` records and exits 0.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sleep } from './time.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export class ReplicaProcess {
  lines = [];

  /** `script`: the replica's file; `env`: its settings (added to this process's environment). */
  constructor(name, script, env) {
    this.name = name;
    this.child = spawn(process.execPath, [script], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', BENCH_REPLICA: name, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdin.on('error', () => undefined); // a replica that died: its exit code says so
    for (const stream of [this.child.stdout, this.child.stderr]) this.collect(stream);
    // 'close', not 'exit': by then stdout and stderr are fully read.
    this.exited = new Promise((resolve) => this.child.once('close', (code) => resolve(code)));
  }

  collect(stream) {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop();
      this.lines.push(...parts);
    });
  }

  get alive() {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async ready(timeoutMs = 30_000) {
    await this.waitFor((line) => line.startsWith('READY '), timeoutMs, 'ready');
  }

  /** Asks for a CPU mark now; `marked(label)` waits until the replica has printed it. */
  mark(label) {
    if (this.alive) this.child.stdin.write(`MARK ${label}\n`);
  }

  async marked(label, timeoutMs = 5000) {
    await this.waitFor((line) => line.startsWith(`MARK ${label} `), timeoutMs, `mark ${label}`);
    return this.markOf(label);
  }

  markOf(label) {
    const line = this.lines.find((l) => l.startsWith(`MARK ${label} `));
    return line ? JSON.parse(line.slice(`MARK ${label} `.length)) : undefined;
  }

  async waitFor(test, timeoutMs, what) {
    const deadline = Date.now() + timeoutMs;
    while (!this.lines.some(test)) {
      if (!this.alive)
        throw new Error(`replica ${this.name} exited before ${what}:\n${this.output()}`);
      if (Date.now() > deadline) {
        throw new Error(
          `replica ${this.name}: no ${what} after ${timeoutMs} ms:\n${this.output()}`,
        );
      }
      await sleep(20);
    }
  }

  /** SIGTERM (the replica drains, closes, prints its records); SIGKILL if it hangs. */
  async stop(timeoutMs = 15_000) {
    if (this.alive) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  async kill() {
    if (this.alive) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** The JSON the replica printed after `tag` (RUNS, CLAIMS); undefined when it printed none. */
  record(tag) {
    const line = this.lines.find((l) => l.startsWith(`${tag} `));
    return line === undefined ? undefined : JSON.parse(line.slice(tag.length + 1));
  }

  /** Anything it printed besides the protocol's lines (warnings, errors). */
  otherLines() {
    return this.lines.filter((l) => l.trim() && !/^(READY|MARK|RUNS|CLAIMS|TRIPS) /.test(l));
  }

  output() {
    return this.lines.join('\n');
  }
}
