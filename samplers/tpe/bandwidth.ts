// Kernel bandwidths of one numeric dimension: the neighbour-gap rule (Optuna ≥ 4.9, and the 3.x rule
// that counts the prior mean as a neighbour), Optuna 3.x's Scott-like multivariate rule, and the clip.
import type { NumericAxis } from './axis.js';
import type { TpeOptions } from './options.js';

/**
 * Writes σ of m observations into `sigma[i]`, where `sorted` holds their model coordinates in ascending
 * order (σ of the i-th smallest). `dims` is the joint dimension (Scott rule).
 */
export function assignBandwidths(
  sorted: Float64Array,
  m: number,
  axis: NumericAxis,
  options: TpeOptions,
  dims: number,
  sigma: Float64Array,
): void {
  const { low, high, width } = axis;
  const { lo, cap } = bandwidthLimits(axis, options, m);
  const clip = (s: number): number => (s < lo ? lo : s > cap ? cap : s);
  if (options.bandwidth === 'scott') {
    const s = clip(0.2 * Math.max(m, 1) ** (-1 / (dims + 4)) * width);
    for (let i = 0; i < m; i++) sigma[i] = s;
    return;
  }
  if (options.bandwidth === 'neighbour') {
    if (m < 3) {
      for (let i = 0; i < m; i++) sigma[i] = clip(gapAt(sorted, i, m, low, high, options.considerEndpoints));
      return;
    }
    // Interior points: the larger gap to their neighbours; the two ends by gapAt's endpoint rule.
    sigma[0] = clip(gapAt(sorted, 0, m, low, high, options.considerEndpoints));
    sigma[m - 1] = clip(gapAt(sorted, m - 1, m, low, high, options.considerEndpoints));
    let prev = sorted[0] as number;
    let cur = sorted[1] as number;
    for (let i = 1; i < m - 1; i++) {
      const next = sorted[i + 1] as number;
      const g = cur - prev > next - cur ? cur - prev : next - cur;
      sigma[i] = g < lo ? lo : g > cap ? cap : g;
      prev = cur;
      cur = next;
    }
    return;
  }
  // 'neighbour-prior': the prior mean sits in the sorted list as an extra point whose own σ is dropped.
  const mu0 = axis.priorMu;
  let at = 0;
  while (at < m && (sorted[at] as number) < mu0) at++;
  const withPrior = new Float64Array(m + 1);
  withPrior.set(sorted.subarray(0, at), 0);
  withPrior[at] = mu0;
  withPrior.set(sorted.subarray(at, m), at + 1);
  for (let i = 0; i < m; i++) {
    const j = i < at ? i : i + 1;
    sigma[i] = clip(gapAt(withPrior, j, m + 1, low, high, options.considerEndpoints));
  }
}

/** The clip of m observations' σ: [lo, cap]. */
export function bandwidthLimits(axis: NumericAxis, options: TpeOptions, m: number): { lo: number; cap: number } {
  const { width } = axis;
  const base = axis.step > 0
    ? (options.steppedBandwidthFloor ?? options.bandwidthFloor)
    : axis.isLog ? (options.logBandwidthFloor ?? options.bandwidthFloor) : options.bandwidthFloor;
  const floor = width * Math.max(base, (m + 2) ** -options.bandwidthExponent);
  const cap = width * options.bandwidthMax;
  return { lo: floor < cap ? floor : cap, cap };
}

/**
 * σ of sorted point i among m ≥ 3 under the 'neighbour' rule, as assignBandwidths computes it (the
 * interior rule, or gapAt's endpoint rule at both ends), clipped to [lo, cap].
 */
export function neighbourSigma(sorted: Float64Array, i: number, m: number, axis: NumericAxis, considerEndpoints: boolean, lo: number, cap: number): number {
  if (i === 0 || i === m - 1) {
    const s = gapAt(sorted, i, m, axis.low, axis.high, considerEndpoints);
    return s < lo ? lo : s > cap ? cap : s;
  }
  const prev = sorted[i - 1] as number;
  const cur = sorted[i] as number;
  const next = sorted[i + 1] as number;
  const g = cur - prev > next - cur ? cur - prev : next - cur;
  return g < lo ? lo : g > cap ? cap : g;
}

/** Neighbour gap of sorted point i among `count` points with the bounds as outer neighbours. */
export function gapAt(sorted: Float64Array, i: number, count: number, low: number, high: number, considerEndpoints: boolean): number {
  const x = sorted[i] as number;
  if (!considerEndpoints && count >= 2) {
    if (i === 0) return (sorted[1] as number) - x;
    if (i === count - 1) return x - (sorted[count - 2] as number);
  }
  const left = i > 0 ? (sorted[i - 1] as number) : low;
  const right = i < count - 1 ? (sorted[i + 1] as number) : high;
  return Math.max(x - left, right - x);
}
