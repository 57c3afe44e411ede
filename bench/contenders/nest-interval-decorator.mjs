import 'reflect-metadata';
import { Injectable } from '@nestjs/common';
import { Interval, ScheduleModule } from '@nestjs/schedule';
import { BootstrapMarker, createAppContext } from '../lib/nest-app.mjs';

/**
 * @nestjs/schedule from decorators: one provider with `count` methods, each `@Interval(name, period)`.
 * The class is built in prepare() (it is the user's code); "start" is the Nest bootstrap that
 * mounts the intervals, "stop" is `app.close()`.
 */
export default {
  id: 'nest-@Interval',
  label: '@nestjs/schedule · @Interval via ScheduleModule',
  kind: 'bootstrap',
  supports: (periodMs) => periodMs >= 1,

  open() {
    return {};
  },

  prepare(ctx, spec) {
    const { onRun } = spec;
    const BenchIntervals = class BenchIntervals {};
    for (let i = 0; i < spec.count; i++) {
      const key = `tick${i}`;
      const index = spec.perJob ? i : -1;
      Object.defineProperty(BenchIntervals.prototype, key, {
        value: function () {
          onRun(index);
        },
        writable: true,
        configurable: true,
      });
      Interval(`job-${i}`, spec.periodMs)(
        BenchIntervals.prototype,
        key,
        Object.getOwnPropertyDescriptor(BenchIntervals.prototype, key),
      );
    }
    Injectable()(BenchIntervals);
    ctx.provider = BenchIntervals;
  },

  async start(ctx, spec) {
    ctx.app = await createAppContext({
      imports: [ScheduleModule.forRoot()],
      providers: [ctx.provider, BootstrapMarker],
    });
    return new Float64Array(spec.count).fill(ctx.app.get(BootstrapMarker).at);
  },

  async stop(ctx) {
    await ctx.app?.close();
    ctx.app = undefined;
  },

  close(ctx) {
    ctx.provider = undefined;
  },
};
