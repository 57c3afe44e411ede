import type { CatchUpPolicy, Duration, JobMode, OverlapPolicy } from './job-options.interface.js';

/**
 * A schedule kept by the control plane (`JobScheduler.upsert()`): a YAML job entry as an object,
 * with the same keys (snake_case) and the same rules, e.g.
 * `{ handler: { class: 'UpdateCache', params: { key: 'users' } }, initial_delay: '1s', frequency: '30s' }`.
 * Stored as JSON, so params must be plain data.
 */
export interface JobDefinition {
  /** The registered job (`@Job({ name })` or class name) and the params of every run. */
  handler: { class: string; params?: unknown };
  initial_delay?: Duration | 'boot' | 'startup';
  frequency?: Duration | null;
  cron?: string;
  time_zone?: string;
  mode?: JobMode;
  overlap?: OverlapPolicy;
  misfire_threshold?: Duration;
  jitter?: Duration;
  timeout?: Duration;
  retries?: number;
  retry_delay?: Duration;
  enabled?: boolean | string;
  cluster?: boolean | string;
  catch_up?: CatchUpPolicy;
  catch_up_window?: Duration;
  catch_up_limit?: number;
}

/** Who made a control change and why; both are kept in the audit trail. */
export interface ControlActor {
  /** Who: a user name, `dashboard`, `cli`... Default: null. */
  by?: string;
  /** Why, in a sentence. Default: null. */
  reason?: string;
}

/** A pause made through `JobScheduler.pause()`: it holds on every replica until `resume()`. */
export interface PauseInfo {
  by: string | null;
  reason: string | null;
  at: Date;
  /** The replica that paused it. */
  replica: string;
}

/** What a replica made of a stored definition. */
export type DefinitionState =
  /** Scheduled on this replica. */
  | 'scheduled'
  /** A YAML entry or `@Job()` schedule of the same name wins here; the definition is ignored. */
  | 'shadowed'
  /** It cannot be used here (a class this replica does not have, a bad value): see `problem`. */
  | 'skipped';

/** A stored definition as `JobScheduler.definitions()` shows it. */
export interface StoredDefinitionInfo {
  name: string;
  definition: JobDefinition;
  by: string | null;
  reason: string | null;
  /** When it was last changed. */
  at: Date;
  replica: string;
  state: DefinitionState;
  /** Why it is skipped or shadowed here; null when scheduled. */
  problem: string | null;
}

/** What an audit entry records. */
export type ControlAction = 'upsert' | 'remove' | 'pause' | 'resume' | 'trigger';

/** One control action, as `JobScheduler.audit()` returns it. */
export interface AuditEntry {
  at: Date;
  name: string;
  action: ControlAction;
  by: string | null;
  reason: string | null;
  /** The replica the call was made on. */
  replica: string;
  /**
   * What changed: `{ before, after }` definitions for upsert and remove (null where there was
   * none), `{ params }` for trigger, `{}` for pause and resume.
   */
  change: Record<string, unknown>;
}

/** The query of `JobScheduler.audit()`. */
export interface AuditQuery {
  /** Only this job's entries. */
  name?: string;
  /** At most this many, newest first. Default: all that are kept. */
  limit?: number;
}
