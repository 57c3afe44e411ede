import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertBuilt } from '../cluster/helpers/replica-process.js';
import { restartAfterGap } from './helpers/catch-up-scenario.js';

describe('catch-up on the file store (app processes, kill -9)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'catch-up-file-'));

  beforeAll(() => assertBuilt());
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('none: no run for the gap; last: the latest; all: each one; limit; window', async () => {
    const store = { backend: 'file', path: join(dir, 'state.json') };
    const measured = await restartAfterGap({ store });
    expect(measured.gapTicks).toBeGreaterThanOrEqual(3);
    console.log(`file store: ${measured.gapTicks} missed ticks run, boot ${measured.bootMs} ms`);
  }, 40_000);
});
