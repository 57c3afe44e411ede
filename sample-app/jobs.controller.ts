import { Controller, Get, Param, Post } from '@nestjs/common';
import { JobScheduler, type JobInfo, type RunOutcome } from 'nestjs-core-lib-jobs';

/** Introspection over HTTP: `GET /jobs`, `POST /jobs/:name/trigger`. */
@Controller('jobs')
export class JobsController {
  constructor(private readonly scheduler: JobScheduler) {}

  @Get()
  list(): JobInfo[] {
    return this.scheduler.list();
  }

  @Post(':name/trigger')
  trigger(@Param('name') name: string): Promise<RunOutcome> {
    return this.scheduler.trigger(name);
  }
}
