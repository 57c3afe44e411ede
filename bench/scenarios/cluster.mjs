/**
 * Scenario 4, cluster: PENDING (issue 5 adds it "once the cluster issue has landed"). The hook is
 * this function: the runner calls it and prints what it returns; it must never return made-up
 * numbers. It needs a Redis and a PostgreSQL to talk to, so it should skip (status 'pending' with
 * the reason) when they are not reachable.
 *
 * To fill in (issue 5): three replicas with one Redis, then with one PostgreSQL; report the lock
 * overhead per run (p50 and p99), duplicates (must be 0) and missed ticks. A shape that fits the
 * rest of the harness: for each backend, spawn three children that each bootstrap the module with
 * `cluster: { backend, url }` and the same N jobs, log (job, tick, replica, start, lockMs) per run,
 * and have the parent count duplicates (same job and tick on two replicas) and missed ticks
 * (ticks due with no run), returning
 *   { status: 'measured', backends: { redis: { reps, summary }, postgres: { reps, summary } } }
 * with summary metrics lockP50Ms, lockP99Ms, duplicates, missed.
 */
export async function runCluster() {
  return { status: 'pending', reason: 'the cluster scenario is not written yet; see bench/scenarios/cluster.mjs' };
}
