import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { JobsHealthIndicator } from 'nestjs-core-lib-jobs/terminus';

/** `GET /health`: 200 while the jobs are healthy, 503 with the details of each job down. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly jobs: JobsHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.jobs.isHealthy('jobs', { maxConsecutiveFailures: 3, maxLateness: '1m' }),
    ]);
  }
}
