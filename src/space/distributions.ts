// Flat distributions as samplers see them, and the maths every sampler shares: snapping a raw draw to
// a valid value, membership, prior draws, grid values and the label a value is tracked under.
// A parameter's value is always a number: the value itself, or the option index for a choice.
import type { Rng } from '../rng.js';

export type Distribution =
  | { readonly kind: 'uniform'; readonly low: number; readonly high: number }
  | { readonly kind: 'loguniform'; readonly low: number; readonly high: number }
  | { readonly kind: 'quniform'; readonly low: number; readonly high: number; readonly q: number }
  | { readonly kind: 'qloguniform'; readonly low: number; readonly high: number; readonly q: number }
  | { readonly kind: 'randint'; readonly low: number; readonly high: number }
  | { readonly kind: 'normal'; readonly mu: number; readonly sigma: number }
  | { readonly kind: 'qnormal'; readonly mu: number; readonly sigma: number; readonly q: number }
  | { readonly kind: 'lognormal'; readonly mu: number; readonly sigma: number }
  | {
      readonly kind: 'choice';
      /** Number of options; values are indices 0..n-1. */
      readonly n: number;
      /** Prior probabilities (pchoice); absent = uniform. */
      readonly probs?: readonly number[];
      /** How each option is shown in tracking (its value, or its index for nested options). */
      readonly labels: readonly string[];
      /** The options themselves, when every option is a constant (string, number, boolean, null). */
      readonly constants?: readonly (string | number | boolean | null)[];
    };

export type DistributionKind = Distribution['kind'];

/** Quantized distributions on a grid anchored at `low`: low, low+q, ... up to high. */
export function gridSize(d: { low: number; high: number; q: number }): number {
  return Math.floor((d.high - d.low) / d.q + 1e-9) + 1;
}

/** Whether every value of the distribution is an integer. */
export function isIntegral(d: Distribution): boolean {
  switch (d.kind) {
    case 'randint':
    case 'choice':
      return true;
    case 'quniform':
    case 'qloguniform':
      return Number.isInteger(d.low) && Number.isInteger(d.q);
    case 'qnormal':
      return Number.isInteger(d.q);
    default:
      return false;
  }
}

/** Whether samplers should model the parameter on a log scale. */
export function isLogScale(d: Distribution): boolean {
  return d.kind === 'loguniform' || d.kind === 'qloguniform' || d.kind === 'lognormal';
}

/** Maps any raw number (a kernel draw, say) to the nearest valid value of the distribution. */
export function snap(d: Distribution, x: number): number {
  switch (d.kind) {
    case 'uniform':
    case 'loguniform':
      return clamp(x, d.low, d.high);
    case 'quniform':
    case 'qloguniform': {
      const k = clamp(Math.round((x - d.low) / d.q), 0, gridSize(d) - 1);
      return cleanGridValue(d.low + k * d.q, d.low, d.q);
    }
    case 'randint':
      return clamp(Math.round(x), d.low, d.high - 1);
    case 'normal':
      return x;
    case 'qnormal':
      return cleanGridValue(Math.round(x / d.q) * d.q, 0, d.q);
    case 'lognormal':
      return x > 0 ? x : Number.MIN_VALUE;
    case 'choice':
      return clamp(Math.round(x), 0, d.n - 1);
  }
}

/** Whether `v` is a value the distribution can produce. */
export function contains(d: Distribution, v: number): boolean {
  if (!Number.isFinite(v)) return false;
  switch (d.kind) {
    case 'uniform':
    case 'loguniform':
      return v >= d.low && v <= d.high;
    case 'lognormal':
      return v > 0;
    case 'normal':
      return true;
    default:
      return snap(d, v) === v;
  }
}

/** One draw from the distribution's prior. */
export function sampleFromPrior(d: Distribution, rng: Rng): number {
  switch (d.kind) {
    case 'uniform':
      return snap(d, rng.uniform(d.low, d.high));
    case 'loguniform':
      return snap(d, Math.exp(rng.uniform(Math.log(d.low), Math.log(d.high))));
    case 'quniform':
      return snap(d, d.low + rng.int(gridSize(d)) * d.q);
    case 'qloguniform': {
      const top = d.low + (gridSize(d) - 1) * d.q;
      const lo = Math.log(Math.max(d.low - d.q / 2, Number.MIN_VALUE));
      return snap(d, Math.exp(rng.uniform(lo, Math.log(top + d.q / 2))));
    }
    case 'randint':
      return d.low + rng.int(d.high - d.low);
    case 'normal':
      return d.mu + d.sigma * rng.normal();
    case 'qnormal':
      return snap(d, d.mu + d.sigma * rng.normal());
    case 'lognormal':
      return snap(d, Math.exp(d.mu + d.sigma * rng.normal()));
    case 'choice':
      return d.probs === undefined ? rng.int(d.n) : pickWeighted(d.probs, rng.random());
  }
}

/** Every value of a finite distribution in ascending order, or undefined for a continuous one. */
export function gridValues(d: Distribution): number[] | undefined {
  switch (d.kind) {
    case 'choice':
      return range(d.n, (i) => i);
    case 'randint':
      return range(d.high - d.low, (i) => d.low + i);
    case 'quniform':
    case 'qloguniform':
      return range(gridSize(d), (k) => cleanGridValue(d.low + k * d.q, d.low, d.q));
    default:
      return undefined;
  }
}

/** The string a value is logged under as an MLflow param. */
export function valueLabel(d: Distribution, v: number): string {
  if (d.kind === 'choice') return d.labels[v] ?? String(v);
  return String(v);
}

/** Canonical JSON of a distribution, to compare two for equality. */
export function distributionKey(d: Distribution): string {
  return JSON.stringify(d, Object.keys(d).sort());
}

// --- internal ---

function clamp(x: number, low: number, high: number): number {
  return x < low ? low : x > high ? high : x;
}

function range(n: number, f: (i: number) => number): number[] {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = f(i);
  return out;
}

function pickWeighted(probs: readonly number[], u: number): number {
  let acc = 0;
  for (let i = 0; i < probs.length; i++) {
    acc += probs[i] ?? 0;
    if (u < acc) return i;
  }
  return probs.length - 1;
}

/** low + k*q computed in floating point, rounded to the decimals of low and q (0.1*3 -> 0.3). */
function cleanGridValue(v: number, low: number, q: number): number {
  const decimals = Math.min(15, Math.max(countDecimals(low), countDecimals(q)));
  return decimals === 0 ? Math.round(v) : Number(v.toFixed(decimals));
}

function countDecimals(x: number): number {
  if (Number.isInteger(x)) return 0;
  const [mantissa = '', exponent] = String(x).split('e');
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, fraction - (exponent === undefined ? 0 : Number(exponent)));
}
