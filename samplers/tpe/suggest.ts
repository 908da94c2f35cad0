// One TPE sampling call for a set of parameters (one parameter in univariate mode, a joint space or a
// group otherwise): select the observations holding all of them, split, fit l and g, draw candidates
// from l and keep the one with the largest log l − log g.
import type { Rng } from '../../src/rng.js';
import type { Distribution } from '../../src/space/distributions.js';
import { AboveCache } from './above-cache.js';
import { arena } from './arena.js';
import { axisOf, type Axis } from './axis.js';
import type { Column, ObservationTable } from './observations.js';
import { withExplorationFloor, type TpeOptions, type Weighting } from './options.js';
import { buildMixture, type Mixture } from './parzen.js';
import { drawCandidates } from './candidates.js';
import { pickBest } from './score.js';
import { orderedRows } from './sorted-rows.js';
import { kernelWeights, ROLE_BAD, ROLE_GOOD, splitTrials, type Split } from './split.js';

export interface SuggestInput {
  readonly table: ObservationTable;
  readonly options: TpeOptions;
  /** Sorted parameter names and their requested distributions. */
  readonly names: readonly string[];
  readonly distributions: readonly Distribution[];
  /** The trial being sampled (never an observation). */
  readonly trialNumber: number;
  readonly rng: Rng;
  /** The global split for this history, when the options rank all trials together. */
  readonly globalSplit: () => Split;
  /** Splits the trials of a mask (group scope); default: by the one objective's value. */
  readonly splitMasked?: (mask: Uint8Array) => Split;
  /** Keeps g's fit from one call to the next (the same arrays as a fit from scratch). */
  readonly aboveCache?: AboveCache;
}

/** The fitted estimators of one call (exposed for tests and diagnostics). */
export interface Estimators {
  readonly below: Mixture;
  readonly above: Mixture;
}

export function suggestJoint(input: SuggestInput): Record<string, number> {
  const estimators = fitEstimators(input);
  const { options } = input;
  const count = Math.max(options.candidates, Math.round(options.candidatesPerDim * input.names.length));
  const cands = drawCandidates(estimators.below, count, input.rng, options.crossover);
  const best = pickBest(estimators.below, estimators.above, cands);
  const out: Record<string, number> = {};
  input.names.forEach((name, d) => {
    out[name] = (cands.values[d] as Float64Array)[best] as number;
  });
  return out;
}

/** Fits l (good trials) and g (bad trials) over the requested parameters (invalidates earlier fits). */
export function fitEstimators(input: SuggestInput): Estimators {
  arena.reset();
  const { table, options, names, distributions } = input;
  const size = table.size;
  const axes: Axis[] = [];
  const columns: (Column | undefined)[] = [];
  const ids: number[] = [];
  let complete = true;
  names.forEach((name, d) => {
    const distribution = distributions[d] as Distribution;
    const column = table.column(name);
    const id = column?.idOf(distribution) ?? -1;
    axes.push(id >= 0 && column ? (column.axes[id] as Axis) : axisOf(distribution));
    columns.push(column);
    ids.push(id);
    if (id < 0) complete = false;
  });
  // Trials holding every requested parameter with the requested distribution.
  const mask = arena.byte(size);
  if (complete) {
    mask.fill(1);
    for (let d = 0; d < columns.length; d++) {
      // A column holding every trial number under one distribution excludes nobody.
      if ((columns[d] as Column).count === size && (columns[d] as Column).distributions.length === 1) continue;
      const dist = (columns[d] as Column).dist;
      const id = ids[d] as number;
      for (let n = 0; n < size; n++) if (mask[n] === 1 && dist[n] !== id) mask[n] = 0;
    }
  }
  const split =
    options.splitScope === 'group'
      ? (input.splitMasked?.(mask) ?? splitTrials(table, options, input.trialNumber, mask))
      : input.globalSplit();
  const role = arena.byte(size);
  const kernelOf = arena.int(size, true);
  const good = arena.int(size, true);
  const bad = arena.int(size, true);
  let nGood = 0;
  let nBad = 0;
  for (let n = 0; n < size; n++) {
    if (mask[n] !== 1) continue;
    const r = split.role[n];
    if (r === ROLE_GOOD) {
      role[n] = ROLE_GOOD;
      kernelOf[n] = nGood;
      good[nGood++] = n;
    } else if (r === ROLE_BAD) {
      role[n] = ROLE_BAD;
      kernelOf[n] = nBad;
      bad[nBad++] = n;
    }
  }
  // Kernels are ordered by the first continuous dimension (so scoring can visit the nearest first);
  // weights are computed in trial-number order (linear forgetting depends on it), then carried along.
  const sortBy = axes.findIndex((a) => a.kind === 'numeric' && a.step === 0);
  const order = sortBy >= 0 ? columns[sortBy] : undefined;
  const fitOptions = withExplorationFloor(options, nGood + nBad);
  const fit = (rows: Int32Array, count: number, target: number, weighting: Weighting, floor: number): Mixture => {
    const given = target === ROLE_GOOD ? split.goodWeights : undefined;
    let weights = kernelWeights(weighting, rows, count, table, split.threshold, options.priorWeight, given);
    let kernelRows = rows;
    if (order !== undefined && count > 1) {
      const sorted = arena.int(count, true);
      const permuted = arena.float(count + 1, true);
      permuted[count] = weights[count] as number;
      orderedRows(order, rows, count, role, target, sorted);
      for (let j = 0; j < count; j++) {
        const n = sorted[j] as number;
        permuted[j] = weights[kernelOf[n] as number] as number;
        kernelOf[n] = j;
      }
      weights = permuted;
      kernelRows = sorted;
    }
    return buildMixture(
      { columns, axes, rows: kernelRows, count, role, target, kernelOf, categoricalFloor: floor, weights, sortedBy: order ? sortBy : -1, scoringOnly: target === ROLE_BAD },
      fitOptions,
    );
  };
  const below = fit(good, nGood, ROLE_GOOD, options.weightsBelow, options.categoricalFloor);
  const aboveWeighting = options.weightsAbove === 'ei' ? 'uniform' : options.weightsAbove;
  const cache = input.aboveCache;
  if (cache !== undefined && complete && nBad > 0 && AboveCache.supports(options, aboveWeighting)) {
    const key = names.map((name, d) => `${name}#${ids[d] as number}`).join('\u0000');
    const sortedBy = order !== undefined ? sortBy : -1;
    const above = cache.fit({
      table, key, columns: columns as Column[], axes, rows: bad, count: nBad, role, target: ROLE_BAD, sortedBy,
      categoricalFloor: 0, options, fitOptions,
    });
    if (above !== undefined) return { below, above };
  }
  const above = fit(bad, nBad, ROLE_BAD, aboveWeighting, 0);
  return { below, above };
}
