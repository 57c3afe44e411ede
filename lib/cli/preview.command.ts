import type { JobEntry } from '../config/jobs-config.validator.js';
import { fireTimes } from '../engine/fire-times.js';
import { describeTrigger } from '../engine/job-describe.js';
import { InvalidJobsConfigError } from '../errors/invalid-jobs-config.error.js';
import { formatDuration } from '../utils/duration.parser.js';
import { checkConfig } from './check-config.js';
import { checkInputOf, COMMON_OPTIONS, parseCommandLine, type ParsedValues } from './cli.args.js';
import type { CliOutput } from './cli-output.js';
import {
  CLASSES_NOT_CHECKED,
  DISABLED_NOTE,
  FIXED_DELAY_NOTE,
  JITTER_NOTE,
  PREVIEW_HEADER,
  PREVIEW_HELP,
} from './cli.messages.js';
import { previewSettingsOf, type PreviewSettings } from './preview.args.js';
import { formatInZone } from './zoned-time.js';

const PREVIEW_OPTIONS = {
  ...COMMON_OPTIONS,
  count: { type: 'string' },
  from: { type: 'string' },
  tz: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** One job's preview. */
export interface JobPreview {
  name: string;
  schedule: string;
  enabled: boolean;
  /** ISO times with the offset of the zone shown. */
  times: string[];
  notes: string[];
}

/** `core-lib-jobs preview [file]`: each job's next fire times, as a table or JSON. */
export function previewCommand(argv: string[], io: CliOutput): number {
  const { values, file } = parseCommandLine(argv, PREVIEW_OPTIONS);
  if (values.help) {
    io.out(PREVIEW_HELP);
    return 0;
  }
  const settings = previewSettingsOf(values as ParsedValues);
  const input = checkInputOf(values, file);
  const { entries, problems } = checkConfig(input);
  if (problems.length) {
    io.out(new InvalidJobsConfigError(problems).message);
    return 1;
  }
  const jobs = entries.map((entry) => previewOf(entry, settings));
  const from = formatInZone(settings.from, settings.zone);
  if (values.json) {
    io.out(JSON.stringify({ from, timeZone: settings.zone, count: settings.count, jobs }, null, 2));
  } else {
    io.out(table(jobs, from, settings));
    if (!input.jobs) io.out(`\n${CLASSES_NOT_CHECKED}`);
  }
  return 0;
}

function previewOf(entry: JobEntry, { from, count, zone }: PreviewSettings): JobPreview {
  const { trigger, policy } = entry;
  const notes: string[] = [];
  if (!policy.enabled) notes.push(DISABLED_NOTE);
  if (trigger.kind === 'interval' && policy.mode === 'fixed-delay') notes.push(FIXED_DELAY_NOTE);
  if (policy.jitterMs > 0) notes.push(JITTER_NOTE(formatDuration(policy.jitterMs)));
  const times = policy.enabled ? fireTimes(trigger, from, count, zone) : [];
  return {
    name: entry.name,
    schedule: describeTrigger(trigger, policy),
    enabled: policy.enabled,
    times: times.map((t) => formatInZone(t, zone)),
    notes,
  };
}

function table(jobs: JobPreview[], from: string, { zone, count }: PreviewSettings): string {
  const lines = [PREVIEW_HEADER(from, zone, count)];
  for (const job of jobs) {
    lines.push('', `${job.name}: ${job.schedule}`);
    job.times.forEach((time, index) => lines.push(`  ${String(index + 1).padStart(3)}. ${time}`));
    job.notes.forEach((note) => lines.push(`  note: ${note}`));
  }
  return lines.join('\n');
}
