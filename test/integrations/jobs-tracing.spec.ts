import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import type { TestingModule } from '@nestjs/testing';
import { CoreLibJobsModule, InvalidJobsConfigError, JobScheduler } from 'nestjs-core-lib-jobs';
import { CoreLibJobsTracingModule, TRACER_NAME } from 'nestjs-core-lib-jobs/opentelemetry';
import {
  closeApp,
  fixtureApp,
  startApp,
  startupFailure,
  useFixtureApps,
} from '../fixtures/fixture-app.js';
import { AsyncContextManager } from './helpers/async-context-manager.js';
import { SyncContextManager } from './helpers/sync-context-manager.js';

useFixtureApps();

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const jobsModule = (shutdownTimeout = '1s') =>
  CoreLibJobsModule.forRoot({ config: {}, shutdownTimeout });
const start = (tracing = CoreLibJobsTracingModule.forRoot()): Promise<TestingModule> =>
  startApp(fixtureApp({ jobsModule: jobsModule(), imports: [tracing] }));
const spans = (name?: string): ReadableSpan[] =>
  exporter.getFinishedSpans().filter((s) => name === undefined || s.name === name);
const boom = (): never => {
  throw new Error('boom');
};

describe('CoreLibJobsTracingModule without an SDK', () => {
  it('runs the jobs as usual, and the spans go nowhere', async () => {
    const scheduler = (await start()).get(JobScheduler);
    const ran: number[] = [];
    const name = scheduler.scheduleOnce('1h', { run: () => void ran.push(1) });
    await expect(scheduler.trigger(name)).resolves.toMatchObject({ status: 'succeeded' });
    expect(ran).toEqual([1]);
    expect(spans()).toEqual([]);
  });
});

