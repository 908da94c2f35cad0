// The one place that reads a study's objectives: its directions, a trial's values (one or several),
// their minimized form and a trial's constraints. Everything that needs "the value" goes through here.
import type { Direction, TrialRecord } from '../tracking/entities.js';
import type { Point } from './pareto/dominance.js';

/** System attribute holding a trial's constraint values (each satisfied when ≤ 0). */
export const CONSTRAINTS_ATTR = 'constraints';

/** The directions of a study or study view, one per objective. */
export function objectiveDirections(study: { readonly direction: Direction; readonly directions?: readonly Direction[] }): readonly Direction[] {
  return study.directions !== undefined && study.directions.length > 0 ? study.directions : [study.direction];
}

/** A trial's objective values, or null when it has none (not COMPLETE, or no value stored). */
export function trialValues(trial: Pick<TrialRecord, 'value' | 'values'>): readonly number[] | null {
  if (trial.values !== undefined && trial.values !== null) return trial.values;
  return trial.value === null ? null : [trial.value];
}

/** A trial's values turned so that smaller is better in every objective, or null without finite values. */
export function minimizedValues(trial: Pick<TrialRecord, 'value' | 'values'>, directions: readonly Direction[]): Point | null {
  const values = trialValues(trial);
  if (values === null || values.length !== directions.length) return null;
  const out = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) return null;
    out[i] = directions[i] === 'maximize' ? -v : v;
  }
  return out;
}

/** A trial's stored constraint values, or undefined when the study has no constraints. */
export function trialConstraints(trial: Pick<TrialRecord, 'systemAttrs'>): readonly number[] | undefined {
  const c = trial.systemAttrs[CONSTRAINTS_ATTR];
  return Array.isArray(c) && c.every((x) => typeof x === 'number' || x === null) ? (c as number[]).map((x) => (x === null ? Number.NaN : x)) : undefined;
}
