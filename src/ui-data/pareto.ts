// The study page's block for a study with several objectives: each objective's value per trial (as
// columns aligned with the page's trials), feasibility, the Pareto front and the hypervolume history.
import { isFeasible, minimizedValues, paretoTrials, studyObjectives, trialConstraints, trialValues } from '../study/objectives.js';
import { dominates, type Point } from '../study/pareto/dominance.js';
import { hypervolume, nadirReference } from '../study/pareto/hypervolume.js';
import type { StudyRecord, TrialRecord } from '../tracking/entities.js';
import { finite, type Json, type JsonObject } from './json.js';

/** Hypervolume history points at most (evenly spaced over the complete trials, the last always in). */
const MAX_HYPERVOLUME_POINTS = 200;

/**
 * `objectives` of the study page (null for a single-objective study without constraints):
 * `directions`, `metrics`; `values[k][i]`: objective k of trials[i] (null unless COMPLETE);
 * `feasible[i]`: null without constraints; `front`: the trial numbers on the Pareto front;
 * `hypervolume`: `{number, value, reference}`, the front's hypervolume after each complete trial
 * (by number), against one reference point for the whole history (the nadir of every feasible
 * complete trial, Optuna's rule), so the curve never falls.
 */
export function objectivesBlock(study: StudyRecord, trials: readonly TrialRecord[]): JsonObject | null {
  const { directions, metrics } = studyObjectives(study);
  const constrained = trials.some((t) => trialConstraints(t) !== undefined);
  if (directions.length === 1 && !constrained) return null;
  const values = metrics.map((_, k) => trials.map((t) => (t.state === 'COMPLETE' ? finite(trialValues(t)?.[k]) : null)));
  const feasible = trials.map((t) => (trialConstraints(t) === undefined ? null : isFeasible(t)));
  const front = paretoTrials(trials, directions).map((t) => t.number);
  return {
    directions: [...directions],
    metrics: [...metrics],
    values: values as Json[],
    feasible,
    front,
    hypervolume: directions.length > 1 ? hypervolumeHistory(trials, directions) : null,
  };
}

function hypervolumeHistory(trials: readonly TrialRecord[], directions: StudyRecord['directions']): JsonObject {
  const points: { number: number; point: Point }[] = [];
  for (const t of [...trials].sort((a, b) => a.number - b.number)) {
    if (t.state !== 'COMPLETE' || !isFeasible(t)) continue;
    const p = minimizedValues(t, directions);
    if (p !== null) points.push({ number: t.number, point: p });
  }
  if (points.length === 0) return { number: [], value: [], reference: null };
  const reference = nadirReference(points.map((p) => p.point));
  const every = Math.max(1, Math.ceil(points.length / MAX_HYPERVOLUME_POINTS));
  const number: number[] = [];
  const value: number[] = [];
  let front: Point[] = [];
  points.forEach(({ number: n, point }, i) => {
    if (!front.some((q) => dominates(q, point))) front = [...front.filter((q) => !dominates(point, q)), point];
    if (i % every === 0 || i === points.length - 1) {
      number.push(n);
      value.push(hypervolume(front, reference));
    }
  });
  return { number, value, reference };
}
