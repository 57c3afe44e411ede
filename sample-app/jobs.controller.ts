import { Controller, Get, Param, Post, Query } from '@nestjs/common';
import { JobScheduler, type JobInfo, type RunOutcome, type RunRecord } from 'nestjs-core-lib-jobs';

/**
 * Introspection over HTTP: `GET /jobs` (with the job store's last runs and counters, kept across
 * restarts), `GET /jobs/:name/history?limit=10`, `POST /jobs/:name/trigger`.
 */
@Controller('jobs')
export class JobsController {
  constructor(private readonly scheduler: JobScheduler) {}

  @Get()
  list(): JobInfo[] {
    return this.scheduler.list();
  }

  @Get(':name/history')
  history(@Param('name') name: string, @Query('limit') limit?: string): Promise<RunRecord[]> {
    return this.scheduler.history(name, { limit: limit === undefined ? 10 : Number(limit) });
  }

  @Post(':name/trigger')
  trigger(@Param('name') name: string): Promise<RunOutcome> {
    return this.scheduler.trigger(name);
  }
}
