// The smallest and largest of many numbers, by a loop: Math.min(...values) passes every value as an
// argument, and past about 125,000 of them the call overflows the stack (a study of that many trials).

/** [min, max] of `values`, or undefined when there are none. */
export function extent(values: ArrayLike<number>): [number, number] | undefined {
  if (values.length === 0) return undefined;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}
