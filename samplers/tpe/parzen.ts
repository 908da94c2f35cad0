// Building a Parzen estimator (l or g): a weighted mixture of product kernels, one per observation plus
// the prior, with per-kernel constants precomputed (1/σ, log normalizers, categorical log rows).
import type { Axis, CategoricalAxis, NumericAxis } from './axis.js';
import { Arena, arena } from './arena.js';
import { assignBandwidths } from './bandwidth.js';
import { orderedRows } from './sorted-rows.js';
import { kernelConstants } from './kernel-constants.js';
import type { Column } from './observations.js';
import type { TpeOptions } from './options.js';

export interface NumericKernels {
  readonly kind: 'numeric';
  readonly axis: NumericAxis;
  readonly mu: Float64Array;
  readonly sigma: Float64Array;
  readonly invSigma: Float64Array;
  /** log of the truncation mass Z_k of each kernel on [L, U]; stepped axes only (empty otherwise). */
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
  readonly packed: Packed;
}

/** The continuous (numeric, unstepped) dimensions laid out for scoring, kernel by kernel. */
export interface Packed {
  /** The continuous dimensions, in order (D of them). */
  readonly cont: readonly number[];
  /** Per kernel: log w + Σ over continuous dimensions of the log-density constant. */
  readonly base: Float64Array;
  /** Kernel k's μ and √½/σ in continuous dimension j at k·D + j. */
  readonly mean: Float64Array;
  readonly scale: Float64Array;
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
  /**
   * The mixture is only scored (g), never sampled from: its continuous dimensions after the first keep
   * their kernels in `packed` only (their μ, σ, … arrays are left empty).
   */
  readonly scoringOnly: boolean;
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
  const cont = input.axes.flatMap((axis, d) => (axis.kind === 'numeric' && axis.step === 0 ? [d] : []));
  const base = arena.float(size, true);
  base.set(logWeight);
  const packed: Packed = { cont, base, mean: arena.float(size * cont.length, true), scale: arena.float(size * cont.length, true) };
  const dims = input.axes.map((axis, d) =>
    axis.kind === 'numeric' ? numericKernels(input, d, axis, options, packed) : categoricalKernels(input, d, axis, options),
  );
  return { size, weight, logWeight, dims, sortedBy: input.sortedBy, packed };
}

// --- internal ---

const NO_PAIRS = new Int32Array(0);
const NO_VALUES = new Float64Array(0);
/** Per-dimension temporaries, reused by the next dimension (keeps the memory a fit touches small). */
const scratch = new Arena();

