import { Inject, Injectable, Logger, type Type } from '@nestjs/common';
import { DiscoveryService, ModuleRef } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import { isJobLike } from './base-job.js';
import { CORE_LIB_JOBS_OPTIONS } from './core-lib-jobs.constants.js';
import { REQUEST_SCOPED } from './core-lib-jobs.messages.js';
import { JobsSetupError } from './errors/jobs-setup.error.js';
import { NO_RUN_METHOD, SAME_JOB_NAME } from './errors/jobs-setup.messages.js';
import type { DiscoveredJob } from './interfaces/discovered-job.interface.js';
import type { ResolvedModuleOptions } from './interfaces/resolved-options.interface.js';
import { JobMetadataAccessor } from './job-metadata.accessor.js';

/** Jobs by their job name (`@Job({ name })` or the class name). */
export type DiscoveredJobs = Map<string, DiscoveredJob>;

/**
 * Finds the app's jobs: `@Job()` providers and the classes listed in `jobs`. Skips aliases and
 * wrappers without an instance; warns about request-scoped ones, which cannot be scheduled.
 */
@Injectable()
export class CoreLibJobsExplorer {
  private readonly logger = new Logger('CoreLibJobsModule');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly accessor: JobMetadataAccessor,
    private readonly moduleRef: ModuleRef,
    @Inject(CORE_LIB_JOBS_OPTIONS) private readonly options: ResolvedModuleOptions,
  ) {}

  /** Every job instance, by job name; a name two classes share, or a job without run(), throws. */
  async explore(): Promise<DiscoveredJobs> {
    const jobs: DiscoveredJobs = new Map();
    for (const wrapper of this.discovery.getProviders()) {
      const target = (wrapper.metatype ?? wrapper.instance?.constructor) as Function | undefined;
      if (!target || !this.isJobClass(target) || !this.isUsable(wrapper, target)) continue;
      this.addJob(jobs, target, wrapper.instance);
    }
    await this.createListedJobs(jobs);
    return jobs;
  }

  private isJobClass(target: Function): boolean {
    return (
      Boolean(this.accessor.getJobOptions(target)) || this.options.jobs.includes(target as Type)
    );
  }

  /** Listed classes that are not providers (an async factory returned them): created, with DI. */
  private async createListedJobs(jobs: DiscoveredJobs): Promise<void> {
    const found = new Set([...jobs.values()].map((d) => d.job.constructor));
    for (const cls of this.options.jobs) {
      if (!found.has(cls)) this.addJob(jobs, cls, await this.moduleRef.create(cls));
    }
  }

  private addJob(jobs: DiscoveredJobs, target: Function, instance: unknown): void {
    const name = this.accessor.getJobName(target);
    const owner = jobs.get(name)?.job.constructor;
    if (owner && owner !== target) {
      throw new JobsSetupError(SAME_JOB_NAME(name, owner.name, target.name));
    }
    if (!isJobLike(instance)) throw new JobsSetupError(NO_RUN_METHOD(target.name));
    const options = this.accessor.getJobOptions(target) ?? {};
    jobs.set(name, { job: instance, className: target.name, options });
  }

  private isUsable(wrapper: InstanceWrapper, target: Function): boolean {
    if (wrapper.isAlias) return false;
    if (!wrapper.isDependencyTreeStatic()) {
      this.logger.warn(REQUEST_SCOPED(target.name));
      return false;
    }
    return Boolean(wrapper.instance);
  }
}
