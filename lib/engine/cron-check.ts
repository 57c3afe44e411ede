import { CronTime } from 'cron';
import type { FieldIssue } from './job-spec.js';

/** Checks a cron expression and its time zone; the problem, or undefined. */
export function checkCron(cron: unknown, timeZone: string | undefined): FieldIssue | undefined {
  if (typeof cron !== 'string' || !cron.trim()) {
    return { field: 'cron', value: cron, expected: "a cron expression such as '0 16 * * *'" };
  }
  const fields = cron.trim().split(/\s+/).length;
  if (fields < 5 || fields > 6) {
    return {
      field: 'cron',
      value: cron,
      expected: 'a cron expression of 5 fields, or 6 with seconds first',
    };
  }
  if (timeZone !== undefined && (typeof timeZone !== 'string' || !isTimeZone(timeZone))) {
    return {
      field: 'timeZone',
      value: timeZone,
      expected: "an IANA time zone such as 'Europe/Paris'",
    };
  }
  try {
    new CronTime(cron, timeZone);
    return undefined;
  } catch (error) {
    return {
      field: 'cron',
      value: cron,
      expected: `a valid cron expression (${(error as Error).message})`,
    };
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
