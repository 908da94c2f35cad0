// Hypervolume: the volume of objective space that a set of minimized points dominates, bounded above
// by a reference point. Exact for any number of objectives: a sweep in 2-D, and slicing along the
// last objective above that (O(n² log n) in 3-D; meant for the small fronts samplers and studies
// have). Points not strictly better than the reference in every objective add nothing.
import { nonDominatedRanks, type Point } from './dominance.js';

export function hypervolume(points: readonly Point[], reference: Point): number {
  const inside = points.filter((p) => p.every((x, k) => x < (reference[k] as number)));
  return volume(inside, reference, reference.length);
}

/** Each point's exclusive contribution: the hypervolume lost when that point alone is removed. */
export function hypervolumeContributions(points: readonly Point[], reference: Point): Float64Array {
  const total = hypervolume(points, reference);
  const out = new Float64Array(points.length);
  for (let i = 0; i < points.length; i++) {
    out[i] = Math.max(0, total - hypervolume(points.filter((_, j) => j !== i), reference));
  }
  return out;
}

/**
 * Greedy hypervolume subset selection: `k` indices of `points` chosen one at a time, each adding the
 * most hypervolume to those already chosen (ties to the lower index). Returns every index when k ≥ n.
 */
export function selectByHypervolume(points: readonly Point[], k: number, reference: Point): number[] {
  if (k >= points.length) return points.map((_, i) => i);
  const chosen: number[] = [];
  const left = new Set(points.map((_, i) => i));
  let base = 0;
  while (chosen.length < k) {
    let bestIndex = -1;
    let bestGain = -1;
    for (const i of left) {
      const gain = hypervolume([...chosen.map((j) => points[j] as Point), points[i] as Point], reference) - base;
      if (gain > bestGain) {
        bestGain = gain;
        bestIndex = i;
      }
    }
    chosen.push(bestIndex);
    left.delete(bestIndex);
    base += bestGain;
  }
  return chosen;
}

/**
 * A reference point just worse than the worst of `points` in each objective (Optuna's rule:
 * max(1.1·worst, 0.9·worst), and a tiny positive number where that is 0).
 */
export function nadirReference(points: readonly Point[]): number[] {
  const m = (points[0] as Point).length;
  const out: number[] = [];
  for (let k = 0; k < m; k++) {
    let worst = Number.NEGATIVE_INFINITY;
    for (const p of points) if ((p[k] as number) > worst) worst = p[k] as number;
    const r = Math.max(1.1 * worst, 0.9 * worst);
    out.push(r === 0 ? 1e-12 : r);
  }
  return out;
}

// --- internal ---

function volume(points: readonly Point[], reference: Point, d: number): number {
  if (points.length === 0) return 0;
  if (d === 1) return (reference[0] as number) - Math.min(...points.map((p) => p[0] as number));
  if (d === 2) return area(points, reference);
  // Slices along the last objective: between consecutive levels the slab is the (d-1)-volume of the
  // points at or below the level times the slab's height.
  const ranks = nonDominatedRanks(points, 1);
  const front = points.filter((_, i) => ranks[i] === 0).sort((a, b) => (a[d - 1] as number) - (b[d - 1] as number));
  let total = 0;
  for (let i = 0; i < front.length; i++) {
    const z = front[i]?.[d - 1] as number;
    const next = i + 1 < front.length ? (front[i + 1]?.[d - 1] as number) : (reference[d - 1] as number);
    if (next <= z) continue;
    total += volume(front.slice(0, i + 1), reference, d - 1) * (next - z);
  }
  return total;
}

function area(points: readonly Point[], reference: Point): number {
  const sorted = [...points].sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number));
  const rx = reference[0] as number;
  let y = reference[1] as number;
  let total = 0;
  for (const p of sorted) {
    const py = p[1] as number;
    if (py < y) {
      total += (rx - (p[0] as number)) * (y - py);
      y = py;
    }
  }
  return total;
}
