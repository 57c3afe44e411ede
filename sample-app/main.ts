import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  // Ctrl-C: stop the timers, let a run in progress finish, then exit.
  app.enableShutdownHooks();
  const port = Number(process.env.PORT ?? 3000);
  // HOST=0.0.0.0 listens on every interface (the dashboard still answers only local requests).
  const host = process.env.HOST ?? '127.0.0.1';
  await app.listen(port, host);
  new Logger('SampleApp').log(
    `listening on http://${host}:${port}/jobs and /jobs-dashboard; press Ctrl-C to stop`,
  );
}

void bootstrap();
