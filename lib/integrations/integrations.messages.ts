import { formatDuration } from '../utils/duration.parser.js';

/** Message text of the metrics, tracing and health integrations. */
export const METRICS_WHERE = 'CoreLibJobsMetricsModule options';
export const TRACING_WHERE = 'CoreLibJobsTracingModule options';
export const HEALTH_WHERE = (key: string): string =>
  `JobsHealthIndicator.isHealthy('${key}') options`;

export const EXPECTED_METRICS = {
  registry: "a prom-client Registry (new Registry() or prom-client's register)",
  prefix: "a metric name prefix such as 'core_lib_jobs_' (letters, digits, '_' and ':')",
  buckets: 'an increasing array of finite numbers of seconds, such as [0.1, 1, 10]',
};
export const EXPECTED_TRACING = {
  tracerProvider: 'an OpenTelemetry TracerProvider (an object with getTracer())',
};
export const EXPECTED_HEALTH = {
  failures: 'a whole number of runs, 1 or more',
};

export const METRIC_TAKEN = (name: string): string =>
  `Metric ${name} is already registered on this registry: import CoreLibJobsMetricsModule once, ` +
  'or give it another registry or prefix';

/** A span that was still open when the application shut down. */
export const SPAN_CUT_SHORT = 'The application shut down while the run was in progress';

export const JOB_FAILING = (name: string, failures: number): string =>
  `job ${name} failed ${failures} times in a row`;
export const JOB_OVERDUE = (name: string, lateMs: number): string =>
  `job ${name} is ${formatDuration(lateMs)} overdue`;
export const BACKEND_UNREACHABLE = (backend: string): string =>
  `cluster backend ${backend} is unreachable`;
export const BACKEND_MISCONFIGURED = (backend: string, problem: string): string =>
  `cluster backend ${backend} is misconfigured: ${problem}`;
