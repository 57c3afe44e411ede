import { createJobsConfig } from '../../lib/config/jobs-config.factory.js';
import { resolveModuleOptions } from '../../lib/core-lib-jobs.options.js';
import { InvalidJobsConfigError, type JobOptions } from '../../lib/index.js';
import { buildJobPlan } from '../../lib/plan/job-plan.js';

/**
 * `JobOptions` is a union: the mistakes below do not compile (`tsc -p tsconfig.json --noEmit`
 * fails if one of them ever does, because its `@ts-expect-error` would be unused), and a
 * JavaScript user who writes them anyway is refused at startup.
 */
const mistakes: Record<string, JobOptions> = {
  // @ts-expect-error `frequency` with `cron`
  frequencyWithCron: { initialDelay: 'boot', frequency: '1m', cron: '* * * * *' },
  // @ts-expect-error `frequency` without `initialDelay`
  frequencyWithoutDelay: { frequency: '1m' },
  // @ts-expect-error run options without a schedule
  runOptionsAlone: { name: 'x', retries: 3 },
  // @ts-expect-error `timeZone` without `cron`
  timeZoneWithoutCron: { initialDelay: 'boot', frequency: '1m', timeZone: 'Europe/Paris' },
};

const fine: JobOptions[] = [
  { name: 'yaml-only' },
  { initialDelay: 'boot' },
  { initialDelay: '10s', frequency: '1m', retries: 2, mode: 'fixed-delay' },
  { cron: '0 16 * * *', timeZone: 'Europe/Paris', timeout: '5m' },
];

const plan = (options: JobOptions) => {
  const config = createJobsConfig(resolveModuleOptions({ config: { core_lib: { jobs: [] } } }));
  const job = { job: { run: () => undefined }, className: 'Job', options };
  return () => buildJobPlan(config, new Map([['Job', job]]));
};

describe('JobOptions', () => {
  it.each(Object.entries(mistakes))('%s: refused at startup too', (_, options) => {
    expect(plan(options)).toThrow(InvalidJobsConfigError);
  });

  it.each(fine)('%j: accepted', (options) => {
    expect(plan(options)).not.toThrow();
  });
});
