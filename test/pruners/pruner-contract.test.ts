// The Pruner contract (test/contracts/pruner.contract.ts) against every pruner of the registry, and the
// study asking a pruner of the user's own whatever its name.
import { describe, expect, it } from 'vitest';
import { createStudy } from '../../src/app/create-study.js';
import { PRUNERS } from '../../src/pruners/index.js';
import { hp } from '../../src/space/hp.js';
import type { Pruner } from '../../src/study/pruner.js';
import { prunerContract, type PrunerHarness } from '../contracts/pruner.contract.js';

const HARNESSES: PrunerHarness[] = [
  { name: 'none', spec: 'none', warmupSteps: 0, prunes: false },
  { name: 'median', spec: { name: 'median', nWarmupSteps: 5 }, warmupSteps: 5, prunes: true },
  { name: 'percentile', spec: { name: 'percentile', percentile: 25, nWarmupSteps: 5 }, warmupSteps: 5, prunes: true },
  { name: 'successive-halving', spec: { name: 'successive-halving', minResource: 4, reductionFactor: 2 }, warmupSteps: 4, prunes: true },
  { name: 'asha', spec: { name: 'asha', minResource: 8, reductionFactor: 3 }, warmupSteps: 8, prunes: true },
  { name: 'hyperband', spec: { name: 'hyperband', minResource: 3, maxResource: 81, reductionFactor: 3 }, warmupSteps: 3, prunes: true },
  { name: 'threshold', spec: { name: 'threshold', upper: 50, nWarmupSteps: 6 }, warmupSteps: 6, prunes: true },
  // Stalled means patience + 1 reports without improvement: never before step patience + 1.
  { name: 'patient', spec: { name: 'patient', patience: 4 }, warmupSteps: 5, prunes: true },
];

describe('pruner contract coverage', () => {
  it('runs against every pruner of the registry', () => {
    expect(HARNESSES.map((h) => h.name).sort()).toEqual(Object.keys(PRUNERS).sort());
  });
});

for (const harness of HARNESSES) prunerContract(harness);

describe('a pruner of your own', () => {
  it('is asked even when it is called "none"', async () => {
    let asked = 0;
    const pruner: Pruner = {
      name: 'none',
      shouldPrune: (_study, trial) => {
        asked++;
        return Object.keys(trial.intermediate).length >= 2;
      },
    };
    const study = await createStudy({ name: 'own-none', space: { x: hp.uniform(0, 1) }, seed: 1, storage: 'memory:', pruner });
    await study.optimize(async (t) => {
      for (let step = 0; step < 10; step++) {
        t.report(step, step);
        if (await t.shouldPrune()) return t.pruned();
      }
      return 1;
    }, { trials: 2 });
    expect(asked).toBeGreaterThan(0);
    expect(study.trials.map((t) => t.state)).toEqual(['PRUNED', 'PRUNED']);
  });
});
