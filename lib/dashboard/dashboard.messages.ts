import { formatDuration } from '../utils/duration.parser.js';
import { TOKEN_HEADER } from './dashboard.constants.js';

/** Message text of the dashboard (server side). */
export const OPTIONS_WHERE = 'CoreLibJobsDashboardModule options';
export const NO_SCHEDULER = (): string =>
  'CoreLibJobsDashboardModule needs CoreLibJobsModule.forRoot() (or forRootAsync()) in the app';
export const FROM_FACTORY = (key: string): string =>
  `${key}: returned by the factory; pass it to forRootAsync() itself (routes and guards are ` +
  'wired before the factory runs)';
export const UNKNOWN_OPTION = (key: string, known: string[]): string =>
  `${key}: unknown option, expected one of ${known.join(', ')}`;
export const LOCAL_ONLY = (): string =>
  'The jobs dashboard answers only local requests (from a loopback address, to a loopback host ' +
  'name, not through a proxy); pass `authorize` or `guards` to ' +
  'CoreLibJobsDashboardModule.forRoot() to open it to others';
export const NOT_AUTHORIZED = (): string => 'Not allowed to use the jobs dashboard';
export const READ_ONLY = (): string => 'The jobs dashboard is read-only: actions are turned off';
export const CROSS_SITE = (header: string, value: string): string =>
  `Refused a cross-site request (${header}: ${value}); actions must come from the dashboard page`;
export const BAD_TOKEN = (): string =>
  `Missing or wrong ${TOKEN_HEADER} header; actions must come from the dashboard page`;
export const UNKNOWN_JOB = (name: string): string =>
  `No job named ${JSON.stringify(name)} is scheduled`;
export const BAD_QUERY = (field: string, value: string, expected: string): string =>
  `${field}: ${JSON.stringify(value)} is not valid, expected ${expected}`;
export const BAD_REASON = (max: number): string =>
  `reason: expected text of at most ${max} characters`;
export const CLIENT_NOT_BUILT = (looked: string[]): string =>
  `The dashboard's browser script is not built (looked in ${looked.join(' and ')}): run ` +
  '`npm run build`';
export const BAD_BODY = (): string =>
  "The body must be a JSON object with the job's name, such as " +
  '{"name": "refresh-users", "params": {"key": "users"}, "reason": "backfill"} ' +
  '(params: trigger only; reason: optional)';

/** Results of actions, shown next to the job's buttons. */
export const RUN_OUTCOME = (status: string, durationMs: number, detail?: string): string =>
  `Run ${status} in ${durationText(durationMs)}${detail ? `: ${detail}` : ''}`;
export const RUN_SKIPPED = (reason: string): string => `Run skipped (${reason})`;
export const RUN_STARTED = (): string => 'Run started';
export const PAUSED = (): string => 'Paused';
export const RESUMED = (): string => 'Resumed';
/** Audit entries the dashboard itself keeps (until the scheduler keeps an audit trail). */
export const VIA_DASHBOARD = 'via the dashboard';

/** Text of the page (the server renders it; it is escaped like everything else). */
export const PAGE_TEXT = {
  title: 'Jobs',
  timesLocal: "Times are in your browser's time zone.",
  empty: 'No jobs are scheduled.',
  clusterOff: 'Cluster mode is off: every job runs in this process.',
  cluster: 'Cluster:',
  reachable: 'reachable',
  unreachableSince: 'unreachable since',
  misconfigured: 'reachable but misconfigured:',
  replica: 'this replica:',
  columns: ['Job', 'Schedule', 'Time zone', 'State', 'Next run', 'Last run', 'Runs', 'Failures'],
  actions: 'Actions',
  trigger: 'Trigger now',
  pause: 'Pause',
  resume: 'Resume',
  params: 'Params (JSON)',
  paramsLabel: 'Params (JSON) for Trigger now',
  lastError: 'Last error:',
  search: 'Search by name',
  stateFilter: 'State',
  states: { all: 'all', failing: 'failing', paused: 'paused', running: 'running' },
  sortBy: 'Sort by',
  sorts: { name: 'name', next: 'next run', last: 'last run', runs: 'runs', failures: 'failures' },
  order: 'Order',
  orders: { asc: 'ascending', desc: 'descending' },
  apply: 'Apply',
  previous: '← Previous',
  next: 'Next →',
  pages: 'Pages',
  replicas: 'Replicas alive (seen in the job store within the last lease period):',
  replicasHead: 'replica · last seen · runs open',
  noReplicas: 'none seen',
  rate: 'Runs and failures per minute, last hour',
  back: '← All jobs',
  schedule: 'Schedule',
  state: 'State',
  nextRun: 'Next run',
  lastRun: 'Last run',
  counters: 'Runs / failures',
  nextTimes: 'Next 10 fire times',
  pausedNote: 'Paused: the times it would fire once resumed.',
  charts: 'Recent runs',
  duration: 'Duration of the last runs',
  lateness: 'Lateness of the last runs (start minus due time)',
  outcomes: 'Outcomes over time',
  missed: 'Ticks that did not run, by reason (this process, since it started)',
  missedHead: ['Reason', 'Ticks'],
  noMissed: 'none',
  history: 'Run history (from the job store, newest first)',
  historyHead: ['Due', 'Started', 'Duration', 'Lateness', 'Status', 'Why', 'Attempts', 'Replica'],
  noRuns: 'No runs stored yet.',
  audit: 'Audit trail',
  auditHead: ['When', 'Action', 'By', 'Reason', 'Detail'],
  noAudit: 'Nothing recorded yet.',
  reason: 'Reason (kept in the audit trail)',
};
export const THIS_PROCESS = 'this process';
export const SERVER_ZONE = (zone: string): string => `server default (${zone})`;
/** Interval and once jobs count elapsed time: no time zone applies. */
export const NO_ZONE = '—';

/** A run's duration for people: `52 ms`, `1.5 s`, `2m30s`. */
export function durationText(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(Math.round(ms / 100) / 10).toString()} s`;
  return formatDuration(Math.round(ms / 1_000) * 1_000);
}

/** Text the page's script shows; `{0}` is filled in by the script. */
export const CLIENT_TEXT = {
  none: '—',
  now: 'now',
  future: 'in {0}',
  past: '{0} ago',
  badParams: 'Params are not valid JSON: {0}',
  failed: 'Failed: {0}',
  offline: 'Could not refresh ({0}); retrying',
  updated: 'Updated {0}',
  pageOf: 'Page {0} of {1} ({2} in all)',
  noRuns: 'no runs',
  rateSummary: 'Last hour: {0} runs, {1} failures; at most {2} runs in a minute.',
  durationSummary: 'Duration of the last {0} runs; the longest took {1}.',
  latenessSummary: 'Lateness of the last {0} scheduled runs; the latest started {1} late.',
  outcomesSummary: 'Outcomes of the last {0} runs: {1}.',
  paused: 'paused',
  data: 'The data as a table',
  time: 'Time',
  value: 'Value',
  runs: 'runs',
  failures: 'failures',
  status: 'Outcome',
  statuses: ['succeeded', 'failed', 'timed-out', 'skipped', 'abandoned'],
};
