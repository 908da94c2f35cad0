// Building a Parzen estimator (l or g): a weighted mixture of product kernels, one per observation plus
// the prior, with per-kernel constants precomputed (1/σ, log normalizers, categorical log rows).
import type { Axis, CategoricalAxis, NumericAxis } from './axis.js';
import { arena } from './arena.js';
import { assignBandwidths } from './bandwidth.js';
import { HALF_LN_2PI, logNormMass } from './normal-math.js';
import type { Column } from './observations.js';
import type { TpeOptions } from './options.js';

export interface NumericKernels {
  readonly kind: 'numeric';
  readonly axis: NumericAxis;
  readonly mu: Float64Array;
  readonly sigma: Float64Array;
  readonly invSigma: Float64Array;
  /** log of the truncation mass Z_k of each kernel on [L, U]. */
  readonly logZ: Float64Array;
  /** −ln σ − ½ln 2π − log Z: the constant of the continuous log-density (no −ln σ if unscaled). */
  readonly logNorm: Float64Array;
  /** Stepped axes: kernels with equal (μ, σ) share a pair, so bin masses are computed once per pair. */
  readonly pairOf: Int32Array;
  /** A kernel standing for each pair. */
  readonly pairKernel: Int32Array;
  readonly pairCount: number;
}

export interface CategoricalKernels {
  readonly kind: 'categorical';
  readonly axis: CategoricalAxis;
  /** Observed option of each kernel; -1 for the prior kernel. */
  readonly obs: Int32Array;
  /** Probability of option c under an observation kernel that saw c (hit) or another option (miss). */
  readonly hit: Float64Array;
  readonly miss: Float64Array;
  readonly logHit: Float64Array;
  readonly logMiss: Float64Array;
  readonly logPrior: Float64Array;
}

export type Kernels = NumericKernels | CategoricalKernels;

export interface Mixture {
  /** Kernels: the observations, then the prior. */
  readonly size: number;
  /** A dimension along which the observation kernels' means ascend (-1 if none). */
  readonly sortedBy: number;
  readonly weight: Float64Array;
  readonly logWeight: Float64Array;
  readonly dims: readonly Kernels[];
}

export interface MixtureInput {
  /** Column of each dimension (undefined only when there are no observations). */
  readonly columns: readonly (Column | undefined)[];
  readonly axes: readonly Axis[];
  /** Trial numbers of the observations, in kernel order. */
  readonly rows: Int32Array;
  /** A dimension along which `rows` ascend (-1 if none). */
  readonly sortedBy: number;
  readonly count: number;
  /** Role of each trial number for this group, and the role this mixture is fitted to. */
  readonly role: Uint8Array;
  readonly target: number;
  /** Kernel index of each trial number (valid where role === target). */
  readonly kernelOf: Int32Array;
  /** Unnormalized weights, the prior's last (count + 1 entries). */
  readonly weights: Float64Array;
  /** Uniform share mixed into every categorical row (l only). */
  readonly categoricalFloor: number;
}

export function buildMixture(input: MixtureInput, options: TpeOptions): Mixture {
  const size = input.count + 1;
  let total = 0;
  for (let k = 0; k < size; k++) total += input.weights[k] as number;
  const weight = arena.float(size, true);
  const logWeight = arena.float(size, true);
  for (let k = 0; k < size; k++) {
    weight[k] = total > 0 ? (input.weights[k] as number) / total : 1 / size;
    logWeight[k] = Math.log(weight[k] as number);
  }
  const dims = input.axes.map((axis, d) =>
    axis.kind === 'numeric' ? numericKernels(input, d, axis, options) : categoricalKernels(input, d, axis, options),
  );
  return { size, weight, logWeight, dims, sortedBy: input.sortedBy };
}

// --- internal ---

const NO_PAIRS = new Int32Array(0);
const EMPTY_COLUMN_CACHE = { cachedSigma: new Float64Array(0), cachedLogZ: new Float64Array(0), cachedLogNorm: new Float64Array(0) };

/** log of a kernel's mass on [L, U]; 0 when both bounds are more than 8.5σ away (error < 1e-16). */
function logTruncation(axis: NumericAxis, mu: number, sigma: number): number {
  const a = (axis.low - mu) / sigma;
  const b = (axis.high - mu) / sigma;
  return a < -8.5 && b > 8.5 ? 0 : logNormMass(a, b);
}

