import { beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { assertBuilt } from '../cluster/helpers/replica-process.js';

/**
 * Claims about a whole process, checked in a child `node` running the BUILT package
 * (`npm run build`): an error escaping the engine ends a real process (exit 1), which Jest's
 * sandbox never sees, and `--expose-gc` gives a heap measure free of Jest's own allocations.
 */
const FIXTURES = resolve(process.cwd(), 'test/fixtures/processes');

interface ChildResult {
  code: number | null;
  lines: string[];
}

function runChild(
  script: string,
  env: Record<string, string>,
  flags: string[] = [],
): Promise<ChildResult> {
  const child = spawn(process.execPath, [...flags, resolve(FIXTURES, script)], {
    cwd: process.cwd(),
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  return new Promise((done) =>
    child.once('close', (code) => done({ code, lines: output.split('\n') })),
  );
}

/** The JSON after `prefix` on the line that starts with it. */
const payload = <T>(lines: string[], prefix: string): T => {
  const line = lines.find((l) => l.startsWith(prefix));
  if (!line) throw new Error(`no ${prefix} line in:\n${lines.join('\n')}`);
  return JSON.parse(line.slice(prefix.length)) as T;
};

const KINDS = [
  'null-prototype',
  'throwing-toString',
  'throwing-message',
  'throwing-stack',
  'revoked-proxy',
];

beforeAll(() => assertBuilt());

describe('values no error handler expects (test/fixtures/processes/nasty-jobs.mjs)', () => {
  interface Listed {
    name: string;
    runs: number;
    failures: number;
    running: boolean;
    lastError: string | null;
  }
  let code: number | null;
  let lines: string[];
  let byName: Map<string, Listed>;
  const logged = (text: string) => lines.filter((l) => l.includes(text)).length;

  beforeAll(async () => {
    ({ code, lines } = await runChild('nasty-jobs.mjs', {}));
    byName = new Map(payload<Listed[]>(lines, 'LIST ').map((job) => [job.name, job]));
  });

  it('leave the process alive (exit 0, to the end of the script)', () => {
    expect({ code, done: lines.includes('DONE') }).toEqual({ code: 0, done: true });
  });

  it('fail every run they end, which is logged with what can be said of the value', () => {
    // Every 100 ms for 450 ms (about 5 runs; the ones after the first take the fast path).
    const texts: Record<string, string> = {
      'null-prototype': '[Object: null prototype] {}',
      'throwing-toString': '{ toString: [Function: toString] }',
      'throwing-message': 'Error (its message cannot be read)',
      'throwing-stack': 'stack hidden',
      'revoked-proxy': '<Revoked Proxy>',
    };
    for (const [kind, text] of Object.entries(texts)) {
      for (const name of [`throws-${kind}`, `rejects-${kind}`]) {
        const job = byName.get(name)!;
        expect(job).toMatchObject({ failures: job.runs, running: false, lastError: text });
        expect(job.runs).toBeGreaterThanOrEqual(3);
        expect(logged(`Error while running job ${name}: ${text}`)).toBe(job.runs);
      }
    }
  });

  it('returned by run() with a `then` that cannot be read, fail the run (never hang it)', () => {
    const thrower = byName.get('returns-throwing-then')!;
    expect(thrower).toMatchObject({
      failures: thrower.runs,
      running: false,
      lastError: 'then getter threw',
    });
    expect(thrower.runs).toBeGreaterThanOrEqual(4); // 3 or more ticks, and the trigger()
    expect(payload(lines, 'TRIGGER ')).toEqual({ status: 'failed' });
    const revoked = byName.get('returns-revoked-proxy')!;
    expect(revoked).toMatchObject({ failures: revoked.runs, running: false });
    expect(revoked.lastError).toMatch(/proxy that has been revoked/);
  });

  it('thrown or returned by initialized(), fail the first run only (it is called once)', () => {
    const names = [
      ...KINDS.map((k) => `init-throws-${k}`),
      'init-returns-throwing-then',
      'init-returns-revoked-proxy',
    ];
    for (const name of names) {
      const job = byName.get(name)!;
      expect(job).toMatchObject({ failures: 1, running: false });
      expect(job.runs).toBeGreaterThanOrEqual(3);
      expect(logged(`Error while running job ${name}: `)).toBe(1);
    }
  });

  it('thrown or rejected by subscribe() listeners, are logged and the job runs on', () => {
    const job = byName.get('listened')!;
    expect(job).toMatchObject({ failures: 0, running: false });
    expect(job.runs).toBeGreaterThanOrEqual(3);
    // Two events a run, ten listeners (one sync and one async per value).
    expect(logged("A job listener threw on 'succeeded' of listened: ")).toBe(10 * job.runs);
    expect(logged("listener threw on 'started' of listened: <Revoked Proxy>")).toBe(2 * job.runs);
  });
});

describe('schedule-and-stop churn (test/fixtures/processes/churn.mjs)', () => {
  it('leaves the heap where it started: memory follows the live jobs, not the churn', async () => {
    // 30 rounds of 10,000 hourly jobs scheduled then stopped: 300,000 jobs, none left.
    const { code, lines } = await runChild(
      'churn.mjs',
      { JOBS: '10000', ROUNDS: '30', CHURN_SECONDS: '60' },
      ['--expose-gc'],
    );
    expect(code).toBe(0);
    interface Churn {
      rounds: number;
      startHeap: number;
      endHeap: number;
      reachable: number;
      listed: number;
    }
    const result = payload<Churn>(lines, 'CHURN ');
    expect(result).toMatchObject({
      rounds: 30,
      listed: 0,
      queue: { heapItems: 0, lanes: 0, laneSlots: 0 },
    });
    expect(result.reachable).toBe(0); // of the last round's 10,000 stopped jobs (WeakRef after GC)
    // heapUsed after full GCs; keeping every stopped job (the old lanes did) costs ~100 MB here.
    expect(result.endHeap - result.startHeap).toBeLessThan(4 * 1024 * 1024);
  });
});
