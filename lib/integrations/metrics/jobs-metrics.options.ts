import { register, type Registry } from 'prom-client';
import { InvalidJobsConfigError } from '../../errors/invalid-jobs-config.error.js';
import { BAD_OPTION } from '../../errors/job-scheduler.messages.js';
import { EXPECTED_METRICS, METRICS_WHERE } from '../integrations.messages.js';

/** Options of `CoreLibJobsMetricsModule.forRoot()`. */
export interface JobsMetricsOptions {
  /** The registry the metrics go on. Default: prom-client's global `register`. */
  registry?: Registry;
  /** Put before every metric name. Default: `core_lib_jobs_`. */
  prefix?: string;
  /** Buckets of the run duration histogram, in seconds. */
  durationBuckets?: number[];
  /** Buckets of the lateness histogram (start minus due time), in seconds. */
  latenessBuckets?: number[];
}

export interface ResolvedMetricsOptions {
  registry: Registry;
  prefix: string;
  durationBuckets: number[];
  latenessBuckets: number[];
}

export const DEFAULT_PREFIX = 'core_lib_jobs_';
/** Jobs last from milliseconds to hours: prom-client's default buckets stop at 10s. */
const DURATION_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 1800, 3600];
/** A healthy start is a few ms late; seconds mean a busy event loop; more, a stuck one. */
const LATENESS_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 60, 300];
const METRIC_PREFIX = /^([a-zA-Z_:][a-zA-Z0-9_:]*)?$/;

/** Validates the module's options, reporting every problem in one error. */
export function resolveMetricsOptions(raw: JobsMetricsOptions | undefined): ResolvedMetricsOptions {
  const options = raw ?? {};
  const problems: string[] = [];
  const bad = (field: string, value: unknown, expected: string): void => {
    problems.push(`${METRICS_WHERE}: ${BAD_OPTION(field, value, expected)}`);
  };
  const { registry = register, prefix = DEFAULT_PREFIX } = options;
  const { durationBuckets = DURATION_BUCKETS, latenessBuckets = LATENESS_BUCKETS } = options;
  if (!isRegistry(registry)) bad('registry', registry, EXPECTED_METRICS.registry);
  if (typeof prefix !== 'string' || !METRIC_PREFIX.test(prefix)) {
    bad('prefix', prefix, EXPECTED_METRICS.prefix);
  }
  if (!areBuckets(durationBuckets))
    bad('durationBuckets', durationBuckets, EXPECTED_METRICS.buckets);
  if (!areBuckets(latenessBuckets))
    bad('latenessBuckets', latenessBuckets, EXPECTED_METRICS.buckets);
  if (problems.length) throw new InvalidJobsConfigError(problems);
  return { registry, prefix, durationBuckets, latenessBuckets };
}

/** Duck-typed: a second copy of prom-client in node_modules has its own `Registry` class. */
function isRegistry(value: unknown): value is Registry {
  const r = value as Partial<Registry> | null | undefined;
  return typeof r?.registerMetric === 'function' && typeof r.getSingleMetric === 'function';
}

function areBuckets(value: unknown): value is number[] {
  if (!Array.isArray(value) || !value.length) return false;
  return value.every((b, i) => Number.isFinite(b) && (i === 0 || b > value[i - 1]));
}
