import { Injectable, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { readFile } from 'node:fs/promises';
import { BaseJob, CoreLibJobsModule, Job, type JobRunContext } from 'nestjs-core-lib-jobs';

/** The app under test in the test-clock specs: what a user's app would be. */
@Injectable()
export class Mailer {
  sent: string[] = [];
  failuresLeft = 0;

  async send(subject: string): Promise<void> {
    await readFile(import.meta.filename); // real I/O: the clock must wait for it
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      throw new Error('mail server down');
    }
    this.sent.push(subject);
  }
}

@Job({ name: 'daily-report', initialDelay: '1h', frequency: '1h', retries: 2, retryDelay: '1m' })
export class DailyReport extends BaseJob {
  constructor(private readonly mailer: Mailer) {
    super();
  }

  async run(): Promise<void> {
    await this.mailer.send('report');
  }
}

/** Never ends on its own: only its timeout (on virtual time) ends a run. */
@Job({ name: 'stuck-export', initialDelay: '30m', frequency: '1d', timeout: '5m' })
export class StuckExport extends BaseJob {
  aborted: unknown[] = [];

  run(_params: unknown, context: JobRunContext): Promise<void> {
    return new Promise((_, reject) => {
      context.signal.addEventListener('abort', () => {
        this.aborted.push(context.signal.reason);
        reject(context.signal.reason);
      });
    });
  }
}

@Module({
  imports: [ScheduleModule.forRoot(), CoreLibJobsModule.forRoot({ config: {} })],
  providers: [Mailer, DailyReport, StuckExport],
})
export class ReportAppModule {}
