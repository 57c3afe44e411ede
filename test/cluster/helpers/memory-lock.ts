import type { JobLock, LockResult } from '../../../lib/interfaces/job-lock.interface.js';

/** An in-process `JobLock` for coordinator tests: the real ones' rules, and a switch to fail. */
export class MemoryLock implements JobLock {
  /** While set, every call rejects with it (the backend is unreachable). */
  failure: Error | undefined;
  /** Added to Date.now() by `time()`: the backend's clock. */
  clockOffsetMs = 0;
  readonly calls: string[] = [];
  readonly ticks = new Map<string, string>();
  readonly anchors = new Map<string, number>();
  run: { token: string; holder: string; expiresAt: number } | undefined;
  private seq = 0;

  private enter(call: string): Promise<void> {
    this.calls.push(call);
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

  async acquire(name: string, due: number, holder: string, leaseMs: number): Promise<LockResult> {
    await this.enter('acquire');
    const claimed = this.ticks.get(`${name}:${due}`);
    if (claimed) return { acquired: false, holder: claimed };
    if (this.run && this.run.expiresAt > Date.now())
      return { acquired: false, holder: this.run.holder };
    const token = `token-${++this.seq}`;
    this.ticks.set(`${name}:${due}`, holder);
    this.run = { token, holder, expiresAt: Date.now() + leaseMs };
    return { acquired: true, token };
  }

  async extend(_name: string, token: string, leaseMs: number): Promise<boolean> {
    await this.enter('extend');
    if (this.run?.token !== token || this.run.expiresAt <= Date.now()) return false;
    this.run.expiresAt = Date.now() + leaseMs;
    return true;
  }

  async release(_name: string, token: string): Promise<void> {
    await this.enter('release');
    if (this.run?.token === token) this.run = undefined;
  }

  async close(): Promise<void> {
    this.calls.push('close');
  }
}
