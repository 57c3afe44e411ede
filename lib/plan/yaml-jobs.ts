import type { JobsConfig } from '../config/jobs-config.interface.js';
import { validateJobsConfig } from '../config/jobs-config.validator.js';
import type { DiscoveredJob } from '../interfaces/discovered-job.interface.js';
import { collectProblems } from '../utils/collect-problems.js';
import type { PlanBuilder } from './plan-builder.js';

/**
 * Takes the YAML from `config` and adds its entries, checked against the app's job names and
 * resolved by the validator:
 * the plan keeps that resolution, it does not resolve again.
 */
export function addYamlJobs(
  builder: PlanBuilder,
  config: JobsConfig,
  jobs: Map<string, DiscoveredJob>,
): void {
  const yaml = config.takeYaml();
  if (!yaml) return;
  collectProblems(builder.problems, () => {
    for (const entry of validateJobsConfig(yaml, config.jobsPath, [...jobs.keys()])) {
      // core-lib names classes by Python path (`pkg.MyJob`): the validator took the last segment.
      const found = jobs.get(entry.className) ?? jobs.get(entry.className.split('.').pop()!)!;
      const { params, trigger, policy } = entry;
      // The entry itself is the source: its `where` (line lookups) is worked out only if needed.
      builder.add(entry.name, entry, { job: found.job, params, trigger, policy });
    }
  });
}
