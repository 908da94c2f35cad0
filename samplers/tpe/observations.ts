// The trial history as typed arrays, indexed by trial number and updated incrementally from a StudyView:
// state and ranking key per trial, and per parameter its model coordinate plus a z-sorted order (with
// per-position kernel constants remembered from the last fit).
// Only trials whose `seq` changed since the last sync are read again.
import { distributionKey, type Distribution } from '../../src/space/distributions.js';
import type { StudyView } from '../../src/study/sampler.js';
import type { TrialRecord } from '../../src/tracking/entities.js';
import { axisOf, toModel, type Axis } from './axis.js';

export const STATE_NONE = 0;
export const STATE_COMPLETE = 1;
export const STATE_PRUNED = 2;
export const STATE_RUNNING = 3;

/** One parameter's observations. */
export class Column {
  /** Model coordinate by trial number (NaN where the trial lacks the parameter). */
  z: Float64Array = new Float64Array(0);
  /** Distribution id by trial number (-1 where absent). */
  dist: Int32Array = new Int32Array(0);
  /** Trial numbers holding the parameter, sorted by (z, number). */
  order: Int32Array = new Int32Array(0);
  /** z of order[p] at position p (read in order without jumping around by trial number). */
  sortedZ: Float64Array = new Float64Array(0);
  count = 0;
  /**
   * Kernel constants last computed for the observation at each position of `order` (they move with it):
   * the σ they were computed for (NaN if none), log Z and the log-density constant.
   */
  cachedSigma: Float64Array = new Float64Array(0);
  cachedLogZ: Float64Array = new Float64Array(0);
  cachedLogNorm: Float64Array = new Float64Array(0);
  readonly distributions: Distribution[] = [];
  readonly axes: Axis[] = [];
  private readonly ids = new Map<string, number>();

  constructor(readonly name: string) {}

  /** The id of a distribution, or -1 if no trial used it; `create` registers it. */
  idOf(d: Distribution, create = false): number {
    const key = keyOf(d);
    const known = this.ids.get(key);
    if (known !== undefined || !create) return known ?? -1;
    const id = this.distributions.length;
    this.ids.set(key, id);
    this.distributions.push(d);
    this.axes.push(axisOf(d));
    return id;
  }

  has(number: number): boolean {
    return number < this.dist.length && (this.dist[number] as number) >= 0;
  }

  add(number: number, d: Distribution, x: number): void {
    this.reserve(number + 1);
    const id = this.idOf(d, true);
    const z = toModel(this.axes[id] as Axis, x);
    this.z[number] = z;
    this.dist[number] = id;
    // Binary search for the first entry greater than (z, number), then shift the tail.
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const other = this.order[mid] as number;
      const oz = this.z[other] as number;
      if (oz < z || (oz === z && other < number)) lo = mid + 1;
      else hi = mid;
    }
    if (this.count === this.order.length) this.growOrder(Math.max(16, this.count * 2));
    const { count } = this;
    this.order.copyWithin(lo + 1, lo, count);
    this.order[lo] = number;
    this.sortedZ.copyWithin(lo + 1, lo, count);
    this.sortedZ[lo] = z;
    this.cachedSigma.copyWithin(lo + 1, lo, count);
    this.cachedSigma[lo] = Number.NaN;
    this.cachedLogZ.copyWithin(lo + 1, lo, count);
    this.cachedLogNorm.copyWithin(lo + 1, lo, count);
    this.count++;
  }

  private growOrder(capacity: number): void {
    this.order = growInt(this.order, capacity);
    this.sortedZ = growFloat(this.sortedZ, capacity, Number.NaN);
    this.cachedSigma = growFloat(this.cachedSigma, capacity, Number.NaN);
    this.cachedLogZ = growFloat(this.cachedLogZ, capacity, 0);
    this.cachedLogNorm = growFloat(this.cachedLogNorm, capacity, 0);
  }

  private reserve(size: number): void {
    if (size <= this.z.length) return;
    const capacity = Math.max(16, size, this.z.length * 2);
    const z = new Float64Array(capacity).fill(Number.NaN);
    z.set(this.z);
    this.z = z;
    const dist = new Int32Array(capacity).fill(-1);
    dist.set(this.dist);
    this.dist = dist;
  }
}

