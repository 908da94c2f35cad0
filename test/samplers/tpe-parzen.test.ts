// Parzen-estimator maths of the TPE sampler against hand-computed values: normal numerics, bandwidth
// rules (tpe.md §2.4 test vectors), truncated-normal mixture log-densities, discretized bins, categorical
// kernels. Expected values were computed independently (SciPy truncnorm / norm, by hand).
import { describe, expect, it } from 'vitest';
import type { Candidates } from '../../samplers/tpe/candidates.js';
import { erfc, expNonPositive, logNormCdf, logNormMass, normPpf, truncNormPpf } from '../../samplers/tpe/normal-math.js';
import type { TpeUserOptions } from '../../samplers/tpe/options.js';
import type { Mixture, NumericKernels } from '../../samplers/tpe/parzen.js';
import { logDensity } from '../../samplers/tpe/score.js';
import { fitBelow as fitBelowWith } from './fit-below.js';
import { gridValues, type Distribution } from '../../src/space/distributions.js';

/** Optuna's clip (width / min(100, m + 2)), σ_max = width, uniform weights, prior weight 1. */
const optunaClip: TpeUserOptions = {
  bandwidth: 'neighbour', considerEndpoints: false, bandwidthFloor: 0.01, bandwidthExponent: 1, bandwidthMax: 1,
  priorWeight: 1, weightsBelow: 'uniform', unscaledDensity: false, gamma: 1, startupTrials: 0, categoricalFloor: 0,
};

describe('normal numerics', () => {
  it.each([
    [-3, 1.9999779095030015],
    [0.5, 0.4795001221869535],
    [2, 0.004677734981047266],
    [10, 2.0884875837625446e-45],
  ])('erfc(%d)', (x, expected) => expect(erfc(x)).toBeCloseTo(expected, 15 - Math.max(0, Math.ceil(-Math.log10(expected)))));

  it.each([
    [-40, -804.6084420137539],
    [-5, -15.064998393988727],
    [0, -0.6931471805599453],
    [3, -0.0013508099647481925],
  ])('log Φ(%d)', (z, expected) => expect(logNormCdf(z)).toBeCloseTo(expected, 12));

  it.each([
    [1e-10, -6.361340902404056],
    [0.025, -1.9599639845400545],
    [0.5, 0],
    [0.9, 1.2815515655446004],
  ])('Φ⁻¹(%d)', (p, expected) => expect(normPpf(p)).toBeCloseTo(expected, 12));

  it('computes interval masses without cancellation in either tail', () => {
    expect(Math.exp(logNormMass(-1, 1))).toBeCloseTo(0.6826894921370859, 14);
    expect(logNormMass(-50, -49)).toBeCloseTo(-1205.3111748916656, 9);
    expect(logNormMass(3, 4)).toBeCloseTo(-6.631467786538225, 12);
    expect(logNormMass(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY)).toBeCloseTo(0, 15);
  });

  it('inverts the truncated normal CDF inside its bounds', () => {
    expect(truncNormPpf(-0.5, 2, 0.3)).toBeCloseTo(0.022940762771432085, 12);
    for (const q of [0, 1e-12, 0.5, 1 - 1e-12]) {
      const z = truncNormPpf(1.5, 4, q);
      expect(z).toBeGreaterThanOrEqual(1.5);
      expect(z).toBeLessThanOrEqual(4);
    }
  });

  it('has a table exp within 2e-14 of Math.exp on the log-sum-exp range', () => {
    for (let x = -45; x <= 0; x += 0.0137) expect(Math.abs(expNonPositive(x) / Math.exp(x) - 1)).toBeLessThan(2e-14);
    expect(expNonPositive(0)).toBe(1);
    expect(expNonPositive(-800)).toBe(0);
  });
});

describe('bandwidths (tpe.md §2.4 test vectors, domain [0, 10])', () => {
  const uniform10: Distribution = { kind: 'uniform', low: 0, high: 10 };
  it.each([
    ['neighbour', [2, 3, 7], [2, 4, 4]],
    ['neighbour-prior', [2, 3, 7], [2, 2, 2]],
    ['neighbour', [2], [8]],
    ['neighbour-prior', [2], [10 / 3]],
  ] as const)('%s rule on %j gives σ = %j and the prior (5, 10)', (bandwidth, obs, sigma) => {
    const below = fitBelow(uniform10, obs, { bandwidth }).dims[0] as NumericKernels;
    expect([...below.sigma.slice(0, obs.length)].map((s) => round(s, 12))).toEqual(sigma.map((s) => round(s, 12)));
    expect([below.mu[obs.length], below.sigma[obs.length]]).toEqual([5, 10]);
  });
});

