import type { TracerProvider } from '@opentelemetry/api';
import { InvalidJobsConfigError } from '../../errors/invalid-jobs-config.error.js';
import { BAD_OPTION } from '../../errors/job-scheduler.messages.js';
import { EXPECTED_TRACING, TRACING_WHERE } from '../integrations.messages.js';

/** Options of `CoreLibJobsTracingModule.forRoot()`. */
export interface JobsTracingOptions {
  /** Where the spans go. Default: the global provider, a no-op until an SDK registers one. */
  tracerProvider?: TracerProvider;
}

/** Validates the module's options, reporting every problem in one error. */
export function resolveTracingOptions(raw: JobsTracingOptions | undefined): JobsTracingOptions {
  const options = raw ?? {};
  const { tracerProvider } = options;
  const getTracer = (tracerProvider as Partial<TracerProvider> | null | undefined)?.getTracer;
  if (tracerProvider !== undefined && typeof getTracer !== 'function') {
    const problem = BAD_OPTION('tracerProvider', tracerProvider, EXPECTED_TRACING.tracerProvider);
    throw new InvalidJobsConfigError([`${TRACING_WHERE}: ${problem}`]);
  }
  return options;
}
