import { Global, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { TEST_CLOCK } from '../engine/job-clock.js';
import { JobsTestClock, type JobsTestClockOptions } from './jobs-test-clock.js';

const providers = (options: JobsTestClockOptions): Provider[] => [
  { provide: JobsTestClock, useFactory: () => new JobsTestClock(options) },
  { provide: TEST_CLOCK, useExisting: JobsTestClock },
];

/**
 * For tests of an app that imports `CoreLibJobsModule`: import `JobsTestingModule.forRoot()` next
 * to the app's module and the scheduler runs on a `JobsTestClock` (`moduleRef.get(JobsTestClock)`)
 * instead of the system clock. The app's own jobs, YAML and providers are used as they are.
 */
@Global()
@Module({})
export class JobsTestingModule {
  /** `options`: where virtual time starts, how long runs are waited for (see the clock's). */
  static forRoot(options: JobsTestClockOptions = {}): DynamicModule {
    return {
      module: JobsTestingModule,
      global: true,
      providers: providers(options),
      exports: [JobsTestClock, TEST_CLOCK],
    };
  }
}
