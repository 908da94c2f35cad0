// Server-side downsampling of metric histories: Largest-Triangle-Three-Buckets (Steinarsson 2013).
// Keeps the first and last points and, from each bucket, the point that best preserves the shape.

/**
 * At most `maxPoints` points of the series (x ascending), chosen by LTTB: the points are split into
 * `maxPoints - 2` buckets between the first and the last; from each bucket the point forming the
 * largest triangle with the point kept before it and the mean of the next bucket is kept. Spikes
 * survive (a spike makes a large triangle), flat stretches cost one point each. O(n).
 * Non-finite y values are dropped first (they cannot be drawn). Returns the input indices kept.
 */
export function lttbIndices(xs: ArrayLike<number>, ys: ArrayLike<number>, maxPoints: number): number[] {
  const valid: number[] = [];
  for (let i = 0; i < ys.length; i++) if (Number.isFinite(ys[i]) && Number.isFinite(xs[i])) valid.push(i);
  const n = valid.length;
  const threshold = Math.max(2, Math.floor(maxPoints));
  if (n <= threshold) return valid;
  const x = (k: number): number => xs[valid[k] as number] as number;
  const y = (k: number): number => ys[valid[k] as number] as number;
  const kept: number[] = [valid[0] as number];
  const every = (n - 2) / (threshold - 2);
  let a = 0;
  for (let b = 0; b < threshold - 2; b++) {
    const nextStart = Math.floor((b + 1) * every) + 1;
    const nextEnd = Math.min(n, Math.floor((b + 2) * every) + 1);
    let avgX = 0;
    let avgY = 0;
    for (let k = nextStart; k < nextEnd; k++) {
      avgX += x(k);
      avgY += y(k);
    }
    const count = Math.max(1, nextEnd - nextStart);
    avgX /= count;
    avgY /= count;
    const start = Math.floor(b * every) + 1;
    const end = Math.floor((b + 1) * every) + 1;
    let best = start;
    let bestArea = -1;
    for (let k = start; k < end; k++) {
      const area = Math.abs((x(a) - avgX) * (y(k) - y(a)) - (x(a) - x(k)) * (avgY - y(a)));
      if (area > bestArea) {
        bestArea = area;
        best = k;
      }
    }
    kept.push(valid[best] as number);
    a = best;
  }
  kept.push(valid[n - 1] as number);
  return kept;
}

/** A downsampled series as parallel arrays, with how many points it had. */
export interface Series {
  steps: number[];
  values: number[];
  timestamps: number[];
  /** Points before downsampling (finite or not). */
  total: number;
}

/** LTTB over (step, value) of metric points; timestamps follow the kept points. */
export function downsampleMetric(points: readonly { step: number; value: number; timestamp: number }[], maxPoints: number): Series {
  const steps = points.map((p) => p.step);
  const values = points.map((p) => p.value);
  const kept = lttbIndices(steps, values, maxPoints);
  return {
    steps: kept.map((i) => steps[i] as number),
    values: kept.map((i) => values[i] as number),
    timestamps: kept.map((i) => (points[i] as { timestamp: number }).timestamp),
    total: points.length,
  };
}
