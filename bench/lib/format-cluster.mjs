/** Markdown of the cluster scenario: per period, a timing table and a cost table, then notes. */
import { CLUSTER_LABELS as LABELS } from '../scenarios/cluster-contenders.mjs';
import { cell, num, table } from './format.mjs';

const failedRow = (id, n) => [LABELS[id] ?? id, ...Array(n).fill('failed')];

function timingRow(id, { summary: s, totals: t }) {
  if (!t.reps) return failedRow(id, 9);
  return [
    LABELS[id] ?? id,
    cell(s.dueToStartP50Ms),
    cell(s.dueToStartP99Ms),
    cell(s.dueToStartMaxMs),
    cell(s.orderLateP99Ms),
    cell(s.orderLateMaxMs),
    cell(s.orderLateLastMs),
    `${t.runs} / ${t.ticksDue}`,
    `${t.missed}`,
    `${t.duplicates}`,
  ];
}

function costRow(id, { summary: s, totals: t }) {
  if (!t.reps) return failedRow(id, 9);
  const polluted = t.redisPolluted ? ` (${t.redisPolluted} rep(s) shared Redis, see below)` : '';
  return [
    LABELS[id] ?? id,
    cell(s.cpuPerTickMs),
    cell(s.cpuPercent, 1),
    `${cell(s.commandsPerTick, 1)}${polluted}`,
    cell(s.scriptCallsPerTick, 1),
    cell(s.redisCpuPerTickMs),
    cell(s.overheadP50Ms),
    cell(s.overheadP99Ms),
    cell(s.claimP50Ms),
    cell(s.claimP99Ms),
  ];
}

const TIMING_HEADERS = [
  'contender',
  'due → run start p50 (ms)',
  'p99 (ms)',
  'max (ms)',
  'k-th run − k-th tick p99 (ms)',
  'max (ms)',
  'at the last tick (ms)',
  'runs for window ticks / ticks due (all reps)',
  'missed ticks (all reps)',
  'duplicates (all reps)',
];
const COST_HEADERS = [
  'contender',
  'CPU per tick, all replicas (ms)',
  'CPU, all replicas (% of one core)',
  'Redis commands per tick',
  'of which script calls',
  'Redis server CPU per tick (ms)',
  'lock overhead p50 (ms)',
  'p99 (ms)',
  'claim round trip p50 (ms)',
  'p99 (ms)',
];

function pollutionNote(cluster) {
  const lines = [];
  for (const [periodMs, byId] of Object.entries(cluster.periods)) {
    for (const [id, entry] of Object.entries(byId)) {
      entry.reps.forEach((r, i) => {
        if (r.redis && !r.redis.clean) {
          const who = r.redis.others.slice(0, 3).join('; ') || 'none listed';
          lines.push(
            `${periodMs} ms, ${LABELS[id] ?? id}, rep ${i + 1}: ${r.redis.newConnections} new ` +
              `connection(s), other DBs' active clients: ${who}`,
          );
        }
      });
    }
  }
  return lines.length ? `\n\nRedis was shared during: ${lines.join('. ')}.` : '';
}

function periodHead(config, periodMs, servers) {
  const seconds = (ms) => num(ms / 1000, 1);
  return (
    `${config.replicas} replica processes share one job every ${num(Number(periodMs), 0)} ms, ` +
    `${seconds(config.durationMs)} s measured after ${seconds(config.warmupMs)} s of warm-up, ` +
    `${config.reps} reps in alternating order, on ${Object.values(servers).join(' and ')}`
  );
}

/** The timing table and the cost table of one period. */
function periodTables(head, byId) {
  const ids = Object.keys(byId);
  const errors = ids
    .filter((id) => byId[id].errors.length)
    .map(
      (id) =>
        `${LABELS[id] ?? id}: ${byId[id].errors.length} failed rep(s), first: ` +
        byId[id].errors[0],
    );
  const timing = table(
    TIMING_HEADERS,
    ids.map((id) => timingRow(id, byId[id])),
  );
  const cost = table(
    COST_HEADERS,
    ids.map((id) => costRow(id, byId[id])),
  );
  return [
    `#### Cluster — timing: ${head}\n\n${timing}` +
      (errors.length ? `\n\nFailed: ${errors.join('; ')}.` : ''),
    `#### Cluster — cost per tick: ${head}\n\n${cost}`,
  ];
}

