import type { PreparedJob } from '../engine/prepared-job.js';
import { NAME_TAKEN } from './job-plan.messages.js';

/** A job with everything needed to schedule it at bootstrap: its name and its resolved spec. */
export interface PlannedJob {
  name: string;
  prepared: PreparedJob;
}

/** The plan as it is built: jobs, the problems found, and who claimed each name first. */
export class PlanBuilder {
  readonly plan: PlannedJob[] = [];
  readonly problems: string[] = [];
  private readonly claimedBy = new Map<string, string>();

  /** Adds a resolved job under `name`, or the problems of `where`. */
  add(name: string, where: string, prepared: PreparedJob | string[], badName?: string): void {
    if (badName) this.problems.push(`${where}: ${badName}`);
    if (Array.isArray(prepared)) prepared.forEach((p) => this.problems.push(`${where}: ${p}`));
    const first = this.claimedBy.get(name);
    if (first) this.problems.push(NAME_TAKEN(where, name, first));
    else this.claimedBy.set(name, where);
    if (!first && !badName && !Array.isArray(prepared)) this.plan.push({ name, prepared });
  }
}
