import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Injectable, Module, type INestApplication } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import { BaseJob, CoreLibJobsModule, Job, JobScheduler } from 'nestjs-core-lib-jobs';
import { JobsTestClock, JobsTestingModule } from 'nestjs-core-lib-jobs/testing';

/** The README's "Testing your jobs" example, as written there (the app's files inlined). */
@Injectable()
class Mailer {
  async send(_subject: string): Promise<void> {
    throw new Error('the real mailer is never called in this test');
  }
}

@Job({ initialDelay: '1h', frequency: '1h', retries: 2, retryDelay: '1m' })
class SendReport extends BaseJob {
  constructor(private readonly mailer: Mailer) {
    super();
  }

  async run() {
    await this.mailer.send('daily report');
  }
}

@Module({
  imports: [ScheduleModule.forRoot(), CoreLibJobsModule.forRoot({ config: {} })],
  providers: [Mailer, SendReport],
})
class AppModule {}

class FakeMailer {
  sent: string[] = [];
  failures = 0;

  async send(subject: string) {
    if (this.failures > 0) {
      this.failures--;
      throw new Error('mail server down');
    }
    this.sent.push(subject);
  }
}

describe('SendReport', () => {
  let app: INestApplication;
  let clock: JobsTestClock;
  let mailer: FakeMailer;

  beforeEach(async () => {
    mailer = new FakeMailer();
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule, JobsTestingModule.forRoot({ now: new Date('2026-01-05T08:00:00Z') })],
    })
      .overrideProvider(Mailer)
      .useValue(mailer)
      .compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    clock = app.get(JobsTestClock);
  });

  afterEach(() => app.close());

  it('sends the report every hour', async () => {
    expect(clock.pending()).toEqual([{ name: 'SendReport', at: new Date('2026-01-05T09:00:00Z') }]);
    await clock.advance('3h'); // every tick due in those 3 hours, in order, each run awaited
    expect(mailer.sent).toEqual(['daily report', 'daily report', 'daily report']);
    expect(app.get(JobScheduler).get('SendReport')).toMatchObject({ runs: 3, failures: 0 });
  });

  it('retries a minute later when the mail server is down', async () => {
    mailer.failures = 1;
    await clock.runNext(); // the next tick, whatever its time: 09:00; it fails
    expect(mailer.sent).toEqual([]);
    await clock.advance('1m'); // the retry's backoff (30 to 60 s) passes
    expect(mailer.sent).toEqual(['daily report']);
  });
});
