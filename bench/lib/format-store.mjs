/** Markdown tables of the store scenario and the soak. */
import { STORE_LABELS } from './store-backends.mjs';

const cell = (s, digits = 1) =>
  s && s.n
    ? s.n === 1
      ? s.median.toFixed(digits)
      : `${s.median.toFixed(digits)} [${s.min.toFixed(digits)} – ${s.max.toFixed(digits)}]`
    : 'n/a';

const int = (n) => (n === null || n === undefined ? '–' : Math.round(n).toLocaleString('en-US'));
const sum = (reps, key) =>
  reps.some((r) => r[key] === null) ? null : reps.reduce((a, r) => a + r[key], 0);

function recordedCell(reps) {
  const made = sum(reps, 'made');
  const recorded = sum(reps, 'recorded');
  if (recorded === null) return `– / ${int(made)}`;
  const atEnd = sum(reps, 'recordedAtWindowEnd');
  const madeAtEnd = sum(reps, 'madeAtWindowEnd');
  const durable = sum(reps, 'recordedDurably');
  return (
    `${int(recorded)} / ${int(made)} (at window end ${int(atEnd)} / ${int(madeAtEnd)}` +
    `${durable === null ? '' : `; read back after close ${int(durable)}`})`
  );
}

export function storeTables(store) {
  const c = store.config;
  const rows = Object.entries(store.run).map(([kind, e]) => {
    const s = e.summary;
    const errors = e.errors.length ? ` ${e.errors.length} failed: ${e.errors[0]}` : '';
    return (
      `| ${STORE_LABELS[kind]} | ${cell(s.cpuPerRunUs)} | ${cell(s.eldP99Ms)} | ` +
      `${cell(s.cpuPercent)} | ${cell(s.runs, 0)} | ${recordedCell(e.reps)}${errors} |`
    );
  });
  const heapRows = Object.entries(store.heap).map(([kind, e]) => {
    const r = e.reps[0];
    const errors = e.errors.length ? `failed: ${e.errors[0]}` : '';
    const recorded = r ? `${int(r.recorded)} / ${int(r.made)}` : '';
    return `| ${STORE_LABELS[kind]} | ${cell(e.summary.heapPerJob, 0)} | ${recorded}${errors} |`;
  });
  const parts = [
    `#### Job store: per-run cost (${c.jobs.toLocaleString('en-US')} no-op jobs every ` +
      `${c.periodMs} ms, ${c.windowMs / 1000} s window, ${c.reps} reps)`,
    '| store | CPU per run (µs) | event-loop delay p99 (ms) | process CPU % | runs in window | ' +
      'runs recorded / made, all reps |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    'Each rep is a fresh `node --expose-gc` process; stores in alternating order. CPU is the ' +
      "bench process's (the store client included, the Redis/PostgreSQL server's not). " +
      `Recorded: the store's run counters summed after every job was stopped and up to ` +
      `${c.drainMs / 1000} s of drain; "at window end" is before that drain.`,
  ];
  if (heapRows.length) {
    parts.push(
      '',
      `#### Job store: heap per job (${c.heapJobs.toLocaleString('en-US')} hourly jobs, each ` +
        'run once, history on)',
      '| store | heap per job (bytes) | runs recorded / made |',
      '| --- | --- | --- |',
      ...heapRows,
      '',
      'Heap after full GCs once every job ran and the store recorded it (and its 3 s view ' +
        'refreshed), minus the heap of the same app before the jobs were scheduled.',
    );
  }
  return parts.join('\n');
}

export function soakTable(soak) {
  const mib = (b) => (b / 2 ** 20).toFixed(1);
  const rows = soak.samples.map(
    (s) =>
      `| ${s.minute} | ${mib(s.heapUsedBytes)} | ${mib(s.rssBytes)} | ${int(s.runs)} | ` +
      `${s.cpuPerRunUs.toFixed(1)} | ${s.eldP99Ms.toFixed(1)} | ` +
      `${int(s.recorded)} / ${int(s.made)} |`,
  );
  const first = soak.samples[0];
  const last = soak.samples.at(-1);
  const growth = last && first ? last.heapUsedBytes - first.heapUsedBytes : NaN;
  return [
    `#### Soak: ${soak.config.jobs.toLocaleString('en-US')} jobs every ` +
      `${soak.config.periodMs} ms, ` +
      `${soak.config.kind} store, ${soak.config.minutes} minutes`,
    '| minute | heap after full GC (MiB) | RSS (MiB) | runs in minute | CPU per run (µs) | ' +
      'event-loop delay p99 (ms) | recorded / made |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `Heap at minute ${last?.minute} − minute ${first?.minute}: ${mib(growth)} MiB. ` +
      `At the end: ${int(soak.recorded)} runs recorded of ${int(soak.made)} made.`,
  ].join('\n');
}
