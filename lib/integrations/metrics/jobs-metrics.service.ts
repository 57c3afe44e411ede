import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { JobEvent } from '../../interfaces/job-event.interface.js';
import { JobScheduler } from '../../job.scheduler.js';
import {
  createJobMetrics,
  removeJobMetrics,
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
 */
@Injectable()
export class JobsMetrics implements OnModuleInit, OnApplicationShutdown {
  private readonly options: ResolvedMetricsOptions;
  private metrics: JobMetricSet | undefined;
  private unsubscribe: (() => void) | undefined;
  /** Runs whose start was seen, so `running` never goes below zero. */
  private readonly open = new Set<number>();

  constructor(
    private readonly scheduler: JobScheduler,
    @Inject(MODULE_OPTIONS_TOKEN) options: JobsMetricsOptions,
  ) {
    this.options = resolveMetricsOptions(options);
  }

  onModuleInit(): void {
    this.metrics = createJobMetrics(this.options, this.scheduler);
    this.unsubscribe = this.scheduler.subscribe((event) => this.record(event, this.metrics!));
  }

  /** After the scheduler's drain (beforeApplicationShutdown), so the last runs are counted. */
  onApplicationShutdown(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.metrics) removeJobMetrics(this.options);
    this.metrics = undefined;
  }

  private record(e: JobEvent, m: JobMetricSet): void {
    const job = e.name;
    switch (e.type) {
      case 'started':
        if (e.attempt !== 1) return;
        this.open.add(e.runId);
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
