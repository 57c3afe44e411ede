import { BadRequestException, Injectable } from '@nestjs/common';
import type { ControlActor } from '../interfaces/job-control.interface.js';
import type { RunOutcome } from '../interfaces/job-event.interface.js';
import type { JobScheduler } from '../job.scheduler.js';
import { MAX_REASON_CHARS, TRIGGER_WAIT_MS } from './dashboard.constants.js';
import {
  BAD_BODY,
  BAD_REASON,
  PAUSED,
  RESUMED,
  RUN_OUTCOME,
  RUN_SKIPPED,
  RUN_STARTED,
} from './dashboard.messages.js';
import { DashboardService } from './dashboard.service.js';

/** What an action answers: a line for the page, and the run's outcome for a trigger. */
export interface ActionResult {
  message: string;
  /** Trigger only: how the run ended, or `running` if it was still running after a second. */
  outcome?: RunOutcome['status'] | 'running';
}

/** An action's body: `{ "name": "refresh-users", "params": { ... }, "reason": "..." }`. */
export interface ActionBody {
  name: string;
  params?: unknown;
  reason?: string;
}

/** Checks an action's body: a JSON object with the job's name, a reason of text if any. */
export function actionBody(body: unknown): ActionBody {
  const ok = typeof body === 'object' && body !== null && !Array.isArray(body);
  if (!ok || typeof (body as ActionBody).name !== 'string') {
    throw new BadRequestException(BAD_BODY());
  }
  const { reason } = body as ActionBody;
  if (reason !== undefined && (typeof reason !== 'string' || reason.length > MAX_REASON_CHARS)) {
    throw new BadRequestException(BAD_REASON(MAX_REASON_CHARS));
  }
  return body as ActionBody;
}

/**
 * The dashboard's actions, through the scheduler's control plane: each is recorded in the audit
 * trail with who (`by`: the request's user, else `dashboard`) and why (`reason`).
 */
@Injectable()
export class DashboardActions {
  private readonly scheduler: JobScheduler;

  constructor(private readonly dashboard: DashboardService) {
    this.scheduler = dashboard.scheduler;
  }

  /** Runs a job now; answers with its outcome, or "started" if it takes longer than a second. */
  async trigger(body: ActionBody, by: string): Promise<ActionResult> {
    this.dashboard.require(body.name);
    const run = this.scheduler.trigger(body.name, body.params, actor(body, by));
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

  async pause(body: ActionBody, by: string): Promise<ActionResult> {
    this.dashboard.require(body.name);
    await this.scheduler.pause(body.name, actor(body, by));
    return { message: PAUSED() };
  }

  async resume(body: ActionBody, by: string): Promise<ActionResult> {
    this.dashboard.require(body.name);
    await this.scheduler.resume(body.name, actor(body, by));
    return { message: RESUMED() };
  }
}

function actor(body: ActionBody, by: string): ControlActor {
  const reason = body.reason?.trim();
  return reason ? { by, reason } : { by };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
