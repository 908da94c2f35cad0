// Scoring candidates: the log-density of a mixture at each candidate, kernel by kernel with early exit,
// and the argmax of log l − log g, which stops evaluating g at a candidate once it can no longer win.
import { arena } from './arena.js';
import { binHigh, binLow } from './axis.js';
import type { Candidates } from './candidates.js';
import { expNonPositive, logNormMass, normCdf } from './normal-math.js';
import type { CategoricalKernels, Mixture, NumericKernels } from './parzen.js';

/**
 * log p(x) at every candidate. Kernel terms more than T = ln K + 27 nats below the largest are left out
 * of the log-sum-exp: together they weigh less than e^-27 ≈ 2e-12 of the total. Every per-dimension term
 * is ≤ 0 once the continuous constants are folded into base[k], so a kernel is dropped as soon as its
 * partial sum falls below that cut.
 */
export function logDensity(mix: Mixture, cands: Candidates, out: Float64Array = new Float64Array(cands.count)): Float64Array {
  const ev = prepare(mix, cands);
  for (let c = 0; c < cands.count; c++) out[c] = evaluate(ev, c, Number.POSITIVE_INFINITY);
  return out;
}

/**
 * The candidate with the largest log l − log g (the lowest index on ties). g's partial log-sum-exp only
 * grows, so a candidate is abandoned as soon as it is proven to score below the best so far. To get a
 * strong "best so far" early, every candidate first sums its nearest K/16 (at most 256) kernels; the one with the
 * highest bound is finished first, then the others resume (by decreasing log l) where they stopped. Each
 * candidate's kernels are summed in the same order whatever the schedule, so a finished candidate's score
 * does not depend on it, and the result equals a full evaluation's argmax.
 */
export function pickBest(below: Mixture, above: Mixture, cands: Candidates): number {
  const ll = logDensity(below, cands);
  const order = Array.from({ length: cands.count }, (_, i) => i).sort((a, b) => (ll[b] as number) - (ll[a] as number) || a - b);
  const ev = prepare(above, cands);
  const run = startRuns(cands.count);
  const screen = Math.min(SCREEN_MAX, above.size >> 4);
  let first = order[0] as number;
  let bound = Number.NEGATIVE_INFINITY;
  for (const c of order) {
    const u = (ll[c] as number) - evaluate(ev, c, Number.POSITIVE_INFINITY, run, screen);
    if (u > bound) {
      bound = u;
      first = c;
    }
  }
  let best = (ll[first] as number) - evaluate(ev, first, Number.POSITIVE_INFINITY, run);
  let bestIndex = best > Number.NEGATIVE_INFINITY ? first : -1;
  if (bestIndex < 0) best = Number.NEGATIVE_INFINITY;
  for (const c of order) {
    if (c === first) continue;
    const lc = ll[c] as number;
    const limit = bestIndex < 0 ? Number.POSITIVE_INFINITY : lc - best;
    const score = lc - evaluate(ev, c, limit, run);
    if (score > best || (score === best && bestIndex >= 0 && c < bestIndex)) {
      best = score;
      bestIndex = c;
    }
  }
  return bestIndex < 0 ? 0 : bestIndex;
}

// --- internal ---

const NO_MEANS = new Float64Array(0);
/** Kernels every candidate sums before the most promising one is finished: K/16, at most 256. */
const SCREEN_MAX = 256;

/** Where each candidate's summation stopped: next visit (-1: not started), pointers and partial sum. */
interface Runs {
  readonly v: Int32Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly max: Float64Array;
  readonly sum: Float64Array;
  readonly cut: Float64Array;
}

function startRuns(count: number): Runs {
  return {
    v: new Int32Array(count).fill(-1), left: new Int32Array(count), right: new Int32Array(count),
    max: new Float64Array(count), sum: new Float64Array(count), cut: new Float64Array(count),
  };
}

/**
 * Bin log-masses per (distinct candidate value, distinct (μ, σ) pair), filled in on first use. Rows are
 * values, so one candidate's lookups stay within a row of `pairs` entries.
 */
