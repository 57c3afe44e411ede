import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { JobsConfig } from './config/jobs-config.interface.js';
import { createCoordinator } from './core-lib-jobs.cluster.js';
import { JOB_CLOCK, JOBS_CONFIG } from './core-lib-jobs.constants.js';
import { CoreLibJobsExplorer, type DiscoveredJobs } from './core-lib-jobs.explorer.js';
import { claimRegistry } from './core-lib-jobs.import-guard.js';
import { SCHEDULED } from './core-lib-jobs.messages.js';
import { CoreLibResolver } from './core-lib.resolver.js';
import type { JobClock } from './engine/job-clock.js';
import { JobEngine } from './engine/job-engine.js';
import type { ClusterCoordinator } from './interfaces/cluster-coordinator.interface.js';
import { buildJobPlan, type PlannedJob } from './plan/job-plan.js';
import { storeLeaseMs } from './store/runtime/store-lease.js';
import { JobStoreRuntime } from './store/runtime/job-store.runtime.js';
import { ControlPlane } from './control/control-plane.js';

/**
 * Starts and stops the jobs: checks everything at onModuleInit (one error lists every problem,
 * before anything runs), schedules at onApplicationBootstrap, drains at shutdown.
 */
@Injectable()
export class CoreLibJobsOrchestrator
  implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly logger = new Logger('CoreLibJobsModule');
  /** Held from onModuleInit to bootstrap only (it holds every YAML entry). */
  private plan: PlannedJob[] = [];
  private coordinator: ClusterCoordinator | undefined;

  constructor(
    private readonly explorer: CoreLibJobsExplorer,
    private readonly coreLib: CoreLibResolver,
    private readonly engine: JobEngine,
    // Optional here: the engine's provider reports a missing ScheduleModule, with a clear error.
    @Optional() private readonly registry: SchedulerRegistry,
    @Inject(JOBS_CONFIG) private readonly config: JobsConfig,
    @Inject(JOB_CLOCK) private readonly clock: JobClock,
    private readonly store: JobStoreRuntime,
    private readonly control: ControlPlane,
  ) {}

  async onModuleInit(): Promise<void> {
    claimRegistry(this.registry);
    const jobs = await this.explorer.explore();
    this.plan = buildJobPlan(this.config, jobs);
    this.handOverCoreLib(jobs, this.coreLib.get());
    // Stored definitions may name these jobs; the plan's names win over a stored one.
    this.control.useJobs(
      jobs,
      this.plan.map((p) => p.name),
    );
    // After the checks: a bad config never takes the state file's lock.
    await this.store.open();
    await this.control.open();
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.cluster) {
      this.coordinator = await createCoordinator(this.config.cluster, () => this.clock.now());
      await this.engine.useCluster(this.coordinator);
    }
    this.store.start({
      subscribe: (listener) => this.engine.subscribe(listener),
      now: () => this.engine.now(),
      replicaId: this.engine.clusterStatus()?.replicaId,
      leaseMs: storeLeaseMs(this.config.cluster),
    });
    // Catch-up reads each job's last tick once the store is open and cluster mode started.
    if (this.config.storeConfigured) this.engine.useCatchUp((name) => this.store.lastTick(name));
    const plan = this.plan;
    this.plan = [];
    // Read before scheduling, applied right after, before any timer fires: paused jobs stay so.
    await this.control.load();
    const scheduled = this.scheduleAll(plan);
    this.control.start(this.engine.clusterStatus()?.replicaId);
    if (scheduled.length) this.logger.log(SCHEDULED(scheduled));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.engine.shutdown(this.config.shutdownTimeoutMs);
    await this.control.close();
    await this.store.close();
    await this.coordinator?.close();
  }

  /** Jobs see `this.coreLib` from now on; `initialized()` runs before each job's first run. */
  private handOverCoreLib(jobs: DiscoveredJobs, coreLib: unknown): void {
    if (coreLib === undefined) return;
    for (const { job } of jobs.values()) {
      // Reflect.set: a frozen job refuses the field quietly instead of throwing.
      if (job.coreLib === undefined) Reflect.set(job, 'coreLib', coreLib);
    }
  }

  /**
   * Schedules the checked plan. Should the registry still refuse a name (the app's own
   * `@Interval()` of that name, mounted since the check), the jobs scheduled so far are stopped
   * before the error goes on: their first run comes on a timer, after this loop, so none ran.
   */
  private scheduleAll(plan: PlannedJob[]): string[] {
    const scheduled: string[] = [];
    try {
      for (const { name, prepared } of plan) {
        this.engine.schedule(prepared, name, true);
        if (prepared.policy.enabled) scheduled.push(name);
      }
    } catch (error) {
      scheduled.forEach((name) => this.engine.stop(name));
      throw error;
    }
    return scheduled;
  }
}
