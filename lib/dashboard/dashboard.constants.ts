/** Where the page is mounted when `path` is not given. */
export const DEFAULT_DASHBOARD_PATH = 'jobs-dashboard';
/** Token of the validated `DashboardOptions`. */
export const DASHBOARD_OPTIONS = Symbol('core-lib-jobs:dashboard-options');
/** Token of the `guards` given to `forRoot()` (classes and instances, as given). */
export const DASHBOARD_GUARDS = Symbol('core-lib-jobs:dashboard-guards');
/** Header the page sends with every action. A cross-site form cannot set a custom header. */
export const TOKEN_HEADER = 'x-jobs-dashboard-token';
/** How often the page asks for fresh state. */
export const POLL_MS = 3_000;
/** How long a trigger request waits for the run's outcome before answering "running". */
export const TRIGGER_WAIT_MS = 1_000;
/** A last error's stack is cut to this many characters. */
export const MAX_STACK_CHARS = 8_000;
/** A pause, resume or trigger reason is cut at this many characters (the audit trail keeps it). */
export const MAX_REASON_CHARS = 500;
/** Runs a job page's charts show. */
export const CHART_RUNS = 60;
/** Runs per page of a job's history. */
export const HISTORY_PAGE_SIZE = 25;
/** Fire times a job page lists. */
export const NEXT_TIMES = 10;
