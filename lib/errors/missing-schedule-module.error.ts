/** `SchedulerRegistry` is not available: the app did not import `ScheduleModule.forRoot()`. */
export class MissingScheduleModuleError extends Error {
  override readonly name = 'MissingScheduleModuleError';

  constructor() {
    super(
      "CoreLibJobsModule needs @nestjs/schedule's SchedulerRegistry: " +
        "add ScheduleModule.forRoot() (from '@nestjs/schedule') to your AppModule imports, " +
        'next to CoreLibJobsModule.forRoot()',
    );
  }
}
