/** What a coordinator needs besides its lock. @internal */
export interface CoordinatorSettings {
  /** Names the backend in logs, e.g. `redis (127.0.0.1:6379)`. */
  backend: string;
  replicaId: string;
  leaseMs: number;
  localNow: () => number;
  /** How often the clock offset is measured again. Default: 60s. */
  resyncMs?: number;
  /** How often an anchor is asked again while the backend is down. Default: 1s. */
  retryMs?: number;
}
