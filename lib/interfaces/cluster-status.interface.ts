/** Cluster mode as `JobScheduler.clusterStatus()` shows it. */
export interface ClusterStatus {
  /** The backend, as the logs name it, e.g. `redis (127.0.0.1:6379)`. */
  backend: string;
  /** This replica's id (`host:pid` unless configured). */
  replicaId: string;
  /** False from a failed backend call until a later call succeeds. */
  reachable: boolean;
  /** When the current outage was first seen, or null while reachable. */
  unreachableSince: Date | null;
  /**
   * A configuration problem the backend reported (a wrong password, a lock table of another
   * shape...): reachable but unusable, so cluster jobs do not run. null when there is none.
   */
  problem: string | null;
}
