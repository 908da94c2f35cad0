// Pareto dominance on minimized objective vectors: dominance tests, non-dominated sorting (plain and
// constrained, as NSGA-II's constrained domination) and crowding distance. Callers turn maximized
// objectives into minimized ones first (see ../objectives.ts), so everything here minimizes.
import { sweepFront } from './front-sweep.js';

/** A point in objective space, every objective minimized. */
export type Point = readonly number[];

/** Whether `a` is no worse than `b` in every objective and better in at least one. */
export function dominates(a: Point, b: Point): boolean {
  let better = false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (x > y) return false;
    if (x < y) better = true;
  }
  return better;
}

/**
 * Non-domination rank of every point: 0 for the Pareto front, 1 for the front of what is left, and
 * so on. Equal points share a rank. With `limit`, fronts are peeled only until at least `limit` points
 * are ranked; the rest get rank -1. Points are visited in lexicographic order, where a dominating
 * point always comes before the points it dominates, so each point is only checked against the
 * current front: O(fronts · n · front size); with 2 or 3 objectives a sweep finds each front in O(n log n).
 */
export function nonDominatedRanks(points: readonly Point[], limit = points.length): Int32Array {
  const n = points.length;
  const ranks = new Int32Array(n).fill(-1);
  let order = lexicographicOrder(points);
  const m = n > 0 ? (points[0] as Point).length : 0;
  // 2 or 3 finite objectives: each front by an O(n log n) sweep (front-sweep.ts), the same fronts.
  const sweep = (m === 2 || m === 3) && points.every((p) => p.length === m && p.every(Number.isFinite));
  let ranked = 0;
  for (let rank = 0; order.length > 0 && ranked < limit; rank++) {
    let front: number[] = [];
    let rest: number[] = [];
    if (sweep) ({ front, rest } = sweepFront(points, order, m as 2 | 3));
    else {
      for (const i of order) {
        const p = points[i] as Point;
        if (front.some((j) => dominates(points[j] as Point, p))) rest.push(i);
        else front.push(i);
      }
    }
    for (const i of front) ranks[i] = rank;
    ranked += front.length;
    order = rest;
  }
  return ranks;
}

/** Indices of the points on the Pareto front (rank 0), ascending. */
export function paretoFront(points: readonly Point[]): number[] {
  const ranks = nonDominatedRanks(points, 1);
  const out: number[] = [];
  for (let i = 0; i < ranks.length; i++) if (ranks[i] === 0) out.push(i);
  return out;
}

/** Total violation of constraints (each satisfied when ≤ 0): the sum of the positive parts. */
export function violation(constraints: readonly number[]): number {
  let v = 0;
  for (const c of constraints) v += c > 0 ? c : Number.isNaN(c) ? Number.POSITIVE_INFINITY : 0;
  return v;
}

/**
 * Ranks under constrained domination (Deb 2002): a feasible point (violation 0) beats any infeasible
 * one; two infeasible points compare by total violation alone; two feasible ones by Pareto dominance.
 * Feasible points take ranks 0..k-1 as in nonDominatedRanks; infeasible ones follow, one rank per
 * distinct violation, smallest first.
 */
export function constrainedRanks(points: readonly Point[], violations: readonly number[]): Int32Array {
  const feasible: number[] = [];
  const infeasible: number[] = [];
  points.forEach((_, i) => ((violations[i] as number) > 0 ? infeasible : feasible).push(i));
  const ranks = new Int32Array(points.length);
  const inner = nonDominatedRanks(feasible.map((i) => points[i] as Point));
  let next = 0;
  feasible.forEach((i, k) => {
    ranks[i] = inner[k] as number;
    if ((inner[k] as number) + 1 > next) next = (inner[k] as number) + 1;
  });
  infeasible.sort((a, b) => (violations[a] as number) - (violations[b] as number) || a - b);
  let last = Number.NaN;
  for (const i of infeasible) {
    const v = violations[i] as number;
    if (v !== last) {
      if (!Number.isNaN(last)) next++;
      last = v;
    }
    ranks[i] = next;
  }
  return ranks;
}

/**
 * Crowding distance of each point within one front (the points given): per objective, the boundary
 * points get +Infinity and each inner point the gap between its neighbours divided by the objective's
 * range; the sum over objectives. An objective with no range adds nothing. Ties keep index order.
 */
export function crowdingDistances(points: readonly Point[]): Float64Array {
  const n = points.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  const m = (points[0] as Point).length;
  if (n <= 2) return out.fill(Number.POSITIVE_INFINITY);
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let k = 0; k < m; k++) {
    const at = (i: number): number => (points[i] as Point)[k] as number;
    idx.sort((a, b) => at(a) - at(b) || a - b);
    const lo = at(idx[0] as number);
    const hi = at(idx[n - 1] as number);
    out[idx[0] as number] = Number.POSITIVE_INFINITY;
    out[idx[n - 1] as number] = Number.POSITIVE_INFINITY;
    const range = hi - lo;
    if (!(range > 0) || !Number.isFinite(range)) continue;
    for (let j = 1; j < n - 1; j++) {
      const i = idx[j] as number;
      out[i] = (out[i] as number) + (at(idx[j + 1] as number) - at(idx[j - 1] as number)) / range;
    }
  }
  return out;
}

// --- internal ---

function lexicographicOrder(points: readonly Point[]): number[] {
  const idx = Array.from({ length: points.length }, (_, i) => i);
  const m = points.length > 0 ? (points[0] as Point).length : 0;
  if (points.every((p) => p.length === m && p.every(Number.isFinite))) {
    // Finite coordinates copied into one typed array: the same order, compared without the arrays.
    const flat = new Float64Array(points.length * m);
    points.forEach((p, i) => flat.set(p, i * m));
    return idx.sort((a, b) => {
      for (let k = 0, i = a * m, j = b * m; k < m; k++, i++, j++) {
        const d = (flat[i] as number) - (flat[j] as number);
        if (d !== 0) return d;
      }
      return a - b;
    });
  }
  return idx.sort((a, b) => {
    const p = points[a] as Point;
    const q = points[b] as Point;
    for (let k = 0; k < p.length; k++) {
      const d = (p[k] as number) - (q[k] as number);
      if (d !== 0) return d;
    }
    return a - b;
  });
}
