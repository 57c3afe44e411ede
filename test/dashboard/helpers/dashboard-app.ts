import { Logger, Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { AddressInfo } from 'node:net';
import {
  CoreLibJobsModule,
  JobScheduler,
  type ClusterOptions,
  type JobStoreOptions,
} from 'nestjs-core-lib-jobs';

export interface DashboardApp {
  app: INestApplication;
  scheduler: JobScheduler;
  /** `http://127.0.0.1:<port>` (or the host it listens on). */
  origin: string;
  port: number;
}

export interface DashboardAppOptions {
  /** Where to listen. Default: 127.0.0.1. */
  host?: string;
  /** Cluster mode of the jobs module. */
  cluster?: ClusterOptions;
  /**
   * The job store, which the job pages read history from and the list reads replicas and
   * runs per minute from. Default: the memory store (cluster mode: its backend's store).
   */
  store?: JobStoreOptions;
  /** The HTTP platform. Default: Express. */
  platform?: 'express' | 'fastify';
}

/**
 * Starts a real HTTP app (Express, or Fastify) with the jobs module, the given dashboard module
 * and no jobs from YAML; the test schedules its own. Listens on `host`, on a free port. A job
 * store is configured (memory unless told), as an app that shows the dashboard has one: without
 * it nothing is recorded, and the pages have no history to show.
 */
export async function startDashboardApp(
  dashboard: DynamicModule,
  options: DashboardAppOptions = {},
): Promise<DashboardApp> {
  const jobs = CoreLibJobsModule.forRoot({
    config: { core_lib: { jobs: [] } },
    cluster: options.cluster,
    store: options.store ?? (options.cluster ? undefined : { backend: 'memory' }),
  });
  @Module({ imports: [ScheduleModule.forRoot(), jobs, dashboard] })
  class AppModule {}
  const mod = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app =
    options.platform === 'fastify'
      ? mod.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false })
      : mod.createNestApplication({ logger: false });
  Logger.overrideLogger(false);
  const host = options.host ?? '127.0.0.1';
  await app.listen(0, host);
  const { port } = app.getHttpServer().address() as AddressInfo;
  const shown = host === '0.0.0.0' ? '127.0.0.1' : host;
  return { app, scheduler: app.get(JobScheduler), origin: `http://${shown}:${port}`, port };
}
