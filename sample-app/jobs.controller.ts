import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  Param,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import {
  InvalidJobsConfigError,
  JobScheduler,
  type JobDefinition,
  type JobInfo,
  type RunOutcome,
  type RunRecord,
} from 'nestjs-core-lib-jobs';

/**
 * Introspection over HTTP: `GET /jobs` (with the job store's last runs and counters, kept across
 * restarts), `GET /jobs/:name/history?limit=10`, `POST /jobs/:name/trigger`; and stored
 * schedules: `PUT /jobs/schedules/:name` (a YAML entry as JSON) and `DELETE /jobs/schedules/:name`.
 */
@Controller('jobs')
export class JobsController {
  constructor(private readonly scheduler: JobScheduler) {}

  @Get()
  list(): JobInfo[] {
    return this.scheduler.list();
  }

  /** Creates or changes a stored schedule, e.g. `{ "handler": { "class": "RefreshUsers" }, ... }`. */
  @Put('schedules/:name')
  async upsert(@Param('name') name: string, @Body() definition: JobDefinition): Promise<JobInfo> {
    try {
      await this.scheduler.upsert(name, definition, { by: 'sample-app', reason: 'PUT' });
    } catch (error) {
      // One line per problem, in YAML's words: a 400 that says what to fix.
      if (error instanceof InvalidJobsConfigError) throw new BadRequestException(error.problems);
      throw error;
    }
    return this.scheduler.get(name)!;
  }

  @Delete('schedules/:name')
  remove(@Param('name') name: string): Promise<boolean> {
    return this.scheduler.remove(name, { by: 'sample-app' });
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
