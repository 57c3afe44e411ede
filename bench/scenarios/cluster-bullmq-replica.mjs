// One BullMQ replica of the cluster scenario, run as its own process by cluster.mjs: what a team
// uses today for "one run per tick across replicas". Every replica upserts the same job scheduler
// at boot (`queue.upsertJobScheduler(id, { every })`, idempotent, as an app's onModuleInit would)
// and runs one Worker (default options, concurrency 1); whichever worker fetches an iteration's
// job runs it. Jobs are removed when done (`removeOnComplete/removeOnFail: true`), so Redis holds
// no history, like this module's lock keys.
//
// Settings (env): BENCH_URL (redis://…/db), BENCH_PREFIX (BullMQ's key prefix), BENCH_JOB
// (queue, scheduler and job name), BENCH_PERIOD_MS, BENCH_REPLICA.
//
// Due time of a run: the `nextMillis` BullMQ's scheduler computed for that iteration, i.e. its
// slot on the grid anchor + k × every (anchor: the first upsert's Date.now(); next slot:
// prevMillis + every, or after a miss the next slot on the same grid: updateJobScheduler-12.lua
// → getJobSchedulerEveryNextMillis). BullMQ creates iteration k + 1 when a worker fetches
// iteration k, as a delayed job whose id is `repeat:<scheduler id>:<nextMillis>`
// (getSchedulerNextJobId, and the same in the scripts); the run reads the due time from there.
// BullMQ also stores it as `timestamp + opts.delay` (delay = nextMillis − timestamp), except
// when it clamps the delay to 0 for a job created after its slot (an upsert replacing an
// iteration that was already due); the run records that sum too, and cluster.mjs counts the
// window's runs where the two differ (`job.delay` itself reads 0 in a worker: promotion resets it).
import { Queue, Worker } from 'bullmq';
import { announceReady, onTerm, replicaName, wallNow } from '../lib/replica-io.mjs';

const env = process.env;
const name = env.BENCH_JOB ?? 'bench-probe';
const periodMs = Number(env.BENCH_PERIOD_MS);
const connection = { url: env.BENCH_URL };
const runs = [];

function record(job) {
  const start = wallNow();
  const slot = `repeat:${job.repeatJobKey}:`;
  const id = String(job.id);
  runs.push({
    replica: replicaName,
    due: id.startsWith(slot) ? Number(id.slice(slot.length)) : NaN,
    stampDue: job.timestamp + job.opts.delay,
    start,
    processedOn: job.processedOn ?? null,
  });
}

const queue = new Queue(name, { connection, prefix: env.BENCH_PREFIX });
queue.on('error', (error) => console.error(`queue error: ${error.message}`));
await queue.upsertJobScheduler(
  name,
  { every: periodMs },
  { name, opts: { removeOnComplete: true, removeOnFail: true } },
);
const worker = new Worker(name, async (job) => record(job), {
  connection,
  prefix: env.BENCH_PREFIX,
});
worker.on('error', (error) => console.error(`worker error: ${error.message}`));
await worker.waitUntilReady();

onTerm(
  async () => {
    await worker.close();
    await queue.close();
  },
  () => ({ RUNS: runs }),
);
announceReady();
