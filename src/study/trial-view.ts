// Turning a stored trial into the view the API shows: nested params, tracked values, error text.
import type { CompiledSpace } from '../space/compile.js';
import type { Distribution } from '../space/distributions.js';
import type { TrialRecord } from '../tracking/entities.js';
import type { ParamPrimitive, TrialView } from './trial.js';
import { isFeasible, trialConstraints, trialValues } from './objectives.js';

export function toTrialView(trial: TrialRecord, space: CompiledSpace | undefined): TrialView {
  const flatParams: Record<string, ParamPrimitive> = {};
  for (const [name, value] of Object.entries(trial.params)) {
    const d = trial.distributions[name];
    flatParams[name] = d ? externalValue(d, value) : value;
  }
  let params: Record<string, unknown> = flatParams;
  if (space && Object.keys(trial.params).length > 0) {
    try {
      const resolved = space.resolve((spec) => {
        const v = trial.params[spec.name];
        if (v === undefined) throw new Error('missing');
        return v;
      });
      params = { ...(resolved.value as Record<string, unknown>) };
      // Parameters the objective added with trial.suggest, beside the declared space.
      for (const [name, value] of Object.entries(flatParams)) if (!space.params.has(name)) params[name] = value;
    } catch {
      params = flatParams;
    }
  }
  const constraints = trialConstraints(trial);
  const error = trial.state === 'FAIL' ? errorText(trial.systemAttrs['error']) : null;
  return {
    number: trial.number,
    state: trial.state,
    value: trial.value,
    values: trial.state === 'COMPLETE' ? trialValues(trial) : null,
    ...(constraints !== undefined && { constraints }),
    feasible: isFeasible(trial),
    params,
    flatParams,
    runId: trial.runId,
    intermediate: trial.intermediate,
    startTime: trial.startTime,
    endTime: trial.endTime,
    error,
  };
}

/** A choice's option when it is a constant, else the number itself (an option index for nested options). */
export function externalValue(d: Distribution, value: number): ParamPrimitive {
  if (d.kind !== 'choice' || d.constants === undefined) return value;
  const option = d.constants[value];
  return option === undefined ? value : option;
}

function errorText(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const e = error as { name?: string; message?: string };
  return `${e.name ?? 'Error'}: ${e.message ?? ''}`;
}
