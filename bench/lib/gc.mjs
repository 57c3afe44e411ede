import v8 from 'node:v8';
import vm from 'node:vm';

let gcFn = globalThis.gc;

/**
 * Node's `gc()`: the global one under `node --expose-gc` (how `npm run bench` runs), otherwise
 * obtained by turning the flag on at run time (the Jest smoke run has no such flag).
 */
export function getGc() {
  if (typeof gcFn === 'function') return gcFn;
  v8.setFlagsFromString('--expose-gc');
  gcFn = vm.runInNewContext('gc');
  return gcFn;
}

/** A few full collections, with a macrotask between them so weak callbacks and finalizers settle. */
export async function fullGc(rounds = 3) {
  const gc = getGc();
  for (let i = 0; i < rounds; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  gc();
}

/** JS heap in use after a full GC, in bytes. */
export async function heapAfterGc() {
  await fullGc();
  return process.memoryUsage().heapUsed;
}