function numericKernels(input: MixtureInput, d: number, axis: NumericAxis, options: TpeOptions): NumericKernels {
  const m = input.count;
  const column = input.columns[d];
  if (m > 0 && column === undefined) throw new Error(`tpe: observations without a column for dimension ${d}`);
  const size = m + 1;
  const mu = arena.float(size, true);
  const sigma = arena.float(size, true);
  for (let i = 0; i < m; i++) mu[i] = (column as Column).z[input.rows[i] as number] as number;
  mu[m] = axis.priorMu;
  sigma[m] = axis.priorSigma;
  // The observations in ascending order, read off the column's maintained order (no sort).
  const sorted = arena.float(m, true);
  const kernel = arena.int(m, true);
  const { role, target, kernelOf } = input;
  const { order, z, count } = column ?? { order: new Int32Array(0), z: new Float64Array(0), count: 0 };
  let j = 0;
  for (let i = 0; i < count && j < m; i++) {
    const n = order[i] as number;
    if (role[n] !== target) continue;
    sorted[j] = z[n] as number;
    kernel[j] = kernelOf[n] as number;
    j++;
  }
  assignBandwidths(sorted, kernel, m, axis, options, input.axes.length, sigma);
  const invSigma = arena.float(size, true);
  const logZ = arena.float(size, true);
  const logNorm = arena.float(size, true);
  const unscaled = options.unscaledDensity;
  const { rows } = input;
  const { cachedSigma, cachedLogZ, cachedLogNorm } = column ?? EMPTY_COLUMN_CACHE;
  for (let k = 0; k < size; k++) {
    const s = sigma[k] as number;
    invSigma[k] = 1 / s;
    const n = k < m ? (rows[k] as number) : -1;
    if (n >= 0 && cachedSigma[n] === s) {
      logZ[k] = cachedLogZ[n] as number;
      logNorm[k] = cachedLogNorm[n] as number;
      continue;
    }
    const lz = logTruncation(axis, mu[k] as number, s);
    const ln = (unscaled ? 0 : -Math.log(s)) - HALF_LN_2PI - lz;
    logZ[k] = lz;
    logNorm[k] = ln;
    if (n >= 0) {
      cachedSigma[n] = s;
      cachedLogZ[n] = lz;
      cachedLogNorm[n] = ln;
    }
  }
  if (axis.step === 0) return { kind: 'numeric', axis, mu, sigma, invSigma, logZ, logNorm, pairOf: NO_PAIRS, pairKernel: NO_PAIRS, pairCount: 0 };
  // Equal means are adjacent in sorted order; within a run, match σ against the run's pairs.
  const pairOf = arena.int(size, true);
  const pairKernel = arena.int(size, true);
  let pairCount = 0;
  let runStart = 0;
  for (let i = 0; i < m; i++) {
    const k = kernel[i] as number;
    if (i > 0 && sorted[i] !== sorted[i - 1]) runStart = pairCount;
    let found = -1;
    for (let p = runStart; p < pairCount; p++) {
      if (sigma[pairKernel[p] as number] === sigma[k]) {
        found = p;
        break;
      }
    }
    if (found < 0) {
      found = pairCount++;
      pairKernel[found] = k;
    }
    pairOf[k] = found;
  }
  pairKernel[pairCount] = m;
  pairOf[m] = pairCount++;
  return { kind: 'numeric', axis, mu, sigma, invSigma, logZ, logNorm, pairOf, pairKernel, pairCount };
}

function categoricalKernels(input: MixtureInput, d: number, axis: CategoricalAxis, options: TpeOptions): CategoricalKernels {
  const column = input.columns[d];
  const m = input.count;
  const obs = arena.int(m + 1, true);
  for (let i = 0; i < m; i++) obs[i] = (column as Column).z[input.rows[i] as number] as number;
  obs[m] = -1;
  const size = axis.size;
  const eps = input.categoricalFloor;
  const hitRow = new Float64Array(size);
  const missRow = new Float64Array(size);
  const share = options.priorWeight / (m + 1);
  const denom = 1 + size * share;
  for (let c = 0; c < size; c++) {
    const p = axis.prior[c] as number;
    hitRow[c] = (1 - eps) * ((1 + share * size * p) / denom) + eps * p;
    missRow[c] = (1 - eps) * ((share * size * p) / denom) + eps * p;
  }
  return {
    kind: 'categorical', axis, obs, hit: hitRow, miss: missRow,
    logHit: hitRow.map(Math.log), logMiss: missRow.map(Math.log), logPrior: axis.prior.map(Math.log),
  };
}
