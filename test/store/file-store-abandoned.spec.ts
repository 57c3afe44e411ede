import { describe, expect, it, jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BaseJob, CoreLibJobsModule, Job, JobScheduler } from '../../lib/index.js';
import { fixtureApp, startApp, useFixtureApps } from '../fixtures/fixture-app.js';
import { assertBuilt, waitFor } from '../cluster/helpers/replica-process.js';

const logs = useFixtureApps();
const APP = resolve(process.cwd(), 'test/store/fixtures/file-store-app.mjs');

@Job({ name: 'long' })
class LongJob extends BaseJob {
  run(): void {}
}

describe('file store: a run cut short by kill -9', () => {
  it('is recorded as abandoned by the next start on the file, and shows in history', async () => {
    assertBuilt();
    jest.useRealTimers();
    const path = join(mkdtempSync(join(tmpdir(), 'file-abandoned-')), 'state.json');
    const child = spawn(process.execPath, [APP, path], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const exited = new Promise((done) => child.once('exit', done));
    try {
      await waitFor(() => output.includes('RUNNING'), 15_000, `the run (output: ${output})`);
      await new Promise((r) => setTimeout(r, 300)); // the coalesced write of its start
    } finally {
      child.kill('SIGKILL');
      await exited;
    }

    const entry = {
      name: 'long',
      initial_delay: '1h',
      frequency: '1h',
      handler: { class: 'long' },
    };
    const core_lib = { jobs: [entry], jobs_store: { backend: 'file', path } };
    const mod = await startApp(
      fixtureApp({
        jobsModule: CoreLibJobsModule.forRoot({ config: { core_lib } }),
        providers: [LongJob],
      }),
    );
    const scheduler = mod.get(JobScheduler);
    const [record] = await waitFor(
      async () => {
        const runs = await scheduler.history('long');
        return runs.length ? runs : undefined;
      },
      5_000,
      'the abandoned record',
    );
    expect(record).toMatchObject({
      status: 'abandoned',
      replica: `${hostname()}:${child.pid}`,
      attempts: 0,
    });
    const warned = logs.filter((l) => l.level === 'warn' && l.message.includes('abandoned'));
    expect(warned).toHaveLength(1);
  });
});
