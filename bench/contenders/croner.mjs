import { Cron } from 'croner';
import { performance } from 'node:perf_hooks';
import { prepareCallbacks } from '../lib/callbacks.mjs';

/**
 * croner with its `interval` option: `new Cron('* * * * * *', { interval: seconds, startAt }, fn)`.
 * Its source parses `interval` with parseInt (whole seconds) and walks a seconds pattern, so it
 * cannot express sub-second periods. Without `startAt` the first run is at the next whole second
 * whatever the interval, so periods above 1 s get `startAt: now + period` (the first run one
 * period after start, as the others); at 1 s it runs on every whole second.
 */
export default {
  id: 'croner',
  label: 'croner · new Cron({ interval })',
  kind: 'loop',
  supports: (periodMs) => periodMs >= 1000 && periodMs % 1000 === 0,

  open() {
    return {};
  },

  prepare: prepareCallbacks,

  start(ctx, spec) {
    const { fns, shared } = ctx;
    const interval = spec.periodMs / 1000;
    const starts = new Float64Array(spec.count);
    const jobs = new Array(spec.count);
    for (let i = 0; i < spec.count; i++) {
      starts[i] = performance.now();
      const options =
        interval > 1 ? { interval, startAt: new Date(Date.now() + spec.periodMs) } : { interval };
      jobs[i] = new Cron('* * * * * *', options, fns ? fns[i] : shared);
    }
    ctx.jobs = jobs;
    return starts;
  },

  stop(ctx) {
    for (const job of ctx.jobs) job.stop();
  },

  close(ctx) {
    ctx.jobs = ctx.fns = ctx.shared = undefined;
  },
};
