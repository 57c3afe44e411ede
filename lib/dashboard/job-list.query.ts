import type { JobInfo } from '../interfaces/job-info.interface.js';
import { BAD_QUERY } from './dashboard.messages.js';
import type { DashboardState, ListQuery } from './interfaces/dashboard-api.interface.js';

/** Jobs per page unless `size` says otherwise, and the most one page may hold. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

const STATES: ListQuery['state'][] = ['all', 'failing', 'paused', 'running'];
const SORTS: ListQuery['sort'][] = ['name', 'next', 'last', 'runs', 'failures'];
const DIRS: ListQuery['dir'][] = ['asc', 'desc'];
const MAX_SEARCH = 200;

const first = (value: unknown): string | undefined =>
  Array.isArray(value) ? first(value[0]) : typeof value === 'string' ? value : undefined;

/**
 * The list's query string (`?q=feed&state=failing&sort=next&dir=asc&page=2&size=50`), with
 * defaults; every problem in `problems` (the controller answers 400 with them).
 */
export function parseListQuery(raw: Record<string, unknown> | undefined): {
  query: ListQuery;
  problems: string[];
} {
  const problems: string[] = [];
  const pick = <T extends string>(field: string, allowed: T[], fallback: T): T => {
    const value = first(raw?.[field]);
    if (value === undefined || value === '') return fallback;
    if ((allowed as string[]).includes(value)) return value as T;
    problems.push(BAD_QUERY(field, value, `one of ${allowed.join(', ')}`));
    return fallback;
  };
  const whole = (field: string, min: number, max: number, fallback: number): number => {
    const value = first(raw?.[field]);
    if (value === undefined || value === '') return fallback;
    const n = Number(value);
    if (/^\d+$/.test(value) && n >= min && n <= max) return n;
    problems.push(BAD_QUERY(field, value, `a whole number from ${min} to ${max}`));
    return fallback;
  };
  let q = (first(raw?.q) ?? '').trim();
  if (q.length > MAX_SEARCH) {
    problems.push(BAD_QUERY('q', `${q.slice(0, 20)}…`, `at most ${MAX_SEARCH} characters`));
    q = '';
  }
  const query: ListQuery = {
    q,
    state: pick('state', STATES, 'all'),
    sort: pick('sort', SORTS, 'name'),
    dir: pick('dir', DIRS, 'asc'),
    page: whole('page', 1, Number.MAX_SAFE_INTEGER, 1),
    size: whole('size', 1, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE),
  };
  return { query, problems };
}

const failing = (job: JobInfo): boolean => job.lastError !== null && !job.running;
const MATCHES: Record<ListQuery['state'], (job: JobInfo) => boolean> = {
  all: () => true,
  failing,
  paused: (job) => job.state === 'paused',
  running: (job) => job.running,
};

const time = (date: Date | null): number => (date ? date.getTime() : Infinity);
const KEYS: Record<ListQuery['sort'], (job: JobInfo) => number | string> = {
  name: (job) => job.name,
  next: (job) => time(job.nextRunAt),
  last: (job) => -time(job.lastRunAt),
  runs: (job) => job.runs,
  failures: (job) => job.failures,
};

/** The page of `jobs` the query asks for, with the total and the count of each state. */
export function selectJobs(
  jobs: JobInfo[],
  query: ListQuery,
): { page: JobInfo[]; total: number; counts: DashboardState['counts'] } {
  const counts = { all: jobs.length, failing: 0, paused: 0, running: 0 };
  for (const job of jobs) {
    if (failing(job)) counts.failing++;
    if (job.state === 'paused') counts.paused++;
    if (job.running) counts.running++;
  }
  const needle = query.q.toLowerCase();
  const match = MATCHES[query.state];
  const found = jobs.filter(
    (job) => match(job) && (!needle || job.name.toLowerCase().includes(needle)),
  );
  const key = KEYS[query.sort];
  const sign = query.dir === 'asc' ? 1 : -1;
  found.sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    const order = x < y ? -1 : x > y ? 1 : 0;
    return order * sign || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  });
  const from = (query.page - 1) * query.size;
  return { page: found.slice(from, from + query.size), total: found.length, counts };
}
