import { performance } from 'node:perf_hooks';

/** The floor: Node's `setInterval(fn, period)`, one timer per job, no bookkeeping. */
export default {
  id: 'setInterval',
  label: 'raw setInterval (floor)',
  kind: 'loop',
  supports: (periodMs) => periodMs >= 1,

  open() {
    return {};
  },

  prepare(ctx, spec) {
    const { onRun } = spec;
    ctx.fns = spec.perJob ? Array.from({ length: spec.count }, (_, i) => () => onRun(i)) : undefined;
    ctx.shared = () => onRun(-1);
  },

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
