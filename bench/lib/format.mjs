/** Markdown rendering of the results. */

export function num(v, digits = 2) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return 'n/a';
  const abs = Math.abs(v);
  if (abs >= 10_000) return Math.round(v).toLocaleString('en-US');
  if (abs >= 100) return v.toFixed(0);
  if (abs >= 10) return v.toFixed(Math.min(digits, 1));
  return v.toFixed(digits);
}

/** "median [min – max]" of a summary. */
export function cell(s, digits = 2) {
  if (!s || !s.n) return 'n/a';
  if (s.n === 1 || s.min === s.max) return num(s.median, digits);
  return `${num(s.median, digits)} [${num(s.min, digits)} – ${num(s.max, digits)}]`;
}

export function table(headers, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map((h, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

function skippedNote(skipped) {
  if (!skipped?.length) return '';
  return `\n\nNot in this table: ${skipped.map((s) => `${s.id} (${s.reason})`).join('; ')}.`;
}

export function labelOf(contenders, id) {
  return contenders.find((c) => c.id === id)?.label ?? id;
}

export function timingTables(timing, contenders, variants) {
  const { config } = timing;
  const out = [];
  const shortRun = config.ticks < 1000;
  for (const variant of config.variants) {
    const rows = timing.contenders.map((id) => {
      const s = timing.results[variant][id].summary;
      const fired = s.fired.n ? `${num(s.fired.median, 0)}/${num(s.due.median, 0)}${s.fired.min !== s.fired.max ? ` [${num(s.fired.min, 0)} – ${num(s.fired.max, 0)}]` : ''}` : 'n/a';
      return [labelOf(contenders, id), cell(s.p50), cell(s.p99), cell(s.max), cell(s.drift), cell(s.driftDelta), cell(s.slope, 3), fired];
    });
    out.push(
      `#### Timing — ${variants[variant]}: ${config.jobs} jobs × ${config.periodMs} ms × ${config.ticks} ticks` +
        `${shortRun ? ` (**the issue asks 1,000 ticks; this run measured ${config.ticks}**, so "drift" is after ${config.ticks} ticks)` : ''}` +
        `, ${config.reps} reps${variant === 'work' ? `, ${config.workMs} ms of sync work per run` : ''}${variant === 'busy' ? `, busy loop of ${config.busyChunkMs} ms chunks` : ''}\n\n` +
        table(
          ['contender', 'lateness p50 (ms)', 'p99 (ms)', 'max (ms)', `drift: last tick (ms)`, 'last − first tick (ms)', 'slope (ms/tick)', 'ticks fired/due'],
          rows,
        ) + skippedNote(timing.skipped),
    );
  }
  return out.join('\n\n');
}

export function scaleTables(scale, contenders) {
  const out = [];
  for (const n of scale.config.sizes) {
    const ids = scale.contenders.filter((id) => scale.results[n][id]);
    const rows = ids.map((id) => {
      const { summary: s, errors } = scale.results[n][id];
      if (errors?.length && !s.registerMs.n) return [labelOf(contenders, id), 'failed', 'failed', 'failed'];
      return [labelOf(contenders, id), cell(s.registerMs), cell(s.heapPerJob, 0), cell(s.stopMs)];
    });
    const notRun = (scale.notRun ?? []).filter((x) => x.n === n);
    const failed = ids.filter((id) => scale.results[n][id].errors?.length).map((id) => ({ id, reason: scale.results[n][id].errors[0] }));
    out.push(
      `#### Scale — N = ${n.toLocaleString('en-US')} hourly jobs, ${scale.config.reps} reps${scale.config.isolate ? ', each in a fresh process' : ''}\n\n` +
        table(['contender', 'register + start (ms)', 'heap per job (bytes)', 'stop all (ms)'], rows) +
        skippedNote([...scale.skipped, ...notRun.map((x) => ({ id: x.id, reason: x.reason })), ...failed]),
    );
  }
  out.push('"register + start" of the Nest rows (YAML, @Interval) is the whole bootstrap of an app with N jobs, and their "stop all" is `app.close()`; their heap per job excludes the heap of an empty app of the same kind.');
  return out.join('\n\n');
}

export function perRunTable(perRun, contenders) {
  const { config } = perRun;
  const rows = perRun.contenders.map((id) => {
    const s = perRun.results[id].summary;
    return [labelOf(contenders, id), cell(s.cpuPerRunUs), cell(s.eldP99Ms), cell(s.eldMaxMs), cell(s.cpuPercent, 1), `${cell(s.runs, 0)} / ${num(s.expectedRuns.median, 0)}`];
  });
  return (
    `#### Per-run cost — ${config.jobs.toLocaleString('en-US')} no-op jobs every ${config.periodMs} ms, ${config.windowMs / 1000} s measured after ${config.warmupMs / 1000} s of warm-up` +
    `${config.windowMs < 20_000 ? ' (the issue asks 20 s)' : ''}, ${config.reps} reps\n\n` +
    table(['contender', 'CPU per run (µs)', 'event-loop delay p99 (ms)', 'event-loop delay max (ms)', 'CPU (% of one core)', 'runs in window / expected'], rows) + skippedNote(perRun.skipped) +
    `\n\nEvent-loop delay is the monitorEventLoopDelay histogram (${config.eldResolutionMs} ms resolution) minus its ${config.eldResolutionMs} ms sampling interval, which the histogram includes. CPU is the whole process (scheduler, timers, GC, the idle loop).`
  );
}

export function targetsTable(targets) {
  return table(
    ['target', 'contender', 'measured', 'reference', 'ratio', 'limit', 'result'],
    targets.map((t) => [t.target, t.contender, t.measured, t.reference, num(t.ratio, 2), t.limit, t.pass === undefined ? 'n/a' : t.pass ? 'PASS' : '**MISS**']),
  );
}

export function clusterTable(cluster) {
  if (cluster.status === 'pending') return `#### Cluster\n\ncluster: pending (${cluster.reason})`;
  const { config } = cluster;
  const names = Object.keys(cluster.backends);
  const measured = names.filter((b) => cluster.backends[b].summary);
  const label = { redis: 'Redis', postgres: 'PostgreSQL' };
  const rows = measured.map((b) => {
    const { summary: s, totals: t, server } = cluster.backends[b];
    if (!t.reps) return [`${label[b]} (${server})`, 'failed', 'failed', 'failed', 'failed', 'failed', 'failed', 'failed', 'failed', 'failed'];
    return [
      `${label[b]} (${server})`, cell(s.overheadP50Ms), cell(s.overheadP99Ms), cell(s.overheadMaxMs), cell(s.claimP50Ms), cell(s.claimP99Ms),
      cell(s.dueToStartP99Ms), `${t.duplicates}`, `${t.missed} / ${t.ticksDue}`, `${t.runs} / ${t.ticksDue}`,
    ];
  });
  const notes = [
    ...names.filter((b) => cluster.backends[b].skipped).map((b) => ({ id: label[b], reason: cluster.backends[b].skipped })),
    ...measured.filter((b) => cluster.backends[b].errors.length).map((b) => ({ id: `${label[b]}, ${cluster.backends[b].errors.length} failed rep(s)`, reason: cluster.backends[b].errors[0] })),
  ];
  return (
    `#### Cluster — ${config.replicas} replica processes share one job every ${config.periodMs} ms (no jitter: all race for every tick), ` +
    `${num(config.durationMs / 1000, 1)} s measured after ${num(config.warmupMs / 1000, 1)} s of warm-up, ${config.reps} reps, one backend at a time\n\n` +
    table(
      ['backend', 'lock overhead p50 (ms)', 'p99 (ms)', 'max (ms)', 'claim round trip p50 (ms)', 'p99 (ms)', 'due → run start p99 (ms)',
        'duplicates (all reps)', 'missed ticks / due (all reps)', 'runs / ticks due (all reps)'],
      rows,
    ) + skippedNote(notes) +
    '\n\n**Lock overhead**: on the replica that won the tick, the job\'s run start − the moment the coordinator\'s runTick asked the backend for the tick ' +
    '(both `performance.now()` in that replica; runTick calls the lock synchronously when the engine\'s timer fires the tick), i.e. what cluster mode adds ' +
    'between "the tick fired" and "the job runs": the claim round trip plus the coordinator\'s and runner\'s bookkeeping. ' +
    '**Claim round trip**: every claim of every replica, won or lost (what each replica pays per tick). ' +
    '**Due → run start**: the winner\'s wall clock at run start − `context.scheduledAt` (the engine\'s timer lateness + the lock overhead; only good to ±1 ms: the due time is on the backend\'s clock as the coordinator measures it, rounded to 1 ms). ' +
    `Percentiles are over the window's runs of one rep (${Math.round(config.durationMs / config.periodMs)}: its p99 lies between the two largest), then "median [min – max]" over reps. ` +
    '**Duplicates**: recorded runs − distinct ticks, over the whole rep. **Missed**: ticks due in the window (on the grid the replicas share) with no recorded run. ' +
    'Runs are recorded by the winner in the backend itself (a Redis list / a PostgreSQL table); the counts come from there.'
  );
}
