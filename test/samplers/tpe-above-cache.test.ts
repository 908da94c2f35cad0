// g (the bad group's estimator) kept from one suggestion to the next (samplers/tpe/above-cache.ts) must
// hold exactly the arrays of a fit from scratch: compared bit for bit after every step of long random
// histories (trials joining one at a time, none, several at once, moving between the groups, RUNNING trials
// under the constant liar, conditional parameters, tied and repeated values).
import { describe, expect, it } from 'vitest';
import { AboveCache } from '../../samplers/tpe/above-cache.js';
import { ObservationTable } from '../../samplers/tpe/observations.js';
import { resolveTpeOptions, type TpeUserOptions } from '../../samplers/tpe/options.js';
import type { Mixture } from '../../samplers/tpe/parzen.js';
import { splitTrials } from '../../samplers/tpe/split.js';
import { fitEstimators } from '../../samplers/tpe/suggest.js';
import { createRng, type Rng } from '../../src/rng.js';
import { sampleFromPrior, type Distribution } from '../../src/space/distributions.js';
import type { StudyView } from '../../src/study/sampler.js';
import type { TrialRecord } from '../../src/tracking/entities.js';
import type { TrialState } from '../../src/tracking/trial-state.js';

const MIXED: Record<string, Distribution> = {
  a: { kind: 'uniform', low: -5, high: 5 },
  b: { kind: 'uniform', low: 0, high: 1 },
  d: { kind: 'normal', mu: 0, sigma: 1 },
  lr: { kind: 'loguniform', low: 1e-5, high: 1 },
  depth: { kind: 'quniform', low: 1, high: 12, q: 1 },
  width: { kind: 'randint', low: 8, high: 512 },
  rounds: { kind: 'qloguniform', low: 10, high: 2000, q: 10 },
  opt: { kind: 'choice', n: 4, labels: ['sgd', 'adam', 'rmsprop', 'lamb'] },
};
const STEPPED: Record<string, Distribution> = {
  depth: { kind: 'quniform', low: 1, high: 12, q: 1 },
  width: { kind: 'randint', low: 8, high: 64 },
  opt: { kind: 'choice', n: 3, labels: ['x', 'y', 'z'] },
};

describe('TPE g kept across suggestions', () => {
  it.each([
    ['default profile, mixed space', MIXED, {}, false],
    ['default profile, conditional parameter (b in 60% of the trials)', MIXED, {}, true],
    ['endpoints counted, global split, no liar', MIXED, { considerEndpoints: true, splitScope: 'global', constantLiar: false }, false],
    ['stepped and categorical only (kernels in trial order)', STEPPED, {}, false],
    ['wider floors fading with the history', MIXED, { explorationFloor: 0.2, explorationTrials: 150, bandwidthExponent: 1 }, false],
  ] as const)('equals a fit from scratch at every step (%s)', (_label, space, extra, conditional) => {
    const options = resolveTpeOptions(extra as TpeUserOptions);
    const rng = createRng(7, _label);
    const view = new GrowingView(space);
    const table = new ObservationTable();
    const cache = new AboveCache();
    const names = Object.keys(space).sort();
    let compared = 0;
    for (let step = 0; step < 700; step++) {
      grow(view, space, rng, conditional);
      table.sync(view);
      const trialNumber = view.trials.length;
      const input = {
        table, options, names, distributions: names.map((n) => space[n] as Distribution), trialNumber, rng: createRng(1),
        globalSplit: () => splitTrials(table, options, trialNumber),
      };
      const fresh = snapshot(fitEstimators(input).above);
      const kept = snapshot(fitEstimators({ ...input, aboveCache: cache }).above);
      expect(kept).toStrictEqual(fresh);
      compared++;
    }
    expect(compared).toBe(700);
    // Both paths must have been taken often, or the comparison proves little.
    expect(cache.stats.incremental).toBeGreaterThan(150);
    expect(cache.stats.full).toBeGreaterThan(5);
    expect(cache.stats.reused).toBeGreaterThan(5);
    // While the exploration floor fades, σ's clip changes at every step and g is left to the plain fit.
    if ('explorationFloor' in extra) expect(cache.stats.skipped).toBeGreaterThan(5);
  });
});

