// g, the bad group's estimator, kept from one suggestion to the next. Between two suggestions usually
// one trial joins the bad group: it is inserted into each dimension's sorted order, only its own and its
// two neighbours' σ and constants are computed again, and the kernel-order arrays shift by one place;
// an unchanged group is reused as it is. Any other change (several trials, one leaving, a changed σ
// clip, other options or columns) rebuilds the state in full with the primitives buildMixture uses.
// Either way the arrays equal buildMixture's bit for bit (test/samplers/tpe-above-cache.test.ts
// compares them over long random histories).
import type { Axis, CategoricalAxis, NumericAxis } from './axis.js';
import { Arena } from './arena.js';
import { assignBandwidths, bandwidthLimits, neighbourSigma } from './bandwidth.js';
import { kernelConstant, kernelConstants } from './kernel-constants.js';
import type { Column, ObservationTable } from './observations.js';
import type { TpeOptions } from './options.js';
import { assignPairs, categoricalRows, type Kernels, type Mixture } from './parzen.js';
import { growF, growI, searchNumber, searchSorted } from './sorted-insert.js';
import { orderedRows } from './sorted-rows.js';

export interface AboveInput {
  readonly table: ObservationTable;
  /** Identifies the parameter set (names and distribution ids). */
  readonly key: string;
  readonly columns: readonly Column[];
  readonly axes: readonly Axis[];
  /** The bad group's trial numbers (ascending) and their count; the role of each trial number and g's. */
  readonly rows: Int32Array; readonly count: number; readonly role: Uint8Array; readonly target: number;
  /** The continuous dimension the kernels are ordered by (-1: trial-number order). */
  readonly sortedBy: number;
  readonly categoricalFloor: number;
  /** The sampler's options (identity checked) and the options of this fit (σ clip). */
  readonly options: TpeOptions; readonly fitOptions: TpeOptions;
}

/** One study's g states, one per parameter set. */
export class AboveCache {
  /** Fits reused as they were, updated by one insertion, rebuilt, left to buildMixture (tests, diagnostics). */
  readonly stats = { reused: 0, incremental: 0, full: 0, skipped: 0 };
  private readonly states = new Map<string, AboveState>();

  /** Whether g is fitted the way this cache reproduces (neighbour bandwidths, uniform weights). */
  static supports(options: TpeOptions, weighting: string): boolean {
    return options.bandwidth === 'neighbour' && weighting === 'uniform';
  }

  /**
   * g over the bad group of `input`, valid until the next fit; undefined (fit it from scratch) while σ's clip
   * changes from one fit to the next (the exploration floor fading early in a study), when no fit can be kept.
   */
  fit(input: AboveInput): Mixture | undefined {
    let state = this.states.get(input.key);
    if (state === undefined || !state.matches(input)) {
      state = new AboveState(input);
      this.states.set(input.key, state);
    }
    if (!state.limitsHold(input, input.count)) {
      state.forget(input);
      this.stats.skipped++;
      return undefined;
    }
    const t = state.joiner(input);
    if (t === SAME) this.stats.reused++;
    else if (t >= 0 && state.insert(input, t)) this.stats.incremental++;
    else {
      state.rebuild(input);
      this.stats.full++;
    }
    return state.mixture(input);
  }
}

// --- internal ---

const SAME = -2; // joiner(): the group is the one fitted last
const NO_PAIRS: Int32Array = new Int32Array(0);
const NO_VALUES: Float64Array = new Float64Array(0);
const scratch = new Arena();

interface NumericState {
  readonly kind: 'numeric';
  /** A continuous dimension after the first: kept in the packed layout, mu, sigma, invSigma, logZ empty. */
  readonly slim: boolean;
  /** The observations in ascending (z, number) order: trial number, z and σ. */
  trial: Int32Array; z: Float64Array; sig: Float64Array;
  /** Kernel order, the prior last. */
  mu: Float64Array; sigma: Float64Array; invSigma: Float64Array; logZ: Float64Array; logNorm: Float64Array;
  pairOf: Int32Array; pairKernel: Int32Array; pairCount: number;
  /** The σ clip [lo, cap] the σ were computed with. */
  lo: number; cap: number;
  /** The prior kernel's μ, σ, 1/σ, log Z, constant. */
  prior: number[];
}

