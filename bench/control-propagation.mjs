// @ts-check
// How fast a control change reaches the other replicas: three replica processes of the built
// package (test/control/fixtures/control-replica.mjs) share a stored schedule every 50 ms; A
// pauses it, and B and C report the moment their copy of the job turns `paused` (each polls its
// own `scheduler.get()` every millisecond, so that moment is within ~1 ms of when the pause was
// applied and ticks stopped being claimed there). The latency of a trial is from A's `pause()`
// call to the later of B's and C's moments; then A resumes, both report `scheduled`, and the next
// trial starts. All processes share this machine's clock.
//
//   npm run build && node bench/control-propagation.mjs [--trials=30] [--backend=redis,postgres]
//
// REDIS_URL and DATABASE_URL (default 127.0.0.1:6379 and postgres://postgres@127.0.0.1:5432/test).
// Prints p50, p99 and max in ms per backend, and the same for "stop claiming": the last run B or C
// started after the pause call, as a cross-check from the runs themselves.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [key, value = 'true'] = a.replace(/^--/, '').split('=');
    return [key, value];
  }),
);
const TRIALS = Number(args.trials ?? 30);
const BACKENDS = String(args.backend ?? 'redis,postgres').split(',');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const FIXTURE = resolve('test/control/fixtures/control-replica.mjs');
const NAME = 'bench-probe';
const tag = `ctlbench_${Date.now().toString(36)}`;

/** @param {number} ms */
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/**
 * @param {() => any} probe
 * @param {number} timeoutMs
 * @param {string} what
 */
async function waitFor(probe, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

/** One replica process, taking commands on stdin. */
class Replica {
  /** @param {string} label @param {Record<string, string>} env */
  constructor(label, env) {
    this.label = label;
    /** @type {string[]} */
    this.lines = [];
    this.nextId = 1;
    this.child = spawn(process.execPath, [FIXTURE], {
      env: { ...process.env, NO_COLOR: '1', REPLICA: label, ...env },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let rest = '';
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (/** @type {string} */ chunk) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      this.lines.push(...parts);
    });
    this.exited = new Promise((done) => this.child.once('close', done));
  }

  ready() {
    return waitFor(() => this.lines.some((l) => l.startsWith('READY ')), 20_000, `${this.label}`);
  }

  /** @param {string} op @param {...unknown} rest */
  async call(op, ...rest) {
    const id = this.nextId++;
    this.child.stdin.write(`${JSON.stringify({ id, op, args: rest })}\n`);
    const line = await waitFor(
      () => this.lines.find((l) => l.startsWith('RESULT ') && JSON.parse(l.slice(7)).id === id),
      15_000,
      `${this.label} ${op}`,
    );
    const answer = JSON.parse(line.slice(7));
    if (!answer.ok) throw new Error(`${this.label} ${op}: ${answer.error}`);
    return answer;
  }

  /** The time this replica first reported `state` at or after `since`. @param {string} state @param {number} since */
  stateAt(state, since) {
    for (const line of this.lines) {
      const [kind, name, seen, at] = line.split(' ');
      if (kind === 'STATE' && name === NAME && seen === state && Number(at) >= since)
        return Number(at);
    }
    return undefined;
  }

  /** Start times of this replica's runs. */
  runStarts() {
    return this.lines
      .filter((l) => l.startsWith(`RUN ${NAME} `))
      .map((l) => Number(l.split(' ')[3]));
  }

  async stop() {
    this.child.kill('SIGTERM');
    await this.exited;
  }
}

/** @param {number[]} values @param {number} q */
function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

/** @param {'redis' | 'postgres'} backend */
async function measure(backend) {
  const env =
    backend === 'redis'
      ? { BACKEND: 'redis', URL: REDIS_URL, PREFIX: `${tag}:redis` }
      : { BACKEND: 'postgres', URL: DATABASE_URL, PREFIX: `${tag}:pg`, TABLE: `${tag}_locks` };
  const replicas = ['A', 'B', 'C'].map((label) => new Replica(label, env));
  try {
    await Promise.all(replicas.map((r) => r.ready()));
    const [a, b, c] = replicas;
    await a.call('upsert', NAME, {
      handler: { class: 'Probe' },
      initial_delay: '0s',
      frequency: '50ms',
    });
    await b.call('watch', NAME);
    await c.call('watch', NAME);
    await waitFor(
      () => b.stateAt('scheduled', 0) && c.stateAt('scheduled', 0),
      10_000,
      'scheduled',
    );
    await sleep(1_000);
    /** @type {number[]} */
    const applied = [];
    /** @type {number[]} */
    const stopped = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const paused = await a.call('pause', NAME, { by: 'bench' });
      const t0 = paused.t0;
      const times = await waitFor(
        () => {
          const tb = b.stateAt('paused', t0);
          const tc = c.stateAt('paused', t0);
          return tb !== undefined && tc !== undefined && [tb, tc];
        },
        10_000,
        `trial ${trial} paused`,
      );
      applied.push(Math.max(...times) - t0);
      await sleep(200);
      const lastRun = Math.max(t0, ...[b, c].flatMap((r) => r.runStarts()).filter((s) => s >= t0));
      stopped.push(lastRun - t0);
      const resumed = await a.call('resume', NAME, { by: 'bench' });
      await waitFor(
        () => b.stateAt('scheduled', resumed.t0) && c.stateAt('scheduled', resumed.t0),
        10_000,
        `trial ${trial} resumed`,
      );
      await sleep(150);
    }
    await a.call('remove', NAME);
    const row = (/** @type {number[]} */ v) => ({
      p50: quantile(v, 0.5),
      p99: quantile(v, 0.99),
      max: Math.max(...v),
    });
    return { backend, trials: TRIALS, applied: row(applied), stopClaiming: row(stopped) };
  } finally {
    await Promise.all(replicas.map((r) => r.stop()));
  }
}

const results = [];
for (const backend of BACKENDS)
  results.push(await measure(/** @type {'redis' | 'postgres'} */ (backend)));
console.log(
  '| backend | trials | applied on B and C: p50 / p99 / max (ms) | last claim on B or C after the call: p50 / p99 / max (ms) |',
);
console.log('| --- | --- | --- | --- |');
for (const { backend, trials, applied, stopClaiming } of results) {
  console.log(
    `| ${backend} | ${trials} | ${applied.p50} / ${applied.p99} / ${applied.max} | ` +
      `${stopClaiming.p50} / ${stopClaiming.p99} / ${stopClaiming.max} |`,
  );
}
console.log(JSON.stringify(results));
