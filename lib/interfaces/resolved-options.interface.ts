import type { InjectionToken, Type } from '@nestjs/common';
import type { ClusterOptions } from './cluster-options.interface.js';

/** The module options after validation (internal). */
export interface ResolvedModuleOptions {
  config: string | Record<string, unknown> | undefined;
  jobsPath: string;
  coreLib: InjectionToken | undefined;
  jobs: Type<unknown>[];
  shutdownTimeoutMs: number;
  clock: (() => number) | undefined;
  cluster: ClusterOptions | false | undefined;
}
