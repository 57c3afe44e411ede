/**
 * The JSON the dashboard's API answers, which the page's script reads. It imports nothing, so
 * the browser script's own tsconfig (lib "dom") type-checks against the same types the server
 * sends.
 */

/** One job as the list shows it: display-ready text and ISO times. */
export interface JobView {
  name: string;
  state: 'scheduled' | 'running' | 'paused' | 'stopped';
  /** `Every day at 16:00`. */
  scheduleWords: string;
  /** The cron expression, or `every 5s (fixed-rate), first after 1s`. */
  scheduleText: string;
  /** The cron job's zone; `server default (<zone>)` for a cron job without one; `—` otherwise. */
  timeZone: string;
  nextRunAt: string | null;
  lastRunAt: string | null;
  lastStatus: 'running' | 'succeeded' | 'failed' | null;
  lastDuration: string | null;
  /** Cluster mode: the replica that ran the last run; otherwise `this process`. */
  lastRunBy: string | null;
  lastError: string | null;
  lastErrorStack: string | null;
  runs: number;
  failures: number;
}

/** The cluster panel: null when cluster mode is off. */
export interface ClusterView {
  backend: string;
  replicaId: string;
  reachable: boolean;
  unreachableSince: string | null;
  /** Reachable but misconfigured: what the backend reported. */
  problem: string | null;
}

/** A replica seen in the job store within the last lease period. */
export interface ReplicaView {
  id: string;
  /** When the store last showed it at work (a run's start, lease or end), ISO. */
  lastSeen: string;
  /** Runs it holds open now. */
  running: number;
}

/** Runs that ended in one minute, across the cluster (from the store's counters). */
export interface RateMinute {
  /** The minute's start, ISO. */
  minute: string;
  runs: number;
  failures: number;
}

/** The list's query, as the server understood it (after defaults). */
export interface ListQuery {
  q: string;
  state: 'all' | 'failing' | 'paused' | 'running';
  sort: 'name' | 'next' | 'last' | 'runs' | 'failures';
  dir: 'asc' | 'desc';
  page: number;
  size: number;
}

/** What `GET <path>/api/jobs` returns. */
export interface DashboardState {
  /** The scheduler's clock, so the page can say "in 3 min" even if the browser's clock is off. */
  now: string;
  cluster: ClusterView | null;
  /** Replicas alive (seen in the store in the last lease period); empty without a shared store. */
  replicas: ReplicaView[];
  /** The last hour, one entry per minute, oldest first (since this process started). */
  rate: RateMinute[];
  query: ListQuery;
  /** Jobs matching the search and filter (all pages). */
  total: number;
  /** Jobs in each state, whatever the filter (for the filter's labels). */
  counts: Record<ListQuery['state'], number>;
  /** This page of the matching jobs. */
  jobs: JobView[];
}

/** One stored run as the job page shows it. */
export interface RunView {
  runId: string;
  due: string;
  started: string;
  /** Null for a skip. */
  durationMs: number | null;
  /** `started - due`; null for a trigger (it has no due time of its own). */
  latenessMs: number | null;
  status: 'succeeded' | 'failed' | 'timed-out' | 'skipped' | 'abandoned';
  reason: 'schedule' | 'catch-up' | 'trigger';
  attempts: number;
  replica: string;
  error: string | null;
  errorStack: string | null;
}

/** One entry of a job's audit trail (who paused, triggered, changed it). */
export interface AuditView {
  at: string;
  action: string;
  by: string | null;
  reason: string | null;
  detail: string | null;
}

/** What `GET <path>/api/job/<name>` returns. */
export interface JobDetail {
  now: string;
  job: JobView;
  /** The next fire times, ISO (the engine's fire-time rules, as the CLI's `preview`). */
  nextTimes: string[];
  /** The stored runs, newest first: this page of them. */
  history: { page: number; size: number; total: number; runs: RunView[] };
  /** The last runs for the charts, oldest first (at most `CHART_RUNS`). */
  chart: RunView[];
  /** Ticks that did not run, by reason (this process, since it started). */
  missed: Record<string, number>;
  audit: AuditView[];
}

/** Labels the charts need (from `dashboard.messages.ts`). */
export interface ChartText {
  data: string;
  time: string;
  value: string;
  runs: string;
  failures: string;
  status: string;
  statuses: string[];
}

/** Text the server gives the page's script (from `dashboard.messages.ts`). */
export interface ClientText extends ChartText {
  none: string;
  now: string;
  future: string;
  past: string;
  badParams: string;
  failed: string;
  offline: string;
  updated: string;
  pageOf: string;
  noRuns: string;
  tokenHeader: string;
  rateSummary: string;
  durationSummary: string;
  latenessSummary: string;
  outcomesSummary: string;
  paused: string;
}
