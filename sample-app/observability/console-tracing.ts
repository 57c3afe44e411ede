import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { trace } from '@opentelemetry/api';

/**
 * `OTEL_TRACES=console npm start` prints each job run's span. A real app sets up the
 * OpenTelemetry SDK of its choice instead (and exports to its tracing backend).
 */
@Injectable()
export class ConsoleTracing implements OnModuleInit, OnApplicationShutdown {
  private shutdown: (() => Promise<void>) | undefined;

  async onModuleInit(): Promise<void> {
    if (process.env.OTEL_TRACES !== 'console') return;
    const sdk = await import('@opentelemetry/sdk-trace-base');
    const exporter = new sdk.ConsoleSpanExporter();
    const provider = new sdk.BasicTracerProvider({
      spanProcessors: [new sdk.SimpleSpanProcessor(exporter)],
    });
    trace.setGlobalTracerProvider(provider);
    this.shutdown = () => provider.shutdown();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.shutdown?.();
  }
}