interface Stepped {
  readonly table: Float64Array;
  readonly slot: Int32Array;
  readonly pairs: number;
  readonly pairOf: Int32Array;
  readonly dim: NumericKernels;
  readonly lo: Float64Array;
  readonly hi: Float64Array;
}

interface Evaluator {
  readonly K: number;
  /** Continuous dimensions: count, and the candidates' coordinates per dimension. */
  readonly D: number;
  readonly points: Float64Array[];
  /**
   * Whether the observation kernels ascend along the first continuous dimension (`means`): a candidate
   * then visits the prior, then its nearest kernels first.
   */
  readonly ordered: boolean;
  readonly means: Float64Array;
  /** By position: log w + Σ continuous log-normalizers; μ and √½/σ per continuous dimension. */
  readonly base: Float64Array;
  readonly mean: Float64Array;
  readonly scale: Float64Array;
  readonly stepped: readonly Stepped[];
  readonly categorical: readonly { readonly dim: CategoricalKernels; readonly obs: Int32Array; readonly xs: Float64Array }[];
  /** How far below the running maximum a kernel term may fall and still be summed. */
  readonly span: number;
  /** Per-candidate scratch: its continuous coordinates, stepped slots (and rows) and categorical options. */
  readonly point: Float64Array;
  readonly at: Int32Array;
  readonly row: Int32Array;
  readonly options: Float64Array;
}

function prepare(mix: Mixture, cands: Candidates): Evaluator {
  const K = mix.size;
  const { cont, base, mean, scale } = mix.packed;
  const D = cont.length;
  const ordered = K > 2 && mix.sortedBy >= 0 && mix.sortedBy === cont[0];
  const stepped: Stepped[] = [];
  const categorical: { dim: CategoricalKernels; obs: Int32Array; xs: Float64Array }[] = [];
  mix.dims.forEach((dim, d) => {
    if (dim.kind === 'categorical') categorical.push({ dim, obs: dim.obs, xs: cands.model[d] as Float64Array });
    else if (dim.axis.step > 0) stepped.push(steppedTable(dim, cands.values[d] as Float64Array));
  });
  const means = ordered ? (mix.dims[cont[0] as number] as NumericKernels).mu : NO_MEANS;
  return {
    K, D, points: cont.map((d) => cands.model[d] as Float64Array), ordered, means,
    base, mean, scale, stepped, categorical, span: Math.log(K) + 27,
    point: new Float64Array(D), at: new Int32Array(stepped.length), row: new Int32Array(stepped.length), options: new Float64Array(categorical.length),
  };
}

/**
 * log p at candidate c, or +Infinity as soon as the partial sum exceeds `limit`. With `run`, resumes c's
 * summation where it stopped and stops again (returning the partial log-sum) before visit `stopAt`.
 */