/** Adds trials: mostly one finished trial, sometimes several, a RUNNING one, a pruned or failed one. */
function grow(view: GrowingView, space: Record<string, Distribution>, rng: Rng, conditional: boolean): void {
  const r = rng.random();
  const count = r < 0.85 ? 1 : r < 0.95 ? 2 : 0;
  for (let i = 0; i < count; i++) view.add(point(view, space, rng, conditional), pickState(rng), rng.random());
  // Finish a RUNNING trial now and then (it was in g under the constant liar).
  if (rng.random() < 0.3) view.finishOne(rng.random());
}

function pickState(rng: Rng): TrialState {
  const r = rng.random();
  return r < 0.88 ? 'COMPLETE' : r < 0.93 ? 'RUNNING' : r < 0.97 ? 'PRUNED' : 'FAIL';
}

/** A random point; often a copy of an earlier trial's value (ties and equal kernels). */
function point(view: GrowingView, space: Record<string, Distribution>, rng: Rng, conditional: boolean): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, d] of Object.entries(space)) {
    if (conditional && name === 'b' && rng.random() < 0.4) continue;
    const earlier = view.trials.length > 0 ? view.trials[rng.int(view.trials.length)]?.params[name] : undefined;
    out[name] = earlier !== undefined && rng.random() < 0.15 ? earlier : sampleFromPrior(d, rng);
  }
  return out;
}

class GrowingView implements StudyView {
  readonly name = 'above-cache';
  readonly direction = 'minimize' as const;
  readonly space = undefined;
  readonly seed = 1;
  readonly trials: TrialRecord[] = [];
  version = 0;

  constructor(private readonly spaceOf: Record<string, Distribution>) {}

  trialsIn(states: readonly TrialState[]): TrialRecord[] {
    return this.trials.filter((t) => states.includes(t.state));
  }

  add(params: Record<string, number>, state: TrialState, value: number): void {
    const number = this.trials.length;
    const distributions = Object.fromEntries(Object.keys(params).map((n) => [n, this.spaceOf[n] as Distribution]));
    this.version++;
    this.trials.push({
      trialId: number + 1, studyId: 1, number, runId: '', state, value: state === 'COMPLETE' ? value : null, params, distributions,
      intermediate: state === 'PRUNED' ? { 3: value } : {}, systemAttrs: {}, startTime: 0, endTime: null, heartbeat: null, workerId: null, seq: this.version,
    });
  }

  finishOne(value: number): void {
    const i = this.trials.findIndex((t) => t.state === 'RUNNING');
    if (i < 0) return;
    this.version++;
    this.trials[i] = { ...(this.trials[i] as TrialRecord), state: 'COMPLETE', value, seq: this.version };
  }
}

/** Every array of a mixture as plain numbers (pairKernel: its pairCount used entries) (Object.is equality under toStrictEqual: -0 ≠ 0, NaN = NaN). */
function snapshot(mix: Mixture): unknown {
  return {
    size: mix.size, sortedBy: mix.sortedBy, weight: [...mix.weight], logWeight: [...mix.logWeight],
    packed: { cont: [...mix.packed.cont], base: [...mix.packed.base], mean: [...mix.packed.mean], scale: [...mix.packed.scale] },
    dims: mix.dims.map((k) =>
      k.kind === 'numeric'
        ? { mu: [...k.mu], sigma: [...k.sigma], invSigma: [...k.invSigma], logZ: [...k.logZ], logNorm: [...k.logNorm], pairOf: [...k.pairOf], pairKernel: [...k.pairKernel.subarray(0, k.pairCount)], pairCount: k.pairCount }
        : { obs: [...k.obs], hit: [...k.hit], miss: [...k.miss], logHit: [...k.logHit], logMiss: [...k.logMiss], logPrior: [...k.logPrior] },
    ),
  };
}
