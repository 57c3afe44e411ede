import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { CoreLibJobsModule } from 'nestjs-core-lib-jobs';
import { CoreLibJobsDashboardModule } from 'nestjs-core-lib-jobs/dashboard';
import { CoreLib } from './core-lib.service.js';
import { JobsController } from './jobs.controller.js';
import { ImportFeedJob } from './jobs/import-feed.job.js';
import { RefreshUsersJob } from './jobs/refresh-users.job.js';
import { SendWelcomeJob } from './jobs/send-welcome.job.js';
import { WarmUpCacheJob } from './jobs/warm-up-cache.job.js';
import { ObservabilityModule } from './observability/observability.module.js';
import { UsersService } from './users.service.js';

const CLUSTER_STORE = {
  backend: 'redis',
  url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  keyPrefix: 'sample-app',
} as const;

@Module({
  imports: [
    ScheduleModule.forRoot(),
    CoreLibJobsModule.forRoot({
      config: process.env.CORE_LIB_CONFIG ?? 'sample-app/core_lib.yaml',
      coreLib: CoreLib,
      // The YAML's file store is for one instance: replicas in cluster mode share the cluster's
      // Redis as their store (options in code win over the YAML).
      store: process.env.JOBS_CLUSTER === 'true' ? CLUSTER_STORE : undefined,
    }),
    // The jobs dashboard at /jobs-dashboard, for local requests only. DASHBOARD_READ_ONLY=true
    // hides its buttons (trigger, pause, resume) and refuses those requests.
    CoreLibJobsDashboardModule.forRoot({ readOnly: process.env.DASHBOARD_READ_ONLY === 'true' }),
    // Metrics at /metrics, a health check at /health, a span per run (OTEL_TRACES=console).
    ObservabilityModule,
  ],
  controllers: [JobsController],
  // Jobs are ordinary providers: the module discovers them by their @Job() decorator.
  providers: [
    UsersService,
    CoreLib,
    WarmUpCacheJob,
    RefreshUsersJob,
    SendWelcomeJob,
    ImportFeedJob,
  ],
})
export class AppModule {}
