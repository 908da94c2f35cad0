// Peeling one non-dominated front of 2- or 3-objective points in O(n log n): the points are visited in
// lexicographic order, so every point that could dominate one comes before it; a running minimum (2-D)
// or a Fenwick tree of minima over the second objective's ranks (3-D) answers "does an earlier front
// point lie below this one in the remaining objectives?". Same fronts as checking every pair.

/**
 * Splits `order` (indices of finite points in lexicographic order, ties by index) into the points no
 * other point of `order` dominates (`front`, in visiting order) and the rest. Identical points share
 * their verdict. Only for points of 2 or 3 objectives.
 */
export function sweepFront(points: readonly (readonly number[])[], order: readonly number[], m: 2 | 3): { front: number[]; rest: number[] } {
  const front: number[] = [];
  const rest: number[] = [];
  const n = order.length;
  if (m === 2) {
    let minY = Number.POSITIVE_INFINITY;
    for (let r = 0; r < n; ) {
      const end = runEnd(points, order, r, m);
      const p = points[order[r] as number] as readonly number[];
      const y = p[1] as number;
      const out = minY <= y ? rest : front;
      for (let i = r; i < end; i++) out.push(order[i] as number);
      if (out === front && y < minY) minY = y;
      r = end;
    }
    return { front, rest };
  }
  // Ranks of the second objective (equal values share a rank), and a Fenwick tree of prefix minima of
  // the third objective over those ranks.
  const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) ys[i] = (points[order[i] as number] as readonly number[])[1] as number;
  ys.sort();
  let distinct = 0;
  for (let i = 0; i < n; i++) if (i === 0 || (ys[i] as number) > (ys[distinct - 1] as number)) ys[distinct++] = ys[i] as number;
  const tree = new Float64Array(distinct + 1).fill(Number.POSITIVE_INFINITY);
  for (let r = 0; r < n; ) {
    const end = runEnd(points, order, r, m);
    const p = points[order[r] as number] as readonly number[];
    const z = p[2] as number;
    const rank = rankOf(ys, distinct, p[1] as number) + 1;
    let below = Number.POSITIVE_INFINITY;
    for (let i = rank; i > 0; i -= i & -i) if ((tree[i] as number) < below) below = tree[i] as number;
    const out = below <= z ? rest : front;
    for (let i = r; i < end; i++) out.push(order[i] as number);
    if (out === front) for (let i = rank; i <= distinct; i += i & -i) if (z < (tree[i] as number)) tree[i] = z;
    r = end;
  }
  return { front, rest };
}

// --- internal ---

/** One past the last position from r on holding a point identical to order[r]'s. */
function runEnd(points: readonly (readonly number[])[], order: readonly number[], r: number, m: number): number {
  const p = points[order[r] as number] as readonly number[];
  let end = r + 1;
  outer: for (; end < order.length; end++) {
    const q = points[order[end] as number] as readonly number[];
    for (let k = 0; k < m; k++) if (q[k] !== p[k]) break outer;
  }
  return end;
}

/** Index of y among the first `count` (sorted, distinct) values of ys. */
function rankOf(ys: Float64Array, count: number, y: number): number {
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ys[mid] as number) < y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
