import type {
  HeldLease,
  JobLock,
  LockResult,
  TickClaim,
} from '../../../lib/interfaces/job-lock.interface.js';

interface Lease {
  token: string;
  holder: string;
  expiresAt: number;
}

/** An in-process `JobLock` for coordinator tests: the real ones' rules, and a switch to fail. */
export class MemoryLock implements JobLock {
  /** While set, every call rejects with it (the backend is unreachable). */
  failure: Error | undefined;
  /** Added to Date.now() by `time()`: the backend's clock. */
  clockOffsetMs = 0;
  /** One entry per backend call (a batch is one call). */
  readonly calls: string[] = [];
  /** The size of each batch sent, by call. */
  readonly batches: Array<{ call: string; size: number }> = [];
  readonly ticks = new Map<string, string>();
  readonly anchors = new Map<string, number>();
  readonly runs = new Map<string, Lease>();
  private seq = 0;

  /** The run lease of job `job` (the tests' single job). */
  get run(): Lease | undefined {
    return this.runs.get('job');
  }

  set run(lease: Lease | undefined) {
    if (lease) this.runs.set('job', lease);
    else this.runs.delete('job');
  }

  private enter(call: string, size = 1): Promise<void> {
    this.calls.push(call);
    this.batches.push({ call, size });
    return this.failure
      ? Promise.reject(this.failure)
      : new Promise((resolve) => setTimeout(resolve, 1));
  }

  async time(): Promise<number> {
    await this.enter('time');
    return Date.now() + this.clockOffsetMs;
  }

  async anchor(name: string, proposed: number): Promise<number> {
    await this.enter('anchor');
    if (!this.anchors.has(name)) this.anchors.set(name, proposed);
    return this.anchors.get(name)!;
  }

  async claim(claims: readonly TickClaim[]): Promise<LockResult[]> {
    await this.enter('claim', claims.length);
    return claims.map(({ name, due, holder, leaseMs }): LockResult => {
      const claimed = this.ticks.get(`${name}:${due}`);
      if (claimed) return { acquired: false, reason: 'taken', holder: claimed };
      const run = this.runs.get(name);
      if (run && run.expiresAt > Date.now())
        return { acquired: false, reason: 'busy', holder: run.holder };
      const token = `token-${++this.seq}`;
      this.ticks.set(`${name}:${due}`, holder);
      this.runs.set(name, { token, holder, expiresAt: Date.now() + leaseMs });
      return { acquired: true, token };
    });
  }

  async extend(leases: readonly HeldLease[], leaseMs: number): Promise<boolean[]> {
    await this.enter('extend', leases.length);
    return leases.map(({ name, token }) => {
      const run = this.runs.get(name);
      if (run?.token !== token || run.expiresAt <= Date.now()) return false;
      run.expiresAt = Date.now() + leaseMs;
      return true;
    });
  }

  async release(leases: readonly HeldLease[]): Promise<void> {
    await this.enter('release', leases.length);
    for (const { name, token } of leases) {
      if (this.runs.get(name)?.token === token) this.runs.delete(name);
    }
  }

  async close(): Promise<void> {
    this.calls.push('close');
  }
}
