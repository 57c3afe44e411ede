/**
 * `nestjs-core-lib-jobs/terminus`: a health indicator of the jobs for `@nestjs/terminus`, an
 * optional peer dependency.
 */
export { JobsHealthIndicator } from './integrations/health/jobs-health.indicator.js';
export type { JobsHealthOptions } from './integrations/health/jobs-health.options.js';
export type { JobProblem } from './integrations/health/jobs-health.check.js';
