import 'reflect-metadata';
import { ScheduleModule } from '@nestjs/schedule';
import { CoreLibJobsModule, JobScheduler } from 'nestjs-core-lib-jobs';
import { performance } from 'node:perf_hooks';
import { createAppContext } from '../lib/nest-app.mjs';

/**
 * The job object handed to `JobScheduler.schedule`: per-job mode reads its index from `params`
 * and reports the tick the engine says the run is for (`context.scheduledAt`).
 */
class BenchJob {
  constructor(onRun) {
    this.onRun = onRun;
  }
  run(params, context) {
    this.onRun(params === undefined ? -1 : params.i, context.scheduledAt);
  }
}

/** This module, from code: `JobScheduler.schedule(period, period, job, { name, params })`. */
export default {
  id: 'ours-scheduler',
  label: 'this module · JobScheduler.schedule',
  kind: 'loop',
  supports: (periodMs) => periodMs >= 1,

  async open() {
    const app = await createAppContext({
      imports: [
        ScheduleModule.forRoot(),
        CoreLibJobsModule.forRoot({ config: { core_lib: { jobs: [] } } }),
      ],
    });
    return { app, scheduler: app.get(JobScheduler) };
  },

  prepare(ctx, spec) {
    ctx.names = Array.from({ length: spec.count }, (_, i) => `job-${i}`);
    ctx.params = spec.perJob ? Array.from({ length: spec.count }, (_, i) => ({ i })) : undefined;
    ctx.job = new BenchJob(spec.onRun);
  },

  start(ctx, spec) {
    const { scheduler, names, params, job } = ctx;
    const starts = new Float64Array(spec.count);
    for (let i = 0; i < spec.count; i++) {
      starts[i] = performance.now();
      // The first run one period after start, as setInterval does.
      scheduler.schedule(spec.periodMs, spec.periodMs, job, {
        name: names[i],
        params: params?.[i],
      });
    }
    return starts;
  },

  stop(ctx) {
    ctx.scheduler.stopAll();
  },

  async close(ctx) {
    ctx.names = ctx.params = ctx.job = undefined;
    await ctx.app.close();
  },
};