describe('mixture log-densities', () => {
  it('matches a truncated-normal mixture computed by hand (obs 2, 3, 7 on [0, 10])', () => {
    const mix = fitBelow({ kind: 'uniform', low: 0, high: 10 }, [2, 3, 7]);
    expect([...mix.weight]).toEqual([0.25, 0.25, 0.25, 0.25]);
    const lp = logDensity(mix, candidates([1, 5, 9.5]));
    expect(lp[0]).toBeCloseTo(-2.142191806174713, 12);
    expect(lp[1]).toBeCloseTo(-2.250924250282657, 12);
    expect(lp[2]).toBeCloseTo(-2.802811650856964, 12);
  });

  it('uses bin masses on stepped axes (quniform 0..10 step 1, obs 2, 3, 7)', () => {
    const d: Distribution = { kind: 'quniform', low: 0, high: 10, q: 1 };
    const mix = fitBelow(d, [2, 3, 7]);
    expect([...(mix.dims[0] as NumericKernels).sigma]).toEqual([2.2, 4, 4, 11]);
    const lp = logDensity(mix, candidates([0, 3, 10]));
    expect(lp[0]).toBeCloseTo(-2.4443196226090627, 12);
    expect(lp[1]).toBeCloseTo(-2.110332371247479, 12);
    expect(lp[2]).toBeCloseTo(-2.9464634408102603, 12);
  });

  it.each([
    { kind: 'quniform', low: 0.5, high: 3, q: 0.25 },
    { kind: 'qloguniform', low: 2, high: 900, q: 7 },
    { kind: 'qloguniform', low: 1, high: 50, q: 5 },
    { kind: 'randint', low: -3, high: 4 },
  ] as Distribution[])('gives bin masses that sum to 1 over the grid of %j', (d) => {
    const grid = gridValues(d) as number[];
    const mix = fitBelow(d, [grid[1] as number, grid[grid.length - 2] as number, grid[grid.length - 2] as number]);
    const total = logDensity(mix, candidates(grid)).reduce((s, lp) => s + Math.exp(lp), 0);
    expect(total).toBeCloseTo(1, 12);
  });

  it('uses Optuna\'s categorical kernel (K = 3, obs 0, 0, 2: marginal 0.4762, 0.1905, 0.3333)', () => {
    const mix = fitBelow({ kind: 'choice', n: 3, labels: ['a', 'b', 'c'] }, [0, 0, 2]);
    const p = [...logDensity(mix, candidates([0, 1, 2]))].map(Math.exp);
    expect(p[0]).toBeCloseTo(10 / 21, 12);
    expect(p[1]).toBeCloseTo(4 / 21, 12);
    expect(p[2]).toBeCloseTo(1 / 3, 12);
  });

  it('mixes a uniform floor into every categorical row of l when asked', () => {
    const mix = fitBelow({ kind: 'choice', n: 3, labels: ['a', 'b', 'c'] }, [0, 0, 2], { categoricalFloor: 0.3 });
    const p = [...logDensity(mix, candidates([0, 1, 2]))].map(Math.exp);
    expect(p[1]).toBeCloseTo(0.7 * (4 / 21) + 0.3 / 3, 12);
    expect(p.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
  });

  it('leaves out −ln σ in the Optuna 3.1 profile (its truncnorm.logpdf ignores the scale)', () => {
    const d: Distribution = { kind: 'uniform', low: 0, high: 10 };
    const scaled = logDensity(fitBelow(d, [4]), candidates([4]))[0] as number;
    const unscaled = logDensity(fitBelow(d, [4], { unscaledDensity: true }), candidates([4]))[0] as number;
    // One observation: σ = max(4, 6) = 6, prior σ = 10, weights 1/2 each.
    const kernel = (mu: number, s: number, norm: boolean) =>
      Math.exp(-0.5 * ((4 - mu) / s) ** 2) / Math.sqrt(2 * Math.PI) / (norm ? s : 1) / truncMass(mu, s);
    expect(scaled).toBeCloseTo(Math.log(0.5 * kernel(4, 6, true) + 0.5 * kernel(5, 10, true)), 12);
    expect(unscaled).toBeCloseTo(Math.log(0.5 * kernel(4, 6, false) + 0.5 * kernel(5, 10, false)), 12);
  });
});

// --- helpers ---

/** l(x) fitted to `obs` (all trials good: gamma 1) for one parameter `p` with distribution d. */
function fitBelow(d: Distribution, obs: readonly number[], extra: TpeUserOptions = {}): Mixture {
  return fitBelowWith(d, obs, { ...optunaClip, ...extra });
}

/** One-dimensional candidates at the given values (model coordinate = value for linear axes). */
function candidates(values: readonly number[]): Candidates {
  return { count: values.length, values: [Float64Array.from(values)], model: [Float64Array.from(values)] };
}

function truncMass(mu: number, s: number): number {
  return Math.exp(logNormMass((0 - mu) / s, (10 - mu) / s));
}

function round(x: number, digits: number): number {
  return Number(x.toFixed(digits));
}
