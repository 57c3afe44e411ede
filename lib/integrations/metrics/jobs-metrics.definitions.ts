import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { JobsSetupError } from '../../errors/jobs-setup.error.js';
import type { JobScheduler } from '../../job.scheduler.js';
import { METRIC_TAKEN } from '../integrations.messages.js';
import type { ResolvedMetricsOptions } from './jobs-metrics.options.js';

/** Metric names, after the prefix (`core_lib_jobs_` by default). */
export const METRIC_NAMES = {
  runs: 'runs_total',
  duration: 'run_duration_seconds',
  lateness: 'lateness_seconds',
  retries: 'retries_total',
  skipped: 'skipped_total',
  running: 'running',
  lastSuccess: 'last_success_timestamp_seconds',
  nextRun: 'next_run_timestamp_seconds',
  claims: 'cluster_claims_total',
  backendErrors: 'cluster_backend_errors_total',
  backendUp: 'cluster_backend_up',
} as const;

/** Called at each scrape with the names of the jobs that exist now. */
export type ScrapeHook = (liveJobs: ReadonlySet<string>) => Promise<void>;
type Ctx = ResolvedMetricsOptions & { scheduler: JobScheduler; onScrape: ScrapeHook };
/** The metrics one `JobsMetrics` owns on its registry. */
export type JobMetricSet = ReturnType<typeof createJobMetrics>;

/**
 * Creates the metrics on the registry. Most are fed by run events; next run times and the
 * cluster backend's state are read from the scheduler at scrape time, when `onScrape` is told
 * which jobs exist.
 */
export function createJobMetrics(
  options: ResolvedMetricsOptions,
  scheduler: JobScheduler,
  onScrape: ScrapeHook,
) {
  for (const name of Object.values(METRIC_NAMES)) {
    const full = options.prefix + name;
    if (options.registry.getSingleMetric(full)) throw new JobsSetupError(METRIC_TAKEN(full));
  }
  const ctx: Ctx = { ...options, scheduler, onScrape };
  return { ...runMetrics(ctx), ...stateMetrics(ctx), ...clusterMetrics(ctx) };
}

/** Removes the set's metrics from the registry (the app is closing). */
export function removeJobMetrics({ registry, prefix }: ResolvedMetricsOptions): void {
  for (const name of Object.values(METRIC_NAMES)) registry.removeSingleMetric(prefix + name);
}

const common = ({ prefix, registry }: Ctx, key: keyof typeof METRIC_NAMES) => ({
  name: prefix + METRIC_NAMES[key],
  registers: [registry] as Registry[],
});

function runMetrics(ctx: Ctx) {
  return {
    runs: new Counter({
      ...common(ctx, 'runs'),
      help: 'Runs that ended, by job and outcome (succeeded or failed, after retries)',
      labelNames: ['job', 'outcome'] as const,
    }),
    duration: new Histogram({
      ...common(ctx, 'duration'),
      help: 'Duration of the attempt that ended each run, in seconds',
      labelNames: ['job'] as const,
      buckets: ctx.durationBuckets,
    }),
    lateness: new Histogram({
      ...common(ctx, 'lateness'),
      help: 'How late each scheduled run started: start time minus due time, in seconds',
      labelNames: ['job'] as const,
      buckets: ctx.latenessBuckets,
    }),
    retries: new Counter({
      ...common(ctx, 'retries'),
      help: 'Attempts that failed and were retried, by job',
      labelNames: ['job'] as const,
    }),
    skipped: new Counter({
      ...common(ctx, 'skipped'),
      help: 'Due runs that did not start, by job and reason',
      labelNames: ['job', 'reason'] as const,
    }),
  };
}

function stateMetrics(ctx: Ctx) {
  return {
    running: new Gauge({
      ...common(ctx, 'running'),
      help: 'Runs in progress, by job',
      labelNames: ['job'] as const,
    }),
    lastSuccess: new Gauge({
      ...common(ctx, 'lastSuccess'),
      help: 'When the last successful run of each job ended, in Unix seconds',
      labelNames: ['job'] as const,
    }),
    nextRun: new Gauge({
      ...common(ctx, 'nextRun'),
      help: 'When each scheduled job runs next, in Unix seconds (paused jobs have none)',
      labelNames: ['job'] as const,
      async collect(this: Gauge<'job'>) {
        this.reset();
        const live = new Set<string>();
        for (const job of ctx.scheduler.list()) {
          live.add(job.name);
          if (job.nextRunAt) this.set({ job: job.name }, job.nextRunAt.getTime() / 1000);
        }
        await ctx.onScrape(live);
      },
    }),
  };
}

function clusterMetrics(ctx: Ctx) {
  return {
    claims: new Counter({
      ...common(ctx, 'claims'),
      help: 'Cluster mode: ticks this replica tried to claim, by job and result (won or lost)',
      labelNames: ['job', 'result'] as const,
    }),
    backendErrors: new Counter({
      ...common(ctx, 'backendErrors'),
      help: 'Cluster mode: ticks not run because the backend could not be reached',
    }),
    backendUp: new Gauge({
      ...common(ctx, 'backendUp'),
      help: 'Cluster mode: 1 if the last call to the backend succeeded, else 0',
      labelNames: ['backend'] as const,
      collect(this: Gauge<'backend'>) {
        this.reset();
        const status = ctx.scheduler.clusterStatus();
        if (status) this.set({ backend: status.backend }, status.reachable ? 1 : 0);
      },
    }),
  };
}

/** The metrics labelled by job, whose series go when their job is gone. */
export function perJobMetrics(m: JobMetricSet) {
  return [m.runs, m.duration, m.lateness, m.retries, m.skipped, m.running, m.lastSuccess, m.claims];
}

/** Removes every series of the jobs in `jobs`, whatever their other labels. */
export async function removeJobSeries(m: JobMetricSet, jobs: ReadonlySet<string>): Promise<void> {
  for (const metric of perJobMetrics(m)) {
    const { values } = await metric.get();
    for (const { labels } of values) {
      if (!jobs.has(String(labels.job))) continue;
      // A histogram's bucket samples add `le`; the series itself is the other labels.
      const { le: _le, ...series } = labels as Record<string, string | number>;
      (metric as { remove(labels: object): void }).remove(series);
    }
  }
}
