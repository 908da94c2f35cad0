// The one place that reads a study's objectives: its directions, a trial's values (one or several),
// their minimized form and a trial's constraints. Everything that needs "the value" goes through here.
import type { Direction, StudyRecord, TrialRecord } from '../tracking/entities.js';
import { studyMetrics } from '../tracking/store-rules.js';
import { paretoFront, violation, type Point } from './pareto/dominance.js';

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

/** A study's objectives: one direction and one metric name each, in order. */
export interface Objectives {
  readonly directions: readonly Direction[];
  readonly metrics: readonly string[];
}

/** The objectives of a stored study (a single-objective study has one). */
export function studyObjectives(record: Pick<StudyRecord, 'directions' | 'metric' | 'metrics'>): Objectives {
  const directions = record.directions.length > 0 ? record.directions : (['minimize'] as const);
  return { directions, metrics: studyMetrics(record) };
}

/** What an objective may return: one number, one per objective in order, or one per metric name. */
export type ReturnedValues = readonly number[] | Readonly<Record<string, number>>;

/**
 * Checks what an objective returned against the study's objectives: the values in the study's order,
 * or a one-line reason naming the objective at fault.
 */
export function valuesOfReturn(returned: ReturnedValues, objectives: Objectives): { readonly values: number[] } | { readonly error: string } {
  const { metrics } = objectives;
  const n = metrics.length;
  const want = n === 1 ? 'a finite number' : `${n} values (${metrics.join(', ')}) as an array or an object keyed by metric name`;
  let values: number[];
  if (Array.isArray(returned)) {
    if (returned.length !== n) return { error: `objective must return ${want}, got an array of ${returned.length}` };
    values = [...(returned as readonly number[])];
  } else {
    const record = returned as Readonly<Record<string, number>>;
    const unknown = Object.keys(record).filter((k) => !metrics.includes(k));
    if (unknown.length > 0) return { error: `objective returned ${unknown.map((k) => `"${k}"`).join(', ')}, not a metric of the study (${metrics.join(', ')})` };
    const missing = metrics.filter((m) => record[m] === undefined);
    if (missing.length > 0) return { error: `objective must return ${want}; ${missing.map((k) => `"${k}"`).join(', ')} missing` };
    values = metrics.map((m) => record[m] as number);
  }
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      const what = n === 1 ? 'objective must return a finite number' : `objective "${metrics[i]}" (value ${i}) must be a finite number`;
      return { error: `${what}, got ${typeof v === 'number' ? String(v) : v === undefined ? 'undefined' : `a ${typeof v}`}` };
    }
  }
  return { values };
}

/** Checks what a constraints function returned: finite numbers (each satisfied when ≤ 0), or why not. */
export function checkConstraints(returned: unknown): { readonly constraints: number[] } | { readonly error: string } {
  if (!Array.isArray(returned) || returned.length === 0) {
    return { error: `constraints must return a non-empty array of numbers (each satisfied when <= 0), got ${describeValue(returned)}` };
  }
  for (let i = 0; i < returned.length; i++) {
    const c: unknown = returned[i];
    if (typeof c !== 'number' || Number.isNaN(c)) return { error: `constraint ${i} must be a number, got ${describeValue(c)}` };
  }
  return { constraints: [...(returned as number[])] };
}

/** Whether a trial satisfies its stored constraints (a trial without constraints does). */
export function isFeasible(trial: Pick<TrialRecord, 'systemAttrs'>): boolean {
  const c = trialConstraints(trial);
  return c === undefined || violation(c) === 0;
}

/**
 * The Pareto front of a study's COMPLETE trials: the feasible trials no other feasible trial
 * dominates (ascending by number). With one objective, the best trials (ties included).
 */
export function paretoTrials<T extends TrialRecord>(trials: readonly (T | undefined)[], directions: readonly Direction[]): T[] {
  const candidates: T[] = [];
  const points: Point[] = [];
  for (const t of trials) {
    if (t === undefined || t.state !== 'COMPLETE' || !isFeasible(t)) continue;
    const p = minimizedValues(t, directions);
    if (p === null) continue;
    candidates.push(t);
    points.push(p);
  }
  return paretoFront(points).map((i) => candidates[i] as T);
}

function describeValue(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (v === undefined || v === null) return String(v);
  return Array.isArray(v) ? 'an array' : `a ${typeof v}`;
}
