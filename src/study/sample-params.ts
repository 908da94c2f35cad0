// Resolving a compiled space for one trial: the nested value, the flat values and what to store.
import type { CompiledSpace, ParamSpec } from '../space/compile.js';
import { valueLabel } from '../space/distributions.js';
import type { TrialParamInput } from '../tracking/entities.js';

export interface SampledParams {
  readonly value: unknown;
  /** Only the parameters sampled by this call (held ones are reused, not repeated). */
  readonly inputs: readonly TrialParamInput[];
  readonly specs: readonly ParamSpec[];
}

/** Walks the space, reusing values in `held` and picking the rest; records new values into `held`. */
export function sampleParams(space: CompiledSpace, pick: (spec: ParamSpec) => number, held: Record<string, number>): SampledParams {
  const inputs: TrialParamInput[] = [];
  const specs: ParamSpec[] = [];
  const { value } = space.resolve((spec) => {
    const known = held[spec.name];
    if (known !== undefined) return known;
    const v = pick(spec);
    held[spec.name] = v;
    specs.push(spec);
    inputs.push({ name: spec.name, value: v, distribution: spec.distribution, label: valueLabel(spec.distribution, v) });
    return v;
  });
  return { value, inputs, specs };
}
