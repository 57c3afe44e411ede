// @ts-check
// One BullMQ replica of the cluster-scale scenario: what a team uses today for many schedules
// across replicas. N job schedulers (`upsertJobScheduler(id, { pattern: '* * * * * *' })`, all
// due at every second), one queue, one Worker per replica at BENCH_CONCURRENCY. The first
// replica upserts the schedulers before the others start (idempotent; upserting them on every
// replica only lengthens the boot, which is not measured). Jobs are removed when done.
//
// Due time of a run: BullMQ's own slot for the iteration, from its id
// `repeat:<scheduler key>:<nextMillis>` (as cluster-bullmq-replica.mjs explains).
// Settings (env): BENCH_URL, BENCH_PREFIX, BENCH_JOBS, BENCH_CONCURRENCY, BENCH_UPSERT (1|0).
import { Queue, Worker } from 'bullmq';
import { announceReady, onTerm, wallNow } from '../lib/replica-io.mjs';

const env = process.env;
const n = Number(env.BENCH_JOBS);
const connection = { url: env.BENCH_URL };
const prefix = env.BENCH_PREFIX;
/** @type {Array<[number, number, number]>} */
const runs = [];

const queue = new Queue('scale', { connection, prefix });
queue.on('error', (error) => console.error(`queue error: ${error.message}`));
if (env.BENCH_UPSERT === '1') {
  for (let i = 0; i < n; i += 200) {
    const upserts = [];
    for (let j = i; j < Math.min(n, i + 200); j++) {
      const opts = { removeOnComplete: true, removeOnFail: true };
      upserts.push(queue.upsertJobScheduler(`job-${j}`, { pattern: '* * * * * *' }, { opts }));
    }
    await Promise.all(upserts);
  }
}
const worker = new Worker(
  'scale',
  async (job) => {
    const start = wallNow();
    const slot = `repeat:${job.repeatJobKey}:`;
    const id = String(job.id);
    const due = id.startsWith(slot) ? Number(id.slice(slot.length)) : NaN;
    runs.push([Number(String(job.repeatJobKey).slice(4)), due, start]);
  },
  { connection, prefix, concurrency: Number(env.BENCH_CONCURRENCY ?? 1) },
);
worker.on('error', (error) => console.error(`worker error: ${error.message}`));
await worker.waitUntilReady();

onTerm(
  async () => {
    await worker.close();
    await queue.close();
  },
  () => ({ RUNS: runs, TRIPS: {} }),
);
announceReady();
