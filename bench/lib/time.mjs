import { performance } from 'node:perf_hooks';

export const now = () => performance.now();

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Sleeps until `performance.now()` reaches `at` (a setTimeout that may itself be late; callers use timestamps, not this). */
export async function sleepUntil(at) {
  for (;;) {
    const left = at - performance.now();
    if (left <= 0) return;
    await sleep(left);
  }
}

/** Spins the CPU for `ms` milliseconds: the "synchronous work" of a run. */
export function spin(ms) {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    /* busy */
  }
}

/**
 * A competing busy loop on the same event loop: `chunkMs` of synchronous work, then a
 * setImmediate, forever. Timers get a chance between chunks, so they are late by up to a chunk.
 * Returns the function that stops it.
 */
export function startBusyLoop(chunkMs) {
  let on = true;
  const burn = () => {
    if (!on) return;
    spin(chunkMs);
    setImmediate(burn);
  };
  setImmediate(burn);
  return () => {
    on = false;
  };
}
