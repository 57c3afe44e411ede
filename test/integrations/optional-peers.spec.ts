import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { assertBuilt } from '../cluster/helpers/replica-process.js';

const BOOT = 'test/integrations/fixtures/boot-root-entry.mjs';
interface Boot {
  started: boolean;
  status?: string;
  code?: string;
  message?: string;
  loaded: string[];
}

/** Runs the boot script in a fresh node process, on dist/ (see the script's header). */
async function boot(entry?: string): Promise<Boot> {
  const env = { ...process.env, ENTRY: entry ?? '' };
  const { stdout } = await promisify(execFile)(process.execPath, [BOOT], { env });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Boot;
}

describe('optional peers of the integrations', () => {
  it('an app on the root entry runs jobs and loads none of the three', async () => {
    assertBuilt();
    expect(await boot()).toEqual({ started: true, status: 'succeeded', loaded: [] });
  });

  it.each([
    ['prometheus', 'prom-client'],
    ['opentelemetry', '@opentelemetry/api'],
    ['terminus', '@nestjs/terminus'],
  ])('the %s entry needs %s (the peers are really hidden)', async (entry, peer) => {
    const result = await boot(entry);
    expect(result).toMatchObject({ started: false, code: 'ERR_MODULE_NOT_FOUND' });
    expect(result.message).toContain(`'${peer}'`);
  });
});
