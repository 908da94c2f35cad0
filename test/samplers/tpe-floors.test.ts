// Kernel floors of the TPE sampler by axis kind and by history length: the floor of log-scaled axes
// (logBandwidthFloor) and the exploration floor of linear continuous axes that fades after
// explorationTrials finished trials.
import { describe, expect, it } from 'vitest';
import { OPTUNA_PROFILE, resolveTpeOptions, withExplorationFloor, type TpeUserOptions } from '../../samplers/tpe/options.js';
import { tpeOptionsSchema } from '../../samplers/tpe/options-schema.js';
import type { NumericKernels } from '../../samplers/tpe/parzen.js';
import type { Distribution } from '../../src/space/distributions.js';
import { fitBelow } from './fit-below.js';

/** Every trial good (gamma 1), floors free of the (m + 2)^-e term, σ ≤ the width. */
const plain: TpeUserOptions = {
  bandwidth: 'neighbour', considerEndpoints: false, bandwidthFloor: 0.01, bandwidthExponent: 10, bandwidthMax: 1,
  steppedBandwidthFloor: null, logBandwidthFloor: null, explorationFloor: 0, priorWeight: 1, weightsBelow: 'uniform', gamma: 1, gammaMax: 100, startupTrials: 0,
};

/** σ of l's observation kernels for one parameter observed at `obs` (in trial order). */
function sigmas(d: Distribution, obs: readonly number[], extra: TpeUserOptions): number[] {
  const below = fitBelow(d, obs, { ...plain, ...extra }).dims[0] as NumericKernels;
  return [...below.sigma.slice(0, obs.length)];
}

/** n observations packed within 1e-6 of x: every neighbour gap is below any floor. */
function cluster(x: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => x + i * 1e-7);
}

const linear: Distribution = { kind: 'uniform', low: 0, high: 10 };
const log: Distribution = { kind: 'loguniform', low: 1e-4, high: 1 };
const logWidth = Math.log(1e4);

describe('logBandwidthFloor', () => {
  it('sets the floor of continuous log axes and leaves linear ones on bandwidthFloor', () => {
    for (const s of sigmas(log, cluster(0.01, 4), { logBandwidthFloor: 0.03 })) expect(s).toBeCloseTo(0.03 * logWidth, 12);
    for (const s of sigmas(log, cluster(0.01, 4), {})) expect(s).toBeCloseTo(0.01 * logWidth, 12);
    for (const s of sigmas(linear, cluster(3, 4), { logBandwidthFloor: 0.03 })) expect(s).toBeCloseTo(0.01 * 10, 12);
  });
});

describe('explorationFloor', () => {
  const wide: TpeUserOptions = { explorationFloor: 0.05, explorationTrials: 6 };

  it('raises the floor of linear continuous axes up to explorationTrials finished trials', () => {
    for (const s of sigmas(linear, cluster(3, 6), wide)) expect(s).toBeCloseTo(0.05 * 10, 12);
    for (const s of sigmas(linear, cluster(3, 6), {})) expect(s).toBeCloseTo(0.01 * 10, 12);
  });

  it('fades as (explorationTrials / n)² after that, never below bandwidthFloor', () => {
    for (const s of sigmas(linear, cluster(3, 9), wide)) expect(s).toBeCloseTo(0.05 * (6 / 9) ** 2 * 10, 12);
    for (const s of sigmas(linear, cluster(3, 30), wide)) expect(s).toBeCloseTo(0.01 * 10, 12);
  });

  it('keeps log-scaled and stepped axes on their own floors', () => {
    for (const s of sigmas(log, cluster(0.01, 6), wide)) expect(s).toBeCloseTo(0.01 * logWidth, 12);
    const stepped = sigmas({ kind: 'quniform', low: 0, high: 100, q: 1 }, [40, 40, 40, 40, 40, 40], { ...wide, steppedBandwidthFloor: 0.02 });
    for (const s of stepped) expect(s).toBeCloseTo(0.02 * 101, 12);
  });

  it('is on in the default profile (5% up to 60 trials, log axes 1%) and off in the Optuna one', () => {
    expect(resolveTpeOptions({})).toMatchObject({ explorationFloor: 0.05, explorationTrials: 60, logBandwidthFloor: 0.01 });
    expect(resolveTpeOptions({ profile: 'optuna' }).explorationFloor).toBe(0);
  });

  it('changes nothing when off (the Optuna profile) or not above bandwidthFloor', () => {
    expect(withExplorationFloor(OPTUNA_PROFILE, 5)).toBe(OPTUNA_PROFILE);
    const low = resolveTpeOptions({ bandwidthFloor: 0.05, explorationFloor: 0.04, explorationTrials: 100 });
    expect(withExplorationFloor(low, 5)).toBe(low);
  });

  it('raises log-scaled axes with logExplorationFloor, fading the same way, never below logBandwidthFloor', () => {
    const logWide: TpeUserOptions = { logExplorationFloor: 0.04, explorationTrials: 6, logBandwidthFloor: 0.01 };
    for (const s of sigmas(log, cluster(0.01, 6), logWide)) expect(s).toBeCloseTo(0.04 * logWidth, 12);
    for (const s of sigmas(log, cluster(0.01, 9), logWide)) expect(s).toBeCloseTo(0.04 * (6 / 9) ** 2 * logWidth, 12);
    for (const s of sigmas(log, cluster(0.01, 30), logWide)) expect(s).toBeCloseTo(0.01 * logWidth, 12);
    for (const s of sigmas(linear, cluster(3, 6), logWide)) expect(s).toBeCloseTo(0.01 * 10, 12);
    const both = resolveTpeOptions({ explorationFloor: 0.05, logExplorationFloor: 0.03, explorationTrials: 10, logBandwidthFloor: 0.02 });
    expect(withExplorationFloor(both, 15)).toMatchObject({ bandwidthFloor: 0.05 * (10 / 15) ** 2, logBandwidthFloor: 0.02 });
    expect(withExplorationFloor(both, 5)).toMatchObject({ bandwidthFloor: 0.05, logBandwidthFloor: 0.03 });
  });

  it('is validated by the registry schema', () => {
    expect(tpeOptionsSchema.parse({ explorationFloor: 0.05, explorationTrials: 70, logBandwidthFloor: null })).toEqual({
      explorationFloor: 0.05, explorationTrials: 70, logBandwidthFloor: null,
    });
    expect(() => tpeOptionsSchema.parse({ explorationFloor: 2 })).toThrow();
    expect(() => tpeOptionsSchema.parse({ explorationTrials: 1.5 })).toThrow();
    expect(() => tpeOptionsSchema.parse({ logExplorationFloor: -0.1 })).toThrow();
  });
});
