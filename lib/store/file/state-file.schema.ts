/** The state file's layout: written by `serializeStateFile`, checked field by field on load. */
import { fieldProblem } from '../../config/config.messages.js';
import { StateFileInvalidError } from '../job-store.error.js';
import type { BookEntry } from '../job-book.js';
import { STATE_FILE_VERSION } from '../store.constants.js';
import { EMPTY_FILE, FILE_EXPECTED as E, MORE_PROBLEMS, NOT_JSON } from '../store.messages.js';

const ABOUT =
  'Job state of nestjs-core-lib-jobs, written by the app. Deleting it loses the run history, ' +
  'and ticks missed while the app was down are then not caught up once.';
const STATUSES = ['succeeded', 'failed', 'timed-out', 'skipped', 'abandoned'];
const REASONS = ['schedule', 'catch-up', 'trigger'];
const MAX_PROBLEMS = 20;

type Kind = 'time' | 'timeOrNull' | 'count' | 'text' | 'status' | 'reason' | 'error' | 'name';
type Fields = Record<string, Kind | ((value: unknown, path: string) => void)>;
const COMMON: Fields = { name: 'name', runId: 'text', due: 'time', reason: 'reason' };
const START: Fields = { ...COMMON, startedAt: 'time', replica: 'text', leaseUntil: 'time' };
const RECORD: Fields = {
  ...COMMON,
  startedAt: 'time',
  endedAt: 'time',
  status: 'status',
  attempts: 'count',
  error: 'error',
  replica: 'text',
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isTime = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
const isCount = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0;
const isText = (v: unknown): boolean => typeof v === 'string' && v !== '';

/** The file's text, as the file store writes it. */
export function serializeStateFile(entries: Iterable<[string, BookEntry]>): string {
  const file = { version: STATE_FILE_VERSION, about: ABOUT, jobs: Object.fromEntries(entries) };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Every job of the file; throws `StateFileInvalidError` listing what is wrong, one line each. */
export function parseStateFile(text: string, file: string): [string, BookEntry][] {
  const problems: string[] = [];
  const bad = (path: string, value: unknown, expected: string): void =>
    void problems.push(fieldProblem(file, path, value, expected));
  const data = parseJson(text, file);
  if (!isObject(data)) bad('<root>', data, E.object);
  else checkRoot(data, bad);
  if (problems.length > MAX_PROBLEMS) {
    problems.splice(MAX_PROBLEMS, Infinity, MORE_PROBLEMS(problems.length - MAX_PROBLEMS));
  }
  if (problems.length) throw new StateFileInvalidError(file, problems);
  return Object.entries((data as { jobs: Record<string, BookEntry> }).jobs);
}

type Bad = (path: string, value: unknown, expected: string) => void;

function checkRoot(data: Record<string, unknown>, bad: Bad): void {
  checkFields(data, ['version', 'about', 'jobs'], '', bad);
  if (data.version !== STATE_FILE_VERSION)
    bad('version', data.version, E.version(STATE_FILE_VERSION));
  if (!isObject(data.jobs)) return bad('jobs', data.jobs, E.object);
  for (const [name, job] of Object.entries(data.jobs)) {
    const path = `jobs[${JSON.stringify(name)}]`;
    if (!isObject(job)) bad(path, job, E.object);
    else checkJob(job, name, path, bad);
  }
}

function checkJob(job: Record<string, unknown>, name: string, path: string, bad: Bad): void {
  const lists = { running: START, history: RECORD };
  const counts = ['runs', 'failures', 'consecutiveFailures'];
  checkFields(job, ['lastTick', 'lastRun', ...counts, ...Object.keys(lists)], path, bad);
  if (job.lastTick !== null && !isTime(job.lastTick))
    bad(`${path}.lastTick`, job.lastTick, E.timeOrNull);
  for (const count of counts)
    if (!isCount(job[count])) bad(`${path}.${count}`, job[count], E.count);
  if (job.lastRun !== null) {
    if (isObject(job.lastRun)) checkRecord(job.lastRun, RECORD, name, `${path}.lastRun`, bad);
    else bad(`${path}.lastRun`, job.lastRun, E.recordOrNull);
  }
  for (const [list, fields] of Object.entries(lists)) {
    const items = job[list];
    if (!Array.isArray(items)) {
      bad(`${path}.${list}`, items, E.list);
      continue;
    }
    items.forEach((item, i) => {
      if (isObject(item)) checkRecord(item, fields, name, `${path}.${list}[${i}]`, bad);
      else bad(`${path}.${list}[${i}]`, item, E.object);
    });
  }
}

function checkRecord(
  item: Record<string, unknown>,
  fields: Fields,
  name: string,
  path: string,
  bad: Bad,
): void {
  checkFields(item, Object.keys(fields), path, bad);
  for (const [field, kind] of Object.entries(fields)) {
    const value = item[field];
    const at = `${path}.${field}`;
    if (kind === 'name' && value !== name) bad(at, value, JSON.stringify(name));
    if (kind === 'time' && !isTime(value)) bad(at, value, E.time);
    if (kind === 'count' && !isCount(value)) bad(at, value, E.count);
    if (kind === 'text' && !isText(value)) bad(at, value, E.text);
    if (kind === 'status' && !STATUSES.includes(value as string)) bad(at, value, E.oneOf(STATUSES));
    if (kind === 'reason' && !REASONS.includes(value as string)) bad(at, value, E.oneOf(REASONS));
    if (kind === 'error' && value !== null && !isError(value)) bad(at, value, E.error);
  }
}

function isError(value: unknown): boolean {
  if (!isObject(value) || typeof value.message !== 'string') return false;
  const keys = Object.keys(value);
  const stackOk = value.stack === undefined || typeof value.stack === 'string';
  return stackOk && keys.every((key) => key === 'message' || key === 'stack');
}

/** Reports fields this layout does not have (a missing one fails its own check). */
function checkFields(
  value: Record<string, unknown>,
  known: string[],
  path: string,
  bad: Bad,
): void {
  const at = (field: string): string => (path ? `${path}.${field}` : field);
  for (const key of Object.keys(value))
    if (!known.includes(key)) bad(at(key), value[key], E.unknownField(known));
}

function parseJson(text: string, file: string): unknown {
  if (text.trim() === '') throw new StateFileInvalidError(file, [`${file}: ${EMPTY_FILE}`]);
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = (error as Error).message;
    const position = /at position (\d+)/.exec(reason);
    if (!position) throw new StateFileInvalidError(file, [`${file}: ${NOT_JSON(reason)}`]);
    const before = text.slice(0, Number(position[1])).split('\n');
    const where = NOT_JSON(reason, before.length, before[before.length - 1].length + 1);
    throw new StateFileInvalidError(file, [`${file}: ${where}`]);
  }
}