interface CategoricalState { readonly kind: 'categorical'; obs: Int32Array }

class AboveState {
  private m = 0;
  private capacity = 0;
  /** Trial numbers in kernel order; kernel index and membership by trial number. */
  private rows: Int32Array = new Int32Array(0);
  private kernelOf: Int32Array = new Int32Array(0);
  private member: Uint8Array = new Uint8Array(0);
  /** Kernel weights and the packed layout (see Packed in parzen.ts). */
  private weight = NO_VALUES; private logWeight = NO_VALUES; private base = NO_VALUES;
  private mean = NO_VALUES; private scale = NO_VALUES;
  private readonly cont: number[];
  private readonly dims: (NumericState | CategoricalState)[];
  private readonly table: ObservationTable;
  private readonly options: TpeOptions;
  private readonly columns: readonly Column[];
  private readonly constant = { logZ: 0, logNorm: 0 };

  constructor(input: AboveInput) {
    this.table = input.table;
    this.options = input.options;
    this.columns = input.columns;
    this.cont = input.axes.flatMap((axis, d) => (axis.kind === 'numeric' && axis.step === 0 ? [d] : []));
    this.dims = input.axes.map((axis, d) =>
      axis.kind === 'numeric'
        ? {
          kind: 'numeric', slim: this.cont.indexOf(d) > 0, trial: NO_PAIRS, z: NO_VALUES, sig: NO_VALUES, mu: NO_VALUES, sigma: NO_VALUES,
          invSigma: NO_VALUES, logZ: NO_VALUES, logNorm: NO_VALUES, pairOf: NO_PAIRS, pairKernel: NO_PAIRS, pairCount: 0, lo: 0, cap: 0, prior: [],
        }
        : { kind: 'categorical', obs: NO_PAIRS },
    );
  }

  matches(input: AboveInput): boolean {
    return input.table === this.table && input.options === this.options && input.columns.every((c, d) => c === this.columns[d]);
  }

  /** The one trial that joined the group since the last fit, SAME if none, -1 if the change is anything else. */
  joiner(input: AboveInput): number {
    if (this.m < 3 || (input.count !== this.m + 1 && input.count !== this.m)) return -1;
    let t = input.count === this.m ? SAME : -1;
    for (let i = 0; i < input.count; i++) {
      const n = input.rows[i] as number;
      if (n < this.member.length && this.member[n] === 1) continue;
      if (t !== -1) return -1;
      t = n;
    }
    return t;
  }

  /** Drops the fit, remembering the σ clips of this call's group size (a next call with the same clips rebuilds). */
  forget(input: AboveInput): void {
    this.m = 0;
    this.dims.forEach((st, d) => {
      if (st.kind === 'categorical') return;
      const { lo, cap } = bandwidthLimits(input.axes[d] as NumericAxis, input.fitOptions, input.count);
      st.lo = lo;
      st.cap = cap;
    });
  }

  /** Whether every numeric dimension's σ clip for m observations is the one the σ were computed with. */
  limitsHold(input: AboveInput, m: number): boolean {
    for (let d = 0; d < this.dims.length; d++) {
      const st = this.dims[d] as NumericState | CategoricalState;
      if (st.kind === 'categorical') continue;
      const { lo, cap } = bandwidthLimits(input.axes[d] as NumericAxis, input.fitOptions, m);
      if (lo !== st.lo || cap !== st.cap) return false;
    }
    return true;
  }

