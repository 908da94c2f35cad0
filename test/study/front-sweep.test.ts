// The O(n log n) front sweep gives the same non-domination ranks as checking every pair, in 2-D and 3-D,
// with ties, duplicates, signed zeros and `limit`; non-finite points keep the pairwise path.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/rng.js';
import { dominates, nonDominatedRanks, type Point } from '../../src/study/pareto/dominance.js';

/** Ranks by definition: a point's rank is one more than the highest rank of the points dominating it. */
function pairwiseRanks(points: readonly Point[], limit = points.length): number[] {
  const ranks = points.map(() => -1);
  let ranked = 0;
  for (let rank = 0; ranked < limit && ranks.includes(-1); rank++) {
    const left = points.map((_, i) => i).filter((i) => ranks[i] === -1);
    const front = left.filter((i) => !left.some((j) => dominates(points[j] as Point, points[i] as Point)));
    for (const i of front) ranks[i] = rank;
    ranked += front.length;
  }
  return ranks;
}

describe('nonDominatedRanks by sweep', () => {
  it.each([2, 3])('matches pairwise ranking with %i objectives (ties, duplicates, limits)', (m) => {
    for (let seed = 0; seed < 60; seed++) {
      const rng = createRng(seed, 'front-sweep', m);
      const n = 1 + rng.int(seed % 3 === 0 ? 200 : 40);
      // A coarse grid makes ties and duplicates common; some seeds use continuous values.
      const grid = seed % 2 === 0 ? 6 : 0;
      const points: Point[] = Array.from({ length: n }, () =>
        Array.from({ length: m }, () => (grid > 0 ? rng.int(grid) - 2 : rng.random() * 4 - 2)),
      );
      if (seed % 5 === 0) points.push([...(points[0] as Point)]);
      if (seed % 7 === 0) points.push(Array.from({ length: m }, (_, k) => (k === 0 ? -0 : 0)), Array.from({ length: m }, () => 0));
      for (const limit of [points.length, 1, Math.ceil(points.length / 4)]) {
        expect(Array.from(nonDominatedRanks(points, limit))).toEqual(pairwiseRanks(points, limit));
      }
    }
  });

  it('ranks points with an infinite objective as before', () => {
    const points: Point[] = [[0, Number.POSITIVE_INFINITY, 1], [1, 1, 1], [0, 0, 2], [2, 2, 2]];
    expect(Array.from(nonDominatedRanks(points))).toEqual(pairwiseRanks(points));
  });
});
