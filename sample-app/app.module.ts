import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { CoreLibJobsModule } from 'nestjs-core-lib-jobs';
import { CoreLib } from './core-lib.service.js';
import { JobsController } from './jobs.controller.js';
import { RefreshUsersJob } from './jobs/refresh-users.job.js';
import { SendWelcomeJob } from './jobs/send-welcome.job.js';
import { WarmUpCacheJob } from './jobs/warm-up-cache.job.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [
    ScheduleModule.forRoot(),
    CoreLibJobsModule.forRoot({
      config: process.env.CORE_LIB_CONFIG ?? 'sample-app/core_lib.yaml',
      coreLib: CoreLib,
    }),
  ],
  controllers: [JobsController],
  // Jobs are ordinary providers: the module discovers them by their @Job() decorator.
  providers: [UsersService, CoreLib, WarmUpCacheJob, RefreshUsersJob, SendWelcomeJob],
})
export class AppModule {}
