// The wide sampler benchmark suite (bench/suite.ts): known minima, agreement with its Python twin, the split,
// and the regret of noisy functions (judged on the noiseless value of the trial the user would pick).
import { describe, expect, it } from 'vitest';
import { runOne } from '../../bench/quality-run.js';
import { checkAgainstTwin, SUITE, TUNE, VALIDATION } from '../../bench/suite.js';

describe('wide benchmark suite', () => {
  it('has the six public functions and at least 20 more, split as bench/README.md says', () => {
    expect(Object.keys(SUITE).length).toBeGreaterThanOrEqual(26);
    expect(TUNE).toEqual(expect.arrayContaining(['sphere5', 'branin', 'hartmann6', 'rosenbrock4', 'mlmix', 'condpub', 'levy6', 'svmmix', 'condtrap']));
    expect(VALIDATION).toEqual(expect.arrayContaining(['griewank8', 'shekel10', 'rastrigin20', 'mixed10', 'nnmix', 'condnested', 'noisy_branin']));
    expect(TUNE.filter((f) => VALIDATION.includes(f))).toEqual([]);
  });

  it('evaluates every known argmin to its known minimum, and no sampled point below it', () => {
    for (const fn of Object.values(SUITE)) {
      if (Object.keys(fn.argmin).length > 0) expect(Math.abs(fn.objective(fn.argmin) - fn.knownMin), fn.name).toBeLessThan(1e-6);
    }
  });

  it('agrees with the Python twin on the points it wrote (bench/optuna/check-points.json)', () => {
    const worst = checkAgainstTwin();
    expect(worst).toBeDefined();
    expect(worst as number).toBeLessThan(1e-9);
  });

  it('scores a noisy function by the noiseless value of the best observed trial', async () => {
    const regret = await runOne({ fn: 'noisy_branin', label: 'random', sampler: { name: 'random' }, seed: 3, trials: 30, budgets: [30] });
    const clean = await runOne({ fn: 'branin', label: 'random', sampler: { name: 'random' }, seed: 3, trials: 30, budgets: [30] });
    // Same seed, same space: the same 30 points. The noisy pick can only be as good as the clean best or worse.
    expect(regret[0]).toBeGreaterThanOrEqual(clean[0] as number);
    expect(regret[0]).toBeGreaterThanOrEqual(0);
  });
});
