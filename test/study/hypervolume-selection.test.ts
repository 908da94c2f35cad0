// The lazy greedy hypervolume subset selection picks exactly what the plain greedy one does (each step
// the point adding the most hypervolume, ties to the lower index), on random 2- and 3-objective sets.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/rng.js';
import type { Point } from '../../src/study/pareto/dominance.js';
import { hypervolume, selectByHypervolume } from '../../src/study/pareto/hypervolume.js';
import { VolumeWithOne3 } from '../../src/study/pareto/staircase.js';

function plainGreedy(points: readonly Point[], k: number, reference: Point): number[] {
  // As the selection has always been written: the base is the sum of the gains taken so far.
  const chosen: number[] = [];
  let base = 0;
  while (chosen.length < k) {
    let best = -1;
    let bestGain = -1;
    for (let i = 0; i < points.length; i++) {
      if (chosen.includes(i)) continue;
      const gain = hypervolume([...chosen.map((j) => points[j] as Point), points[i] as Point], reference) - base;
      if (gain > bestGain) {
        bestGain = gain;
        best = i;
      }
    }
    chosen.push(best);
    base += bestGain;
  }
  return chosen;
}

describe('selectByHypervolume', () => {
  it.each([2, 3])('matches the plain greedy selection with %i objectives', (m) => {
    for (let seed = 0; seed < 20; seed++) {
      const rng = createRng(seed, 'hssp', m);
      // Points on a noisy front (so most of them matter), some duplicated.
      const points: Point[] = Array.from({ length: 30 }, () => {
        const raw = Array.from({ length: m }, () => rng.random());
        const norm = Math.hypot(...raw) || 1;
        return raw.map((v) => Math.round((v / norm + 0.05 * rng.random()) * 100) / 100);
      });
      points.push(points[3] as Point);
      const reference = Array.from({ length: m }, () => 1.2);
      for (const k of [1, 5, 12]) expect(selectByHypervolume(points, k, reference)).toEqual(plainGreedy(points, k, reference));
    }
  });
});

/** Exact hypervolume by cells of the grid the points' coordinates make (small sets only). */
function cellVolume(points: readonly Point[], reference: Point): number {
  const m = reference.length;
  const axes = Array.from({ length: m }, (_, k) => [...new Set([...points.map((p) => p[k] as number), reference[k] as number])].sort((a, b) => a - b));
  let total = 0;
  const walk = (k: number, lower: number[], size: number): void => {
    if (k === m) {
      if (points.some((p) => p.every((v, i) => v <= (lower[i] as number)))) total += size;
      return;
    }
    const ax = axes[k] as number[];
    for (let i = 0; i + 1 < ax.length; i++) walk(k + 1, [...lower, ax[i] as number], size * ((ax[i + 1] as number) - (ax[i] as number)));
  };
  walk(0, [], 1);
  return total;
}

describe('hypervolume in 3-D', () => {
  it('matches the exact cell count on random sets with ties and duplicates', () => {
    for (let seed = 0; seed < 40; seed++) {
      const rng = createRng(seed, 'hv3');
      // Small sets and sets over 64 points (sorted another way).
      const n = seed % 2 === 0 ? 2 + rng.int(9) : 65 + rng.int(60);
      const points: Point[] = Array.from({ length: n }, () => [rng.int(5) / 4, rng.int(5) / 4, rng.int(5) / 4]);
      if (seed % 3 === 0) points.push(points[0] as Point);
      const reference = [1.1, 1.2, 1.3];
      expect(hypervolume(points, reference)).toBeCloseTo(cellVolume(points.filter((p) => p.every((v, i) => v < (reference[i] as number))), reference), 12);
    }
  });
});

describe('VolumeWithOne3', () => {
  it('gives the hypervolume of a set plus one point bit for bit as the plain sweep does', () => {
    for (let seed = 0; seed < 40; seed++) {
      const rng = createRng(seed, 'with-one');
      // Coarse grids (ties in every objective, duplicates) on even seeds, continuous values on odd ones.
      const value = (): number => (seed % 2 === 0 ? rng.int(6) / 5 : rng.random());
      const base: Point[] = Array.from({ length: rng.int(30) }, () => [value(), value(), value()]);
      if (base.length > 0 && seed % 3 === 0) base.push(base[0] as Point);
      const reference = [1.1, 1.2, 1.3];
      const volumes = new VolumeWithOne3(reference, base.length);
      for (const q of base) volumes.add(q);
      for (let j = 0; j < 20; j++) {
        const p: Point = j < base.length && j % 4 === 0 ? (base[j] as Point) : [value(), value(), value()];
        expect(volumes.volumeWith(p)).toBe(hypervolume([...base, p], reference));
      }
      // Growing one point at a time: after each, the same as the plain sweep.
      const growing = new VolumeWithOne3(reference, base.length);
      base.forEach((q, j) => {
        const p = base[(j * 7) % base.length] as Point;
        expect(growing.volumeWith(p)).toBe(hypervolume([...base.slice(0, j), p], reference));
        growing.add(q);
      });
    }
  });
});