  rebuild(input: AboveInput): void {
    const m = input.count;
    this.m = m;
    this.reserve(m + 1, input.table.size);
    const rows = this.rows;
    if (input.sortedBy >= 0) orderedRows(input.columns[input.sortedBy] as Column, input.rows, m, input.role, input.target, rows);
    else rows.set(input.rows.subarray(0, m));
    this.member.fill(0);
    for (let k = 0; k < m; k++) {
      this.kernelOf[rows[k] as number] = k;
      this.member[rows[k] as number] = 1;
    }
    this.weigh();
    scratch.reset();
    const position = scratch.int(m, true);
    const kernel = scratch.int(m, true);
    const D = this.cont.length;
    // Where slim dimensions' μ, σ, 1/σ and log Z go before packing.
    const temp = { mu: scratch.float(m + 1, true), sigma: scratch.float(m + 1, true), invSigma: scratch.float(m + 1, true), logZ: scratch.float(m + 1, true) };
    input.axes.forEach((axis, d) => {
      const st = this.dims[d] as NumericState | CategoricalState;
      const column = input.columns[d] as Column;
      if (st.kind === 'categorical') {
        for (let k = 0; k < m; k++) st.obs[k] = column.z[rows[k] as number] as number;
        st.obs[m] = -1;
        return;
      }
      const numeric = axis as NumericAxis;
      orderedRows(column, input.rows, m, input.role, input.target, st.trial, position);
      for (let i = 0; i < m; i++) {
        const n = st.trial[i] as number;
        st.z[i] = column.z[n] as number;
        kernel[i] = this.kernelOf[n] as number;
      }
      assignBandwidths(st.z, m, numeric, input.fitOptions, input.axes.length, st.sig);
      const { lo, cap } = bandwidthLimits(numeric, input.fitOptions, m);
      st.lo = lo;
      st.cap = cap;
      const out = st.slim ? { ...temp, logNorm: st.logNorm } : st;
      kernelConstants(numeric, input.options.unscaledDensity, column, { m, z: st.z, sigma: st.sig, kernel, position }, out);
      st.prior = [out.mu[m] as number, out.sigma[m] as number, out.invSigma[m] as number, out.logZ[m] as number, out.logNorm[m] as number];
      if (numeric.step > 0) st.pairCount = assignPairs(st.z, st.sig, kernel, m, st.sigma, st.pairOf, st.pairKernel);
      const j = this.cont.indexOf(d);
      if (j < 0) return;
      const { mean, scale } = this;
      for (let k = 0, o = j; k <= m; k++, o += D) {
        mean[o] = out.mu[k] as number;
        scale[o] = (out.invSigma[k] as number) * Math.SQRT1_2;
      }
    });
    this.sumBase();
  }

  /** Adds trial t to the fit; false (nothing changed) when the update cannot be exact. */
  insert(input: AboveInput, t: number): boolean {
    const m = this.m;
    const size = m + 1;
    for (let d = 0; d < this.dims.length; d++) {
      const zt = (input.columns[d] as Column).z[t] as number;
      if ((this.dims[d] as NumericState | CategoricalState).kind === 'numeric' && zt !== zt) return false;
    }
    this.reserve(size + 1, input.table.size);
    const rows = this.rows;
    const sortedBy = input.sortedBy;
    const kp = sortedBy >= 0
      ? searchSorted((this.dims[sortedBy] as NumericState).z, (this.dims[sortedBy] as NumericState).trial, m, (input.columns[sortedBy] as Column).z[t] as number, t)
      : searchNumber(rows, m, t);
    rows.copyWithin(kp + 1, kp, m);
    rows[kp] = t;
    for (let k = kp; k < size; k++) this.kernelOf[rows[k] as number] = k;
    this.member[t] = 1;
    this.m = size;
    this.weigh();
    const D = this.cont.length;
    this.mean.copyWithin((kp + 1) * D, kp * D, m * D);
    this.scale.copyWithin((kp + 1) * D, kp * D, m * D);
    input.axes.forEach((axis, d) => {
      const st = this.dims[d] as NumericState | CategoricalState;
      const zt = (input.columns[d] as Column).z[t] as number;
      if (st.kind === 'categorical') {
        st.obs.copyWithin(kp + 1, kp, m);
        st.obs[kp] = zt;
        st.obs[size] = -1;
        return;
      }
      this.insertNumeric(input, axis as NumericAxis, d, st, t, zt, kp);
    });
    this.sumBase();
    return true;
  }

