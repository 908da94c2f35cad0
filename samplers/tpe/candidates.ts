// Drawing EI candidates from l(x): per candidate one kernel (by weight), then one inverse-CDF draw per
// dimension in order: truncated normal for numeric axes (snapped to the grid), the kernel's row for options.
import type { Rng } from '../../src/rng.js';
import { fromModel, toModel } from './axis.js';
import { truncNormPpf } from './normal-math.js';
import type { CategoricalKernels, Mixture, NumericKernels } from './parzen.js';

export interface Candidates {
  readonly count: number;
  /** Per dimension: the valid value (natural scale), or the option index. */
  readonly values: Float64Array[];
  /** Per dimension: the model coordinate of the value. */
  readonly model: Float64Array[];
}

/**
 * Draws candidates from a mixture: per candidate one kernel, then one draw per dimension in order. With
 * `crossover` > 0, that share of the candidates (decided per candidate) instead draws a kernel for each
 * dimension separately, i.e. from the product of l's marginals, as univariate TPE does.
 */
export function drawCandidates(mix: Mixture, count: number, rng: Rng, crossover = 0): Candidates {
  const values = mix.dims.map(() => new Float64Array(count));
  const model = mix.dims.map(() => new Float64Array(count));
  const last = mix.size - 1;
  const pick = (): number => {
    let u = rng.random();
    let k = 0;
    while (k < last && u >= (mix.weight[k] as number)) u -= mix.weight[k++] as number;
    return k;
  };
  for (let c = 0; c < count; c++) {
    const mixed = crossover > 0 && mix.dims.length > 1 && rng.random() < crossover;
    let k = pick();
    for (let d = 0; d < mix.dims.length; d++) {
      if (mixed && d > 0) k = pick();
      const dim = mix.dims[d] as NumericKernels | CategoricalKernels;
      const x = dim.kind === 'numeric' ? drawNumeric(dim, k, rng.random()) : drawOption(dim, k, rng.random());
      (values[d] as Float64Array)[c] = x;
      (model[d] as Float64Array)[c] = dim.kind === 'numeric' ? toModel(dim.axis, x) : x;
    }
  }
  return { count, values, model };
}

// --- internal ---

function drawNumeric(dim: NumericKernels, k: number, u: number): number {
  const mu = dim.mu[k] as number;
  const s = dim.sigma[k] as number;
  const { low, high } = dim.axis;
  let z = mu + s * truncNormPpf((low - mu) / s, (high - mu) / s, u);
  if (z < low) z = low;
  if (z > high) z = high;
  return fromModel(dim.axis, z);
}

function drawOption(dim: CategoricalKernels, k: number, u: number): number {
  const seen = dim.obs[k] as number;
  const size = dim.axis.size;
  let rest = u;
  for (let c = 0; c < size - 1; c++) {
    const p = seen < 0 ? (dim.axis.prior[c] as number) : c === seen ? (dim.hit[c] as number) : (dim.miss[c] as number);
    if (rest < p) return c;
    rest -= p;
  }
  return size - 1;
}
