import {
  Injectable,
  NotFoundException,
  Optional,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { JobsSetupError } from '../errors/jobs-setup.error.js';
import type { JobEvent, RunOutcome } from '../interfaces/job-event.interface.js';
import { JobScheduler } from '../job.scheduler.js';
import { MAX_STACK_CHARS, TRIGGER_WAIT_MS } from './dashboard.constants.js';
import {
  NO_SCHEDULER,
  PAUSED,
  RESUMED,
  RUN_OUTCOME,
  RUN_SKIPPED,
  RUN_STARTED,
  UNKNOWN_JOB,
} from './dashboard.messages.js';
import { toClusterView, toJobView, type DashboardState } from './dashboard.view.js';

/** What an action answers: a line for the page, and the run's outcome for a trigger. */
export interface ActionResult {
  message: string;
  /** Trigger only: how the run ended, or `running` if it was still running after a second. */
  outcome?: RunOutcome['status'] | 'running';
}

/**
 * The dashboard's model: the scheduler's `list()`, plus the stack of each job's last error, which
 * `list()` does not keep (only its message). Stacks come from the scheduler's event stream.
 */
@Injectable()
export class DashboardService implements OnModuleInit, OnModuleDestroy {
  /** Sent by the page with every action (see `forgeryProblem`); new on every start. */
  readonly token = randomBytes(24).toString('base64url');
  private readonly scheduler: JobScheduler;
  private readonly stacks = new Map<string, string>();
  private readonly serverZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  private unsubscribe: (() => void) | undefined;

  constructor(@Optional() scheduler?: JobScheduler) {
    if (!scheduler) throw new JobsSetupError(NO_SCHEDULER());
    this.scheduler = scheduler;
  }

  onModuleInit(): void {
    this.unsubscribe = this.scheduler.subscribe((event) => this.record(event));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  state(): DashboardState {
    const jobs = this.scheduler.list();
    // A job that left the list (stopped, or a once job that ran) takes its stack with it.
    const names = new Set(jobs.map((j) => j.name));
    for (const name of this.stacks.keys()) if (!names.has(name)) this.stacks.delete(name);
    const cluster = this.scheduler.clusterStatus();
    const context = { serverZone: this.serverZone, replicaId: cluster?.replicaId };
    return {
      now: new Date(this.scheduler.now()).toISOString(),
      cluster: toClusterView(cluster),
      jobs: jobs.map((job) => toJobView(job, { ...context, stack: this.stacks.get(job.name) })),
    };
  }

  /** Runs a job now; answers with its outcome, or "started" if it takes longer than a second. */
  async trigger(name: string, params: unknown): Promise<ActionResult> {
    this.require(name);
    const run = this.scheduler.trigger(name, params);
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), TRIGGER_WAIT_MS);
    });
    const outcome = await Promise.race([run, waited]);
    clearTimeout(timer);
    if (!outcome) return { message: RUN_STARTED(), outcome: 'running' };
    if (outcome.status === 'skipped') {
      return { message: RUN_SKIPPED(outcome.skipReason ?? 'unknown'), outcome: 'skipped' };
    }
    const detail = outcome.error === undefined ? undefined : errorMessage(outcome.error);
    return {
      message: RUN_OUTCOME(outcome.status, outcome.durationMs, detail),
      outcome: outcome.status,
    };
  }

  pause(name: string): ActionResult {
    this.require(name);
    this.scheduler.pause(name);
    return { message: PAUSED() };
  }

  resume(name: string): ActionResult {
    this.require(name);
    this.scheduler.resume(name);
    return { message: RESUMED() };
  }

  private require(name: string): void {
    if (this.scheduler.get(name)) return;
    throw new NotFoundException(UNKNOWN_JOB(name));
  }

  private record(event: JobEvent): void {
    if (event.type === 'succeeded') this.stacks.delete(event.name);
    if (event.type !== 'failed' || !event.final) return;
    const error = event.error;
    const stack = error instanceof Error && error.stack ? error.stack : errorMessage(error);
    this.stacks.set(event.name, stack.slice(0, MAX_STACK_CHARS));
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
