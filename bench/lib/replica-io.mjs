/**
 * The replica side of the protocol in replica-process.mjs, shared by both replicas (this module,
 * BullMQ): READY, CPU marks on request, the records printed at the end. Runs are kept in memory
 * and printed on SIGTERM, so recording them costs the backend nothing (the Redis commands per
 * tick are the contender's own).
 */
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';

export const replicaName = process.env.BENCH_REPLICA ?? `pid${process.pid}`;

/** The wall clock to a fraction of a millisecond (Date.now() has whole milliseconds). */
export const wallNow = () => performance.timeOrigin + performance.now();

export function printRecord(tag, value) {
  console.log(`${tag} ${JSON.stringify(value)}`);
}

/**
 * Prints READY and answers `MARK <label>` lines on stdin with this process's CPU time (user +
 * system, process.cpuUsage) at that moment.
 */
export function announceReady() {
  createInterface({ input: process.stdin }).on('line', (line) => {
    const m = /^MARK (\S+)$/.exec(line.trim());
    if (!m) return;
    const { user, system } = process.cpuUsage();
    printRecord(`MARK ${m[1]}`, { at: Date.now(), cpuUs: user + system });
  });
  console.log(`READY ${replicaName} ${process.pid}`);
}

/**
 * On SIGTERM: `stop()` (close the app or the worker), then print each record (`{ RUNS: [...] }`)
 * and exit 0. An error while stopping is printed and exits 1.
 */
export function onTerm(stop, records) {
  process.once('SIGTERM', async () => {
    try {
      await stop();
      for (const [tag, value] of Object.entries(records())) printRecord(tag, value);
      process.exit(0);
    } catch (error) {
      console.error(`stop failed: ${error?.stack ?? error}`);
      process.exit(1);
    }
  });
}
