/**
 * `nestjs-core-lib-jobs/prometheus`: Prometheus metrics of the jobs. Needs the optional peer
 * dependency `prom-client`.
 */
export { CoreLibJobsMetricsModule } from './integrations/metrics/jobs-metrics.module.js';
export { JobsMetrics } from './integrations/metrics/jobs-metrics.service.js';
export type { JobsMetricsOptions } from './integrations/metrics/jobs-metrics.options.js';