export function clusterTables(cluster) {
  if (cluster.status === 'pending') return `#### Cluster\n\ncluster: pending (${cluster.reason})`;
  const out = [];
  for (const [periodMs, byId] of Object.entries(cluster.periods)) {
    out.push(...periodTables(periodHead(cluster.config, periodMs, cluster.servers), byId));
  }
  const skipped = Object.entries(cluster.skipped ?? {});
  if (skipped.length) {
    out.push(
      `Not measured: ${skipped.map(([id, why]) => `${LABELS[id] ?? id} (${why})`).join('; ')}.`,
    );
  }
  out.push(CLUSTER_NOTES + pollutionNote(cluster));
  return out.join('\n\n');
}

/** What each cluster column is (printed under the tables, for the README). */
export const CLUSTER_NOTES = [
  [
    "**Due → run start**: the start of the job's code (wall clock in the replica that ran it,",
    "sub-ms) − the due time of the tick that run is for, per run, uncapped. This module's due",
    "time is `context.scheduledAt` (on the backend's clock as the coordinator measures it,",
    "rounded to 1 ms, so ±1 ms). BullMQ's is the slot its job scheduler computed for the",
    "iteration (`nextMillis`: the first upsert's `Date.now()` + k × `every`, a fixed grid), read",
    "from the job's id `repeat:<scheduler id>:<nextMillis>`; BullMQ also stores it as the job's",
    '`timestamp + opts.delay`, and the bench checks that the two agree for every run of the',
    'window (they differ only when BullMQ clamps to 0 the delay of a job created after its',
    'slot). BullMQ creates iteration k + 1 when a worker fetches iteration k, as a delayed job;',
    'an idle worker waits for it in a blocking `BZPOPMIN` whose timeout Redis serves on its',
    '`hz` clock (10 times a second by default; shown next to the server above), hence',
    "BullMQ's lateness.",
  ],
  [
    '**k-th run − k-th tick**: order-matched lateness, uncapped: the k-th run of the window (by',
    'start time, from the first run for a window tick) against the k-th tick due in the window.',
    'A lost tick shifts every later run by one period here; nothing is dropped for being late.',
    '"At the last tick" is that of the window\'s last tick: the drift over the window. **Runs',
    'for window ticks / ticks due** is the fired-in-window count: runs whose tick is due in the',
    "window, out of the window's ticks. **Missed**: window ticks with no run at all.",
    '**Duplicates**: runs − distinct ticks over the whole rep (two runs of one tick).',
    'Percentiles are per rep, then "median [min – max]" over reps; counts are summed over reps.',
  ],
  [
    '**CPU per tick**: user + system CPU time (`process.cpuUsage`) of all replicas together,',
    'read by each replica at both ends of the window, / ticks due: the whole process (the Nest',
    'app, or the BullMQ Queue and Worker), idle time included. **Redis commands per tick**:',
    '`INFO commandstats` after − before the window, / ticks due: every command Redis ran, those',
    'a Lua script calls included (this module claims a tick with one script call per replica,',
    'and the winner releases it with one more); **script calls** counts the `EVALSHA`s alone;',
    '**Redis server CPU** is `used_cpu_user + used_cpu_sys` over the window, idle work (its',
    '`hz` cron) included. These counters are server-wide: the contenders run in a Redis DB of',
    'their own, and a rep during which a client of another DB was active, or a connection was',
    'opened, is flagged. **Lock overhead** (this module): on the replica that won the tick, the',
    "job's start − the coordinator's claim call (`performance.now()` in one process): what",
    'cluster mode adds between "the tick fired" and "the job runs". **Claim round trip**: every',
    'claim of every replica, won or lost.',
  ],
]
  .map((lines) => lines.join(' '))
  .join('\n\n');
