// One group's trials in a column's (z, number) order, without walking the whole column when the group is
// small: the good group holds at most gammaMax trials, yet the column's order lists every trial.
import type { Column } from './observations.js';

/** Below this ratio of group size to column size the group is sorted directly instead of scanned. */
const SORT_RATIO = 16;

/**
 * Writes the trial numbers with role[n] === target into `out`, ascending by (z[n], n): the column's
 * `order` restricted to the group. `rows` lists the same `count` trials in any order. With `positions`,
 * also writes where each sits in the column's order (-1 when the group was sorted directly rather than
 * scanned). Returns how many were written (at most `count`).
 */
export function orderedRows(
  column: Column,
  rows: Int32Array,
  count: number,
  role: Uint8Array,
  target: number,
  out: Int32Array,
  positions?: Int32Array,
): number {
  if (count * SORT_RATIO < column.count && sortRows(column.z, rows, count, out)) {
    positions?.fill(-1, 0, count);
    return count;
  }
  const { order } = column;
  let j = 0;
  for (let p = 0; p < column.count && j < count; p++) {
    const n = order[p] as number;
    if (role[n] !== target) continue;
    if (positions !== undefined) positions[j] = p;
    out[j++] = n;
  }
  return j;
}

/**
 * Insertion sort of `rows` by (z[n], n) into `out`, the comparison Column.add keeps its order with.
 * Returns false (leaving `out` undefined) when a coordinate is NaN, whose place only the scan knows.
 */
export function sortRows(z: Float64Array, rows: Int32Array, count: number, out: Int32Array): boolean {
  for (let i = 0; i < count; i++) {
    const n = rows[i] as number;
    const zn = z[n] as number;
    if (zn !== zn) return false;
    let at = i;
    while (at > 0) {
      const other = out[at - 1] as number;
      const oz = z[other] as number;
      if (oz < zn || (oz === zn && other < n)) break;
      out[at] = other;
      at--;
    }
    out[at] = n;
  }
  return true;
}
