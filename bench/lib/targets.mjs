/**
 * The issue's targets, each as a ratio of numbers measured in this run (medians over reps).
 * Nothing here is a constant result: a target whose inputs were not measured is 'n/a'.
 */
import { num } from './format.mjs';

const OURS = ['ours-scheduler', 'ours-yaml'];
const LABEL = { 'ours-scheduler': 'JobScheduler', 'ours-yaml': 'YAML module' };
const VARIANT = { noop: 'no-op', work: '1 ms work', busy: 'busy loop' };

const med = (summary) => summary?.median;
const ms = (v) => `${num(v)} ms`;

function row(target, contender, measured, reference, ratio, limitText, limit) {
  const ok = Number.isFinite(ratio);
  return {
    target,
    contender,
    measured,
    reference,
    ratio: ok ? ratio : NaN,
    limit: limitText,
    limitRatio: limit,
    pass: ok ? ratio <= limit : undefined,
  };
}

export function computeTargets({ timing, scale, perRun }) {
  const rows = [];
  if (timing) {
    const { ticks } = timing.config;
    const tr = (variant, id) => timing.results[variant]?.[id]?.summary;
    for (const id of OURS.filter((c) => timing.contenders.includes(c))) {
      if (timing.results.noop) {
        // The issue's drift: lateness of the last tick, no-op runs. Measured after `ticks` ticks:
        // no projection (from 100 ticks a fitted slope × 1,000 is only good to a few ms).
        const value = med(tr('noop', id).drift);
        const ref = med(tr('noop', 'setInterval')?.drift);
        rows.push(
          row(
            `drift ≤ 2 ms (no-op; after ${ticks.toLocaleString('en-US')} ticks${ticks < 1000 ? ', the full size is 1,000' : ''})`,
            LABEL[id],
            ms(value),
            `setInterval ${ms(ref)}`,
            Math.abs(value) / 2,
            '≤ 1.00 (of 2 ms)',
            1,
          ),
        );
      }
      for (const variant of timing.config.variants) {
        const ours = med(tr(variant, id)?.p99);
        const ref = med(tr(variant, 'setInterval')?.p99);
        rows.push(
          row(
            `lateness p99 ≤ 1.1 × setInterval (${VARIANT[variant]})`,
            LABEL[id],
            ms(ours),
            `setInterval ${ms(ref)}`,
            ours / ref,
            '≤ 1.10',
            1.1,
          ),
        );
      }
      for (const variant of timing.config.variants) {
        const reps = timing.results[variant][id].reps;
        const fired = Math.min(...reps.map((r) => r.fired / r.due));
        const worst = reps.reduce((a, r) => (r.fired / r.due < a.fired / a.due ? r : a), reps[0]);
        const ref = timing.results[variant].setInterval?.reps;
        const refWorst = ref
          ? ref.reduce((a, r) => (r.fired / r.due < a.fired / a.due ? r : a), ref[0])
          : undefined;
        const t = row(
          `ticks fired = due (${VARIANT[variant]}; worst rep)`,
          LABEL[id],
          `${worst.fired}/${worst.due}`,
          refWorst ? `setInterval ${refWorst.fired}/${refWorst.due}` : 'n/a',
          fired,
          '= 1.00',
          1,
        );
        t.pass = fired === 1;
        rows.push(t);
      }
    }
  }
  if (scale) {
    const n = Math.max(...scale.config.sizes);
    const sc = (id) => scale.results[n]?.[id]?.summary;
    const refHeap = med(sc('nest-addInterval')?.heapPerJob);
    for (const id of OURS.filter((c) => scale.contenders.includes(c))) {
      const heap = med(sc(id)?.heapPerJob);
      rows.push(
        row(
          `heap per job ≤ 1.5 × addInterval (N = ${n.toLocaleString('en-US')})`,
          LABEL[id],
          `${num(heap, 0)} B`,
          `addInterval ${num(refHeap, 0)} B`,
          heap / refHeap,
          '≤ 1.50',
          1.5,
        ),
      );
    }
    // Like for like: code registration against addInterval, Nest bootstrap against @Interval's bootstrap.
    // The limits: code registration ≤ 1.0 × addInterval; a YAML bootstrap (read, parse, validate)
    // ≤ 1.5 × the @Interval bootstrap.
    const pairs = [
      ['ours-scheduler', 'nest-addInterval', 'addInterval', 1],
      ['ours-yaml', 'nest-@Interval', '@Interval bootstrap', 1.5],
    ];
    for (const [id, refId, refLabel, limit] of pairs.filter(
      ([a, b]) => scale.contenders.includes(a) && scale.contenders.includes(b),
    )) {
      const ours = med(sc(id)?.registerMs);
      const ref = med(sc(refId)?.registerMs);
      const times = limit.toFixed(2);
      rows.push(
        row(
          `register + start of ${n.toLocaleString('en-US')} ≤ ${limit === 1 ? '' : `${limit} × `}@nestjs/schedule`,
          LABEL[id],
          ms(ours),
          `${refLabel} ${ms(ref)}`,
          ours / ref,
          `≤ ${times}`,
          limit,
        ),
      );
    }
  }
  if (perRun) {
    const ref = med(perRun.results.setInterval?.summary.cpuPerRunUs);
    for (const id of OURS.filter((c) => perRun.contenders.includes(c))) {
      const ours = med(perRun.results[id].summary.cpuPerRunUs);
      rows.push(
        row(
          'CPU per run ≤ 1.5 × setInterval',
          LABEL[id],
          `${num(ours)} µs`,
          `setInterval ${num(ref)} µs`,
          ours / ref,
          '≤ 1.50',
          1.5,
        ),
      );
    }
  }
  return rows;
}
