/**
 * One measurement of the store and soak scenarios, in a fresh `node --expose-gc` process:
 *   node --expose-gc store-child.mjs <mode> <store kind> <options-json>
 * modes: `run` (storeRun), `heap` (storeHeap), `soak` (soakRun). Prints one JSON line (the
 * result); the soak also prints a `{"sample":…}` line every minute. Whatever the outcome, the
 * run's keys, tables and file are removed before it exits.
 */
import { cleanupStore, storeOptions, storeTag } from '../lib/store-backends.mjs';
import { storeHeap, storeRun } from './store-measure.mjs';
import { soakRun } from './store-soak.mjs';

const MODES = { run: storeRun, heap: storeHeap, soak: soakRun };

const [mode, kind, json] = process.argv.slice(2);
const tag = storeTag(kind);
let result;
try {
  if (!MODES[mode]) throw new Error(`Unknown mode '${mode}'; known: ${Object.keys(MODES)}`);
  result = await MODES[mode](kind, storeOptions(kind, tag), JSON.parse(json ?? '{}'));
} catch (error) {
  result = { error: String(error?.stack ?? error) };
} finally {
  await cleanupStore(kind, tag).catch((e) => process.stderr.write(`cleanup: ${e}\n`));
}
process.stdout.write(`${JSON.stringify({ ...result, tag })}\n`, () => process.exit(0));
