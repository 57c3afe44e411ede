import 'reflect-metadata';
import { ScheduleModule, SchedulerRegistry } from '@nestjs/schedule';
import { performance } from 'node:perf_hooks';
import { createAppContext } from '../lib/nest-app.mjs';
import { prepareCallbacks } from '../lib/callbacks.mjs';

/** @nestjs/schedule from code: `registry.addInterval(name, setInterval(fn, period))`, as its docs show. */
export default {
  id: 'nest-addInterval',
  label: '@nestjs/schedule · SchedulerRegistry.addInterval',
  kind: 'loop',
  supports: (periodMs) => periodMs >= 1,

  async open() {
    const app = await createAppContext({ imports: [ScheduleModule.forRoot()] });
    return { app, registry: app.get(SchedulerRegistry) };
  },

  prepare(ctx, spec) {
    ctx.names = Array.from({ length: spec.count }, (_, i) => `job-${i}`);
    prepareCallbacks(ctx, spec);
  },

  start(ctx, spec) {
    const { registry, names, fns, shared } = ctx;
    const starts = new Float64Array(spec.count);
    for (let i = 0; i < spec.count; i++) {
      starts[i] = performance.now();
      registry.addInterval(names[i], setInterval(fns ? fns[i] : shared, spec.periodMs));
    }
    return starts;
  },

  stop(ctx) {
    // What ScheduleModule itself does at shutdown.
    for (const name of ctx.registry.getIntervals()) ctx.registry.deleteInterval(name);
  },

  async close(ctx) {
    ctx.names = ctx.fns = ctx.shared = undefined;
    await ctx.app.close();
  },
};
