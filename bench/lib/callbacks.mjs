/**
 * The `prepare` step shared by the timer-based contenders: one callback per job when the scenario
 * needs to know which job ran (`spec.perJob`), else one shared callback.
 */
export function prepareCallbacks(ctx, spec) {
  const { onRun } = spec;
  ctx.fns = spec.perJob ? Array.from({ length: spec.count }, (_, i) => () => onRun(i)) : undefined;
  ctx.shared = () => onRun(-1);
}
