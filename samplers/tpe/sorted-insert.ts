// Small helpers of the kept g fit (above-cache.ts): insertion points in sorted arrays, growing typed arrays.

/** The first position among m entries sorted by (z, number) whose key is greater than (z, t): where t goes. */
export function searchSorted(sortedZ: Float64Array, trial: Int32Array, m: number, z: number, t: number): number {
  let lo = 0;
  let hi = m;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const oz = sortedZ[mid] as number;
    if (oz < z || (oz === z && (trial[mid] as number) < t)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Where t goes among m ascending trial numbers. */
export function searchNumber(rows: Int32Array, m: number, t: number): number {
  let lo = 0;
  let hi = m;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((rows[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function growF(a: Float64Array, n: number): Float64Array {
  return copyInto(new Float64Array(n), a);
}

export function growI(a: Int32Array, n: number): Int32Array {
  return copyInto(new Int32Array(n), a);
}

function copyInto<T extends Float64Array | Int32Array>(out: T, a: T): T {
  out.set(a.subarray(0, Math.min(a.length, out.length)) as never);
  return out;
}
