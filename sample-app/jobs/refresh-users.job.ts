import { Logger } from '@nestjs/common';
import { BaseJob, Job, type JobRunContext } from 'nestjs-core-lib-jobs';
import type { CoreLib } from '../core-lib.service.js';

/** Runs every few seconds (fixed rate) and logs what it does. */
@Job({ name: 'RefreshUsers' })
export class RefreshUsersJob extends BaseJob<CoreLib, { key: string }> {
  private readonly logger = new Logger(RefreshUsersJob.name);

  async run(params: { key: string }, context: JobRunContext): Promise<void> {
    const users = await this.coreLib!.users.findAll();
    if (context.signal.aborted) return;
    this.coreLib!.cache.set(params.key, users);
    const due = new Date(context.scheduledAt).toISOString();
    // `catch-up`: a tick missed while the app was stopped (catch_up: last in core_lib.yaml).
    this.logger.log(
      `refreshed '${params.key}': ${users.length} users (due ${due}, ${context.reason})`,
    );
  }
}
