import type { PreparedJob } from '../engine/prepared-job.js';
import { NAME_TAKEN } from './job-plan.messages.js';

/** A job with everything needed to schedule it at bootstrap: its name and its resolved spec. */
export interface PlannedJob {
  name: string;
  prepared: PreparedJob;
}

/** Where a job was declared, for messages: read only when there is a problem to report. */
export interface JobSource {
  readonly where: string;
}

/** The plan as it is built: jobs, the problems found, and who claimed each name first. */
export class PlanBuilder {
  readonly plan: PlannedJob[] = [];
  readonly problems: string[] = [];
  private readonly claimedBy = new Map<string, JobSource>();

  /** Adds a resolved job under `name`, or the problems of `source`. */
  add(name: string, source: JobSource, prepared: PreparedJob | string[], badName?: string): void {
    if (badName) this.problems.push(`${source.where}: ${badName}`);
    if (Array.isArray(prepared)) {
      prepared.forEach((p) => this.problems.push(`${source.where}: ${p}`));
    }
    const first = this.claimedBy.get(name);
    if (first) this.problems.push(NAME_TAKEN(source.where, name, first.where));
    else this.claimedBy.set(name, source);
    if (!first && !badName && !Array.isArray(prepared)) this.plan.push({ name, prepared });
  }
}
