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
  return [
    line(headers),
    line(headers.map((h, i) => (i === 0 ? '---' : '---:'))),
    ...rows.map(line),
  ].join('\n');
}

function skippedNote(skipped) {
  if (!skipped?.length) return '';
  return `\n\nNot in this table: ${skipped.map((s) => `${s.id} (${s.reason})`).join('; ')}.`;
}

export function labelOf(contenders, id) {
  return contenders.find((c) => c.id === id)?.label ?? id;
}

const TIMING_HEADERS = [
  'contender',
  'k-th run − k-th tick p50 (ms)',
  'p99 (ms)',
  'max (ms)',
  'drift: at the last tick (ms)',
  'last − first tick (ms)',
  'slope (ms/tick)',
  'fired in window / due',
];

function firedCell(s) {
  if (!s.fired.n) return 'n/a';
  const range =
    s.fired.min !== s.fired.max ? ` [${num(s.fired.min, 0)} – ${num(s.fired.max, 0)}]` : '';
  return `${num(s.fired.median, 0)}/${num(s.due.median, 0)}${range}`;
}

/** Ticks skipped by design (by a scheduler whose runs name their tick), jobs short of runs. */
function timingFootnotes(timing, variant, contenders) {
  const notes = [];
  for (const id of timing.contenders) {
    const s = timing.results[variant][id].summary;
    const label = labelOf(contenders, id);
    if (s.named?.skipped) {
      notes.push(
        `${label} skipped ${s.named.skipped} tick(s) after stalls (all reps), by design; ` +
          `against the tick each run names, its lateness p99 is ${cell(s.named.p99)} ms, ` +
          `max ${cell(s.named.max)} ms`,
      );
    }
    if (s.unreached) {
      notes.push(
        `${label}: ${s.unreached} job(s) had not made run ${timing.config.ticks} by the end ` +
          'of the grace period (no drift for them)',
      );
    }
  }
  return notes.length ? `\n\n${notes.join('. ')}.` : '';
}

/** What each timing column is (printed under the tables, for the README). */
export const TIMING_NOTE = [
  "**k-th run − k-th tick** (p50, p99, max, drift, slope): every contender's k-th run against",
  'its k-th due tick (start + k × period), uncapped: a scheduler that falls behind shows it as',
  'growing lateness, one that loses a tick shows every later run a period later; nothing is',
  'dropped or called missed for being late. **Drift** is the lateness of run number `ticks`',
  '(median over jobs); after the window the bench waits for it (up to max(20 periods, 10 % of',
  "the run)). **Last − first** is drift minus the first run's lateness (what accumulated),",
  '**slope** the least-squares lateness per tick. **Fired in window / due** is a count apart',
  "from that: each job's runs that started before tick `ticks` + 1 was due (at most `ticks`",
  'per job), summed, out of jobs × ticks.',
].join(' ');

export function timingTables(timing, contenders, variants) {
  const { config } = timing;
  const out = [];
  const shortRun = config.ticks < 1000;
  for (const variant of config.variants) {
    const rows = timing.contenders.map((id) => {
      const s = timing.results[variant][id].summary;
      return [
        labelOf(contenders, id),
        cell(s.p50),
        cell(s.p99),
        cell(s.max),
        cell(s.drift),
        cell(s.driftDelta),
        cell(s.slope, 3),
        firedCell(s),
      ];
    });
    out.push(
      `#### Timing — ${variants[variant]}: ${config.jobs} jobs × ${config.periodMs} ms × ${config.ticks} ticks` +
        `${shortRun ? ` (a short run: **${config.ticks} ticks, not the full 1,000**, so "drift" is after ${config.ticks} ticks)` : ''}` +
        `, ${config.reps} reps${variant === 'work' ? `, ${config.workMs} ms of sync work per run` : ''}${variant === 'busy' ? `, busy loop of ${config.busyChunkMs} ms chunks` : ''}\n\n` +
        table(TIMING_HEADERS, rows) +
        skippedNote(timing.skipped) +
        timingFootnotes(timing, variant, contenders),
    );
  }
  out.push(TIMING_NOTE);
  return out.join('\n\n');
}

export function scaleTables(scale, contenders) {
  const out = [];
  for (const n of scale.config.sizes) {
    const ids = scale.contenders.filter((id) => scale.results[n][id]);
    const rows = ids.map((id) => {
      const { summary: s, errors } = scale.results[n][id];
      if (errors?.length && !s.registerMs.n)
        return [labelOf(contenders, id), 'failed', 'failed', 'failed'];
      return [labelOf(contenders, id), cell(s.registerMs), cell(s.heapPerJob, 0), cell(s.stopMs)];
    });
    const notRun = (scale.notRun ?? []).filter((x) => x.n === n);
    const failed = ids
      .filter((id) => scale.results[n][id].errors?.length)
      .map((id) => ({ id, reason: scale.results[n][id].errors[0] }));
    out.push(
      `#### Scale — N = ${n.toLocaleString('en-US')} hourly jobs, ${scale.config.reps} reps${scale.config.isolate ? ', each in a fresh process' : ''}\n\n` +
        table(
          ['contender', 'register + start (ms)', 'heap per job (bytes)', 'stop all (ms)'],
          rows,
        ) +
        skippedNote([
          ...scale.skipped,
          ...notRun.map((x) => ({ id: x.id, reason: x.reason })),
          ...failed,
        ]),
    );
  }
  out.push(
    '"register + start" of the Nest rows (YAML, @Interval) is the whole bootstrap of an app with N jobs, and their "stop all" is `app.close()`; their heap per job excludes the heap of an empty app of the same kind.',
  );
  return out.join('\n\n');
}

export function perRunTable(perRun, contenders) {
  const { config } = perRun;
  const rows = perRun.contenders.map((id) => {
    const s = perRun.results[id].summary;
    return [
      labelOf(contenders, id),
      cell(s.cpuPerRunUs),
      cell(s.eldP99Ms),
      cell(s.eldMaxMs),
      cell(s.cpuPercent, 1),
      `${cell(s.runs, 0)} / ${num(s.expectedRuns.median, 0)}`,
    ];
  });
  return (
    `#### Per-run cost — ${config.jobs.toLocaleString('en-US')} no-op jobs every ${config.periodMs} ms, ${config.windowMs / 1000} s measured after ${config.warmupMs / 1000} s of warm-up` +
    `${config.windowMs < 20_000 ? ' (the full size is 20 s)' : ''}, ${config.reps} reps\n\n` +
    table(
      [
        'contender',
        'CPU per run (µs)',
        'event-loop delay p99 (ms)',
        'event-loop delay max (ms)',
        'CPU (% of one core)',
        'runs in window / expected',
      ],
      rows,
    ) +
    skippedNote(perRun.skipped) +
    `\n\nEvent-loop delay is the monitorEventLoopDelay histogram (${config.eldResolutionMs} ms resolution) minus its ${config.eldResolutionMs} ms sampling interval, which the histogram includes. CPU is the whole process (scheduler, timers, GC, the idle loop).`
  );
}

export function targetsTable(targets) {
  return table(
    ['target', 'contender', 'measured', 'reference', 'ratio', 'limit', 'result'],
    targets.map((t) => [
      t.target,
      t.contender,
      t.measured,
      t.reference,
      num(t.ratio, 2),
      t.limit,
      t.pass === undefined ? 'n/a' : t.pass ? 'PASS' : '**MISS**',
    ]),
  );
}
