import { ConcurrencyGate } from '../../lib/utils/concurrency-gate.js';

/** A task that stays in flight until released. */
function pending(): {
  task: () => Promise<string>;
  release: (v: string) => void;
  started: () => boolean;
} {
  let release: (v: string) => void = () => undefined;
  let started = false;
  const task = () => {
    started = true;
    return new Promise<string>((resolve) => (release = resolve));
  };
  return { task, release: (v) => release(v), started: () => started };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('ConcurrencyGate', () => {
  it('runs at most `limit` tasks at once, the others in the order they came', async () => {
    const gate = new ConcurrencyGate(2);
    const tasks = Array.from({ length: 5 }, pending);
    const results = tasks.map((t) => gate.run(t.task));
    await settle();
    expect(tasks.map((t) => t.started())).toEqual([true, true, false, false, false]);
    expect(gate.queued).toBe(3);
    tasks[1].release('b');
    await settle();
    expect(tasks.map((t) => t.started())).toEqual([true, true, true, false, false]);
    tasks[0].release('a');
    tasks[2].release('c');
    await settle();
    tasks[3].release('d');
    tasks[4].release('e');
    await expect(Promise.all(results)).resolves.toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(gate.queued).toBe(0);
  });

  it('frees the slot of a task that fails, and passes its error on', async () => {
    const gate = new ConcurrencyGate(1);
    const failed = gate.run(() => Promise.reject(new Error('down')));
    const next = gate.run(() => Promise.resolve('ran'));
    await expect(failed).rejects.toThrow('down');
    await expect(next).resolves.toBe('ran');
  });

  it('keeps 100,000 waiting tasks in order, never more than the limit in flight', async () => {
    const gate = new ConcurrencyGate(16);
    let inFlight = 0;
    let most = 0;
    const order: number[] = [];
    const runs = Array.from({ length: 100_000 }, (_, i) =>
      gate.run(async () => {
        most = Math.max(most, ++inFlight);
        order.push(i);
        await Promise.resolve();
        inFlight--;
      }),
    );
    await Promise.all(runs);
    expect(most).toBe(16);
    expect(order).toHaveLength(100_000);
    expect(order.every((v, i) => v === i)).toBe(true);
    expect(gate.queued).toBe(0);
  });
});
