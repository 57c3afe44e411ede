import 'reflect-metadata';
import { Module, Injectable } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ScheduleModule, SchedulerRegistry, Interval } from '@nestjs/schedule';
import { CoreLibJobsModule, JobScheduler, Job } from 'nestjs-core-lib-jobs';
import { writeFileSync } from 'node:fs';
class BenchJob { run(p) { } }
Job({ name: 'BenchJob' })(BenchJob);
let hookAt;
class Marker { onApplicationBootstrap() { hookAt = Date.now() + (performance.now() % 1); } }
Injectable()(Marker);
const N = Number(process.argv[2] ?? 20);
const lines = ['core_lib:', '  jobs:'];
for (let i = 0; i < N; i++) lines.push(`    - name: job-${i}`, `      initial_delay: 1h`, `      frequency: 1h`, `      handler:`, `        class: BenchJob`, `        params: { i: ${i} }`);
writeFileSync('/tmp/bx/jobs.yaml', lines.join('\n'));
const AppModule = class AppModule {};
Module({ imports: [ScheduleModule.forRoot(), CoreLibJobsModule.forRoot({ config: '/tmp/bx/jobs.yaml', jobs: [BenchJob] })], providers: [Marker] })(AppModule);
const t0 = performance.now();
const app = await NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false });
const t1 = performance.now();
const list = app.get(JobScheduler).list();
console.log('boot ms', (t1 - t0).toFixed(1), 'jobs', list.length, 'first nextRunAt - hook', list[0].nextRunAt.getTime() - 3600e3 - Math.floor(hookAt), 'last', list.at(-1).nextRunAt.getTime() - 3600e3 - Math.floor(hookAt));
console.log('heap MB', (process.memoryUsage().heapUsed/1e6).toFixed(1));
const t2 = performance.now();
await app.close();
console.log('close ms', (performance.now() - t2).toFixed(1));
