import { Logger } from '@nestjs/common';
import { BaseJob, Job } from 'nestjs-core-lib-jobs';
import type { CoreLib } from '../core-lib.service.js';

/** Runs once at boot (`initial_delay: startup`): fills the cache before traffic arrives. */
@Job({ name: 'WarmUpCache' })
export class WarmUpCacheJob extends BaseJob<CoreLib> {
  private readonly logger = new Logger(WarmUpCacheJob.name);

  override initialized(coreLib: CoreLib): void {
    this.logger.log(`initialized with CoreLib (cache has ${coreLib.cache.size} entries)`);
  }

  async run(): Promise<void> {
    const users = await this.coreLib!.users.findAll();
    this.coreLib!.cache.set('users', users);
    this.logger.log(`cache warmed: ${users.length} users`);
  }
}
