import { performance } from 'node:perf_hooks';
import { prepareCallbacks } from '../lib/callbacks.mjs';

/** The floor: Node's `setInterval(fn, period)`, one timer per job, no bookkeeping. */
export default {
  id: 'setInterval',
  label: 'raw setInterval (floor)',
  kind: 'loop',
  supports: (periodMs) => periodMs >= 1,

  open() {
    return {};
  },

  prepare: prepareCallbacks,

  start(ctx, spec) {
    const { fns, shared } = ctx;
    const starts = new Float64Array(spec.count);
    const timers = new Array(spec.count);
    for (let i = 0; i < spec.count; i++) {
      starts[i] = performance.now();
      timers[i] = setInterval(fns ? fns[i] : shared, spec.periodMs);
    }
    ctx.timers = timers;
    return starts;
  },

  stop(ctx) {
    for (const timer of ctx.timers) clearInterval(timer);
  },

  close(ctx) {
    ctx.timers = ctx.fns = ctx.shared = undefined;
  },
};
