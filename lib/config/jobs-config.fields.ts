import {
  resolveJobSpec,
  type JobSpecInput,
  type JobTrigger,
  type RunPolicy,
} from '../engine/job-spec.js';
import { FROM_YAML } from '../engine/prepared-job.js';
import { closestMatch } from '../utils/closest-match.js';
import { own } from '../utils/own.js';
import { snakeCase } from '../utils/snake-case.js';
import {
  EXPECTED_CLASS,
  EXPECTED_DURATION_TYPE,
  EXPECTED_HANDLER,
  UNKNOWN_CLASS,
  UNKNOWN_KEY,
} from './config.messages.js';
import { isMapping, lastSegment } from './jobs-config.names.js';

/** Reports one problem of the entry being checked. */
export type Report = (field: string, value: unknown, expected: string) => void;

/** An entry's spec as written (camelCase) and, when it has no problem, as resolved. */
export interface ResolvedFields {
  spec: JobSpecInput;
  params: unknown;
  trigger?: JobTrigger;
  policy?: RunPolicy;
}

/** YAML key → JobSpecInput field (besides `name` and `handler`, handled apart). */
const SPEC_FIELDS = {
  initial_delay: 'initialDelay',
  frequency: 'frequency',
  mode: 'mode',
  overlap: 'overlap',
  misfire_threshold: 'misfireThreshold',
  jitter: 'jitter',
  cron: 'cron',
  time_zone: 'timeZone',
  timeout: 'timeout',
  retries: 'retries',
  retry_delay: 'retryDelay',
  enabled: 'enabled',
  cluster: 'cluster',
  catch_up: 'catchUp',
  catch_up_window: 'catchUpWindow',
  catch_up_limit: 'catchUpLimit',
} as const satisfies Record<string, keyof JobSpecInput>;
const ENTRY_KEYS = ['name', 'handler', ...Object.keys(SPEC_FIELDS)];
const HANDLER_KEYS = ['class', 'params'];
// Made once, not per entry: 100,000 entries are checked at bootstrap.
const SPEC_FIELD_PAIRS = Object.entries(SPEC_FIELDS);
const ENTRY_KEY_SET = new Set(ENTRY_KEYS);
const DURATION_KEYS = new Set([
  'initial_delay',
  'frequency',
  'misfire_threshold',
  'jitter',
  'timeout',
  'retry_delay',
  'catch_up_window',
]);

/** `handler.class`, checked against the app's jobs when they are known. */
export function checkHandler(
  raw: Record<string, unknown>,
  knownJobs: readonly string[] | undefined,
  report: Report,
): string | undefined {
  const handler = own(raw, 'handler');
  if (!isMapping(handler)) {
    report('handler', handler, EXPECTED_HANDLER);
    return undefined;
  }
  for (const key of Object.keys(handler)) {
    if (HANDLER_KEYS.includes(key)) continue;
    report(
      `handler.${key}`,
      handler[key],
      UNKNOWN_KEY(closestMatch(key, HANDLER_KEYS), HANDLER_KEYS),
    );
  }
  const className = own(handler, 'class');
  if (typeof className !== 'string' || !className.trim()) {
    report('handler.class', className, EXPECTED_CLASS);
    return undefined;
  }
  if (knownJobs && !knownJobs.includes(className) && !knownJobs.includes(lastSegment(className))) {
    const sorted = [...knownJobs].sort();
    report(
      'handler.class',
      className,
      UNKNOWN_CLASS(sorted, closestMatch(lastSegment(className), sorted)),
    );
  }
  return className;
}

/** The entry's spec, resolved by the one resolver (`resolveJobSpec`), or its problems reported. */
export function checkSpec(
  raw: Record<string, unknown>,
  report: Report,
  unresolved: Set<string>,
): ResolvedFields {
  const spec: Record<string, unknown> = {};
  const badType = new Set<string>(unresolved);
  for (const key of Object.keys(raw)) {
    if (ENTRY_KEY_SET.has(key)) continue;
    report(key, raw[key], UNKNOWN_KEY(closestMatch(key, ENTRY_KEYS), ENTRY_KEYS));
  }
  for (const [key, field] of SPEC_FIELD_PAIRS) {
    if (!Object.hasOwn(raw, key)) continue;
    const value = raw[key];
    if (unresolved.has(key)) continue;
    // The duration parser takes text or numbers only: report other types here rather than let it
    // throw.
    if (
      DURATION_KEYS.has(key) &&
      value !== null &&
      typeof value !== 'string' &&
      typeof value !== 'number'
    ) {
      report(key, value, EXPECTED_DURATION_TYPE);
      badType.add(key);
      continue;
    }
    spec[field] = value;
  }
  const handler = own(raw, 'handler');
  if (isMapping(handler) && Object.hasOwn(handler, 'params')) spec.params = handler.params;
  const { trigger, policy, issues } = resolveJobSpec(spec as JobSpecInput, FROM_YAML);
  for (const issue of issues) {
    // A field left out for its type would come back as "missing": it is reported already.
    const key = snakeCase(issue.field);
    if (!badType.has(key)) report(key, issue.value, issue.expected);
  }
  return { spec: spec as JobSpecInput, params: spec.params, trigger, policy };
}
