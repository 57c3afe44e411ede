import { Logger } from '@nestjs/common';
import { BaseJob, Job } from 'nestjs-core-lib-jobs';
import type { CoreLib } from '../core-lib.service.js';

/** Runs once, after a delay, with params from the YAML. */
@Job({ name: 'SendWelcome' })
export class SendWelcomeJob extends BaseJob<CoreLib, { name: string }> {
  private readonly logger = new Logger(SendWelcomeJob.name);

  run(params: { name: string }): void {
    const user = this.coreLib!.users.signUp(params.name);
    this.logger.log(`welcome mail sent to ${user.name} (user #${user.id})`);
  }
}
