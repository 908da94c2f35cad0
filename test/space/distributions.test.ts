// Every distribution's draws stay inside it, quantized ones are on their grid, and types hold.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/rng.js';
import { compileSpace } from '../../src/space/compile.js';
import { contains, gridValues, isIntegral, sampleFromPrior, snap, type Distribution } from '../../src/space/distributions.js';
import { hp } from '../../src/space/hp.js';

const dist = (node: unknown): Distribution => {
  const spec = compileSpace({ p: node }).params.get('p');
  if (!spec) throw new Error('no param');
  return spec.distribution;
};

const cases: [string, unknown, (v: number) => boolean][] = [
  ['uniform', hp.uniform(-2, 3), (v) => v >= -2 && v <= 3],
  ['loguniform', hp.loguniform(1e-5, 1), (v) => v >= 1e-5 && v <= 1],
  ['quniform', hp.quniform(1, 12, 1), (v) => Number.isInteger(v) && v >= 1 && v <= 12],
  ['quniform frac', hp.quniform(0, 1, 0.1), (v) => Math.abs(v * 10 - Math.round(v * 10)) < 1e-12 && v >= 0 && v <= 1],
  ['quniform off-grid high', hp.quniform(0, 10, 3), (v) => [0, 3, 6, 9].includes(v)],
  ['qloguniform', hp.qloguniform(10, 2000, 10), (v) => v % 10 === 0 && v >= 10 && v <= 2000],
  ['randint', hp.randint(-3, 3), (v) => Number.isInteger(v) && v >= -3 && v < 3],
  ['normal', hp.normal(5, 2), (v) => Number.isFinite(v)],
  ['qnormal', hp.qnormal(0, 10, 5), (v) => v % 5 === 0],
  ['lognormal', hp.lognormal(0, 1), (v) => v > 0],
  ['choice', hp.choice(['a', 'b', 'c']), (v) => [0, 1, 2].includes(v)],
  ['pchoice', hp.pchoice([[0.9, 'a'], [0.1, 'b']]), (v) => [0, 1].includes(v)],
];

describe('prior draws', () => {
  it.each(cases)('%s: 2,000 draws stay inside the distribution', (_name, node, check) => {
    const d = dist(node);
    const rng = createRng(7, 'test');
    for (let i = 0; i < 2000; i++) {
      const v = sampleFromPrior(d, rng);
      expect(check(v), `value ${v}`).toBe(true);
      expect(contains(d, v)).toBe(true);
    }
  });

  it('covers every grid point of a quantized distribution, including both ends', () => {
    const d = dist(hp.quniform(1, 5, 1));
    const rng = createRng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) seen.add(sampleFromPrior(d, rng));
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('follows pchoice probabilities', () => {
    const d = dist(hp.pchoice([[0.8, 'a'], [0.2, 'b']]));
    const rng = createRng(3);
    let a = 0;
    for (let i = 0; i < 5000; i++) if (sampleFromPrior(d, rng) === 0) a++;
    expect(a / 5000).toBeGreaterThan(0.77);
    expect(a / 5000).toBeLessThan(0.83);
  });
});

describe('snap and types', () => {
  it('snaps raw values onto the grid and into the bounds', () => {
    expect(snap(dist(hp.quniform(1, 12, 1)), 3.6)).toBe(4);
    expect(snap(dist(hp.quniform(1, 12, 1)), 99)).toBe(12);
    expect(snap(dist(hp.quniform(0, 1, 0.1)), 0.31)).toBe(0.3);
    expect(snap(dist(hp.randint(0, 10)), 10.2)).toBe(9);
    expect(snap(dist(hp.uniform(0, 1)), -3)).toBe(0);
  });

  it('says which distributions give integers', () => {
    expect(isIntegral(dist(hp.quniform(1, 12, 1)))).toBe(true);
    expect(isIntegral(dist(hp.quniform(0.5, 12, 1)))).toBe(false);
    expect(isIntegral(dist(hp.randint(0, 3)))).toBe(true);
    expect(isIntegral(dist(hp.uniform(0, 3)))).toBe(false);
  });

  it('lists grid values for finite distributions only', () => {
    expect(gridValues(dist(hp.quniform(0, 1, 0.25)))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(gridValues(dist(hp.randint(2, 5)))).toEqual([2, 3, 4]);
    expect(gridValues(dist(hp.choice(['a', 'b'])))).toEqual([0, 1]);
    expect(gridValues(dist(hp.uniform(0, 1)))).toBeUndefined();
  });
});
