import { Injectable, type Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JOB_METADATA } from './core-lib-jobs.constants.js';
import type { JobOptions } from './interfaces/job-options.interface.js';

/** Reads `@Job()` metadata. */
@Injectable()
export class JobMetadataAccessor {
  constructor(private readonly reflector: Reflector) {}

  getJobOptions(target: Type<unknown> | Function | undefined): JobOptions | undefined {
    if (!target) return undefined;
    return this.reflector.get<JobOptions | undefined>(JOB_METADATA, target);
  }

  /** The name YAML refers to: `@Job({ name })` or the class name. */
  getJobName(target: Function): string {
    return this.getJobOptions(target)?.name ?? target.name;
  }
}
