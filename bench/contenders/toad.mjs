import toad from 'toad-scheduler';
import { performance } from 'node:perf_hooks';
import { prepareCallbacks } from '../lib/callbacks.mjs';

const { SimpleIntervalJob, Task, ToadScheduler } = toad;

/** toad-scheduler: `scheduler.addSimpleIntervalJob(new SimpleIntervalJob({ milliseconds }, new Task(id, fn), { id }))`. */
export default {
  id: 'toad-scheduler',
  label: 'toad-scheduler · SimpleIntervalJob',
  kind: 'loop',
  supports: (periodMs) => periodMs >= 1,

  open() {
    return {};
  },

  prepare(ctx, spec) {
    ctx.scheduler = new ToadScheduler();
    ctx.names = Array.from({ length: spec.count }, (_, i) => `job-${i}`);
    prepareCallbacks(ctx, spec);
  },

  start(ctx, spec) {
    const { scheduler, names, fns, shared } = ctx;
    const starts = new Float64Array(spec.count);
    for (let i = 0; i < spec.count; i++) {
      starts[i] = performance.now();
      const task = new Task(names[i], fns ? fns[i] : shared);
      scheduler.addSimpleIntervalJob(
        new SimpleIntervalJob({ milliseconds: spec.periodMs }, task, { id: names[i] }),
      );
    }
    return starts;
  },

  stop(ctx) {
    ctx.scheduler.stop();
  },

  close(ctx) {
    ctx.scheduler = ctx.names = ctx.fns = ctx.shared = undefined;
  },
};
