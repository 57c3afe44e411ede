import { Logger } from '@nestjs/common';
import { collectJobPlan, type DiscoveredJob } from '../../lib/core-lib-jobs.plan.js';
import { InvalidJobsConfigError } from '../../lib/index.js';
import type { JobOptions } from '../../lib/interfaces/job-options.interface.js';
import type { ResolvedModuleOptions } from '../../lib/interfaces/resolved-options.interface.js';

/** The startup plan: every `@Job()` schedule and YAML entry, resolved once, checked together. */
const logger = new Logger('test');
const options = (extra: Partial<ResolvedModuleOptions> = {}): ResolvedModuleOptions => ({
  config: { core_lib: { jobs: [] } },
  jobsPath: 'core_lib.jobs',
  coreLib: undefined,
  jobs: [],
  shutdownTimeoutMs: undefined,
  clock: undefined,
  cluster: undefined,
  ...extra,
});
const discovered = (className: string, meta: JobOptions): [string, DiscoveredJob] => [
  meta.name ?? className,
  { job: { run: () => undefined }, className, options: meta },
];
const problemsOf = (run: () => unknown): string[] => {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidJobsConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected an InvalidJobsConfigError');
};

describe('collectJobPlan', () => {
  it('resolves @Job() schedules and YAML entries to what the engine runs', () => {
    const jobs = new Map([
      discovered('Beat', { initialDelay: 500, frequency: 250 }),
      discovered('Cache', {}),
    ]);
    const config = {
      core_lib: {
        jobs: [{ name: 'c', initial_delay: '1s', frequency: '1m', handler: { class: 'Cache' } }],
      },
    };
    const { plan } = collectJobPlan(options({ config }), jobs, logger);
    expect(plan.map((p) => [p.name, p.prepared.trigger])).toEqual([
      ['Beat', { kind: 'interval', initialDelayMs: 500, frequencyMs: 250 }],
      ['c', { kind: 'interval', initialDelayMs: 1_000, frequencyMs: 60_000 }],
    ]);
  });

  it('reads a @Job() schedule by the rules of JobScheduler: frequency needs initialDelay', () => {
    const jobs = new Map([
      discovered('NoDelay', { frequency: '5s' }),
      discovered('Ok', { cron: '* * * * *' }),
    ]);
    expect(problemsOf(() => collectJobPlan(options(), jobs, logger))).toEqual([
      expect.stringMatching(/^@Job\(\) on NoDelay: initialDelay: undefined is invalid/),
    ]);
  });

  it('refuses an empty @Job() name, and a name a YAML entry also uses', () => {
    const jobs = new Map([
      discovered('Empty', { name: '', initialDelay: 'boot' }),
      discovered('Beat', { initialDelay: 'boot', frequency: '1s' }),
    ]);
    const config = {
      core_lib: { jobs: [{ name: 'Beat', initial_delay: 'boot', handler: { class: 'Beat' } }] },
    };
    expect(problemsOf(() => collectJobPlan(options({ config }), jobs, logger))).toEqual([
      '@Job() on Empty: name: "" is invalid, expected a non-empty string',
      expect.stringMatching(/core_lib\.jobs\[0\].*name 'Beat' is already used by @Job\(\) on Beat/),
    ]);
  });

  it('refuses a fixed-delay job shared by the replicas of a cluster', () => {
    const jobs = new Map([
      discovered('Slow', { initialDelay: 'boot', frequency: '1s', mode: 'fixed-delay' }),
    ]);
    const cluster = { backend: 'custom' as const, lock: {} as never };
    expect(problemsOf(() => collectJobPlan(options({ cluster }), jobs, logger))).toEqual([
      expect.stringMatching(/^job 'Slow': mode: 'fixed-delay' cannot be shared by replicas/),
    ]);
    const alone = new Map([
      discovered('Slow', {
        initialDelay: 'boot',
        frequency: '1s',
        mode: 'fixed-delay',
        cluster: false,
      }),
    ]);
    expect(collectJobPlan(options({ cluster }), alone, logger).plan).toHaveLength(1);
  });

  it('takes the shutdown timeout from YAML unless the module options give one', () => {
    const config = { core_lib: { jobs_shutdown_timeout: '5s', jobs: [] } };
    expect(collectJobPlan(options({ config }), new Map(), logger).shutdownTimeoutMs).toBe(5_000);
    const fromCode = options({ config, shutdownTimeoutMs: 1_000 });
    expect(collectJobPlan(fromCode, new Map(), logger).shutdownTimeoutMs).toBe(1_000);
  });
});
