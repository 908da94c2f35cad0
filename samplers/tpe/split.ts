// Splitting trials into the good group B (fits l) and the bad group A (fits g), and weighting the
// kernels of each: COMPLETE trials rank by value, then PRUNED ones by (later step, last value); RUNNING
// trials (constant liar) always go to A.
import { arena } from './arena.js';
import { STATE_COMPLETE, STATE_PRUNED, STATE_RUNNING, type ObservationTable } from './observations.js';
import { goodCount, type TpeOptions, type Weighting } from './options.js';

export const ROLE_NONE = 0;
export const ROLE_GOOD = 1;
export const ROLE_BAD = 2;

export interface Split {
  /** Role of each trial number: ROLE_NONE, ROLE_GOOD or ROLE_BAD. */
  readonly role: Uint8Array;
  /** COMPLETE + PRUNED trials considered. */
  readonly finished: number;
  /** Best value in the bad group among COMPLETE trials (+Infinity if none): EI weights' threshold. */
  readonly threshold: number;
  /** Several objectives: the weight of each good trial's kernel, by trial number (see split-multi.ts). */
  readonly goodWeights?: Float64Array;
}

/**
 * Splits the trials of `table` (only those with mask[n] = 1 when a mask is given). The trial being
 * sampled (`exclude`) is never used; RUNNING trials join A only with the constant liar.
 */
export function splitTrials(table: ObservationTable, options: TpeOptions, exclude: number, mask?: Uint8Array): Split {
  const size = table.size;
  const { state, stepKey, value } = table;
  let finished = 0;
  for (let n = 0; n < size; n++) {
    const s = state[n];
    if ((s === STATE_COMPLETE || s === STATE_PRUNED) && (mask === undefined || mask[n] === 1)) finished++;
  }
  const wanted = goodCount(options, finished);
  // Bounded insertion sort of the best `wanted` trials by (stepKey, value, number).
  const best = new Int32Array(Math.max(wanted, 1));
  let held = 0;
  for (let n = 0; n < size && wanted > 0; n++) {
    const s = state[n];
    if (s !== STATE_COMPLETE && s !== STATE_PRUNED) continue;
    if (mask !== undefined && mask[n] !== 1) continue;
    const k1 = stepKey[n] as number;
    const k2 = value[n] as number;
    if (held === wanted && !isBefore(k1, k2, best[held - 1] as number)) continue;
    let i = held === wanted ? held - 1 : held++;
    while (i > 0 && isBefore(k1, k2, best[i - 1] as number)) {
      best[i] = best[i - 1] as number;
      i--;
    }
    best[i] = n;
  }
  const role = new Uint8Array(size);
  for (let n = 0; n < size; n++) {
    if (mask !== undefined && mask[n] !== 1) continue;
    const s = state[n];
    if (s === STATE_COMPLETE || s === STATE_PRUNED) role[n] = ROLE_BAD;
    else if (s === STATE_RUNNING && options.constantLiar && n !== exclude) role[n] = ROLE_BAD;
  }
  for (let i = 0; i < held; i++) role[best[i] as number] = ROLE_GOOD;
  let threshold = Number.POSITIVE_INFINITY;
  for (let n = 0; n < size; n++) {
    if (role[n] === ROLE_BAD && state[n] === STATE_COMPLETE && (value[n] as number) < threshold) threshold = value[n] as number;
  }
  return { role, finished, threshold };

  function isBefore(k1: number, k2: number, other: number): boolean {
    const o1 = stepKey[other] as number;
    return k1 < o1 || (k1 === o1 && k2 < (value[other] as number));
  }
}

/**
 * Kernel weights of one group: `rows` are its trial numbers in number order; the result has one more
 * entry, the prior's, and is not normalized. `given` (by trial number) overrides the weighting.
 */
export function kernelWeights(
  kind: Weighting,
  rows: Int32Array,
  count: number,
  table: ObservationTable,
  threshold: number,
  priorWeight: number,
  given?: Float64Array,
): Float64Array {
  const w = arena.float(count + 1, true);
  if (given !== undefined && count > 0) {
    let sum = 0;
    for (let i = 0; i < count; i++) sum += w[i] = given[rows[i] as number] as number;
    w[count] = priorWeight * (sum / count);
    return w;
  }
  if (kind === 'ramp' && count >= 25) {
    // Linear forgetting: the oldest count - 25 ramp up from 1/count; the newest 25 weigh 1.
    const ramp = count - 25;
    for (let i = 0; i < count; i++) {
      w[i] = i >= ramp ? 1 : ramp === 1 ? 1 / count : 1 / count + (i * (1 - 1 / count)) / (ramp - 1);
    }
    w[count] = priorWeight;
    return w;
  }
  if (kind === 'ei' && Number.isFinite(threshold) && count > 0) {
    let sum = 0;
    for (let i = 0; i < count; i++) {
      const n = rows[i] as number;
      const gain = table.state[n] === STATE_COMPLETE ? threshold - (table.value[n] as number) : 0;
      w[i] = gain > 1e-12 ? gain : 1e-12;
      sum += w[i] as number;
    }
    w[count] = priorWeight * (sum / count);
    return w;
  }
  w.fill(1, 0, count);
  w[count] = priorWeight;
  return w;
}
