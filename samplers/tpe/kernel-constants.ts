// Per-kernel constants of one numeric dimension: 1/σ, the log truncation mass log Z on [L, U] and the
// log-density constant −ln σ − ½ln 2π − log Z. Kernels far from both bounds (log Z = 0) share the constant
// of their σ, computed once per run of equal σ; the others reuse what the column remembers for the
// observation when σ is unchanged since the last fit. Observations are visited in sorted order, so the
// column's per-position memory is read front to back.
import type { NumericAxis } from './axis.js';
import { HALF_LN_2PI, logNormMass } from './normal-math.js';
import type { Column } from './observations.js';

/** One group's observations of a dimension in ascending order. */
export interface SortedObservations {
  readonly m: number;
  /** Model coordinate and σ of the i-th smallest observation. */
  readonly z: Float64Array;
  readonly sigma: Float64Array;
  /** Its kernel index, and its position in the column's order (-1: not known, nothing remembered). */
  readonly kernel: Int32Array;
  readonly position: Int32Array;
}

/** Per-kernel arrays (kernel order, the prior kernel last at index m) written by kernelConstants. */
export interface KernelArrays {
  readonly mu: Float64Array;
  readonly sigma: Float64Array;
  readonly invSigma: Float64Array;
  readonly logZ: Float64Array;
  readonly logNorm: Float64Array;
}

/**
 * Scatters the observations' μ and σ into kernel order and fills their constants; also the prior
 * kernel's (index m). `unscaled` leaves −ln σ out (Optuna 3.1). `column` remembers constants per position.
 */
export function kernelConstants(axis: NumericAxis, unscaled: boolean, column: Column | undefined, obs: SortedObservations, out: KernelArrays): void {
  const { low, high } = axis;
  const { m, z, sigma: sorted, kernel, position } = obs;
  const { mu, sigma, invSigma, logZ, logNorm } = out;
  const cachedSigma = column?.cachedSigma;
  const cachedLogZ = column?.cachedLogZ;
  const cachedLogNorm = column?.cachedLogNorm;
  // The σ of the last untruncated kernel, its constant, and a range of means certainly untruncated under it.
  let farSigma = Number.NaN;
  let farNorm = 0;
  let farLow = 0;
  let farHigh = 0;
  for (let i = 0; i < m; i++) {
    const k = kernel[i] as number;
    const s = sorted[i] as number;
    const x = z[i] as number;
    mu[k] = x;
    sigma[k] = s;
    invSigma[k] = 1 / s;
    if (s === farSigma && x > farLow && x < farHigh) {
      logZ[k] = 0;
      logNorm[k] = farNorm;
      continue;
    }
    const a = (low - x) / s;
    const b = (high - x) / s;
    if (a < -FAR && b > FAR) {
      if (s !== farSigma) {
        farSigma = s;
        farNorm = (unscaled ? 0 : -Math.log(s)) - HALF_LN_2PI - 0;
        farLow = low === Number.NEGATIVE_INFINITY ? low : low + safeMargin(s, low);
        farHigh = high === Number.POSITIVE_INFINITY ? high : high - safeMargin(s, high);
      }
      logZ[k] = 0;
      logNorm[k] = farNorm;
      continue;
    }
    const p = position[i] as number;
    if (p >= 0 && cachedSigma !== undefined && cachedSigma[p] === s) {
      logZ[k] = (cachedLogZ as Float64Array)[p] as number;
      logNorm[k] = (cachedLogNorm as Float64Array)[p] as number;
      continue;
    }
    const lz = logNormMass(a, b);
    const ln = (unscaled ? 0 : -Math.log(s)) - HALF_LN_2PI - lz;
    logZ[k] = lz;
    logNorm[k] = ln;
    if (p >= 0 && cachedSigma !== undefined) {
      cachedSigma[p] = s;
      (cachedLogZ as Float64Array)[p] = lz;
      (cachedLogNorm as Float64Array)[p] = ln;
    }
  }
  const s = axis.priorSigma;
  mu[m] = axis.priorMu;
  sigma[m] = s;
  invSigma[m] = 1 / s;
  const a = (low - axis.priorMu) / s;
  const b = (high - axis.priorMu) / s;
  const lz = a < -FAR && b > FAR ? 0 : logNormMass(a, b);
  logZ[m] = lz;
  logNorm[m] = (unscaled ? 0 : -Math.log(s)) - HALF_LN_2PI - lz;
}

/**
 * log Z and the log-density constant of one kernel (x, s), equal to what kernelConstants writes for it
 * (its shortcuts and memory only ever reuse values of this function for the same x and s).
 */
export function kernelConstant(axis: NumericAxis, unscaled: boolean, x: number, s: number, out: { logZ: number; logNorm: number }): void {
  const a = (axis.low - x) / s;
  const b = (axis.high - x) / s;
  const lz = a < -FAR && b > FAR ? 0 : logNormMass(a, b);
  out.logZ = lz;
  out.logNorm = (unscaled ? 0 : -Math.log(s)) - HALF_LN_2PI - lz;
}

// --- internal ---

/** Both bounds further than this many σ away: the truncation mass is taken as 1 (error < 1e-16). */
const FAR = 8.5;

/**
 * A distance from a finite bound beyond which a mean is certainly more than FAR·σ away as computed in
 * floating point, (bound − μ)/σ: the relative 1e-9 and the 1e-12·|bound| terms dwarf every rounding
 * error of that quotient and of this sum, so the quick range test never admits a kernel the exact test
 * would refuse.
 */
function safeMargin(sigma: number, bound: number): number {
  return FAR * sigma * (1 + 1e-9) + 1e-12 * Math.abs(bound);
}
