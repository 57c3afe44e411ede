import type { JobSpecInput } from '../engine/job-spec.js';
import { resolveJobSpec } from '../engine/job-spec.js';
import { InvalidJobsConfigError } from '../errors/invalid-jobs-config.error.js';
import { closestMatch } from '../utils/closest-match.js';
import { own } from '../utils/own.js';
import type { LoadedConfig } from './config.loader.js';
import {
  at, derivedNameCollides, duplicateName, entryWhere, EXPECTED_CLASS, EXPECTED_DURATION_TYPE, EXPECTED_ENTRY, EXPECTED_HANDLER,
  EXPECTED_NAME, fieldProblem, notAList, unknownClass, unknownKey, unresolvedField,
} from './config.messages.js';

/** One validated YAML job entry, ready for the engine. */
export interface JobEntry {
  /** Position in the list. */
  index: number;
  /** Unique schedule name: `name`, else the class name, else `Class[index]` when a class appears several times unnamed. */
  name: string;
  /** `handler.class` as written. */
  className: string;
  /** camelCase fields copied as found, with `params` = `handler.params`. */
  spec: JobSpecInput;
  /** e.g. "core_lib.yaml:14 core_lib.jobs[2] (name 'nightly', class 'UpdateCache')". */
  where: string;
}

/** YAML key → JobSpecInput field (besides `name` and `handler`, handled apart). */
const SPEC_FIELDS = {
  initial_delay: 'initialDelay', frequency: 'frequency', mode: 'mode', overlap: 'overlap',
  misfire_threshold: 'misfireThreshold', jitter: 'jitter', cron: 'cron', time_zone: 'timeZone', timeout: 'timeout',
  retries: 'retries', retry_delay: 'retryDelay', enabled: 'enabled', cluster: 'cluster',
} as const satisfies Record<string, keyof JobSpecInput>;
const ENTRY_KEYS = ['name', 'handler', ...Object.keys(SPEC_FIELDS)];
const HANDLER_KEYS = ['class', 'params'];
const DURATION_KEYS = new Set(['initial_delay', 'frequency', 'misfire_threshold', 'jitter', 'timeout', 'retry_delay']);

const isMapping = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const snakeCase = (field: string): string => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
// core-lib names classes by Python path (`some_package.MyJob`): the last segment is the job's name.
const lastSegment = (className: string): string => className.slice(className.lastIndexOf('.') + 1);

/** Validates the job list at `jobsPath`; throws one InvalidJobsConfigError listing every problem, [] when absent or null. */
export function validateJobsConfig(config: LoadedConfig, jobsPath: string, knownJobs: readonly string[]): JobEntry[] {
  const list = config.at(jobsPath);
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    const found = typeof list === 'object' ? 'a mapping' : `${typeof list} ${JSON.stringify(list)}`;
    throw new InvalidJobsConfigError([notAList(at(config.source, config.lineOf(jobsPath)), jobsPath, found)]);
  }
  const problems: string[] = [];
  const names = assignNames(list);
  const entries = list.map((raw, index) => {
    const where = (key = ''): string =>
      entryWhere(at(config.source, lineNear(config, `${jobsPath}.${index}`, key)), jobsPath, index, names[index].name, classOf(raw));
    const report = (field: string, value: unknown, expected: string): void => {
      problems.push(fieldProblem(where(field), field, value, expected));
    };
    if (!isMapping(raw)) {
      problems.push(fieldProblem(where(), 'entry', raw, EXPECTED_ENTRY));
      return undefined;
    }
    const { name = '', problem } = names[index];
    if (problem) report('name', Object.hasOwn(raw, 'name') ? raw.name : name, problem);
    // A value whose `${...}` failed is reported as such, and not validated again as written.
    const prefix = `${jobsPath}.${index}.`;
    const unresolvedKeys = new Set<string>();
    for (const u of config.unresolved.filter((u) => u.path.startsWith(prefix))) {
      const field = u.path.slice(prefix.length);
      unresolvedKeys.add(field.split('.')[0]);
      problems.push(unresolvedField(where(field), field, u.text, u.expected));
    }
    const className = unresolvedKeys.has('handler') ? '' : checkHandler(raw, knownJobs, report) ?? '';
    return { index, name, className, spec: checkSpec(raw, report, unresolvedKeys), where: where() };
  });
  if (problems.length) throw new InvalidJobsConfigError(problems);
  return entries as JobEntry[];
}

