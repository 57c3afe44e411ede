import 'reflect-metadata';
import { ScheduleModule } from '@nestjs/schedule';
import { CoreLibJobsModule, Job } from 'nestjs-core-lib-jobs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BootstrapMarker, createAppContext } from '../lib/nest-app.mjs';

let onRun = () => {};

/**
 * The YAML entries' handler class, a Nest provider. Per-job mode reads its index from `params`
 * and reports the tick the engine says the run is for (`context.scheduledAt`).
 */
class BenchYamlJob {
  run(params, context) {
    onRun(params == null ? -1 : params.i, context.scheduledAt);
  }
}
Job({ name: 'BenchYamlJob' })(BenchYamlJob);

/** A pytimeparse duration for YAML (which has no bare milliseconds): '50ms', '1s', '1h'. */
export function yamlDuration(ms) {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** The YAML file for `count` jobs, as a user would write it. */
export function jobsYaml(count, periodMs, perJob) {
  const every = yamlDuration(periodMs);
  const lines = ['core_lib:', '  jobs:'];
  for (let i = 0; i < count; i++) {
    lines.push(
      `    - name: job-${i}`,
      `      initial_delay: ${every}`,
      `      frequency: ${every}`,
      '      handler:',
      '        class: BenchYamlJob',
    );
    if (perJob) lines.push(`        params: { i: ${i} }`);
  }
  if (!count) lines[1] = '  jobs: []';
  return `${lines.join('\n')}\n`;
}

/**
 * This module, from YAML: a Nest bootstrap of `ScheduleModule.forRoot()` and
 * `CoreLibJobsModule.forRoot({ config: 'jobs.yaml', jobs: [BenchYamlJob] })`.
 * "Start" is the whole bootstrap (read, parse, validate, schedule); "stop" is `app.close()`.
 */
export default {
  id: 'ours-yaml',
  label: 'this module · YAML via CoreLibJobsModule',
  kind: 'bootstrap',
  supports: (periodMs) => periodMs >= 1,

  open() {
    return { dir: mkdtempSync(join(tmpdir(), 'core-lib-jobs-bench-')) };
  },

  prepare(ctx, spec) {
    onRun = spec.onRun;
    ctx.file = join(ctx.dir, 'jobs.yaml');
    writeFileSync(ctx.file, jobsYaml(spec.count, spec.periodMs, spec.perJob));
  },

  async start(ctx, spec) {
    ctx.app = await createAppContext({
      imports: [
        ScheduleModule.forRoot(),
        CoreLibJobsModule.forRoot({ config: ctx.file, jobs: [BenchYamlJob] }),
      ],
      providers: [BootstrapMarker],
    });
    return new Float64Array(spec.count).fill(ctx.app.get(BootstrapMarker).at);
  },

  async stop(ctx) {
    await ctx.app?.close();
    ctx.app = undefined;
  },

  close(ctx) {
    onRun = () => {};
    rmSync(ctx.dir, { recursive: true, force: true });
  },
};
