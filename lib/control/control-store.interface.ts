import type { ControlAction, JobDefinition } from '../interfaces/job-control.interface.js';

/** Who made a change, when and where: every stored record carries it. Times are epoch ms. */
export interface StoredStamp {
  by: string | null;
  reason: string | null;
  at: number;
  replica: string;
}

/** A stored definition (the wire form, JSON). */
export interface StoredDefinition extends StoredStamp {
  definition: JobDefinition;
}

/** One audit entry (the wire form, JSON). */
export interface StoredAudit extends StoredStamp {
  name: string;
  action: ControlAction;
  change: Record<string, unknown>;
}

/** Everything the control plane keeps but the audit: read whole, applied whole. */
export interface ControlSnapshot {
  definitions: Record<string, StoredDefinition>;
  pauses: Record<string, StoredStamp>;
}

/**
 * One change: a definition or a pause set (a value) or removed (null), or nothing (a trigger,
 * which is only audited).
 */
export type ControlChange =
  | { kind: 'definition'; name: string; value: StoredDefinition | null }
  | { kind: 'pause'; name: string; value: StoredStamp | null }
  | { kind: 'none' };

/**
 * Where the control plane's state lives. `commit()` writes the change and its audit entry
 * together (one transaction, one MULTI): a change is stored whole or not at all, and the other
 * replicas hear of it through `watch()` once it is.
 */
export interface ControlStore {
  /** What the store is, for logs: `redis (127.0.0.1:6379)`. */
  readonly label: string;
  /**
   * The state as this process holds it, when this process is the only writer (memory, file):
   * changes then apply at once. Undefined for a store shared by replicas.
   */
  current?(): ControlSnapshot;
  /** Connects (and creates tables); a backend that is down is not an error here. */
  open(): Promise<void>;
  load(): Promise<ControlSnapshot>;
  commit(change: ControlChange, audit: StoredAudit): Promise<void>;
  /** Newest first; `name` filters, `limit` cuts. */
  audit(name: string | undefined, limit: number | undefined): Promise<StoredAudit[]>;
  /** Calls `onChange` when another process (or this one) committed a change. */
  watch(onChange: () => void): Promise<void>;
  close(): Promise<void>;
}

/** Audit entries kept, newest first (the older ones are cut on every write). */
export const DEFAULT_AUDIT_LIMIT = 1_000;

/** Applies a change to a snapshot in place (the memory and file stores, and tests). */
export function applyChange(snapshot: ControlSnapshot, change: ControlChange): void {
  if (change.kind === 'none') return;
  const map: Record<string, unknown> =
    change.kind === 'definition' ? snapshot.definitions : snapshot.pauses;
  if (change.value) map[change.name] = change.value;
  else delete map[change.name];
}

export function emptySnapshot(): ControlSnapshot {
  return { definitions: {}, pauses: {} };
}
