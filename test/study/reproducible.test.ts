// Reproducible parallel runs (optimize's `reproducible`): a seeded study with several jobs gives the
// same params and the same prunes whatever order its trials end in.
import { describe, expect, it } from 'vitest';
import { createStudy } from '../../src/app/create-study.js';
import { hp } from '../../src/space/hp.js';
import type { Pruner } from '../../src/study/pruner.js';
import type { Trial } from '../../src/study/trial.js';
import { MemoryStore } from '../../src/tracking/memory-store.js';

const space = { x: hp.uniform(-5, 5), y: hp.loguniform(1e-3, 1) };

/** Lets `turns` turns of the event loop pass: trials of one batch end in an order the caller picks. */
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Prunes at a step when the number of COMPLETE trials it sees is odd: its decisions show what it was shown. */
const countingPruner: Pruner = {
  name: 'counting',
  shouldPrune: (study, trial) => Object.keys(trial.intermediate).length >= 2 && study.trialsIn(['COMPLETE']).length % 2 === 1,
};

/** Runs a seeded TPE study (4 startup trials) with 3 jobs; trial n takes delay(n) turns. */
async function run(delay: (n: number) => number, reproducible: boolean, pruner?: Pruner) {
  const study = await createStudy({
    name: 'repro',
    space,
    seed: 7,
    sampler: { name: 'tpe', startupTrials: 4 },
    storage: new MemoryStore(),
    ...(pruner && { pruner }),
  });
  await study.optimize(async (trial: Trial<{ x: number; y: number }>) => {
    const value = trial.params.x ** 2 + Math.log(trial.params.y) ** 2;
    for (let step = 0; step < 4; step++) {
      trial.report(value + 4 - step, step);
      await turns(delay(trial.number));
      if (await trial.shouldPrune()) return trial.pruned();
    }
    return value;
  }, { trials: 24, jobs: 3, reproducible });
  return study.trials.map((t) => ({ number: t.number, state: t.state, params: t.params }));
}

// Two schedules: trials of a batch end first to last, or last to first.
const forward = (n: number): number => 1 + (n % 3) * 3;
const backward = (n: number): number => 1 + (2 - (n % 3)) * 3;

describe('reproducible parallel runs', () => {
  it('gives the same params whatever order the trials of a batch end in', async () => {
    const a = await run(forward, true);
    const b = await run(backward, true);
    expect(b).toEqual(a);
    expect(new Set(a.map((t) => t.params['x'])).size).toBe(24);
  });

  it('shows the pruner the same trials whatever order they end in', async () => {
    const a = await run(forward, true, countingPruner);
    const b = await run(backward, true, countingPruner);
    expect(b).toEqual(a);
    expect(a.some((t) => t.state === 'PRUNED')).toBe(true);
  });

  it('runs exactly the budget in batches of jobs', async () => {
    const study = await createStudy({ name: 'budget', space, seed: 1, storage: new MemoryStore() });
    let running = 0;
    let most = 0;
    const result = await study.optimize(async () => {
      most = Math.max(most, ++running);
      await turns(2);
      running--;
      return 1;
    }, { trials: 7, jobs: 3, reproducible: true });
    expect(result).toMatchObject({ completed: 7, started: 7 });
    expect(most).toBe(3);
  });
});
