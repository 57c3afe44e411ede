import { resolveJobSpec } from '../engine/job-spec.js';
import { FROM_CODE, nameProblem, prepareJob } from '../engine/prepared-job.js';
import { BAD_OPTION } from '../errors/job-scheduler.messages.js';
import type { DiscoveredJob } from '../interfaces/discovered-job.interface.js';
import type { JobSpecInput } from '../engine/job-spec.js';
import { own } from '../utils/own.js';
import { RUN_OPTIONS_WITHOUT_SCHEDULE } from './job-plan.messages.js';
import type { PlanBuilder } from './plan-builder.js';

/** How run options given without a schedule are checked: by the rules of code, nothing required. */
const OPTIONS_ONLY = { numbersAreMs: true, requireInitialDelay: false };

/**
 * Adds the `@Job()` schedules (`initialDelay` with `frequency`, or `cron`), resolved by the rules
 * of `JobScheduler` (`prepareJob`). Run options without a schedule would never be used: they
 * are checked, then refused, so a typo or a misplaced option is seen at startup.
 */
export function addCodeJobs(builder: PlanBuilder, jobs: Map<string, DiscoveredJob>): void {
  for (const [name, { job, className, options }] of jobs) {
    const where = `@Job() on ${className}`;
    const spec = options as JobSpecInput;
    const scheduled = ['initialDelay', 'frequency', 'cron'].some((f) => own(spec, f) != null);
    if (scheduled) {
      builder.add(name, { where }, prepareJob(job, spec, FROM_CODE), nameProblem(name));
      continue;
    }
    const problems = unusedRunOptions(spec);
    if (problems.length) problems.forEach((p) => builder.problems.push(`${where}: ${p}`));
  }
}

/** The problems of run options set without a schedule (bad values first, then "unused"). */
function unusedRunOptions(spec: JobSpecInput): string[] {
  const fields = Object.keys(spec).filter((f) => f !== 'name' && own(spec, f) !== undefined);
  if (!fields.length) return [];
  const { issues } = resolveJobSpec(spec, OPTIONS_ONLY);
  const bad = issues.map((i) => BAD_OPTION(i.field, i.value, i.expected));
  return [...bad, RUN_OPTIONS_WITHOUT_SCHEDULE(fields)];
}
