import {
  Inject,
  Injectable,
  NotFoundException,
  Optional,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DEFAULT_LEASE_MS } from '../cluster/cluster.constants.js';
import { JobsSetupError } from '../errors/jobs-setup.error.js';
import {
  MissedTicksCounter,
  type MissedTicks,
} from '../integrations/metrics/missed-ticks.counter.js';
import type { JobEvent } from '../interfaces/job-event.interface.js';
import type { JobStore } from '../interfaces/job-store.interface.js';
import { JobScheduler } from '../job.scheduler.js';
import { JOB_STORE } from '../store/store.constants.js';
import { MAX_STACK_CHARS } from './dashboard.constants.js';
import { NO_SCHEDULER, UNKNOWN_JOB } from './dashboard.messages.js';
import { toClusterView, toJobView, type ViewContext } from './dashboard.view.js';
import type {
  DashboardState,
  JobDetail,
  ListQuery,
  ReplicaView,
} from './interfaces/dashboard-api.interface.js';
import { jobDetail } from './job-detail.js';
import { selectJobs } from './job-list.query.js';
import { aliveReplicas } from './replicas.js';
import { RunRate } from './run-rate.js';

/** How often the store is read for the replicas and the runs-per-minute chart. */
const SAMPLE_MS = 3_000;

/**
 * The dashboard's model. Jobs, last runs, counters and pauses come from the scheduler's
 * `list()` (the job store's and the control plane's view, so the whole cluster's); history and
 * audit from the store and the control plane per job page; the replicas alive and the
 * runs-per-minute from the store, read every few seconds in the background (not per poll).
 * It adds what `list()` does not keep: each job's last error stack and its missed ticks.
 */
@Injectable()
export class DashboardService implements OnModuleInit, OnModuleDestroy {
  /** Sent by the page with every action (see `forgeryProblem`); new on every start. */
  readonly token = randomBytes(24).toString('base64url');
  /** The app's scheduler (the actions use it too). */
  readonly scheduler: JobScheduler;
  private readonly stacks = new Map<string, string>();
  private readonly missed = new Map<string, Record<string, number>>();
  private readonly counter: MissedTicksCounter;
  private readonly rate = new RunRate();
  private readonly serverZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  private replicas: ReplicaView[] = [];
  private unsubscribe: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private sampling: Promise<void> | undefined;

  constructor(
    @Optional() scheduler?: JobScheduler,
    @Optional() @Inject(JOB_STORE) private readonly store?: JobStore,
  ) {
    if (!scheduler) throw new JobsSetupError(NO_SCHEDULER());
    this.scheduler = scheduler;
    this.counter = new MissedTicksCounter((name) => scheduler.get(name));
  }

  onModuleInit(): void {
    this.unsubscribe = this.scheduler.subscribe((event) => this.record(event));
    this.timer = setInterval(() => void this.sample(), SAMPLE_MS);
    this.timer.unref();
    void this.sample();
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
    clearInterval(this.timer);
  }

  /** The list page's state for `query`: one page of jobs, with the totals. */
  state(query: ListQuery): DashboardState {
    const jobs = this.scheduler.list();
    // A job that left the list (stopped, or a once job that ran) takes its stack with it.
    if (this.stacks.size) {
      const names = new Set(jobs.map((j) => j.name));
      for (const name of this.stacks.keys()) if (!names.has(name)) this.stacks.delete(name);
    }
    const { page, total, counts } = selectJobs(jobs, query);
    const now = this.scheduler.now();
    return {
      now: new Date(now).toISOString(),
      cluster: toClusterView(this.scheduler.clusterStatus()),
      replicas: this.replicas,
      rate: this.rate.lastHour(now),
      query,
      total,
      counts,
      jobs: page.map((job) => toJobView(job, this.context(job.name))),
    };
  }

  /** A job's page: `page` of its stored history (25 runs a page), charts, audit trail. */
  async detail(name: string, page: number): Promise<JobDetail> {
    const info = this.require(name);
    const [runs, audit] = await Promise.all([
      this.scheduler.history(name),
      this.scheduler.audit({ name, limit: 100 }),
    ]);
    return jobDetail({
      info,
      view: toJobView(info, this.context(name)),
      runs,
      audit,
      missed: this.missed.get(name) ?? {},
      page,
      now: this.scheduler.now(),
      serverZone: this.serverZone,
    });
  }

  /** The job, or 404. */
  require(name: string) {
    const info = this.scheduler.get(name);
    if (!info) throw new NotFoundException(UNKNOWN_JOB(name));
    return info;
  }

  private context(name: string): ViewContext {
    const cluster = this.scheduler.clusterStatus();
    return {
      serverZone: this.serverZone,
      replicaId: cluster?.replicaId,
      stack: this.stacks.get(name),
    };
  }

  /** Reads the store for the replicas and the run counters; counts paused jobs' ticks. */
  private sample(): Promise<void> {
    this.sampling ??= (async () => {
      const now = this.scheduler.now();
      this.counter.scan(this.scheduler.list(), now).forEach((m) => this.count(m));
      const states = await this.store?.states();
      if (!states) return;
      let runs = 0;
      let failures = 0;
      for (const s of states) {
        runs += s.runs;
        failures += s.failures;
      }
      this.rate.sample(runs, failures, now);
      this.replicas = aliveReplicas(states, now, DEFAULT_LEASE_MS);
    })()
      .catch(() => undefined) // the store is down: the cluster panel says so; keep the last view
      .finally(() => (this.sampling = undefined));
    return this.sampling;
  }

  private count({ job, reason, count }: MissedTicks): void {
    const entry = this.missed.get(job) ?? {};
    entry[reason] = (entry[reason] ?? 0) + count;
    this.missed.set(job, entry);
  }

  private record(event: JobEvent): void {
    const missed = this.counter.record(event);
    if (missed) this.count(missed);
    if (event.type === 'succeeded') this.stacks.delete(event.name);
    if (event.type !== 'failed' || !event.final) return;
    const error = event.error;
    const stack = error instanceof Error && error.stack ? error.stack : String(error);
    this.stacks.set(event.name, stack.slice(0, MAX_STACK_CHARS));
  }
}