  mixture(input: AboveInput): Mixture {
    const size = this.m + 1;
    const sub = (a: Float64Array): Float64Array => a.subarray(0, size);
    const D = this.cont.length;
    const dims = input.axes.map((axis, d): Kernels => {
      const st = this.dims[d] as NumericState | CategoricalState;
      if (st.kind === 'categorical') {
        return categoricalRows(axis as CategoricalAxis, st.obs.subarray(0, size), this.m, input.categoricalFloor, input.options.priorWeight);
      }
      const numeric = axis as NumericAxis;
      const j = this.cont.indexOf(d);
      if (j > 0) return { kind: 'numeric', axis: numeric, mu: NO_VALUES, sigma: NO_VALUES, invSigma: NO_VALUES, logZ: NO_VALUES, logNorm: NO_VALUES, pairOf: NO_PAIRS, pairKernel: NO_PAIRS, pairCount: 0 };
      // Objects of buildMixture's shape (same properties in the same order), so scoring stays monomorphic.
      const { mu, sigma, invSigma, logNorm } = st;
      if (j === 0) return { kind: 'numeric', axis: numeric, mu: sub(mu), sigma: sub(sigma), invSigma: sub(invSigma), logZ: NO_VALUES, logNorm: sub(logNorm), pairOf: NO_PAIRS, pairKernel: NO_PAIRS, pairCount: 0 };
      return {
        kind: 'numeric', axis: numeric, mu: sub(mu), sigma: sub(sigma), invSigma: sub(invSigma), logZ: sub(st.logZ), logNorm: sub(logNorm),
        pairOf: st.pairOf.subarray(0, size), pairKernel: st.pairKernel.subarray(0, size), pairCount: st.pairCount,
      };
    });
    return {
      size, weight: sub(this.weight), logWeight: sub(this.logWeight), dims, sortedBy: input.sortedBy,
      packed: { cont: this.cont, base: sub(this.base), mean: this.mean.subarray(0, size * D), scale: this.scale.subarray(0, size * D) },
    };
  }

  // --- internal ---

  private insertNumeric(input: AboveInput, axis: NumericAxis, d: number, st: NumericState, t: number, zt: number, kp: number): void {
    const m = this.m - 1;
    const size = this.m;
    const i = searchSorted(st.z, st.trial, m, zt, t);
    st.trial.copyWithin(i + 1, i, m);
    st.z.copyWithin(i + 1, i, m);
    st.sig.copyWithin(i + 1, i, m);
    st.trial[i] = t;
    st.z[i] = zt;
    // Kernel kp and after move up one place (the old prior at m is overwritten, then written at size).
    st.logNorm.copyWithin(kp + 1, kp, m);
    if (!st.slim) {
      for (const a of [st.mu, st.sigma, st.invSigma, st.logZ]) a.copyWithin(kp + 1, kp, m);
      st.mu[kp] = zt;
    }
    const j = this.cont.indexOf(d);
    const { considerEndpoints, unscaledDensity } = input.options;
    for (let p = i > 0 ? i - 1 : 0; p <= i + 1 && p < size; p++) {
      const s = neighbourSigma(st.z, p, size, axis, considerEndpoints, st.lo, st.cap);
      if (p !== i && s === st.sig[p]) continue;
      st.sig[p] = s;
      const k = this.kernelOf[st.trial[p] as number] as number;
      const inv = 1 / s;
      kernelConstant(axis, unscaledDensity, st.z[p] as number, s, this.constant);
      st.logNorm[k] = this.constant.logNorm;
      if (!st.slim) {
        st.sigma[k] = s;
        st.invSigma[k] = inv;
        st.logZ[k] = this.constant.logZ;
      }
      if (j >= 0) this.packAt(j, k, st.z[p] as number, inv);
    }
    const prior = st.prior;
    st.logNorm[size] = prior[4] as number;
    if (!st.slim) {
      st.mu[size] = prior[0] as number;
      st.sigma[size] = prior[1] as number;
      st.invSigma[size] = prior[2] as number;
      st.logZ[size] = prior[3] as number;
    }
    if (j >= 0) this.packAt(j, size, prior[0] as number, prior[2] as number);
    else if (axis.step > 0) {
      scratch.reset();
      const kernel = scratch.int(size, true);
      for (let q = 0; q < size; q++) kernel[q] = this.kernelOf[st.trial[q] as number] as number;
      st.pairCount = assignPairs(st.z, st.sig, kernel, size, st.sigma, st.pairOf, st.pairKernel);
    }
  }

