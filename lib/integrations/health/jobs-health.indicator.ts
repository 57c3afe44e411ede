import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { JobEvent } from '../../interfaces/job-event.interface.js';
import { JobScheduler } from '../../job.scheduler.js';
import { describeThrown } from '../../utils/thrown-value.js';
import { checkJobs, type FailureStreak } from './jobs-health.check.js';
import { resolveHealthOptions, type JobsHealthOptions } from './jobs-health.options.js';

/**
 * A `@nestjs/terminus` health indicator of the jobs: down when the cluster backend is
 * unreachable, a job is overdue by more than `maxLateness`, or a job failed
 * `maxConsecutiveFailures` times in a row. Add it to the providers of the module of your health
 * controller (which imports `TerminusModule`), then:
 * `() => jobs.isHealthy('jobs', { maxConsecutiveFailures: 3, maxLateness: '1m' })`.
 */
@Injectable()
export class JobsHealthIndicator implements OnModuleInit, OnApplicationShutdown {
  /** Failure streaks by job name: fed by the run events, as no query keeps them. */
  private readonly streaks = new Map<string, FailureStreak>();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly health: HealthIndicatorService,
    private readonly scheduler: JobScheduler,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.scheduler.subscribe((event) => this.record(event));
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** The jobs' health under `key`, with the problem of each job that is down. */
  isHealthy<const Key extends string>(
    key: Key,
    options?: JobsHealthOptions,
  ): HealthIndicatorResult<Key> {
    const limits = resolveHealthOptions(key, options);
    const jobs = this.scheduler.list();
    this.forgetStopped(jobs.map((job) => job.name));
    const cluster = this.scheduler.clusterStatus();
    const verdict = checkJobs(jobs, this.streaks, cluster, this.scheduler.now(), limits);
    const indicator = this.health.check(key);
    const extra = cluster ? { cluster } : {};
    if (!verdict.messages.length) return indicator.up({ checked: jobs.length, ...extra });
    const message = verdict.messages.join('; ');
    return indicator.down({ message, problems: verdict.problems, ...extra });
  }

  private record(e: JobEvent): void {
    if (e.type === 'succeeded') this.streaks.delete(e.name);
    if (e.type !== 'failed' || !e.final) return;
    const streak = this.streaks.get(e.name) ?? { count: 0, lastError: '' };
    streak.count++;
    streak.lastError = describeThrown(e.error);
    this.streaks.set(e.name, streak);
  }

  /** Streaks of jobs no longer scheduled are dropped, so the map stays as small as the list. */
  private forgetStopped(names: string[]): void {
    if (!this.streaks.size) return;
    const scheduled = new Set(names);
    for (const name of this.streaks.keys()) if (!scheduled.has(name)) this.streaks.delete(name);
  }
}
