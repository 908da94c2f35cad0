// How TPE models one distribution: its coordinate (identity or ln), the modelled interval [L, U], the
// prior kernel, the bins of stepped values, and the way back from a kernel draw to a valid value.
import { gridSize, snap, type Distribution } from '../../src/space/distributions.js';

export interface NumericAxis {
  readonly kind: 'numeric';
  readonly distribution: Distribution;
  /** Modelled interval in model coordinates (±Infinity for normal-type distributions). */
  readonly low: number;
  readonly high: number;
  /** Reference width: U − L, or the prior sigma when unbounded. Bandwidths are fractions of it. */
  readonly width: number;
  readonly priorMu: number;
  readonly priorSigma: number;
  readonly isLog: boolean;
  /** Grid step on the natural scale; 0 for continuous distributions. */
  readonly step: number;
  /** Lowest bin edge on the natural scale (stepped log distributions only). */
  readonly firstEdge: number;
}

export interface CategoricalAxis {
  readonly kind: 'categorical';
  readonly distribution: Distribution;
  readonly size: number;
  /** Prior probability of each option. */
  readonly prior: Float64Array;
}

export type Axis = NumericAxis | CategoricalAxis;

const MAX_LOG = 700;

/** The axis of a distribution. */
export function axisOf(d: Distribution): Axis {
  switch (d.kind) {
    case 'choice': {
      const prior = new Float64Array(d.n);
      const total = d.probs?.reduce((s, p) => s + p, 0) ?? 0;
      for (let i = 0; i < d.n; i++) prior[i] = d.probs && total > 0 ? (d.probs[i] ?? 0) / total : 1 / d.n;
      return { kind: 'categorical', distribution: d, size: d.n, prior };
    }
    case 'uniform':
      return bounded(d, d.low, d.high, false, 0, 0);
    case 'loguniform':
      return bounded(d, Math.log(d.low), Math.log(d.high), true, 0, 0);
    case 'quniform': {
      const top = d.low + (gridSize(d) - 1) * d.q;
      return bounded(d, d.low - d.q / 2, top + d.q / 2, false, d.q, 0);
    }
    case 'qloguniform': {
      const top = d.low + (gridSize(d) - 1) * d.q;
      const first = d.low - d.q / 2 > 0 ? d.low - d.q / 2 : d.low / 2;
      return bounded(d, Math.log(first), Math.log(top + d.q / 2), true, d.q, first);
    }
    case 'randint':
      return bounded(d, d.low - 0.5, d.high - 0.5, false, 1, 0);
    case 'normal':
      return unbounded(d, d.mu, d.sigma, false, 0);
    case 'qnormal':
      return unbounded(d, d.mu, d.sigma, false, d.q);
    case 'lognormal':
      return unbounded(d, d.mu, d.sigma, true, 0);
  }
}

/** Model coordinate of a value: ln x on log axes, x otherwise; the option index for categoricals. */
export function toModel(axis: Axis, x: number): number {
  return axis.kind === 'numeric' && axis.isLog ? Math.log(x) : x;
}

/** The valid value nearest to a kernel draw z (model coordinates). */
export function fromModel(axis: NumericAxis, z: number): number {
  if (axis.isLog) return snap(axis.distribution, Math.exp(z > MAX_LOG ? MAX_LOG : z < -MAX_LOG ? -MAX_LOG : z));
  return snap(axis.distribution, z);
}

/** Lower edge of a stepped value's bin, in model coordinates. */
export function binLow(axis: NumericAxis, x: number): number {
  const lo = x - axis.step / 2;
  if (!axis.isLog) return lo;
  return Math.log(lo > axis.firstEdge ? lo : axis.firstEdge);
}

/** Upper edge of a stepped value's bin, in model coordinates. */
export function binHigh(axis: NumericAxis, x: number): number {
  const hi = x + axis.step / 2;
  return axis.isLog ? Math.log(hi) : hi;
}

/** Whether the distribution has a single possible value (never sampled by TPE). */
export function isSingleValued(d: Distribution): boolean {
  if (d.kind === 'choice') return d.n <= 1;
  if (d.kind === 'quniform' || d.kind === 'qloguniform') return gridSize(d) <= 1;
  if (d.kind === 'randint') return d.high - d.low <= 1;
  return false;
}

// --- internal ---

function bounded(d: Distribution, low: number, high: number, isLog: boolean, step: number, firstEdge: number): NumericAxis {
  const width = high - low;
  return { kind: 'numeric', distribution: d, low, high, width, priorMu: 0.5 * (low + high), priorSigma: width, isLog, step, firstEdge };
}

function unbounded(d: Distribution, mu: number, sigma: number, isLog: boolean, step: number): NumericAxis {
  return {
    kind: 'numeric', distribution: d, low: Number.NEGATIVE_INFINITY, high: Number.POSITIVE_INFINITY,
    width: sigma, priorMu: mu, priorSigma: sigma, isLog, step, firstEdge: 0,
  };
}
