import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { ControlPlane } from '../../lib/control/control-plane.js';
import { ControlStoreError } from '../../lib/control/control-store.error.js';
import { RedisControlStore } from '../../lib/control/redis/redis-control-store.js';
import { SYSTEM_CLOCK } from '../../lib/engine/job-clock.js';
import { JobEngine } from '../../lib/engine/job-engine.js';
import { BaseJob } from '../../lib/index.js';
import { OwnRedisServer } from '../cluster/helpers/redis-server.js';
import { waitFor } from '../cluster/helpers/replica-process.js';

class Probe extends BaseJob {
  run(): void {}
}

// Outages are done to a redis-server of this test's own.
describe('control plane through a Redis outage', () => {
  let server: OwnRedisServer;
  beforeAll(async () => {
    server = await OwnRedisServer.start(6470);
  });
  afterAll(async () => {
    await server.stop();
  });

  it('a change during the outage is refused and made nowhere; reads fail are logged once', async () => {
    const warns: string[] = [];
    jest
      .spyOn(Logger.prototype, 'warn')
      .mockImplementation((m: unknown) => void warns.push(String(m)));
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const engine = new JobEngine({
      registry: new SchedulerRegistry(),
      clock: SYSTEM_CLOCK,
      coreLib: () => undefined,
    });
    const store = new RedisControlStore(server.url, { keyPrefix: 'outage' });
    const plane = new ControlPlane({ store, engine, cluster: undefined, reconcileMs: 50 });
    const job = new Probe();
    plane.useJobs(new Map([['Probe', { job, className: 'Probe', options: {} }]]), []);
    await plane.open();
    await plane.load();
    plane.start('r1');
    try {
      await plane.upsert('p', {
        handler: { class: 'Probe' },
        initial_delay: '1h',
        frequency: '1h',
      });
      expect(engine.get('p')?.state).toBe('scheduled');
      await server.stop();
      await expect(plane.pause('p', { by: 'alice' })).rejects.toBeInstanceOf(ControlStoreError);
      expect(engine.get('p')?.state).toBe('scheduled');
      await new Promise((r) => setTimeout(r, 500)); // ~10 reconciles during the outage
      expect(warns.filter((w) => w.includes('cannot be read'))).toHaveLength(1);
      // The server of this test keeps nothing on disk: it comes back empty, and so does the state.
      await server.start();
      await waitFor(() => engine.get('p') === undefined, 10_000, 'the empty state applied');
      expect(warns.filter((w) => w.includes('cannot be read'))).toHaveLength(1);
      await plane.upsert('p', {
        handler: { class: 'Probe' },
        initial_delay: '1h',
        frequency: '1h',
      });
      await waitFor(
        async () => {
          const answer = await plane.pause('p', { by: 'alice' }).then(
            () => true,
            () => false,
          );
          return answer;
        },
        10_000,
        'pause after the outage',
      );
      expect(engine.get('p')?.state).toBe('paused');
      expect((await plane.audit({ name: 'p' })).map((e) => e.action)).toEqual(['pause', 'upsert']);
    } finally {
      await engine.shutdown(1_000);
      await plane.close();
      jest.restoreAllMocks();
    }
  }, 30_000);
});