describe('CoreLibJobsTracingModule with an SDK', () => {
  beforeAll(() => {
    trace.setGlobalTracerProvider(provider);
    context.setGlobalContextManager(new SyncContextManager());
  });
  afterAll(() => {
    trace.disable();
    context.disable();
  });
  beforeEach(() => exporter.reset());

  it('makes one root span of kind INTERNAL per run, named after the job', async () => {
    const scheduler = (await start()).get(JobScheduler);
    const t0 = Date.now();
    scheduler.schedule('1s', '10s', { run: () => undefined }, { name: 'refresh' });
    await jest.advanceTimersByTimeAsync(21_000);
    expect(spans('refresh')).toHaveLength(3);
    const [first, , third] = spans('refresh');
    expect(first.kind).toBe(SpanKind.INTERNAL);
    expect(first.parentSpanContext).toBeUndefined();
    expect(first.instrumentationScope.name).toBe(TRACER_NAME);
    expect(first.status.code).toBe(SpanStatusCode.UNSET);
    expect(first.attributes).toEqual({
      'core_lib.job.name': 'refresh',
      'core_lib.job.due_time': new Date(t0 + 1_000).toISOString(),
      'core_lib.job.attempt': 1,
      'core_lib.job.reason': 'schedule',
      'faas.trigger': 'timer',
    });
    expect(third.attributes['core_lib.job.due_time']).toBe(new Date(t0 + 21_000).toISOString());
    expect(new Set(spans().map((s) => s.spanContext().traceId)).size).toBe(3);
  });

  it('gives a cron job faas.cron, and a trigger() run faas.trigger=other', async () => {
    const scheduler = (await start()).get(JobScheduler);
    scheduler.scheduleCron('*/5 * * * * *', { run: () => undefined }, { name: 'tick' });
    await jest.advanceTimersByTimeAsync(5_000);
    await scheduler.trigger('tick');
    const [scheduled, triggered] = spans('tick');
    expect(scheduled.attributes).toMatchObject({
      'faas.cron': '*/5 * * * * *',
      'faas.trigger': 'timer',
    });
    expect(triggered.attributes).toMatchObject({
      'core_lib.job.reason': 'trigger',
      'faas.trigger': 'other',
    });
  });

  it('stays a root span when the run starts inside another span', async () => {
    const scheduler = (await start()).get(JobScheduler);
    const name = scheduler.scheduleOnce('1h', { run: () => undefined }, { name: 'nested' });
    const outer = trace.getTracer('test');
    const pending = outer.startActiveSpan('http request', (parent) => {
      const run = scheduler.trigger(name);
      parent.end();
      return run;
    });
    await pending;
    const parent = spans('http request')[0];
    const [run] = spans('nested');
    expect(parent).toBeDefined();
    expect(run.parentSpanContext).toBeUndefined();
    expect(run.spanContext().traceId).not.toBe(parent.spanContext().traceId);
  });

  it('keeps one span across retries, with their exceptions and the last attempt', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(1);
    const scheduler = (await start()).get(JobScheduler);
    let calls = 0;
    const flaky = { run: () => (++calls < 3 ? boom() : undefined) };
    scheduler.scheduleOnce('0s', flaky, { name: 'flaky', retries: 2, retryDelay: '1s' });
    await jest.advanceTimersByTimeAsync(10_000);
    const [span] = spans('flaky');
    expect(spans('flaky')).toHaveLength(1);
    expect(span.attributes['core_lib.job.attempt']).toBe(3);
    expect(span.events.map((e) => e.name)).toEqual(['exception', 'retry', 'exception', 'retry']);
    expect(span.events[1].attributes).toEqual({
      'core_lib.job.attempt': 2,
      'core_lib.job.retry_delay_ms': 1_000,
    });
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('sets status ERROR and records the exception when a run fails', async () => {
    const scheduler = (await start()).get(JobScheduler);
    scheduler.scheduleOnce('0s', { run: boom }, { name: 'broken' });
    await jest.advanceTimersByTimeAsync(0);
    const [span] = spans('broken');
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'boom' });
    expect(span.attributes['error.type']).toBe('Error');
    expect(span.events).toHaveLength(1);
    expect(span.events[0].attributes).toMatchObject({
      'exception.type': 'Error',
      'exception.message': 'boom',
      'exception.stacktrace': expect.stringContaining('boom'),
    });
  });

  it('sets status ERROR on a timeout, with the timeout error', async () => {
    const scheduler = (await start()).get(JobScheduler);
    const hang = { run: () => new Promise<void>(() => undefined) };
    scheduler.scheduleOnce('0s', hang, { name: 'hang', timeout: '2s' });
    await jest.advanceTimersByTimeAsync(1_999);
    expect(spans('hang')).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    const [span] = spans('hang');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.status.message).toMatch(/timed out after 2s/);
    expect(span.attributes['error.type']).toBe('JobTimeoutError');
  });

  it('pairs each end with its own start when runs of a job overlap', async () => {
    const scheduler = (await start()).get(JobScheduler);
    const t0 = Date.now();
    let n = 0;
    // The first run takes 2.5s, the next ones 0.5s: the first ends after the second.
    const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
    const overlapping = { run: () => sleep(++n === 1 ? 2_500 : 500) };
    scheduler.schedule('0s', '1s', overlapping, { name: 'overlap', overlap: 'allow' });
    await jest.advanceTimersByTimeAsync(3_000);
    // In the order they ended: due 1s (at 1.5s), due 0s (at 2.5s), due 2s (at 2.5s).
    const dueTimes = spans('overlap').map((s) => s.attributes['core_lib.job.due_time']);
    expect(dueTimes).toEqual([1_000, 0, 2_000].map((ms) => new Date(t0 + ms).toISOString()));
  });

  it('ends a span still open at shutdown, saying the run was cut short', async () => {
    const mod = await start();
    const scheduler = mod.get(JobScheduler);
    scheduler.scheduleOnce(
      '0s',
      { run: () => new Promise<void>(() => undefined) },
      { name: 'stuck' },
    );
    await jest.advanceTimersByTimeAsync(0);
    const closing = closeApp(mod);
    await jest.advanceTimersByTimeAsync(1_000);
    await closing;
    const [span] = spans('stuck');
    expect(span.status).toEqual({
      code: SpanStatusCode.ERROR,
      message: 'The application shut down while the run was in progress',
    });
  });

  it('sends spans to the tracer provider given, and refuses what is not one', async () => {
    const own = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(own)],
    });
    const scheduler = (await start(CoreLibJobsTracingModule.forRoot({ tracerProvider }))).get(
      JobScheduler,
    );
    await scheduler.trigger(
      scheduler.scheduleOnce('1h', { run: () => undefined }, { name: 'mine' }),
    );
    expect(own.getFinishedSpans().map((s) => s.name)).toEqual(['mine']);
    expect(spans('mine')).toEqual([]);
    const bad = CoreLibJobsTracingModule.forRoot({ tracerProvider: {} as never });
    const { error } = await startupFailure(
      fixtureApp({ jobsModule: jobsModule(), imports: [bad] }),
    );
    expect(error).toBeInstanceOf(InvalidJobsConfigError);
    expect(error.message).toMatch(
      /CoreLibJobsTracingModule options: tracerProvider: \{\} is invalid, expected an OpenT/,
    );
  });
});

