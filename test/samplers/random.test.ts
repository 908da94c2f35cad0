// RandomSampler: seeded reproducibility through the study, and independence of trials.
import { describe, expect, it } from 'vitest';
import { createStudy } from '../../src/app/create-study.js';
import { hp } from '../../src/space/hp.js';

const space = { x: hp.uniform(-5, 5), n: hp.quniform(1, 10, 1), opt: hp.choice(['adam', 'sgd']) };

async function paramsOf(seed: number, trials: number): Promise<unknown[]> {
  const study = await createStudy({ name: 'r', space, sampler: { name: 'random' }, seed, storage: 'memory:' });
  await study.optimize((t) => t.params.x, { trials });
  return study.trials.map((t) => t.params);
}

describe('RandomSampler', () => {
  it('gives the same params for the same seed', async () => {
    expect(await paramsOf(42, 20)).toEqual(await paramsOf(42, 20));
  });

  it('gives other params for another seed', async () => {
    expect(await paramsOf(42, 5)).not.toEqual(await paramsOf(43, 5));
  });

  it('gives typed values: integers for quniform with integral q, option values for choice', async () => {
    for (const p of (await paramsOf(1, 50)) as { x: number; n: number; opt: string }[]) {
      expect(Number.isInteger(p.n)).toBe(true);
      expect(['adam', 'sgd']).toContain(p.opt);
      expect(p.x).toBeGreaterThanOrEqual(-5);
      expect(p.x).toBeLessThanOrEqual(5);
    }
  });

  it('makes a trial\'s params depend only on seed and trial number, not on earlier draws', async () => {
    const a = await createStudy({ name: 'a', space, seed: 9, storage: 'memory:' });
    const b = await createStudy({ name: 'b', space: { ...space, extra: hp.uniform(0, 1) }, seed: 9, storage: 'memory:' });
    await a.optimize((t) => t.params.x, { trials: 3 });
    await b.optimize((t) => t.params.x, { trials: 3 });
    expect(a.trials.map((t) => t.params['x'])).toEqual(b.trials.map((t) => t.params['x']));
  });
});
