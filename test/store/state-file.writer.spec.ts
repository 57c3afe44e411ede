import { describe, expect, it } from '@jest/globals';
import { CoalescedWriter } from '../../lib/store/file/state-file.writer.js';

const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('CoalescedWriter', () => {
  it('has one write in flight at most, and writes a burst together, latest last', async () => {
    let state = 0;
    let inFlight = 0;
    let most = 0;
    const written: number[] = [];
    const writer = new CoalescedWriter(async () => {
      const snapshot = state; // what a write reads when it starts
      most = Math.max(most, ++inFlight);
      await tick(20);
      written.push(snapshot);
      inFlight--;
    });
    const requests: Promise<void>[] = [];
    for (let i = 1; i <= 100; i++) {
      state = i;
      requests.push(writer.request());
      if (i === 50) await tick(5); // the first write is now in flight
    }
    await Promise.all(requests);
    expect(most).toBe(1);
    expect(written).toEqual([50, 100]);
  });

  it('rejects the requests of a failed write, and writes again on the next change', async () => {
    let fail = true;
    let writes = 0;
    const writer = new CoalescedWriter(async () => {
      writes++;
      if (fail) throw new Error('disk full');
    });
    await expect(Promise.all([writer.request(), writer.request()])).rejects.toThrow('disk full');
    fail = false;
    await expect(writer.request()).resolves.toBeUndefined();
    expect(writes).toBe(2);
    await writer.flush();
  });
});
