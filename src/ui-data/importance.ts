// Parameter importance by PED-ANOVA (Watanabe, Bansal, Hutter, IJCAI 2023; optuna's
// PedAnovaImportanceEvaluator): how far the params of the best trials stray from those of all trials.
import { isLogScale, type Distribution } from '../space/distributions.js';
import type { Direction, TrialRecord } from '../tracking/entities.js';
import { paramDistributions } from './param-distributions.js';

export interface ImportanceItem {
  name: string;
  /** Share of the summed divergence, in [0, 1]; the items sum to 1 (all 0 when nothing stands out). */
  importance: number;
}

export interface Importance {
  method: 'ped-anova';
  /** Fraction of the best trials that form the "top" set. */
  quantile: number;
  /** COMPLETE trials the estimate used. */
  nTrials: number;
  items: ImportanceItem[];
  /** Why the list is empty, when it is. */
  note: string | null;
}

export const IMPORTANCE_QUANTILE = 0.1;
const GRID = 50;
const PRIOR_WEIGHT = 1;
const MIN_TRIALS = 10;

/**
 * PED-ANOVA. For each param, the values of the COMPLETE trials that have it are put on a grid (the
 * option index for choices, the distinct values when there are at most 50, else 50 equal cells
 * over the bounds, in log space for log distributions). Two densities are estimated on the grid:
 * p_top from the best `quantile` of those trials and p_all from all of them (Gaussian kernels on
 * cells, Scott's bandwidth; no kernel for choices; each mixed with a uniform prior of weight 1).
 * The importance is the Pearson divergence sum_k p_all(k) * (p_top(k)/p_all(k) - 1)^2: zero when
 * the best trials spread like all trials, large when they crowd into part of the range. Results
 * are normalized to sum to 1. O(trials * params + params * 50^2): a few ms for 5,000 trials.
 */
export function pedAnovaImportance(
  trials: readonly TrialRecord[],
  direction: Direction,
  quantile = IMPORTANCE_QUANTILE,
): Importance {
  const complete = trials.filter((t) => t.state === 'COMPLETE' && t.value !== null && Number.isFinite(t.value));
  const base = { method: 'ped-anova' as const, quantile, nTrials: complete.length };
  if (complete.length < MIN_TRIALS) {
    return { ...base, items: [], note: `needs at least ${MIN_TRIALS} complete trials, has ${complete.length}` };
  }
  const sign = direction === 'maximize' ? -1 : 1;
  complete.sort((a, b) => sign * ((a.value as number) - (b.value as number)));
  const distributions = paramDistributions(complete);
  const raw: ImportanceItem[] = [];
  for (const [name, d] of distributions) {
    const having = complete.filter((t) => t.params[name] !== undefined);
    if (having.length < MIN_TRIALS) continue;
    const cells = toCells(having.map((t) => t.params[name] as number), d);
    const nTop = Math.max(2, Math.ceil(having.length * quantile));
    const categorical = d.kind === 'choice';
    const pTop = density(cells.index.slice(0, nTop), cells.size, categorical);
    const pAll = density(cells.index, cells.size, categorical);
    let divergence = 0;
    for (let k = 0; k < cells.size; k++) {
      const all = pAll[k] as number;
      divergence += all * ((pTop[k] as number) / all - 1) ** 2;
    }
    raw.push({ name, importance: divergence });
  }
  const total = raw.reduce((s, i) => s + i.importance, 0);
  const items = raw
    .map((i) => ({ name: i.name, importance: total > 0 ? i.importance / total : 0 }))
    .sort((a, b) => b.importance - a.importance || a.name.localeCompare(b.name));
  return { ...base, items, note: items.length === 0 ? 'no param was set in enough complete trials' : null };
}

// --- internal ---

/** Grid cell of each value and the grid size. */
function toCells(values: readonly number[], d: Distribution): { index: number[]; size: number } {
  if (d.kind === 'choice') return { index: values.map((v) => Math.round(v)), size: Math.max(1, d.n) };
  const t = isLogScale(d) ? values.map((v) => Math.log(Math.max(v, Number.MIN_VALUE))) : [...values];
  // Distinct values only while there are at most GRID of them: a float param has thousands.
  const seen = new Set<number>();
  for (const v of t) if (seen.add(v).size > GRID) break;
  if (seen.size <= GRID) {
    const distinct = [...seen].sort((a, b) => a - b);
    const at = new Map(distinct.map((v, i) => [v, i]));
    return { index: t.map((v) => at.get(v) as number), size: Math.max(1, distinct.length) };
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of t) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if ('low' in d && 'high' in d) {
    lo = Math.min(lo, isLogScale(d) ? Math.log(d.low) : d.low);
    hi = Math.max(hi, isLogScale(d) ? Math.log(d.high) : d.high);
  }
  const width = hi - lo || 1;
  return { index: t.map((v) => Math.min(GRID - 1, Math.max(0, Math.floor(((v - lo) / width) * GRID)))), size: GRID };
}

/** Kernel density on grid cells, mixed with a uniform prior; sums to 1. */
function density(cells: readonly number[], size: number, categorical: boolean): Float64Array {
  const counts = new Float64Array(size);
  for (const c of cells) counts[c] = (counts[c] as number) + 1;
  let smoothed = counts;
  if (!categorical && size > 1) {
    const m = cells.length;
    const mean = cells.reduce((s, c) => s + c, 0) / m;
    const sd = Math.sqrt(cells.reduce((s, c) => s + (c - mean) ** 2, 0) / Math.max(1, m - 1));
    const h = Math.min(size / 2, Math.max(0.5, 1.06 * sd * m ** -0.2));
    smoothed = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      const ci = counts[i] as number;
      if (ci === 0) continue;
      let norm = 0;
      for (let k = 0; k < size; k++) norm += Math.exp(-0.5 * ((k - i) / h) ** 2);
      for (let k = 0; k < size; k++) smoothed[k] = (smoothed[k] as number) + (ci * Math.exp(-0.5 * ((k - i) / h) ** 2)) / norm;
    }
  }
  const total = cells.length + PRIOR_WEIGHT;
  const out = new Float64Array(size);
  for (let k = 0; k < size; k++) out[k] = ((smoothed[k] as number) + PRIOR_WEIGHT / size) / total;
  return out;
}
