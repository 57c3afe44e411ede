import { applyDecorators, Injectable, SetMetadata } from '@nestjs/common';
import { JOB_METADATA } from '../core-lib-jobs.constants.js';
import type { JobOptions } from '../interfaces/job-options.interface.js';

/**
 * Marks an injectable class as a job. `options.name` is what YAML's `handler.class` refers to
 * (default: the class name); `initialDelay` with `frequency` or `cron` schedules it from code
 * alone.
 */
export function Job(options: JobOptions = {}): ClassDecorator {
  return applyDecorators(Injectable(), SetMetadata(JOB_METADATA, options));
}
