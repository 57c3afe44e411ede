import type { JobInfo } from '../interfaces/job-info.interface.js';
import { formatDuration } from '../utils/duration.parser.js';
import type { JobHandle } from './job-handle.js';
import type { JobTrigger, RunPolicy } from './job-spec.js';
import { NOT_QUEUED } from './timer-lane.js';

/** The schedule as text for `list()` and logs. @internal */
export function describeTrigger(trigger: JobTrigger, policy: RunPolicy): string {
  const delay = trigger.initialDelayMs;
  const after = delay ? ` after ${formatDuration(delay)}` : ' at startup';
  if (trigger.kind === 'once') return `once${after}`;
  if (trigger.kind === 'cron') {
    return `cron ${trigger.cron}${trigger.timeZone ? ` (${trigger.timeZone})` : ''}`;
  }
  return `every ${formatDuration(trigger.frequencyMs)} (${policy.mode}), first${after}`;
}

/** A job as `list()` and `get()` show it. @internal */
export function jobInfo(h: JobHandle): JobInfo {
  const s = h.stats;
  const t = h.trigger;
  const queued = h.state === 'scheduled' && h.heapIndex !== NOT_QUEUED;
  return {
    name: h.name,
    schedule: describeTrigger(t, h.policy),
    kind: t.kind,
    cron: t.kind === 'cron' ? t.cron : null,
    timeZone: (t.kind === 'cron' && t.timeZone) || null,
    frequencyMs: t.kind === 'interval' ? t.frequencyMs : null,
    initialDelayMs: t.initialDelayMs,
    state: h.state,
    nextRunAt: queued ? new Date(h.nextDue) : null,
    lastRunAt: s?.lastRunAt ? new Date(s.lastRunAt) : null,
    lastDurationMs: s && s.lastDurationMs >= 0 ? s.lastDurationMs : null,
    lastError: s?.lastError ?? null,
    runs: s?.runs ?? 0,
    failures: s?.failures ?? 0,
    running: h.running > 0,
    lastRunBy: s?.lastRunBy ?? null,
  };
}
