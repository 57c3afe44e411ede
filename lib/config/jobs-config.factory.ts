import { Logger } from '@nestjs/common';
import { DEFAULT_CONFIG_FILE } from '../core-lib-jobs.constants.js';
import { NO_CONFIG_FILE } from '../core-lib-jobs.messages.js';
import type { ResolvedModuleOptions } from '../interfaces/resolved-options.interface.js';
import { storeOptionsFor } from '../store/store.factory.js';
import { collectProblems } from '../utils/collect-problems.js';
import { loadConfig, type LoadedConfig } from './config.loader.js';
import type { JobsConfig } from './jobs-config.interface.js';
import { readModuleSettings } from './module-settings.js';

/**
 * The `JOBS_CONFIG` provider's factory: loads the YAML once and merges it with the validated
 * options. A document that cannot be read (missing file, syntax, cycles) is a problem like the
 * others, reported at onModuleInit with the rest, so one error lists everything.
 */
export function createJobsConfig(options: ResolvedModuleOptions): JobsConfig {
  const problems: string[] = [];
  let yaml: LoadedConfig | undefined;
  collectProblems(problems, () => {
    yaml = loadConfig(options.config);
    if (!yaml) {
      new Logger('CoreLibJobsModule').warn(NO_CONFIG_FILE(DEFAULT_CONFIG_FILE, process.cwd()));
    }
  });
  const settings = readModuleSettings(yaml, options);
  return {
    takeYaml: () => {
      const taken = yaml;
      yaml = undefined;
      return taken;
    },
    jobsPath: options.jobsPath,
    shutdownTimeoutMs: settings.shutdownTimeoutMs,
    cluster: settings.cluster,
    clock: options.clock,
    store: storeOptionsFor(settings.store, settings.cluster),
    storeConfigured: settings.store !== undefined || settings.cluster !== undefined,
    problems: [...problems, ...settings.problems],
  };
}
