/** Small statistics helpers shared by every scenario. Pure functions, no I/O. */

/** Percentile `p` (0..100) of already sorted numbers, linearly interpolated; NaN when empty. */
export function percentileSorted(sorted, p) {
  const n = sorted.length;
  if (!n) return NaN;
  if (n === 1) return sorted[0];
  const rank = (p / 100) * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

/** A sorted Float64Array copy of `values`. */
export function sorted(values) {
  return Float64Array.from(values).sort();
}

export function median(values) {
  return percentileSorted(sorted(values), 50);
}

/** `{ median, min, max, n }` of the finite values (all NaN when none are finite). */
export function summarize(values) {
  const finite = values.filter((v) => typeof v === 'number' && Number.isFinite(v));
  if (!finite.length) return { median: NaN, min: NaN, max: NaN, n: 0 };
  const s = sorted(finite);
  return { median: percentileSorted(s, 50), min: s[0], max: s[s.length - 1], n: s.length };
}

/** Least-squares line through (x, y): `{ slope, intercept }`; slope 0 when x does not vary. */
export function linearFit(xs, ys) {
  const n = xs.length;
  if (!n) return { slope: NaN, intercept: NaN };
  let sx = 0,
    sy = 0;
  for (let i = 0; i < n; i++) {
    sx += xs[i];
    sy += ys[i];
  }
  const mx = sx / n,
    my = sy / n;
  let sxx = 0,
    sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i] - mx;
    sxx += dx * dx;
    sxy += dx * (ys[i] - my);
  }
  const slope = sxx ? sxy / sxx : 0;
  return { slope, intercept: my - slope * mx };
}

/** `[first, ..., last]` for rep r: even reps in the given order, odd reps reversed (alternating order). */
export function alternate(list, rep) {
  return rep % 2 === 0 ? [...list] : [...list].reverse();
}
