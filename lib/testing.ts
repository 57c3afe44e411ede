/**
 * `nestjs-core-lib-jobs/testing`: virtual time for tests of apps that schedule jobs. Import
 * `JobsTestingModule` next to the app's module, then drive the scheduler with `JobsTestClock`.
 */
export { JobsTestingModule } from './testing/jobs-testing.module.js';
export {
  JobsTestClock,
  type JobsTestClockOptions,
  type PendingTick,
} from './testing/jobs-test-clock.js';
export type { JobClock } from './engine/job-clock.js';
