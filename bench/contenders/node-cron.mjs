import cron from 'node-cron';
import { performance } from 'node:perf_hooks';
import { prepareCallbacks } from '../lib/callbacks.mjs';

const silent = { info() {}, warn() {}, error() {}, debug() {} };

/** A cron expression for a whole-second period node-cron can express; undefined otherwise. */
export function nodeCronExpression(periodMs) {
  if (periodMs === 1000) return '* * * * * *';
  if (periodMs === 3_600_000) return '0 * * * *';
  return undefined;
}

/**
 * node-cron v4: `cron.schedule(expression, fn)`. Its resolution is one second (a seconds field),
 * so it fits the 1 s per-run scenario and hourly jobs ('0 * * * *': on the hour, not one hour
 * after start, which does not matter when nothing is meant to fire). Its logger is silenced.
 */
export default {
  id: 'node-cron',
  label: 'node-cron v4 · cron.schedule',
  kind: 'loop',
  supports: (periodMs) => nodeCronExpression(periodMs) !== undefined,

  open() {
    cron.setLogger(silent);
    return {};
  },

  prepare: prepareCallbacks,

  start(ctx, spec) {
    const { fns, shared } = ctx;
    const expression = nodeCronExpression(spec.periodMs);
    const starts = new Float64Array(spec.count);
    const tasks = new Array(spec.count);
    for (let i = 0; i < spec.count; i++) {
      starts[i] = performance.now();
      tasks[i] = cron.schedule(expression, fns ? fns[i] : shared);
    }
    ctx.tasks = tasks;
    return starts;
  },

  stop(ctx) {
    // destroy(): stops the task and removes it from node-cron's global registry.
    for (const task of ctx.tasks) task.destroy();
  },

  close(ctx) {
    ctx.tasks = ctx.fns = ctx.shared = undefined;
  },
};