  /** Writes kernel k (μ, 1/σ) of continuous dimension j (index into cont) into the packed layout. */
  private packAt(j: number, k: number, mu: number, invSigma: number): void {
    const o = k * this.cont.length + j;
    this.mean[o] = mu;
    this.scale[o] = invSigma * Math.SQRT1_2;
  }

  /** Normalized uniform weights (the prior's last), summed in kernel order as buildMixture does. */
  private weigh(): void {
    const m = this.m;
    const priorWeight = this.options.priorWeight;
    let total = 0;
    for (let k = 0; k < m; k++) total += 1;
    total += priorWeight;
    const w = total > 0 ? 1 / total : 1 / (m + 1);
    const lw = Math.log(w);
    this.weight.fill(w, 0, m);
    this.logWeight.fill(lw, 0, m);
    this.weight[m] = total > 0 ? priorWeight / total : 1 / (m + 1);
    this.logWeight[m] = Math.log(this.weight[m] as number);
  }

  /** base[k] = log w_k plus each continuous dimension's constant, added in dimension order. */
  private sumBase(): void {
    const size = this.m + 1;
    const { base, logWeight } = this;
    base.set(logWeight.subarray(0, size));
    for (const d of this.cont) {
      const logNorm = (this.dims[d] as NumericState).logNorm;
      for (let k = 0; k < size; k++) base[k] = (base[k] as number) + (logNorm[k] as number);
    }
  }

  /** Room for `kernels` kernels and trial numbers below `trials`, keeping the contents. */
  private reserve(kernels: number, trials: number): void {
    if (trials > this.member.length) {
      const n = Math.max(64, trials, this.member.length * 2);
      const member = new Uint8Array(n);
      member.set(this.member);
      this.member = member;
      this.kernelOf = growI(this.kernelOf, n);
    }
    if (kernels <= this.capacity) return;
    const c = Math.max(64, kernels, this.capacity * 2);
    this.capacity = c;
    const D = this.cont.length;
    this.rows = growI(this.rows, c);
    this.weight = growF(this.weight, c);
    this.logWeight = growF(this.logWeight, c);
    this.base = growF(this.base, c);
    this.mean = growF(this.mean, c * D);
    this.scale = growF(this.scale, c * D);
    for (const st of this.dims) {
      if (st.kind === 'categorical') {
        st.obs = growI(st.obs, c);
        continue;
      }
      st.trial = growI(st.trial, c);
      for (const name of st.slim ? (['z', 'sig', 'logNorm'] as const) : (['z', 'sig', 'mu', 'sigma', 'invSigma', 'logZ', 'logNorm'] as const)) {
        st[name] = growF(st[name], c);
      }
      st.pairOf = growI(st.pairOf, c);
      st.pairKernel = growI(st.pairKernel, c);
    }
  }
}