export class ObservationTable {
  /** One past the highest trial number seen. */
  size = 0;
  state: Uint8Array = new Uint8Array(0);
  /** Ranking key, part 1: -Infinity for COMPLETE, -(last step) for PRUNED (1 when none reported). */
  stepKey: Float64Array = new Float64Array(0);
  /** Ranking key, part 2: the sign-adjusted value (smaller is better). */
  value: Float64Array = new Float64Array(0);
  /** Number of COMPLETE + PRUNED trials. */
  finished = 0;
  /** Bumped whenever anything changes; caches derived from the table compare against it. */
  stamp = 0;
  readonly columns = new Map<string, Column>();
  private seq: Float64Array = new Float64Array(0);
  /** The record last read for each trial number: records are immutable, so an identical one is skipped. */
  private readonly seen: (TrialRecord | undefined)[] = [];

  /** Reads trials changed since the last sync; returns those that became COMPLETE or PRUNED. */
  sync(study: StudyView): TrialRecord[] {
    const sign = study.direction === 'maximize' ? -1 : 1;
    const newlyFinished: TrialRecord[] = [];
    const trials = study.trials;
    for (let i = 0; i < trials.length; i++) {
      const t = trials[i];
      if (t === undefined || this.seen[i] === t) continue;
      this.seen[i] = t;
      const n = t.number;
      if (n < this.size && this.seq[n] === t.seq) continue;
      this.reserve(n + 1);
      this.seq[n] = t.seq;
      if (this.ingest(t, sign)) newlyFinished.push(t);
      this.stamp++;
    }
    return newlyFinished;
  }

  column(name: string): Column | undefined {
    return this.columns.get(name);
  }

  // --- internal ---

  private ingest(t: TrialRecord, sign: number): boolean {
    const n = t.number;
    const before = this.state[n] as number;
    const after = stateCode(t);
    this.state[n] = after;
    if (after === STATE_COMPLETE) {
      this.stepKey[n] = Number.NEGATIVE_INFINITY;
      this.value[n] = sign * (t.value as number);
    } else if (after === STATE_PRUNED) {
      const [step, value] = lastReport(t);
      this.stepKey[n] = step === undefined ? 1 : -step;
      this.value[n] = value === undefined ? 0 : Number.isNaN(value) ? Number.POSITIVE_INFINITY : sign * value;
    }
    for (const name in t.params) {
      const d = t.distributions[name];
      const x = t.params[name];
      if (d === undefined || x === undefined) continue;
      let column = this.columns.get(name);
      if (column === undefined) {
        column = new Column(name);
        this.columns.set(name, column);
      }
      if (!column.has(n)) column.add(n, d, x);
    }
    const wasFinished = before === STATE_COMPLETE || before === STATE_PRUNED;
    const isFinished = after === STATE_COMPLETE || after === STATE_PRUNED;
    if (isFinished && !wasFinished) this.finished++;
    if (wasFinished && !isFinished) this.finished--;
    return isFinished && !wasFinished;
  }

  private reserve(size: number): void {
    if (size > this.state.length) {
      const capacity = Math.max(64, size, this.state.length * 2);
      this.state = growBytes(this.state, capacity);
      this.stepKey = growFloat(this.stepKey, capacity, 0);
      this.value = growFloat(this.value, capacity, 0);
      this.seq = growFloat(this.seq, capacity, Number.NaN);
    }
    if (size > this.size) this.size = size;
  }
}

// --- internal ---

const KEYS = new WeakMap<Distribution, string>();

/** distributionKey, memoized per distribution object (records share their space's objects). */
export function keyOf(d: Distribution): string {
  let key = KEYS.get(d);
  if (key === undefined) {
    key = distributionKey(d);
    KEYS.set(d, key);
  }
  return key;
}

function stateCode(t: TrialRecord): number {
  switch (t.state) {
    case 'COMPLETE':
      return t.value !== null && Number.isFinite(t.value) ? STATE_COMPLETE : STATE_NONE;
    case 'PRUNED':
      return STATE_PRUNED;
    case 'RUNNING':
      return STATE_RUNNING;
    default:
      return STATE_NONE;
  }
}

/** The last reported step and its value, or [undefined, undefined]. */
function lastReport(t: TrialRecord): [number | undefined, number | undefined] {
  let step: number | undefined;
  for (const key in t.intermediate) {
    const s = Number(key);
    if (Number.isFinite(s) && (step === undefined || s > step)) step = s;
  }
  return step === undefined ? [undefined, undefined] : [step, t.intermediate[step]];
}

function growFloat(a: Float64Array, capacity: number, fill: number): Float64Array {
  const out = new Float64Array(capacity).fill(fill);
  out.set(a);
  return out;
}

function growBytes(a: Uint8Array, capacity: number): Uint8Array {
  const out = new Uint8Array(capacity);
  out.set(a);
  return out;
}

function growInt(a: Int32Array, capacity: number): Int32Array {
  const out = new Int32Array(capacity);
  out.set(a.subarray(0, Math.min(a.length, capacity)));
  return out;
}
