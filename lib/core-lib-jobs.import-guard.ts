import { JobsSetupError } from './errors/jobs-setup.error.js';
import { IMPORTED_TWICE } from './errors/jobs-setup.messages.js';

/** Registries a CoreLibJobsModule already schedules on, process-wide. */
const claimed = new WeakSet<object>();

/**
 * Claims the app's SchedulerRegistry for one CoreLibJobsModule: a second import of
 * `forRoot()` (each import makes its own instance) must not run every job twice.
 */
export function claimRegistry(registry: object): void {
  if (claimed.has(registry)) throw new JobsSetupError(IMPORTED_TWICE());
  claimed.add(registry);
}
