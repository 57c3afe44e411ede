import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { performance } from 'node:perf_hooks';

/**
 * Records when the root module's `onApplicationBootstrap` runs. Nest calls that hook on the
 * deepest modules first and on the root module last, so by then ScheduleModule's orchestrator
 * and CoreLibJobsModule's explorer have scheduled every job: this is the "start" of jobs that a
 * Nest bootstrap schedules (it is at most the few microseconds of the other root hooks late).
 */
export class BootstrapMarker {
  at = NaN;
  onApplicationBootstrap() {
    this.at = performance.now();
  }
}
Injectable()(BootstrapMarker);

let appCount = 0;

/** A Nest application context (no HTTP) for `metadata`, with logging off. */
export async function createAppContext(metadata) {
  const AppModule = { [`BenchAppModule${++appCount}`]: class {} }[`BenchAppModule${appCount}`];
  Module(metadata)(AppModule);
  return NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false });
}