function checkHandler(raw: Record<string, unknown>, knownJobs: readonly string[], report: Report): string | undefined {
  const handler = own(raw, 'handler');
  if (!isMapping(handler)) {
    report('handler', handler, EXPECTED_HANDLER);
    return undefined;
  }
  for (const key of Object.keys(handler).filter((k) => !HANDLER_KEYS.includes(k))) {
    report(`handler.${key}`, handler[key], unknownKey(closestMatch(key, HANDLER_KEYS), HANDLER_KEYS));
  }
  const className = own(handler, 'class');
  if (typeof className !== 'string' || !className.trim()) {
    report('handler.class', className, EXPECTED_CLASS);
    return undefined;
  }
  if (!knownJobs.includes(className) && !knownJobs.includes(lastSegment(className))) {
    const sorted = [...knownJobs].sort();
    report('handler.class', className, unknownClass(sorted, closestMatch(lastSegment(className), sorted)));
  }
  return className;
}

function checkSpec(raw: Record<string, unknown>, report: Report, unresolved: Set<string>): JobSpecInput {
  const spec: Record<string, unknown> = {};
  const badType = new Set<string>(unresolved);
  for (const key of Object.keys(raw).filter((k) => !ENTRY_KEYS.includes(k))) {
    report(key, raw[key], unknownKey(closestMatch(key, ENTRY_KEYS), ENTRY_KEYS));
  }
  for (const [key, field] of Object.entries(SPEC_FIELDS)) {
    if (!Object.hasOwn(raw, key)) continue;
    const value = raw[key];
    if (unresolved.has(key)) continue;
    // The duration parser takes text or numbers only: report other types here rather than let it throw.
    if (DURATION_KEYS.has(key) && value !== null && typeof value !== 'string' && typeof value !== 'number') {
      report(key, value, EXPECTED_DURATION_TYPE);
      badType.add(key);
      continue;
    }
    spec[field] = value;
  }
  const handler = own(raw, 'handler');
  if (isMapping(handler) && Object.hasOwn(handler, 'params')) spec.params = handler.params;
  for (const issue of resolveJobSpec(spec, { numbersAreMs: false, requireInitialDelay: true }).issues) {
    // A field left out for its type would come back as "missing": it is reported already.
    if (!badType.has(snakeCase(issue.field))) report(snakeCase(issue.field), issue.value, issue.expected);
  }
  return spec as JobSpecInput;
}

type Report = (field: string, value: unknown, expected: string) => void;
interface Naming { name?: string; problem?: string }

/** Applies the naming rule to every entry at once, since uniqueness depends on all of them. */
function assignNames(list: unknown[]): Naming[] {
  const explicit = new Map<string, number>();
  const namings: Naming[] = list.map((raw, index) => {
    if (!isMapping(raw) || !Object.hasOwn(raw, 'name')) return {};
    const name = raw.name;
    if (typeof name !== 'string' || !name.trim()) return { problem: EXPECTED_NAME };
    const first = explicit.get(name);
    if (first !== undefined) return { name, problem: duplicateName(first, index) };
    explicit.set(name, index);
    return { name };
  });
  const unnamed = list.map((raw) => (isMapping(raw) && !Object.hasOwn(raw, 'name') ? classOf(raw) : undefined));
  unnamed.forEach((className, index) => {
    if (className === undefined) return;
    const base = lastSegment(className);
    const shared = unnamed.filter((other) => other !== undefined && lastSegment(other) === base).length > 1;
    const name = shared ? `${base}[${index}]` : base;
    const owner = explicit.get(name);
    namings[index] = owner === undefined ? { name } : { name, problem: derivedNameCollides(owner) };
  });
  return namings;
}

/** Line of `entry.key`, else of its closest existing parent (a missing `handler.class` points at `handler`). */
function lineNear(config: LoadedConfig, entryPath: string, key: string): number | undefined {
  const parts = key ? key.split('.') : [];
  for (let n = parts.length; n >= 0; n--) {
    const line = config.lineOf([entryPath, ...parts.slice(0, n)].join('.'));
    if (line !== undefined) return line;
  }
  return undefined;
}

function classOf(raw: unknown): string | undefined {
  const handler = isMapping(raw) ? own(raw, 'handler') : undefined;
  const className = isMapping(handler) ? own(handler, 'class') : undefined;
  return typeof className === 'string' && className.trim() ? className : undefined;
}

