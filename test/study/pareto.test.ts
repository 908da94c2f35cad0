// Pareto maths against hand-computed cases: dominance, ranks (ties, duplicates, 3 objectives, the
// constrained variant), crowding distance and exact hypervolume (2-D, 3-D, 4-D; checked against
// inclusion-exclusion on random sets).
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/rng.js';
import { constrainedRanks, crowdingDistances, dominates, nonDominatedRanks, paretoFront, violation } from '../../src/study/pareto/dominance.js';
import { hypervolume, hypervolumeContributions, nadirReference, selectByHypervolume } from '../../src/study/pareto/hypervolume.js';

describe('dominance', () => {
  it('needs no worse everywhere and better somewhere', () => {
    expect(dominates([1, 2], [2, 2])).toBe(true);
    expect(dominates([2, 2], [1, 2])).toBe(false);
    expect(dominates([1, 2], [1, 2])).toBe(false);
    expect(dominates([1, 3], [2, 1])).toBe(false);
  });

  it('ranks fronts in 2-D with a duplicate on the front', () => {
    const points = [[1, 4], [2, 2], [4, 1], [3, 3], [2, 2], [5, 5], [4, 4]];
    expect([...nonDominatedRanks(points)]).toEqual([0, 0, 0, 1, 0, 3, 2]);
    expect(paretoFront(points)).toEqual([0, 1, 2, 4]);
  });

  it('ranks fronts in 3-D', () => {
    const points = [[1, 2, 3], [3, 2, 1], [2, 2, 2], [2, 3, 3], [3, 3, 3]];
    expect([...nonDominatedRanks(points)]).toEqual([0, 0, 0, 1, 2]);
  });

  it('stops peeling fronts once `limit` points are ranked', () => {
    const points = [[1, 4], [2, 2], [4, 1], [3, 3], [2, 2], [5, 5], [4, 4]];
    expect([...nonDominatedRanks(points, 5)]).toEqual([0, 0, 0, 1, 0, -1, -1]);
  });

  it('puts feasible points first and infeasible ones by total violation', () => {
    expect(violation([-1, 0.5, 0.25])).toBe(0.75);
    expect(violation([-1, 0])).toBe(0);
    const ranks = constrainedRanks([[1, 1], [0, 0], [2, 2], [3, 0], [0, 3]], [0, 0.5, 0, 0.2, 0.5]);
    expect([...ranks]).toEqual([0, 3, 1, 2, 3]);
  });
});

describe('crowding distance', () => {
  it('gives boundaries infinity and inner points the normalized gap per objective', () => {
    const d = crowdingDistances([[0, 4], [1, 2], [2, 1], [4, 0]]);
    expect(d[0]).toBe(Infinity);
    expect(d[3]).toBe(Infinity);
    expect(d[1]).toBeCloseTo(1.25, 12);
    expect(d[2]).toBeCloseTo(1.25, 12);
  });

  it('handles duplicates and an objective without range', () => {
    const d = crowdingDistances([[0, 1], [0.5, 0.5], [0.5, 0.5], [1, 0]]);
    expect([...d]).toEqual([Infinity, 1, 1, Infinity]);
    const flat = crowdingDistances([[0, 1], [1, 1], [2, 1]]);
    expect(flat[1]).toBe(1);
    expect(crowdingDistances([[1, 2], [2, 1]])).toEqual(new Float64Array([Infinity, Infinity]));
  });
});

describe('hypervolume', () => {
  it('matches the reference values of the benchmark file', () => {
    expect(hypervolume([[0, 1], [1, 0]], [1.1, 1.1])).toBeCloseTo(0.21, 12);
    expect(hypervolume([[0.5, 0.5, 0.5]], [1, 1, 1])).toBeCloseTo(0.125, 12);
  });

  it('ignores dominated, duplicate and out-of-reference points in 2-D', () => {
    expect(hypervolume([[0, 1], [1, 0], [1, 1], [0, 1], [2, 0], [0.5, 1.1]], [1.1, 1.1])).toBeCloseTo(0.21, 12);
    expect(hypervolume([], [1, 1])).toBe(0);
  });

  it('computes overlapping boxes in 3-D and 4-D', () => {
    expect(hypervolume([[0, 0, 0.5], [0.5, 0.5, 0]], [1, 1, 1])).toBeCloseTo(0.625, 12);
    expect(hypervolume([[0, 0, 0.5], [0.5, 0.5, 0], [0, 0, 0.5]], [1, 1, 1])).toBeCloseTo(0.625, 12);
    expect(hypervolume([[0.5, 0, 0, 0], [0, 0.5, 0, 0]], [1, 1, 1, 1])).toBeCloseTo(0.75, 12);
  });

  it('agrees with inclusion-exclusion on random sets of 2 to 4 objectives', () => {
    const rng = createRng(7, 'hv');
    for (let trial = 0; trial < 60; trial++) {
      const m = 2 + (trial % 3);
      const n = 1 + rng.int(7);
      const points = Array.from({ length: n }, () => Array.from({ length: m }, () => Math.round(rng.random() * 10) / 10));
      const ref = Array.from({ length: m }, () => 1);
      expect(hypervolume(points, ref)).toBeCloseTo(inclusionExclusion(points, ref), 10);
    }
  });

  it('gives exclusive contributions and greedy subset selection', () => {
    const points = [[0, 1], [0.5, 0.5], [1, 0]];
    expect(hypervolume(points, [2, 2])).toBeCloseTo(3.25, 12);
    const c = hypervolumeContributions(points, [2, 2]);
    expect(c[0]).toBeCloseTo(0.5, 12);
    expect(c[1]).toBeCloseTo(0.25, 12);
    expect(c[2]).toBeCloseTo(0.5, 12);
    expect(hypervolumeContributions([[1, 1], [1, 1]], [2, 2])).toEqual(new Float64Array([0, 0]));
    expect(selectByHypervolume(points, 1, [2, 2])).toEqual([1]);
    expect(selectByHypervolume(points, 2, [2, 2])).toEqual([1, 0]);
    expect(selectByHypervolume(points, 5, [2, 2])).toEqual([0, 1, 2]);
  });

  it('places the nadir reference just beyond the worst point', () => {
    expect(nadirReference([[1, -2], [2, -4], [0, 0]])).toEqual([2.2, 1e-12]);
    expect(nadirReference([[1, -2], [2, -4]])[1]).toBeCloseTo(-1.8, 12);
  });
});

function inclusionExclusion(points: number[][], ref: number[]): number {
  const n = points.length;
  let total = 0;
  for (let mask = 1; mask < 1 << n; mask++) {
    let size = 0;
    const corner = ref.map(() => -Infinity);
    for (let i = 0; i < n; i++) {
      if (!(mask & (1 << i))) continue;
      size++;
      (points[i] as number[]).forEach((x, k) => (corner[k] = Math.max(corner[k] as number, x)));
    }
    const vol = corner.reduce((v, x, k) => v * Math.max(0, (ref[k] as number) - x), 1);
    total += size % 2 === 1 ? vol : -vol;
  }
  return total;
}
