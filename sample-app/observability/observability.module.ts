import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { CoreLibJobsTracingModule } from 'nestjs-core-lib-jobs/opentelemetry';
import { CoreLibJobsMetricsModule } from 'nestjs-core-lib-jobs/prometheus';
import { JobsHealthIndicator } from 'nestjs-core-lib-jobs/terminus';
import { ConsoleTracing } from './console-tracing.js';
import { HealthController } from './health.controller.js';
import { MetricsController } from './metrics.controller.js';

/**
 * The jobs seen from outside: Prometheus metrics at `/metrics`, a health check at `/health`,
 * and one OpenTelemetry span per run (printed with `OTEL_TRACES=console`).
 */
@Module({
  imports: [
    TerminusModule.forRoot(),
    CoreLibJobsMetricsModule.forRoot(),
    CoreLibJobsTracingModule.forRoot(),
  ],
  controllers: [MetricsController, HealthController],
  providers: [JobsHealthIndicator, ConsoleTracing],
})
export class ObservabilityModule {}
