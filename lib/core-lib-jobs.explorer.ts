import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationBootstrap,
  type OnModuleInit,
  type Type,
} from '@nestjs/common';
import { DiscoveryService, ModuleRef } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import { SchedulerRegistry } from '@nestjs/schedule';
import { isJobLike } from './base-job.js';
import { CORE_LIB_JOBS_OPTIONS } from './core-lib-jobs.constants.js';
import { collectJobPlan, type DiscoveredJob, type PlannedJob } from './core-lib-jobs.plan.js';
import { JobsSetupError } from './errors/jobs-setup.error.js';
import {
  IMPORTED_TWICE,
  NO_RUN_METHOD,
  SAME_JOB_NAME,
  UNKNOWN_CORE_LIB,
} from './errors/jobs-setup.messages.js';
import type { ClusterOptions } from './interfaces/cluster-options.interface.js';
import type { ResolvedModuleOptions } from './interfaces/resolved-options.interface.js';
import { JobMetadataAccessor } from './job-metadata.accessor.js';
import { REQUEST_SCOPED, SCHEDULED } from './engine/job-engine.messages.js';
import { JobScheduler } from './job.scheduler.js';

/** Registries that a CoreLibJobsModule already schedules on: a second import must not run every job twice. */
const claimed = new WeakSet<object>();

/**
 * Finds `@Job()` providers, validates the YAML and the code schedules (onModuleInit), then
 * schedules every job (onApplicationBootstrap).
 */
@Injectable()
export class CoreLibJobsExplorer implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('CoreLibJobsModule');
  private plan: PlannedJob[] = [];
  private cluster: ClusterOptions | undefined;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly accessor: JobMetadataAccessor,
    private readonly moduleRef: ModuleRef,
    private readonly scheduler: JobScheduler,
    @Optional() private readonly registry: SchedulerRegistry,
    @Inject(CORE_LIB_JOBS_OPTIONS) private readonly options: ResolvedModuleOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    if (claimed.has(this.registry)) throw new JobsSetupError(IMPORTED_TWICE());
    claimed.add(this.registry);
    const jobs = this.discoverJobs();
    await this.createListedJobs(jobs);
    const { plan, cluster, shutdownTimeoutMs } = collectJobPlan(this.options, jobs, this.logger);
    this.plan = plan;
    this.cluster = cluster;
    this.scheduler.shutdownTimeoutMs = shutdownTimeoutMs;
    const coreLib = this.resolveCoreLib();
    this.scheduler.coreLib = coreLib;
    // Jobs see `this.coreLib` from now on; `initialized()` runs before each job's first run.
    for (const { job } of jobs.values()) {
      if (coreLib !== undefined && job.coreLib === undefined) job.coreLib = coreLib;
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.cluster) {
      // Loaded only when configured: an app without cluster mode never loads ioredis or pg.
      const { createClusterCoordinator } = await import('./cluster/cluster.factory.js');
      const coordinator = await createClusterCoordinator(
        this.cluster,
        this.options.clock ?? Date.now,
      );
      await this.scheduler.useCluster(coordinator);
    }
    const plan = this.plan;
    this.plan = []; // the plan is not needed once the jobs run: do not hold it for the app's life
    const scheduled = this.scheduleAll(plan);
    if (scheduled.length) this.logger.log(SCHEDULED(scheduled));
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
        this.scheduler.addPrepared(name, prepared);
        if (prepared.policy.enabled) scheduled.push(name);
      }
    } catch (error) {
      scheduled.forEach((name) => this.scheduler.stop(name));
      throw error;
    }
    return scheduled;
  }

  /** Job instances by their job name. */
  private discoverJobs(): Map<string, DiscoveredJob> {
    const jobs = new Map<string, DiscoveredJob>();
    const owners = new Map<string, Function>();
    for (const wrapper of this.discovery.getProviders()) {
      const target = (wrapper.metatype ?? wrapper.instance?.constructor) as Function | undefined;
      if (
        !target ||
        !(this.accessor.getJobOptions(target) || this.options.jobs.includes(target as Type))
      )
        continue;
      if (!this.isUsable(wrapper, target)) continue;
      this.addJob(jobs, owners, target, wrapper.instance);
    }
    return jobs;
  }

  /** Classes in `jobs` that are not providers (forRootAsync's factory returned them): created here, with DI. */
  private async createListedJobs(jobs: Map<string, DiscoveredJob>): Promise<void> {
    const owners = new Map([...jobs].map(([name, d]) => [name, d.job.constructor as Function]));
    for (const cls of this.options.jobs) {
      if ([...jobs.values()].some((d) => d.job.constructor === cls)) continue;
      this.addJob(jobs, owners, cls, await this.moduleRef.create(cls));
    }
  }

  private addJob(
    jobs: Map<string, DiscoveredJob>,
    owners: Map<string, Function>,
    target: Function,
    instance: unknown,
  ): void {
    const name = this.accessor.getJobName(target);
    const owner = owners.get(name);
    if (owner && owner !== target)
      throw new JobsSetupError(SAME_JOB_NAME(name, owner.name, target.name));
    if (!isJobLike(instance)) throw new JobsSetupError(NO_RUN_METHOD(target.name));
    owners.set(name, target);
    jobs.set(name, {
      job: instance,
      className: target.name,
      options: this.accessor.getJobOptions(target) ?? {},
    });
  }

  private isUsable(wrapper: InstanceWrapper, target: Function): boolean {
    if (wrapper.isAlias) return false;
    if (!wrapper.isDependencyTreeStatic()) {
      this.logger.warn(REQUEST_SCOPED(target.name));
      return false;
    }
    return Boolean(wrapper.instance);
  }

  private resolveCoreLib(): unknown {
    const token = this.options.coreLib;
    if (token === undefined) return undefined;
    try {
      return this.moduleRef.get(token as never, { strict: false });
    } catch {
      const label = typeof token === 'function' ? token.name : String(token);
      throw new JobsSetupError(UNKNOWN_CORE_LIB(label));
    }
  }
}
