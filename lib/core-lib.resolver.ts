import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { CORE_LIB_JOBS_OPTIONS } from './core-lib-jobs.constants.js';
import { JobsSetupError } from './errors/jobs-setup.error.js';
import { UNKNOWN_CORE_LIB } from './errors/jobs-setup.messages.js';
import type { ResolvedModuleOptions } from './interfaces/resolved-options.interface.js';

const NOT_YET = Symbol('not resolved yet');

/**
 * The app's CoreLib service (`forRoot({ coreLib })`), looked up through ModuleRef on first use,
 * when every provider exists, then kept. undefined when no `coreLib` is configured.
 */
@Injectable()
export class CoreLibResolver {
  private coreLib: unknown = NOT_YET;

  constructor(
    private readonly moduleRef: ModuleRef,
    @Inject(CORE_LIB_JOBS_OPTIONS) private readonly options: ResolvedModuleOptions,
  ) {}

  /** The CoreLib instance; throws JobsSetupError when the token is not a provider of the app. */
  get(): unknown {
    if (this.coreLib === NOT_YET) this.coreLib = this.lookup();
    return this.coreLib;
  }

  private lookup(): unknown {
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