function evaluate(ev: Evaluator, c: number, limit: number, run?: Runs, stopAt = ev.K): number {
  const { K, D, base, mean, scale, point, stepped, categorical, span, means, ordered } = ev;
  for (let j = 0; j < D; j++) point[j] = (ev.points[j] as Float64Array)[c] as number;
  const S = stepped.length;
  const { at, row, options } = ev;
  for (let i = 0; i < S; i++) {
    const st = stepped[i] as Stepped;
    at[i] = st.slot[c] as number;
    row[i] = (at[i] as number) * st.pairs;
  }
  for (let i = 0; i < categorical.length; i++) options[i] = (categorical[i] as { xs: Float64Array }).xs[c] as number;
  // The prior first, then two pointers walking outwards from the candidate through the sorted means.
  const x = ordered ? (point[0] as number) : 0;
  const m = K - 1;
  let left = -1;
  let right = 0;
  let start = 0;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  let cut = Number.NEGATIVE_INFINITY;
  if (run !== undefined && (run.v[c] as number) >= 0) {
    start = run.v[c] as number;
    left = run.left[c] as number;
    right = run.right[c] as number;
    max = run.max[c] as number;
    sum = run.sum[c] as number;
    cut = run.cut[c] as number;
  } else if (ordered) {
    let hi = m;
    while (right < hi) {
      const mid = (right + hi) >>> 1;
      if ((means[mid] as number) < x) right = mid + 1;
      else hi = mid;
    }
    left = right - 1;
  }
  const checks = limit < Number.POSITIVE_INFINITY;
  const end = stopAt < K ? stopAt : K;
  let v = start;
  next: for (; v < end; v++) {
    if (checks && (v & 31) === 31 && max + Math.log(sum) > limit) return Number.POSITIVE_INFINITY;
    let k = v;
    if (ordered) {
      if (v === 0) k = m;
      else if (right >= m || (left >= 0 && x - (means[left] as number) <= (means[right] as number) - x)) k = left--;
      else k = right++;
    }
    let s = base[k] as number;
    if (s <= cut) continue;
    const o = k * D;
    for (let j = 0; j < D; j++) {
      const t = ((point[j] as number) - (mean[o + j] as number)) * (scale[o + j] as number);
      s -= t * t;
      if (s <= cut) continue next;
    }
    for (let i = 0; i < S; i++) {
      const st = stepped[i] as Stepped;
      const pair = st.pairOf[k] as number;
      const cell = (row[i] as number) + pair;
      let term = st.table[cell] as number;
      if (term !== term) term = st.table[cell] = binTerm(st, pair, at[i] as number);
      s += term;
      if (s <= cut) continue next;
    }
    for (let i = 0; i < options.length; i++) {
      const { dim, obs } = categorical[i] as { dim: CategoricalKernels; obs: Int32Array };
      const opt = options[i] as number;
      const seen = obs[k] as number;
      s += (seen === opt ? dim.logHit[opt] : seen < 0 ? dim.logPrior[opt] : dim.logMiss[opt]) as number;
      if (s <= cut) continue next;
    }
    if (s > max) {
      sum = max === Number.NEGATIVE_INFINITY ? 1 : sum * expNonPositive(max - s) + 1;
      max = s;
      cut = max - span;
    } else {
      sum += expNonPositive(s - max);
    }
  }
  if (run !== undefined) {
    run.v[c] = v;
    run.left[c] = left;
    run.right[c] = right;
    run.max[c] = max;
    run.sum[c] = sum;
    run.cut[c] = cut;
  }
  return max === Number.NEGATIVE_INFINITY ? max : max + Math.log(sum);
}

/** The candidates' distinct values on a stepped axis, and an empty (NaN) table of bin log-masses. */
function steppedTable(dim: NumericKernels, candidates: Float64Array): Stepped {
  const index = new Map<number, number>();
  const slot = new Int32Array(candidates.length);
  const distinct: number[] = [];
  for (let c = 0; c < candidates.length; c++) {
    const v = candidates[c] as number;
    let i = index.get(v);
    if (i === undefined) {
      i = distinct.length;
      index.set(v, i);
      distinct.push(v);
    }
    slot[c] = i;
  }
  const V = distinct.length;
  const lo = Float64Array.from(distinct, (v) => binLow(dim.axis, v));
  const hi = Float64Array.from(distinct, (v) => binHigh(dim.axis, v));
  const table = arena.float(V * dim.pairCount, true).fill(Number.NaN);
  return { table, slot, pairs: dim.pairCount, pairOf: dim.pairOf, dim, lo, hi };
}

/** log of the mass of value v's bin under pair p's kernel, relative to the kernel's mass on [L, U]. */
function binTerm(st: Stepped, p: number, v: number): number {
  const k = st.dim.pairKernel[p] as number;
  const mu = st.dim.mu[k] as number;
  const inv = st.dim.invSigma[k] as number;
  const a = ((st.lo[v] as number) - mu) * inv;
  const b = ((st.hi[v] as number) - mu) * inv;
  // Plain difference of CDFs (from the far tail's side), exact log formula only when it underflows.
  const mass = a > 0 ? normCdf(-a) - normCdf(-b) : normCdf(b) - normCdf(a);
  return (mass > 1e-280 ? Math.log(mass) : logNormMass(a, b)) - (st.dim.logZ[k] as number);
}
