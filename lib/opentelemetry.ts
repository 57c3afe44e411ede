/**
 * `nestjs-core-lib-jobs/opentelemetry`: one OpenTelemetry span per job run. Needs the optional
 * peer dependency `@opentelemetry/api` (and an SDK, for the spans to go anywhere).
 */
export { CoreLibJobsTracingModule } from './integrations/tracing/jobs-tracing.module.js';
export { JobsTracing, TRACER_NAME } from './integrations/tracing/jobs-tracing.service.js';
export type { JobsTracingOptions } from './integrations/tracing/jobs-tracing.options.js';
