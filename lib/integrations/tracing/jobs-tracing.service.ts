import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Span, Tracer } from '@opentelemetry/api';
import type { JobEvent } from '../../interfaces/job-event.interface.js';
import { JobScheduler } from '../../job.scheduler.js';
import { describeThrown } from '../../utils/thrown-value.js';
import { SPAN_CUT_SHORT } from '../integrations.messages.js';
import { ATTR, asException, errorType, runAttributes } from './jobs-tracing.attributes.js';
import { MODULE_OPTIONS_TOKEN } from './jobs-tracing.module-definition.js';
import { resolveTracingOptions, type JobsTracingOptions } from './jobs-tracing.options.js';

export const TRACER_NAME = 'nestjs-core-lib-jobs';
type Started = Extract<JobEvent, { type: 'started' }>;

/**
 * One span per run, from the scheduler's run events: a root span of kind INTERNAL named after
 * the job, ended when the run ends (after its retries). Failures and timeouts set status ERROR.
 * Each attempt runs with the run's span active (`wrapRuns()`), so the spans the job makes (its
 * own, or an instrumented client's) are its children.
 */
@Injectable()
export class JobsTracing implements OnModuleInit, OnApplicationShutdown {
  private readonly tracer: Tracer;
  /** Open spans by run id: runs of one job may overlap. */
  private readonly spans = new Map<number, Span>();
  private unsubscribe: (() => void) | undefined;
  private unwrap: (() => void) | undefined;

  constructor(
    private readonly scheduler: JobScheduler,
    @Inject(MODULE_OPTIONS_TOKEN) options: JobsTracingOptions,
  ) {
    const { tracerProvider } = resolveTracingOptions(options);
    // The global provider is a proxy: spans reach an SDK registered later, too.
    this.tracer = (tracerProvider ?? trace.getTracerProvider()).getTracer(TRACER_NAME);
  }

  onModuleInit(): void {
    this.unsubscribe = this.scheduler.subscribe((event) => this.record(event));
    // The `started` event, which opens the span, comes just before the attempt is called.
    this.unwrap = this.scheduler.wrapRuns((run, call) => {
      const span = this.spans.get(run.runId);
      return span ? context.with(trace.setSpan(ROOT_CONTEXT, span), call) : call();
    });
  }

  /** After the scheduler's drain: a run still going then is cut short, and says so. */
  onApplicationShutdown(): void {
    this.unsubscribe?.();
    this.unwrap?.();
    this.unsubscribe = this.unwrap = undefined;
    for (const span of this.spans.values()) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: SPAN_CUT_SHORT });
      span.end();
    }
    this.spans.clear();
  }

  private record(e: JobEvent): void {
    if (e.type === 'started') return e.attempt === 1 ? this.start(e) : this.retrying(e);
    if (e.type !== 'succeeded' && e.type !== 'failed' && e.type !== 'retried') return;
    const span = this.spans.get(e.runId);
    if (!span) return; // its start came before we subscribed
    if (e.type === 'retried') {
      span.addEvent('retry', { [ATTR.attempt]: e.attempt, [ATTR.retryDelay]: e.delayMs });
      return;
    }
    if (e.type === 'failed') {
      span.recordException(asException(e.error));
      if (!e.final) return;
      span.setAttribute(ATTR.errorType, errorType(e.error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: describeThrown(e.error) });
    }
    span.end();
    this.spans.delete(e.runId);
  }

  private start(e: Started): void {
    const cron = this.scheduler.get(e.name)?.cron;
    const attributes = runAttributes(e, cron);
    const options = { kind: SpanKind.INTERNAL, root: true, attributes };
    this.spans.set(e.runId, this.tracer.startSpan(e.name, options, ROOT_CONTEXT));
  }

  private retrying(e: Started): void {
    this.spans.get(e.runId)?.setAttribute(ATTR.attempt, e.attempt);
  }
}
