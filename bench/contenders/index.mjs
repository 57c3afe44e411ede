/**
 * Every contender, in the order tables list them. A contender is a plain object:
 *
 *   id, label    names in tables and JSON
 *   kind         'loop': jobs are registered one by one from code (start() is that loop);
 *                'bootstrap': jobs come from a Nest bootstrap (start() is the bootstrap)
 *   supports(periodMs)   whether it can express that period
 *   open()               untimed: what lives across runs (a Nest app context, a scheduler)
 *   prepare(ctx, spec)   untimed: per-run inputs that are the user's code or config
 *                        (names, callbacks, a YAML file, a decorated class)
 *   start(ctx, spec)     registers and starts spec.count jobs; returns a Float64Array with
 *                        each job's start time (performance.now() when it was handed over)
 *   stop(ctx)            stops every job (timed in the scale scenario)
 *   close(ctx)           releases what open() and prepare() made
 *
 * spec = { count, periodMs, onRun(i, scheduledAt?), perJob }: each run calls onRun(i) with its job's index
 * (perJob) or -1 from one callback shared by every job (!perJob, so nothing per job is allocated
 * by the harness). A contender whose runs know which tick they are for passes that due time as
 * `scheduledAt` (only this module does). The first run is due one period after start for every
 * contender.
 */
import oursScheduler from './ours-scheduler.mjs';
import oursYaml from './ours-yaml.mjs';
import nestAddInterval from './nest-add-interval.mjs';
import nestIntervalDecorator from './nest-interval-decorator.mjs';
import toad from './toad.mjs';
import croner from './croner.mjs';
import nodeCron from './node-cron.mjs';
import rawSetInterval from './raw-set-interval.mjs';

export const CONTENDERS = [
  oursScheduler,
  oursYaml,
  nestAddInterval,
  nestIntervalDecorator,
  toad,
  croner,
  nodeCron,
  rawSetInterval,
];

export function contenderById(id) {
  const found = CONTENDERS.find((c) => c.id === id);
  if (!found)
    throw new Error(`Unknown contender '${id}'; known: ${CONTENDERS.map((c) => c.id).join(', ')}`);
  return found;
}

/** Opens, prepares, starts, stops and closes one run: the lifecycle every scenario goes through. */
export async function withJobs(contender, spec, body) {
  const ctx = await contender.open();
  try {
    await contender.prepare(ctx, spec);
    const starts = await contender.start(ctx, spec);
    try {
      return await body(ctx, starts);
    } finally {
      await contender.stop(ctx);
    }
  } finally {
    await contender.close(ctx);
  }
}
