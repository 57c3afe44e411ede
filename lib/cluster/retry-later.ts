/**
 * Tries `attempt` again after each delay until it succeeds, in the background: for clean-ups
 * that are safe to repeat (a compare-and-delete of a lease) and must not wait for the lease to
 * expire when one call fails. Never throws; its timers never keep the process alive.
 * @internal
 */
export function retryLater(
  attempt: () => Promise<unknown>,
  delaysMs: readonly number[] = [200, 1_000, 3_000],
): void {
  const [delay, ...rest] = delaysMs;
  if (delay === undefined) return;
  setTimeout(() => attempt().catch(() => retryLater(attempt, rest)), delay).unref();
}
