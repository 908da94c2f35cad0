// Hypervolume: the volume of objective space that a set of minimized points dominates, bounded above
// by a reference point. Exact for any number of objectives: a sweep in 2-D, and slicing along the
// last objective above that (O(n² log n) in 3-D; meant for the small fronts samplers and studies
// have). Points not strictly better than the reference in every objective add nothing.
import { nonDominatedRanks, type Point } from './dominance.js';
import { GainHeap } from './gain-heap.js';
import { addStep, stepArea, VolumeWithOne3 } from './staircase.js';

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
 * Lazy: a point's gain can only shrink as the chosen set grows (hypervolume is submodular), so a gain
 * computed in an earlier round bounds the current one, and only candidates whose bound could still
 * win are recomputed.
 */
export function selectByHypervolume(points: readonly Point[], k: number, reference: Point): number[] {
  if (k >= points.length) return points.map((_, i) => i);
  const chosen: number[] = [];
  const chosenPoints: Point[] = [];
  // Upper bound of each candidate's gain, and the round it was computed in (-1: not yet); candidates
  // kept in a heap ordered by (bound descending, index ascending).
  const bound = Float64Array.from(points, (p) => boxVolume(p, reference));
  const fresh = new Int32Array(points.length).fill(-1);
  const heap = new GainHeap(bound);
  // 3 objectives: the gains resume one sweep of the chosen points (bit for bit the same volumes); its
  // per-level staircases take k² numbers, so very large selections use the whole sweep.
  const withOne = reference.length === 3 && k <= MAX_RESUMED_SELECTION ? new VolumeWithOne3(reference, k) : undefined;
  // Fresh candidates popped while looking past the top (put back afterwards).
  const held = new Int32Array(points.length);
  let base = 0;
  while (chosen.length < k) {
    const round = chosen.length;
    const top = heap.pop();
    // A stale bound within rounding of the top's fresh gain is refreshed first, so near-ties go by
    // fresh gains and index exactly as in the plain greedy selection.
    let refresh = -1;
    let heldCount = 0;
    if (fresh[top] !== round) refresh = top;
    else {
      held[heldCount++] = top;
      const tolerance = 1e-9 * Math.max(Math.abs(bound[top] as number), Number.MIN_VALUE);
      while (heap.size > 0) {
        const i = heap.peek();
        if ((bound[i] as number) < (bound[top] as number) - tolerance) break;
        heap.pop();
        if (fresh[i] !== round) {
          refresh = i;
          break;
        }
        held[heldCount++] = i;
      }
    }
    if (refresh < 0) {
      for (let j = 1; j < heldCount; j++) heap.push(held[j] as number);
      chosen.push(top);
      chosenPoints.push(points[top] as Point);
      withOne?.add(points[top] as Point);
      base += bound[top] as number;
      continue;
    }
    const i = refresh;
    // Chosen points have a positive box, so they are inside the reference; so is a candidate with one.
    if ((bound[i] as number) > 0) {
      const p = points[i] as Point;
      const total = withOne !== undefined ? withOne.volumeWith(p) : volume([...chosenPoints, p], reference, reference.length);
      bound[i] = Math.max(0, total - base);
    }
    fresh[i] = round;
    for (let j = 0; j < heldCount; j++) heap.push(held[j] as number);
    heap.push(i);
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

/** The largest selection whose gains resume a kept sweep (VolumeWithOne3 holds 2·k·(k+1) numbers). */
const MAX_RESUMED_SELECTION = 256;

/** The volume of the box between a point and the reference (0 when the point is not inside). */
function boxVolume(p: Point, reference: Point): number {
  let v = 1;
  for (let i = 0; i < p.length; i++) v *= Math.max(0, (reference[i] as number) - (p[i] as number));
  return v;
}

function volume(points: readonly Point[], reference: Point, d: number): number {
  if (points.length === 0) return 0;
  if (d === 1) return (reference[0] as number) - points.reduce((lo, p) => Math.min(lo, p[0] as number), Number.POSITIVE_INFINITY);
  if (d === 2) return area(points, reference);
  if (d === 3) return volume3(points, reference);
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

/**
 * 3-D: a sweep up the third objective keeping the 2-D staircase (non-dominated in the first two, x
 * ascending, y descending) of the points below the current level; each slab is the staircase's area
 * times its height. O(n · front) without sorting per slab.
 */
function volume3(points: readonly Point[], reference: Point): number {
  const n = points.length;
  // Indices by the third objective (insertion sort for the small sets samplers pass).
  const order = new Int32Array(n);
  const zs = new Float64Array(n);
  if (n > 64) {
    const sorted = Array.from({ length: n }, (_, i) => i).sort((a, b) => ((points[a] as Point)[2] as number) - ((points[b] as Point)[2] as number));
    sorted.forEach((i, k) => {
      order[k] = i;
      zs[k] = (points[i] as Point)[2] as number;
    });
  }
  for (let i = 0; i < n && n <= 64; i++) {
    const z = (points[i] as Point)[2] as number;
    let j = i;
    while (j > 0 && (zs[j - 1] as number) > z) {
      zs[j] = zs[j - 1] as number;
      order[j] = order[j - 1] as number;
      j--;
    }
    zs[j] = z;
    order[j] = i;
  }
  const rx = reference[0] as number;
  const ry = reference[1] as number;
  const rz = reference[2] as number;
  // The staircase, x ascending and y descending, in fixed arrays shifted by hand (staircase.ts).
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  let size = 0;
  let total = 0;
  for (let k = 0; k < n; k++) {
    const p = points[order[k] as number] as Point;
    size = addStep(xs, ys, size, p[0] as number, p[1] as number);
    const z = zs[k] as number;
    const next = k + 1 < n ? (zs[k + 1] as number) : rz;
    if (next <= z) continue;
    total += stepArea(xs, ys, size, rx, ry) * (next - z);
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
