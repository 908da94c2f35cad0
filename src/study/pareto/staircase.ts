// The 2-D staircase of the 3-D hypervolume sweep (hypervolume.ts): the points non-dominated in the first
// two objectives, x ascending and y descending, in fixed arrays; and hypervolumes of a fixed set plus one
// more point for many such points, computed bit for bit as the plain sweep would (greedy selection).
import type { Point } from './dominance.js';

/**
 * Adds (x, y) to the staircase of `size` steps in xs/ys (room for one more) unless a step covers it;
 * drops the steps it covers. Returns the new size.
 */
export function addStep(xs: Float64Array, ys: Float64Array, size: number, x: number, y: number): number {
  let at = 0;
  while (at < size && (xs[at] as number) < x) at++;
  const covered = (at > 0 && (ys[at - 1] as number) <= y) || (at < size && xs[at] === x && (ys[at] as number) <= y);
  if (covered) return size;
  let end = at;
  while (end < size && (ys[end] as number) >= y) end++;
  const removed = end - at;
  if (removed === 0) {
    for (let j = size; j > at; j--) {
      xs[j] = xs[j - 1] as number;
      ys[j] = ys[j - 1] as number;
    }
    size++;
  } else if (removed > 1) {
    for (let j = end; j < size; j++) {
      xs[j - removed + 1] = xs[j] as number;
      ys[j - removed + 1] = ys[j] as number;
    }
    size -= removed - 1;
  }
  xs[at] = x;
  ys[at] = y;
  return size;
}

/** Area between the staircase and the reference corner (rx, ry). */
export function stepArea(xs: Float64Array, ys: Float64Array, size: number, rx: number, ry: number): number {
  let a = 0;
  let top = ry;
  for (let j = 0; j < size; j++) {
    a += (rx - (xs[j] as number)) * (top - (ys[j] as number));
    top = ys[j] as number;
  }
  return a;
}

/**
 * Hypervolume of a growing set `base` plus one point p, for many p (3 objectives), equal bit for bit to
 * hypervolume.ts's sweep of [...base, p]: the sweep over base's levels (staircases, areas and the
 * running total) is kept, updated from the new level on when a point joins base, and each p only resumes
 * it from its own level.
 */
export class VolumeWithOne3 {
  private r = 0;
  private readonly cap: number;
  /** base's points by the third objective (stable: a point joining goes after equal ones): x, y, z. */
  private readonly px: Float64Array;
  private readonly py: Float64Array;
  private readonly zs: Float64Array;
  /** After level k's point: the staircase (at k·cap), its size and area, and the total before level k. */
  private readonly snapX: Float64Array;
  private readonly snapY: Float64Array;
  private readonly snapSize: Int32Array;
  private readonly area: Float64Array;
  private readonly before: Float64Array;
  private readonly xs: Float64Array;
  private readonly ys: Float64Array;

  /** `capacity`: the most points base will hold. */
  constructor(private readonly reference: Point, capacity: number) {
    const cap = capacity + 1;
    this.cap = cap;
    this.px = new Float64Array(capacity);
    this.py = new Float64Array(capacity);
    this.zs = new Float64Array(capacity);
    this.snapX = new Float64Array(capacity * cap);
    this.snapY = new Float64Array(capacity * cap);
    this.snapSize = new Int32Array(capacity);
    this.area = new Float64Array(capacity);
    this.before = new Float64Array(capacity);
    this.xs = new Float64Array(cap);
    this.ys = new Float64Array(cap);
  }

  /** Adds a point to base (after the points added before it). */
  add(p: Point): void {
    const { px, py, zs, cap, xs, ys } = this;
    const t = this.levelOf(p[2] as number);
    for (let k = this.r; k > t; k--) {
      px[k] = px[k - 1] as number;
      py[k] = py[k - 1] as number;
      zs[k] = zs[k - 1] as number;
    }
    px[t] = p[0] as number;
    py[t] = p[1] as number;
    zs[t] = p[2] as number;
    this.r++;
    const rx = this.reference[0] as number;
    const ry = this.reference[1] as number;
    let size = t > 0 ? this.restore(t - 1) : 0;
    let total = t > 0 ? (this.before[t - 1] as number) : 0;
    for (let k = t; k < this.r; k++) {
      if (k > 0) {
        const z = zs[k - 1] as number;
        if ((zs[k] as number) > z) total += (this.area[k - 1] as number) * ((zs[k] as number) - z);
      }
      this.before[k] = total;
      size = addStep(xs, ys, size, px[k] as number, py[k] as number);
      for (let j = 0, at = k * cap; j < size; j++, at++) {
        this.snapX[at] = xs[j] as number;
        this.snapY[at] = ys[j] as number;
      }
      this.snapSize[k] = size;
      this.area[k] = stepArea(xs, ys, size, rx, ry);
    }
  }

  /** The hypervolume of base ∪ {p}, as volume3([...base, p]) computes it. */
  volumeWith(p: Point): number {
    const { r, zs, xs, ys } = this;
    const rx = this.reference[0] as number;
    const ry = this.reference[1] as number;
    const rz = this.reference[2] as number;
    const pz = p[2] as number;
    // p's level comes after every base level with z ≤ p's (it is last in the plain sweep's input).
    const t = this.levelOf(pz);
    let total = 0;
    let size = 0;
    if (t > 0) {
      const k = t - 1;
      total = this.before[k] as number;
      const z = zs[k] as number;
      if (pz > z) total += (this.area[k] as number) * (pz - z);
      size = this.restore(k);
    }
    size = addStep(xs, ys, size, p[0] as number, p[1] as number);
    let z = pz;
    for (let k = t; ; k++) {
      const next = k < r ? (zs[k] as number) : rz;
      if (next > z) total += stepArea(xs, ys, size, rx, ry) * (next - z);
      if (k >= r) return total;
      size = addStep(xs, ys, size, this.px[k] as number, this.py[k] as number);
      z = zs[k] as number;
    }
  }

  // --- internal ---

  /** The number of base levels with z ≤ the given z. */
  private levelOf(z: number): number {
    let lo = 0;
    let hi = this.r;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.zs[mid] as number) <= z) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Loads level k's staircase into xs/ys; returns its size. */
  private restore(k: number): number {
    const size = this.snapSize[k] as number;
    const { xs, ys, snapX, snapY } = this;
    for (let j = 0, at = k * this.cap; j < size; j++, at++) {
      xs[j] = snapX[at] as number;
      ys[j] = snapY[at] as number;
    }
    return size;
  }
}
