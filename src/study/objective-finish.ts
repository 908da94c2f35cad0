// What a completed trial stores about its objectives: the values an executor brought back checked
// against the study's objectives, its constraints evaluated, and (several objectives) the front the
// parent run tracks. The trial runner calls these; nothing here writes.
import { serializeError } from '../errors.js';
import type { RunBatch } from '../tracking/entities.js';
import type { TrialFinish } from '../tracking/store.js';
import { CONSTRAINTS_ATTR, checkConstraints, valuesOfReturn, type Objectives } from './objectives.js';
import type { StudyHistory } from './history.js';
import { failedOutcome, type TrialOutcome } from './outcome.js';
import { violation } from './pareto/dominance.js';
import { hypervolume, nadirReference } from './pareto/hypervolume.js';
import type { ConstraintsFn } from './trial.js';
import type { BufferedWrites } from './trial-session.js';

/** Parent-run metrics and tag of a study with several objectives. */
export const FRONT_SIZE_METRIC = 'pareto_front_size';
export const HYPERVOLUME_METRIC = 'hypervolume';
export const TAG_PARETO_FRONT = 'sweep.pareto_front';
/** Tags of a trial whose study has constraints. */
export const TAG_FEASIBLE = 'sweep.feasible';
export const TAG_CONSTRAINTS = 'sweep.constraints';

/** A COMPLETE finish with every objective's value (`values` only when there are several). */
export function completeFinish(values: readonly number[]): TrialFinish {
  return { state: 'COMPLETE', value: values[0] as number, ...(values.length > 1 && { values }) };
}

/**
 * Turns an executor's outcome into what is stored: a complete outcome's values checked against the
 * study's objectives (count, names, finite) and its constraints evaluated; FAIL with the reason when
 * either is wrong.
 */
export function checkedFinish(
  outcome: TrialOutcome,
  objectives: Objectives,
  constraintsFn: ConstraintsFn | undefined,
  trial: { readonly number: number; readonly params: Readonly<Record<string, unknown>> },
  buffered: BufferedWrites,
): TrialFinish {
  if (outcome.kind !== 'complete') return toFinish(outcome);
  const checked = valuesOfReturn(outcome.values, objectives);
  if ('error' in checked) return toFinish(failedOutcome('invalid-value', 'InvalidObjectiveValue', checked.error));
  const finish = completeFinish(checked.values);
  if (constraintsFn === undefined) return finish;
  let returned: unknown;
  try {
    const metrics: Record<string, number> = {};
    for (const m of [...buffered.metrics].sort((a, b) => a.step - b.step || a.timestamp - b.timestamp)) metrics[m.key] = m.value;
    const named: Record<string, number> = {};
    objectives.metrics.forEach((name, i) => (named[name] = checked.values[i] as number));
    returned = constraintsFn(Object.freeze({ number: trial.number, params: trial.params, values: Object.freeze([...checked.values]), objectives: named, metrics }));
  } catch (error) {
    return toFinish({ kind: 'failed', reason: 'error', error: serializeError(error) });
  }
  const constraints = checkConstraints(returned);
  if ('error' in constraints) return toFinish(failedOutcome('error', 'InvalidConstraints', constraints.error));
  return {
    ...finish,
    systemAttrs: { [CONSTRAINTS_ATTR]: constraints.constraints },
    tags: { [TAG_FEASIBLE]: String(violation(constraints.constraints) === 0), [TAG_CONSTRAINTS]: JSON.stringify(constraints.constraints) },
  };
}

/**
 * What the parent run of a study with several objectives records after trial `step` completes: the
 * front's size and hypervolume as metric history and a tag naming the trials on it. The hypervolume's
 * reference point is the nadir of the feasible complete trials so far (Optuna's rule: max(1.1·worst,
 * 0.9·worst) per objective).
 */
export function frontBatch(history: Pick<StudyHistory, 'front' | 'frontPoints' | 'worstPoint'>, step: number): RunBatch {
  const front = history.front();
  const timestamp = Date.now();
  const metrics = [{ key: FRONT_SIZE_METRIC, value: front.length, step, timestamp }];
  const names = front.map((t) => t.number).join(',');
  if (front.length > 0) {
    const reference = nadirReference([history.worstPoint()]);
    // The same front under the same reference has the same hypervolume: computed again only on a change.
    const key = `${names}|${reference.join(',')}`;
    let known = lastHypervolume.get(history);
    if (known?.key !== key) {
      known = { key, value: hypervolume(history.frontPoints(), reference) };
      lastHypervolume.set(history, known);
    }
    metrics.push({ key: HYPERVOLUME_METRIC, value: known.value, step, timestamp });
  }
  return { metrics, tags: { [TAG_PARETO_FRONT]: names.length <= 5000 ? names : `${names.slice(0, 4990).replace(/,[^,]*$/, '')},…` } };
}

/** The last hypervolume frontBatch computed for a history, with the front and reference it was for. */
const lastHypervolume = new WeakMap<object, { readonly key: string; readonly value: number }>();

/** The finish an outcome asks for: values from an executor still to be checked (checkedFinish). */
export function toFinish(outcome: TrialOutcome): TrialFinish {
  switch (outcome.kind) {
    case 'complete': {
      // Values straight from an executor; finish() checks them against the study first (checkedFinish).
      const values = Array.isArray(outcome.values) ? (outcome.values as readonly number[]) : Object.values(outcome.values);
      return completeFinish(values);
    }
    case 'pruned':
      return { state: 'PRUNED' };
    case 'failed': {
      const { stack, ...raw } = outcome.error;
      // An error's text is what it is (a command's stderr may carry any byte); U+0000, which PostgreSQL
      // text and jsonb refuse, is shown as U+FFFD so the trial's FAIL is stored on every store.
      // A message is bounded as the stack is: an objective that throws megabytes does not store them per trial.
      const error = { ...raw, name: truncate(printable(raw.name), 1000), message: truncate(printable(raw.message), 20_000) };
      return {
        state: 'FAIL',
        tags: { 'sweep.error': truncate(`${error.name}: ${error.message}`, 5000), 'sweep.fail_reason': outcome.reason },
        systemAttrs: { error: stack === undefined ? error : { ...error, stack: truncate(printable(stack), 20_000) }, failReason: outcome.reason },
      };
    }
  }
}

function printable(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\ufffd') : text;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A finish with what the trial's session still buffered (params, reports, metrics, tags), written with it. */
export function withBuffered(finish: TrialFinish, buffered: BufferedWrites): TrialFinish {
  return {
    ...finish,
    params: buffered.params,
    intermediate: buffered.intermediate,
    metrics: buffered.metrics,
    tags: { ...buffered.tags, ...finish.tags },
  };
}
