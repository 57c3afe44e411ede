import { formatDuration } from '../utils/duration.parser.js';
import type { JobTrigger, RunPolicy } from './job-spec.js';

/** The schedule as text for `list()` and logs. */
export function describeTrigger(trigger: JobTrigger, policy: RunPolicy): string {
  const after = trigger.initialDelayMs ? ` after ${formatDuration(trigger.initialDelayMs)}` : ' at startup';
  if (trigger.kind === 'once') return `once${after}`;
  if (trigger.kind === 'cron') return `cron ${trigger.cron}${trigger.timeZone ? ` (${trigger.timeZone})` : ''}`;
  return `every ${formatDuration(trigger.frequencyMs)} (${policy.mode}), first${after}`;
}
