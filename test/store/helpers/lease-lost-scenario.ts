import { expect } from '@jest/globals';
import { Logger, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import {
  BaseJob,
  CoreLibJobsModule,
  Job,
  LeaseLostError,
  type ClusterOptions,
  type JobRunContext,
} from '../../../lib/index.js';
import { waitFor } from '../../cluster/helpers/replica-process.js';

/** Starts, then waits for its signal; resolves `aborted` with the abort reason. */
@Job({ name: 'lease-holder', initialDelay: 0, frequency: 600_000 })
class LeaseHolder extends BaseJob {
  started = false;
  reason: unknown;

  run(_: unknown, { signal }: JobRunContext): Promise<void> {
    this.started = true;
    return new Promise((resolve) => {
      signal.addEventListener('abort', () => {
        this.reason = signal.reason;
        resolve();
      });
    });
  }
}

/**
 * A run in cluster mode whose lease is deleted behind its back (`dropLease`): the next extension
 * fails, and the run's signal is aborted with a `LeaseLostError`, logged once.
 */
export async function leaseLost(cluster: ClusterOptions, dropLease: () => Promise<void>) {
  const warnings: string[] = [];
  const warn = (message: unknown): void => void warnings.push(String(message));
  const spy = jestSpy(warn);
  class AppModule {}
  Module({
    imports: [
      ScheduleModule.forRoot(),
      CoreLibJobsModule.forRoot({ config: {}, cluster, shutdownTimeout: '1s' }),
    ],
    providers: [LeaseHolder],
  })(AppModule);
  const mod = await Test.createTestingModule({ imports: [AppModule] }).compile();
  await mod.init();
  try {
    const job = mod.get(LeaseHolder);
    await waitFor(() => job.started, 5_000, 'the run');
    const dropped = Date.now();
    await dropLease();
    await waitFor(() => job.reason !== undefined, 3_000, 'the abort');
    const abortedMs = Date.now() - dropped;
    expect(job.reason).toBeInstanceOf(LeaseLostError);
    expect((job.reason as LeaseLostError).jobName).toBe('lease-holder');
    expect(warnings.filter((w) => w.includes('lost its cluster lease'))).toHaveLength(1);
    return { abortedMs };
  } finally {
    await mod.close();
    spy.restore();
  }
}

/** Collects `Logger.warn` lines (and keeps the others quiet). */
function jestSpy(warn: (message: unknown) => void): { restore: () => void } {
  const original = { warn: Logger.prototype.warn, log: Logger.prototype.log };
  Logger.prototype.warn = warn;
  Logger.prototype.log = () => undefined;
  return { restore: () => Object.assign(Logger.prototype, original) };
}
