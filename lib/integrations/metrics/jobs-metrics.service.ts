import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { JobEvent } from '../../interfaces/job-event.interface.js';
import { JobScheduler } from '../../job.scheduler.js';
import {
  createJobMetrics,
  removeJobMetrics,
  removeJobSeries,
  type JobMetricSet,
} from './jobs-metrics.definitions.js';
import { MODULE_OPTIONS_TOKEN } from './jobs-metrics.module-definition.js';
import {
  resolveMetricsOptions,
  type JobsMetricsOptions,
  type ResolvedMetricsOptions,
} from './jobs-metrics.options.js';

/**
 * Keeps the jobs' Prometheus metrics: listens to the scheduler's run events and records them.
 * Provided by `CoreLibJobsMetricsModule`; the metrics live until the application shuts down.
 * The series of a job that is gone (stopped, or a once job done) are in the two scrapes that find
 * it gone, then removed: each is scraped after its job's last run, and an app that schedules jobs
 * under ever new names does not grow its metrics without bound.
 */
@Injectable()
export class JobsMetrics implements OnModuleInit, OnApplicationShutdown {
  private readonly options: ResolvedMetricsOptions;
  private metrics: JobMetricSet | undefined;
  private unsubscribe: (() => void) | undefined;
  /** Runs whose start was seen, by run id, with their job: `running` never goes below zero. */
  private readonly open = new Map<number, string>();
  /** Jobs that have series. */
  private readonly labelled = new Set<string>();
  /** Jobs with series that the last scrape found gone. */
  private gone = new Set<string>();

  constructor(
    private readonly scheduler: JobScheduler,
    @Inject(MODULE_OPTIONS_TOKEN) options: JobsMetricsOptions,
  ) {
    this.options = resolveMetricsOptions(options);
  }

  onModuleInit(): void {
    this.metrics = createJobMetrics(this.options, this.scheduler, (live) => this.prune(live));
    this.unsubscribe = this.scheduler.subscribe((event) => this.record(event, this.metrics!));
  }

  /** After the scheduler's drain (beforeApplicationShutdown), so the last runs are counted. */
  onApplicationShutdown(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.metrics) removeJobMetrics(this.options);
    this.metrics = undefined;
  }

  /**
   * At a scrape (after the run metrics are written): forgets the series of the jobs found gone at
   * the last scrape too. A job with a run in progress is not gone (its run still ends, and counts).
   */
  private async prune(live: ReadonlySet<string>): Promise<void> {
    const busy = new Set(this.open.values());
    const stale = [...this.labelled].filter((job) => !live.has(job) && !busy.has(job));
    const expired = new Set(stale.filter((job) => this.gone.has(job)));
    this.gone = new Set(stale.filter((job) => !expired.has(job)));
    if (!expired.size || !this.metrics) return;
    expired.forEach((job) => this.labelled.delete(job));
    await removeJobSeries(this.metrics, expired);
  }

  private record(e: JobEvent, m: JobMetricSet): void {
    const job = e.name;
    this.labelled.add(job);
    switch (e.type) {
      case 'started':
        if (e.attempt !== 1) return;
        this.open.set(e.runId, job);
        m.running.inc({ job });
        if (e.reason === 'schedule') {
          m.lateness.observe({ job }, Math.max(0, e.startedAt - e.scheduledAt) / 1000);
        }
        return;
      case 'succeeded':
        m.lastSuccess.set({ job }, Date.now() / 1000);
        return this.ended(m, job, e.runId, 'succeeded', e.durationMs);
      case 'failed':
        if (e.final) this.ended(m, job, e.runId, 'failed', e.durationMs);
        return;
      case 'retried':
        return void m.retries.inc({ job });
      case 'skipped':
        m.skipped.inc({ job, reason: e.reason });
        if (e.reason === 'cluster-held') m.claims.inc({ job, result: 'lost' });
        if (e.reason === 'cluster-unavailable') m.backendErrors.inc();
        return;
      case 'claimed':
        return void m.claims.inc({ job, result: 'won' });
    }
  }

  private ended(m: JobMetricSet, job: string, runId: number, outcome: string, ms: number): void {
    m.runs.inc({ job, outcome });
    m.duration.observe({ job }, ms / 1000);
    if (this.open.delete(runId)) m.running.dec({ job });
  }
}
