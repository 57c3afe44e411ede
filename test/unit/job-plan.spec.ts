import { createJobsConfig } from '../../lib/config/jobs-config.factory.js';
import { resolveModuleOptions } from '../../lib/core-lib-jobs.options.js';
import { InvalidJobsConfigError } from '../../lib/index.js';
import type { CoreLibJobsModuleOptions } from '../../lib/interfaces/core-lib-jobs-options.interface.js';
import type { DiscoveredJob } from '../../lib/interfaces/discovered-job.interface.js';
import type { JobOptions } from '../../lib/interfaces/job-options.interface.js';
import { buildJobPlan } from '../../lib/plan/job-plan.js';

/** The startup plan: every `@Job()` schedule and YAML entry, resolved once, checked together. */
const configOf = (options: CoreLibJobsModuleOptions = {}) =>
  createJobsConfig(resolveModuleOptions({ config: { core_lib: { jobs: [] } }, ...options }));
const discovered = (className: string, meta: JobOptions): [string, DiscoveredJob] => [
  meta.name ?? className,
  { job: { run: () => undefined }, className, options: meta },
];
/** `@Job()` options as a JavaScript user could write them (the types refuse them). */
const untyped = (meta: Record<string, unknown>): JobOptions => meta as JobOptions;
const problemsOf = (run: () => unknown): string[] => {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidJobsConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected an InvalidJobsConfigError');
};

describe('buildJobPlan', () => {
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
    const plan = buildJobPlan(configOf({ config }), jobs);
    expect(plan.map((p) => [p.name, p.prepared.trigger])).toEqual([
      ['Beat', { kind: 'interval', initialDelayMs: 500, frequencyMs: 250 }],
      ['c', { kind: 'interval', initialDelayMs: 1_000, frequencyMs: 60_000 }],
    ]);
    expect(plan[1].prepared.job).toBe(jobs.get('Cache')!.job);
  });

  it('reads a @Job() schedule by the rules of JobScheduler: frequency needs initialDelay', () => {
    const jobs = new Map([
      discovered('NoDelay', untyped({ frequency: '5s' })),
      discovered('Ok', { cron: '* * * * *' }),
    ]);
    expect(problemsOf(() => buildJobPlan(configOf(), jobs))).toEqual([
      expect.stringMatching(/^@Job\(\) on NoDelay: initialDelay: undefined is invalid/),
    ]);
  });

  it('checks @Job() run options given without a schedule, and refuses them as unused', () => {
    const jobs = new Map([
      discovered('Typo', untyped({ mode: 'fixed_rate' })),
      discovered('Unused', untyped({ name: 'unused', retries: 3 })),
      discovered('NameOnly', { name: 'name-only' }),
    ]);
    expect(problemsOf(() => buildJobPlan(configOf(), jobs))).toEqual([
      `@Job() on Typo: mode: "fixed_rate" is invalid, expected one of 'fixed-rate', 'fixed-delay'`,
      expect.stringMatching(/^@Job\(\) on Typo: mode: set without a schedule, so never used; /),
      expect.stringMatching(
        /^@Job\(\) on Unused: retries: set without a schedule, so never used; /,
      ),
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
    expect(problemsOf(() => buildJobPlan(configOf({ config }), jobs))).toEqual([
      '@Job() on Empty: name: "" is invalid, expected a non-empty string',
      expect.stringMatching(/core_lib\.jobs\[0\].*name 'Beat' is already used by @Job\(\) on Beat/),
    ]);
  });

  it('refuses a fixed-delay job shared by the replicas of a cluster', () => {
    const slow = { initialDelay: 'boot', frequency: '1s', mode: 'fixed-delay' } as const;
    const method = () => undefined;
    const lock = {
      time: method,
      anchor: method,
      claim: method,
      extend: method,
      release: method,
      close: method,
    };
    const cluster = { backend: 'custom' as const, lock: lock as never };
    const jobs = new Map([discovered('Slow', slow)]);
    expect(problemsOf(() => buildJobPlan(configOf({ cluster }), jobs))).toEqual([
      expect.stringMatching(/^job 'Slow': mode: 'fixed-delay' cannot be shared by replicas/),
    ]);
    const alone = new Map([discovered('Slow', { ...slow, cluster: false })]);
    expect(buildJobPlan(configOf({ cluster }), alone)).toHaveLength(1);
  });

  it('reports module-level YAML problems with the job problems, in one error', () => {
    const config = {
      core_lib: {
        jobs_shutdown_timeout: 'soon',
        jobs: [{ initial_delay: 'later', handler: { class: 'Beat' } }],
      },
    };
    const jobs = new Map([discovered('Beat', untyped({ frequency: '1s' }))]);
    expect(problemsOf(() => buildJobPlan(configOf({ config }), jobs))).toEqual([
      expect.stringMatching(/^@Job\(\) on Beat: initialDelay/),
      expect.stringMatching(/jobs_shutdown_timeout: value: "soon" is invalid/),
      expect.stringMatching(/core_lib\.jobs\[0\].*initial_delay: got "later"/),
    ]);
  });
});

describe('JOBS_CONFIG (createJobsConfig)', () => {
  it('takes the shutdown timeout from YAML unless the module options give one', () => {
    const config = { core_lib: { jobs_shutdown_timeout: '5s', jobs: [] } };
    expect(configOf({ config }).shutdownTimeoutMs).toBe(5_000);
    expect(configOf({ config, shutdownTimeout: 1_000 }).shutdownTimeoutMs).toBe(1_000);
    expect(configOf().shutdownTimeoutMs).toBe(30_000);
  });

  it('names the memory store when none is configured', () => {
    expect(configOf()).toHaveProperty('store', { backend: 'memory' });
  });
});
