// NSGA-II's generations, read from the study history alone so that parallel workers and resumed
// studies agree: each trial NSGA-II starts carries its generation (a system attribute set at claim).
// Generation g is complete once it holds `populationSize` COMPLETE trials; the parents of generation
// g + 1 are the elite of (generation g ∪ the parents of g): fronts of (constrained) non-domination
// filled in order, the last one cut by crowding distance.
import type { TrialRecord } from '../../src/tracking/entities.js';
import { minimizedValues, trialConstraints, trialValues } from '../../src/study/objectives.js';
import { constrainedRanks, crowdingDistances, nonDominatedRanks, violation, type Point } from '../../src/study/pareto/dominance.js';
import type { Direction } from '../../src/tracking/entities.js';

export const GENERATION_ATTR = 'nsga2:generation';

/** A member of a parent population: the trial, its rank (0 = first front) and crowding distance. */
export interface Member {
  readonly trial: TrialRecord;
  readonly rank: number;
  readonly crowding: number;
}

export interface Population {
  /** The generation the parents were chosen after (-1: none complete yet, sample at random). */
  readonly generation: number;
  readonly parents: readonly Member[];
}

/**
 * Parent populations of one study, remembered per generation: a generation's elite is computed again
 * only when its members (or the previous elite) changed, so a sampling call does not redo every
 * generation's sorting.
 */
export class Generations {
  private readonly elites: { count: number; parents: Member[] }[] = [];

  constructor(
    private readonly directions: readonly Direction[],
    private readonly size: number,
  ) {}

  population(trials: readonly TrialRecord[]): Population {
    const byGeneration = groupByGeneration(trials, this.directions);
    let parents: Member[] = [];
    let generation = -1;
    let reuse = true;
    for (;;) {
      const next = byGeneration.get(generation + 1);
      if (next === undefined || next.length < this.size) break;
      generation++;
      const known = this.elites[generation];
      if (reuse && known !== undefined && known.count === next.length) {
        parents = known.parents;
        continue;
      }
      reuse = false;
      parents = selectElite([...next, ...parents.map((m) => m.trial)], this.directions, this.size);
      this.elites[generation] = { count: next.length, parents };
    }
    this.elites.length = Math.max(0, generation + 1);
    return { generation, parents };
  }
}

/** The current parent population of a study's history. */
export function parentPopulation(trials: readonly TrialRecord[], directions: readonly Direction[], size: number): Population {
  const byGeneration = groupByGeneration(trials, directions);
  let parents: Member[] = [];
  let generation = -1;
  for (;;) {
    const next = byGeneration.get(generation + 1);
    // With parallel workers a generation may end up a little larger than `size`: all of it competes.
    if (next === undefined || next.length < size) break;
    parents = selectElite([...next, ...parents.map((m) => m.trial)], directions, size);
    generation++;
  }
  return { generation, parents };
}

/** The generation a new trial belongs to: one after the current parents'. */
export function nextGeneration(trials: readonly TrialRecord[], directions: readonly Direction[], size: number): number {
  return parentPopulation(trials, directions, size).generation + 1;
}

/** The `size` best of `candidates`: by (constrained) non-domination rank, then crowding distance. */
export function selectElite(candidates: readonly TrialRecord[], directions: readonly Direction[], size: number): Member[] {
  const points = candidates.map((t) => minimizedValues(t, directions) as Point);
  const constrained = candidates.some((t) => trialConstraints(t) !== undefined);
  const ranks = constrained
    ? constrainedRanks(points, candidates.map((t) => violationOf(t)))
    : nonDominatedRanks(points);
  const fronts = new Map<number, number[]>();
  ranks.forEach((r, i) => {
    let f = fronts.get(r);
    if (f === undefined) fronts.set(r, (f = []));
    f.push(i);
  });
  const out: Member[] = [];
  for (const rank of [...fronts.keys()].sort((a, b) => a - b)) {
    const front = fronts.get(rank) as number[];
    const crowding = crowdingDistances(front.map((i) => points[i] as Point));
    const order = front.map((_, k) => k).sort((a, b) => (crowding[b] as number) - (crowding[a] as number) || a - b);
    for (const k of order) {
      if (out.length >= size) return out;
      out.push({ trial: candidates[front[k] as number] as TrialRecord, rank, crowding: crowding[k] as number });
    }
  }
  return out;
}

/** COMPLETE trials with values, by the generation NSGA-II gave them. */
function groupByGeneration(trials: readonly TrialRecord[], directions: readonly Direction[]): Map<number, TrialRecord[]> {
  const byGeneration = new Map<number, TrialRecord[]>();
  for (const t of trials) {
    if (t === undefined || t.state !== 'COMPLETE') continue;
    const g = t.systemAttrs[GENERATION_ATTR];
    if (typeof g !== 'number') continue;
    const values = trialValues(t);
    if (values === null || values.length !== directions.length) continue;
    let list = byGeneration.get(g);
    if (list === undefined) byGeneration.set(g, (list = []));
    list.push(t);
  }
  return byGeneration;
}

function violationOf(t: TrialRecord): number {
  const c = trialConstraints(t);
  return c === undefined ? 0 : violation(c);
}
