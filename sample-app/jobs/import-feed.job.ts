import { Logger } from '@nestjs/common';
import { BaseJob, Job, type JobRunContext } from 'nestjs-core-lib-jobs';
import type { CoreLib } from '../core-lib.service.js';

/**
 * Nightly, on a cron schedule in a time zone. "Trigger now" on the dashboard runs it at once,
 * with other params if you like; a `url` that is not http(s) makes the run fail, so the
 * dashboard has an error to show.
 */
@Job({ name: 'ImportFeed' })
export class ImportFeedJob extends BaseJob<CoreLib, { url: string }> {
  private readonly logger = new Logger(ImportFeedJob.name);

  async run(params: { url: string }, context: JobRunContext): Promise<void> {
    const url = URL.canParse(params.url) ? new URL(params.url) : undefined;
    if (url?.protocol !== 'https:' && url?.protocol !== 'http:') {
      throw new Error(
        `cannot import the feed at ${JSON.stringify(params.url)}: not an http(s) URL`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 30)); // pretend to download it
    if (context.signal.aborted) return;
    this.coreLib!.cache.set(`feed:${url.href}`, new Date());
    this.logger.log(`imported ${url.href} (${context.reason})`);
  }
}
