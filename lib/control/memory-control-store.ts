import {
  applyChange,
  DEFAULT_AUDIT_LIMIT,
  emptySnapshot,
  type ControlChange,
  type ControlSnapshot,
  type ControlStore,
  type StoredAudit,
} from './control-store.interface.js';

/** The control plane in this process only: what `pause()` and `upsert()` do without a backend. */
export class MemoryControlStore implements ControlStore {
  readonly label: string = 'memory';
  protected state: ControlSnapshot = emptySnapshot();
  protected entries: StoredAudit[] = [];

  constructor(protected readonly auditLimit = DEFAULT_AUDIT_LIMIT) {}

  current(): ControlSnapshot {
    return this.state;
  }

  async open(): Promise<void> {}

  async load(): Promise<ControlSnapshot> {
    return this.state;
  }

  /** Applied before the promise is made: a caller reading `current()` next sees the change. */
  commit(change: ControlChange, audit: StoredAudit): Promise<void> {
    applyChange(this.state, change);
    this.entries.unshift(audit);
    if (this.entries.length > this.auditLimit) this.entries.length = this.auditLimit;
    return Promise.resolve();
  }

  async audit(name: string | undefined, limit: number | undefined): Promise<StoredAudit[]> {
    const found = name === undefined ? this.entries : this.entries.filter((e) => e.name === name);
    return found.slice(0, limit ?? found.length);
  }

  async watch(): Promise<void> {}

  async close(): Promise<void> {}
}