// The run's span was never active while the job ran: a job's own spans (its code's, or an
// instrumented HTTP or database client's) started new traces instead of joining the run's.
describe("CoreLibJobsTracingModule and the job's own spans", () => {
  beforeAll(() => {
    trace.setGlobalTracerProvider(provider);
    context.setGlobalContextManager(new AsyncContextManager());
  });
  afterAll(() => {
    trace.disable();
    context.disable();
  });
  beforeEach(() => exporter.reset());

  const childOf = (child: ReadableSpan, parent: ReadableSpan) => {
    expect(child.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(child.spanContext().traceId).toBe(parent.spanContext().traceId);
  };

  it('makes them children of the run span, before and after an await, attempt after attempt', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(1);
    const scheduler = (await start()).get(JobScheduler);
    const tracer = trace.getTracer('job code');
    let calls = 0;
    const job = {
      async run() {
        tracer.startSpan(`sync ${++calls}`).end();
        await Promise.resolve();
        await tracer.startActiveSpan(`query ${calls}`, async (query) => {
          await Promise.resolve();
          tracer.startSpan(`inside query ${calls}`).end();
          query.end();
        });
        if (calls === 1) throw new Error('first attempt fails');
      },
    };
    scheduler.schedule('1s', '1h', job, { name: 'report', retries: 1, retryDelay: '1s' });
    await jest.advanceTimersByTimeAsync(5_000);

    const [run] = spans('report');
    expect(spans('report')).toHaveLength(1);
    expect(run.parentSpanContext).toBeUndefined();
    for (const attempt of [1, 2]) {
      childOf(spans(`sync ${attempt}`)[0], run);
      childOf(spans(`query ${attempt}`)[0], run);
      childOf(spans(`inside query ${attempt}`)[0], spans(`query ${attempt}`)[0]);
    }
  });

  it('gives each of two overlapping runs its own children', async () => {
    const scheduler = (await start()).get(JobScheduler);
    const tracer = trace.getTracer('job code');
    const gates: Array<() => void> = [];
    const job = {
      async run(params: { n: number }) {
        await new Promise<void>((resolve) => gates.push(resolve));
        tracer.startSpan(`work ${params.n}`).end();
      },
    };
    const name = scheduler.scheduleOnce('1h', job, { name: 'both', overlap: 'allow' });
    const first = scheduler.trigger(name, { n: 1 });
    const second = scheduler.trigger(name, { n: 2 });
    gates.reverse().forEach((open) => open()); // the second run goes on first
    await Promise.all([first, second]);
    const runs = spans('both');
    expect(runs).toHaveLength(2);
    const parentOf = (n: number) =>
      runs.find((r) => r.spanContext().spanId === spans(`work ${n}`)[0].parentSpanContext?.spanId);
    expect(parentOf(1)).toBeDefined();
    expect(parentOf(2)).toBeDefined();
    expect(parentOf(1)).not.toBe(parentOf(2));
  });
});
