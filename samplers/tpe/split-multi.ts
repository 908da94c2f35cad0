// The good/bad split of multi-objective TPE (Ozaki et al. 2020, as Optuna's MOTPE): the good group is
// filled with whole fronts of non-domination rank, the last front cut by greedy hypervolume subset
// selection; each good trial's kernel weighs by its hypervolume contribution within the good group.
// Feasibility-aware: feasible trials rank before infeasible ones, which follow by total violation.
// RUNNING trials join the bad group with the constant liar, as with one objective.
import type { Direction, TrialRecord } from '../../src/tracking/entities.js';
import { minimizedValues, trialConstraints } from '../../src/study/objectives.js';
import { nonDominatedRanks, violation, type Point } from '../../src/study/pareto/dominance.js';
import { hypervolumeContributions, nadirReference, selectByHypervolume } from '../../src/study/pareto/hypervolume.js';
import { STATE_COMPLETE, STATE_PRUNED, STATE_RUNNING, type ObservationTable } from './observations.js';
import { goodCount, type TpeOptions } from './options.js';
import { ROLE_BAD, ROLE_GOOD, type Split } from './split.js';

const EPS = 1e-12;

/** A finished trial's minimized point and total violation, read once per record (records never change). */
const points = new WeakMap<TrialRecord, { readonly point: Point | null; readonly violation: number }>();

function objectivePoint(t: TrialRecord, directions: readonly Direction[]): { readonly point: Point | null; readonly violation: number } {
  let known = points.get(t);
  if (known === undefined || (known.point !== null && known.point.length !== directions.length)) {
    const c = trialConstraints(t);
    known = { point: minimizedValues(t, directions), violation: c === undefined ? 0 : violation(c) };
    points.set(t, known);
  }
  return known;
}

/** Splits the trials of `table` (those with mask[n] = 1 when given) by their objective vectors in `trials`. */
export function splitMultiObjective(
  table: ObservationTable,
  trials: readonly TrialRecord[],
  directions: readonly Direction[],
  options: TpeOptions,
  exclude: number,
  mask?: Uint8Array,
): Split {
  const size = table.size;
  const feasible: number[] = [];
  const feasiblePoints: Point[] = [];
  const infeasible: { n: number; v: number }[] = [];
  let finished = 0;
  for (let n = 0; n < size; n++) {
    if (n === exclude || (mask !== undefined && mask[n] !== 1)) continue;
    const s = table.state[n];
    if (s !== STATE_COMPLETE && s !== STATE_PRUNED) continue;
    finished++;
    const t = trials[n];
    if (t === undefined) continue;
    const { point: p, violation: v } = objectivePoint(t, directions);
    if (p === null) continue;
    if (v > 0) infeasible.push({ n, v });
    else {
      feasible.push(n);
      feasiblePoints.push(p);
    }
  }
  const wanted = goodCount(options, finished);
  const good: number[] = [];
  const goodPoints: Point[] = [];
  if (wanted > 0 && feasible.length > 0) {
    const take = Math.min(wanted, feasible.length);
    const ranks = nonDominatedRanks(feasiblePoints, take);
    for (let rank = 0; good.length < take; rank++) {
      const front: number[] = [];
      ranks.forEach((r, i) => r === rank && front.push(i));
      if (front.length === 0) break;
      const chosen =
        good.length + front.length <= take
          ? front
          : selectByHypervolume(front.map((i) => feasiblePoints[i] as Point), take - good.length, nadirReference(front.map((i) => feasiblePoints[i] as Point))).map((k) => front[k] as number);
      for (const i of chosen) {
        good.push(feasible[i] as number);
        goodPoints.push(feasiblePoints[i] as Point);
      }
    }
  }
  // Too few feasible trials: the least violating infeasible ones complete the good group.
  infeasible.sort((a, b) => a.v - b.v || a.n - b.n);
  for (let k = 0; good.length < wanted && k < infeasible.length; k++) good.push((infeasible[k] as { n: number }).n);

  const role = new Uint8Array(size);
  for (let n = 0; n < size; n++) {
    if (mask !== undefined && mask[n] !== 1) continue;
    const s = table.state[n];
    if (s === STATE_COMPLETE || s === STATE_PRUNED) role[n] = ROLE_BAD;
    else if (s === STATE_RUNNING && options.constantLiar && n !== exclude) role[n] = ROLE_BAD;
  }
  if (exclude < size) role[exclude] = 0;
  for (const n of good) role[n] = ROLE_GOOD;
  return { role, finished, threshold: Number.POSITIVE_INFINITY, goodWeights: contributionWeights(good, goodPoints, size) };
}

/**
 * Weight of each good trial's kernel (by trial number): its hypervolume contribution within the
 * feasible good points (reference: their nadir), plus EPS, over the largest; 1 for a lone point and
 * EPS for infeasible fillers.
 */
function contributionWeights(good: readonly number[], points: readonly Point[], size: number): Float64Array {
  const w = new Float64Array(size);
  for (const n of good) w[n] = EPS;
  if (points.length === 1) w[good[0] as number] = 1;
  if (points.length < 2) return w;
  const c = hypervolumeContributions(points, nadirReference(points));
  let max = 0;
  for (let i = 0; i < c.length; i++) max = Math.max(max, (c[i] as number) + EPS);
  for (let i = 0; i < points.length; i++) w[good[i] as number] = Math.min(1, ((c[i] as number) + EPS) / max);
  return w;
}