function numericKernels(input: MixtureInput, d: number, axis: NumericAxis, options: TpeOptions, packed: Packed): NumericKernels {
  const m = input.count;
  const column = input.columns[d];
  if (m > 0 && column === undefined) throw new Error(`tpe: observations without a column for dimension ${d}`);
  const size = m + 1;
  // The observations in ascending order (the column's order restricted to the group), and their kernels.
  scratch.reset();
  const sorted = scratch.float(m, true);
  const kernel = scratch.int(m, true);
  const position = scratch.int(m, true);
  if (m > 0) {
    const { z, sortedZ } = column as Column;
    const { kernelOf } = input;
    const trials = scratch.int(m, true);
    orderedRows(column as Column, input.rows, m, input.role, input.target, trials, position);
    for (let i = 0; i < m; i++) {
      const n = trials[i] as number;
      const p = position[i] as number;
      sorted[i] = p >= 0 ? (sortedZ[p] as number) : (z[n] as number);
      kernel[i] = kernelOf[n] as number;
    }
  }
  const sortedSigma = scratch.float(m, true);
  assignBandwidths(sorted, m, axis, options, input.axes.length, sortedSigma);
  const j = packed.cont.indexOf(d);
  // Arrays nobody reads after packing live in scratch memory, reused by the next dimension.
  const keep = j < 0 ? arena : input.scoringOnly && j > 0 ? scratch : arena;
  const mu = keep.float(size, true);
  const sigma = keep.float(size, true);
  const invSigma = keep.float(size, true);
  // Only bin masses (stepped axes) need log Z once the density constants are known.
  const logZ = j < 0 ? arena.float(size, true) : scratch.float(size, true);
  const logNorm = keep.float(size, true);
  kernelConstants(axis, options.unscaledDensity, column, { m, z: sorted, sigma: sortedSigma, kernel, position }, { mu, sigma, invSigma, logZ, logNorm });
  if (j >= 0) {
    pack(packed, j, size, mu, invSigma, logNorm);
    if (keep === scratch) return { kind: 'numeric', axis, mu: NO_VALUES, sigma: NO_VALUES, invSigma: NO_VALUES, logZ: NO_VALUES, logNorm: NO_VALUES, pairOf: NO_PAIRS, pairKernel: NO_PAIRS, pairCount: 0 };
    return { kind: 'numeric', axis, mu, sigma, invSigma, logZ: NO_VALUES, logNorm, pairOf: NO_PAIRS, pairKernel: NO_PAIRS, pairCount: 0 };
  }
  const pairOf = arena.int(size, true);
  const pairKernel = arena.int(size, true);
  const pairCount = assignPairs(sorted, sortedSigma, kernel, m, sigma, pairOf, pairKernel);
  return { kind: 'numeric', axis, mu, sigma, invSigma, logZ, logNorm, pairOf, pairKernel, pairCount };
}

/**
 * Groups the kernels of a stepped dimension by equal (μ, σ): `sorted`, `sortedSigma` and `kernel` list
 * the m observations in ascending order, `sigma` is by kernel. Writes pairOf (by kernel, the prior's
 * at m) and pairKernel; returns the number of pairs.
 */
export function assignPairs(
  sorted: Float64Array, sortedSigma: Float64Array, kernel: Int32Array, m: number, sigma: Float64Array,
  pairOf: Int32Array, pairKernel: Int32Array,
): number {
  // Equal means are adjacent in sorted order; within a run, match σ against the run's pairs.
  let pairCount = 0;
  let runStart = 0;
  for (let i = 0; i < m; i++) {
    const k = kernel[i] as number;
    if (i > 0 && sorted[i] !== sorted[i - 1]) runStart = pairCount;
    let found = -1;
    for (let p = runStart; p < pairCount; p++) {
      if (sigma[pairKernel[p] as number] === sortedSigma[i]) {
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
  return pairCount;
}

/** Writes continuous dimension j of every kernel into the packed layout and adds its constant to base. */
function pack(packed: Packed, j: number, size: number, mu: Float64Array, invSigma: Float64Array, logNorm: Float64Array): void {
  const { base, mean, scale } = packed;
  const D = packed.cont.length;
  for (let k = 0, o = j; k < size; k++, o += D) {
    base[k] = (base[k] as number) + (logNorm[k] as number);
    mean[o] = mu[k] as number;
    scale[o] = (invSigma[k] as number) * Math.SQRT1_2;
  }
}

function categoricalKernels(input: MixtureInput, d: number, axis: CategoricalAxis, options: TpeOptions): CategoricalKernels {
  const column = input.columns[d];
  const m = input.count;
  const obs = arena.int(m + 1, true);
  for (let i = 0; i < m; i++) obs[i] = (column as Column).z[input.rows[i] as number] as number;
  obs[m] = -1;
  return categoricalRows(axis, obs, m, input.categoricalFloor, options.priorWeight);
}

/** Categorical kernels of m observations (`obs`, the prior's -1 at m) with uniform share eps mixed in. */
export function categoricalRows(axis: CategoricalAxis, obs: Int32Array, m: number, eps: number, priorWeight: number): CategoricalKernels {
  const size = axis.size;
  const hitRow = new Float64Array(size);
  const missRow = new Float64Array(size);
  const share = priorWeight / (m + 1);
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
