import { fireTimes } from '../engine/fire-times.js';
import type { JobTrigger } from '../engine/job-spec.js';
import type { AuditEntry } from '../interfaces/job-control.interface.js';
import type { JobInfo } from '../interfaces/job-info.interface.js';
import type { RunRecord } from '../interfaces/job-store.interface.js';
import {
  CHART_RUNS,
  HISTORY_PAGE_SIZE,
  MAX_STACK_CHARS,
  NEXT_TIMES,
} from './dashboard.constants.js';
import type {
  AuditView,
  JobDetail,
  JobView,
  RunView,
} from './interfaces/dashboard-api.interface.js';

const iso = (ms: number): string => new Date(ms).toISOString();

/** The job's schedule as the engine's fire-time functions take it. */
function triggerOf(info: JobInfo): JobTrigger | undefined {
  if (info.kind === 'cron' && info.cron) {
    return {
      kind: 'cron',
      initialDelayMs: 0,
      cron: info.cron,
      timeZone: info.timeZone ?? undefined,
    };
  }
  if (info.kind === 'interval' && info.frequencyMs) {
    return { kind: 'interval', initialDelayMs: 0, frequencyMs: info.frequencyMs };
  }
  return info.kind === 'once' ? { kind: 'once', initialDelayMs: 0 } : undefined;
}

/**
 * The next fire times, with the functions the engine and the CLI's `preview` use: from the
 * queued next run, or (paused, not queued) from now, as a resume would place them.
 */
export function nextFireTimes(info: JobInfo, now: number, serverZone: string): string[] {
  const trigger = triggerOf(info);
  if (!trigger || (trigger.kind === 'once' && !info.nextRunAt)) return [];
  const from = info.nextRunAt ? info.nextRunAt.getTime() : now + 1;
  return fireTimes(trigger, from, NEXT_TIMES, serverZone).map(iso);
}

export function toRunView(run: RunRecord): RunView {
  const ran = run.status !== 'skipped';
  return {
    runId: run.runId,
    due: iso(run.due),
    started: iso(run.startedAt),
    durationMs: ran ? Math.max(0, run.endedAt - run.startedAt) : null,
    latenessMs: run.reason === 'trigger' || !ran ? null : Math.max(0, run.startedAt - run.due),
    status: run.status,
    reason: run.reason,
    attempts: run.attempts,
    replica: run.replica,
    error: run.status === 'succeeded' ? null : (run.error?.message ?? null),
    errorStack: run.error?.stack?.slice(0, MAX_STACK_CHARS) ?? null,
  };
}

/** What an audit entry changed, in a line: a trigger's params, a definition's new schedule. */
function changeText(entry: AuditEntry): string | null {
  const { change } = entry;
  if (entry.action === 'trigger') {
    return change.params === undefined ? null : `params ${JSON.stringify(change.params)}`;
  }
  if (entry.action === 'upsert' || entry.action === 'remove') {
    return change.after === undefined ? null : JSON.stringify(change.after);
  }
  return null;
}

export function toAuditView(entry: AuditEntry): AuditView {
  return {
    at: entry.at.toISOString(),
    action: entry.action,
    by: entry.by,
    reason: entry.reason,
    detail: changeText(entry),
  };
}

/** Everything a job's page shows, for `page` of its history (newest first). */
export function jobDetail(o: {
  info: JobInfo;
  view: JobView;
  runs: RunRecord[];
  audit: AuditEntry[];
  missed: Record<string, number>;
  page: number;
  now: number;
  serverZone: string;
}): JobDetail {
  const size = HISTORY_PAGE_SIZE;
  const from = (o.page - 1) * size;
  return {
    now: iso(o.now),
    job: o.view,
    nextTimes: nextFireTimes(o.info, o.now, o.serverZone),
    history: {
      page: o.page,
      size,
      total: o.runs.length,
      runs: o.runs.slice(from, from + size).map(toRunView),
    },
    chart: o.runs.slice(0, CHART_RUNS).reverse().map(toRunView),
    missed: o.missed,
    audit: o.audit.map(toAuditView),
  };
}
