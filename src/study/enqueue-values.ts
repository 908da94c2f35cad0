// Checking the values given to Study.enqueue against the declared space, before anything is stored:
// every name a parameter, every value one its distribution can take, no parameter of a branch the
// given choices leave out. Parameters not given are left for the sampler.
import { SearchSpaceError } from '../errors.js';
import type { CompiledSpace, ParamSpec } from '../space/compile.js';
import { contains, valueLabel, type Distribution } from '../space/distributions.js';
import type { TrialParamInput } from '../tracking/entities.js';

/**
 * The stored form of enqueued values (flat names; a choice by its option, or by its index when no
 * option is a number). @throws SearchSpaceError naming the first parameter at fault, in one line.
 */
export function enqueuedParams(space: CompiledSpace | undefined, values: Readonly<Record<string, unknown>>, studyName: string): TrialParamInput[] {
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw new SearchSpaceError(`enqueue: values must be an object of parameter name -> value, got ${describe(values)}`);
  }
  const internal = new Map<string, number>();
  const specs = new Map<string, ParamSpec>();
  for (const [name, value] of Object.entries(values)) {
    const spec = space?.params.get(name);
    if (!spec) {
      if (space === undefined) {
        throw new SearchSpaceError(`enqueue: "${name}" is not a parameter: study "${studyName}" declares no space (define-by-run studies cannot enqueue values)`);
      }
      throw new SearchSpaceError(`enqueue: "${name}" is not a parameter of the declared space (${listNames(space)})`);
    }
    const v = internalValue(spec.distribution, value);
    if (v === undefined || !contains(spec.distribution, v)) {
      throw new SearchSpaceError(`enqueue: param "${name}": ${describe(value)} is not a value of ${describeDistribution(spec.distribution)}`);
    }
    internal.set(name, v);
    specs.set(name, spec);
  }
  for (const name of internal.keys()) checkBranch(name, internal, space as CompiledSpace);
  return [...internal].map(([name, value]) => {
    const distribution = (specs.get(name) as ParamSpec).distribution;
    return { name, value, distribution, label: valueLabel(distribution, value) };
  });
}

// --- internal ---

/** A value as a user gives it in the sampler's form (a choice: its option index). */
function internalValue(d: Distribution, value: unknown): number | undefined {
  if (d.kind === 'choice') {
    const byOption = d.constants?.findIndex((option) => option === value) ?? byLabel(d, value);
    if (byOption >= 0) return byOption;
    // An index, unless an option is a number: then 0 could mean the option 0 or the first option.
    const numericOptions = d.constants?.some((o) => typeof o === 'number') ?? false;
    return !numericOptions && typeof value === 'number' && Number.isInteger(value) ? value : undefined;
  }
  return typeof value === 'number' ? value : undefined;
}

/** A choice with nested options: a constant option (not a number) by the label it is tracked under. */
function byLabel(d: Distribution & { kind: 'choice' }, value: unknown): number {
  if (typeof value !== 'string' && typeof value !== 'boolean' && value !== null) return -1;
  return d.labels.findIndex((label, i) => label === String(value) && label !== String(i));
}

/**
 * A parameter inside a choice's option (`booster.1.drop` sits in option 1 of `booster`) needs that
 * choice given, as that option: otherwise the trial would carry a value its branch never uses.
 */
function checkBranch(name: string, given: ReadonlyMap<string, number>, space: CompiledSpace): void {
  const segments = name.split('.');
  for (let i = 1; i < segments.length - 1; i++) {
    const option = Number(segments[i]);
    const parent = segments.slice(0, i).join('.');
    const spec = space.params.get(parent);
    if (spec?.distribution.kind !== 'choice' || !Number.isInteger(option)) continue;
    const chosen = given.get(parent);
    const wanted = optionText(spec.distribution, option);
    if (chosen === undefined) {
      throw new SearchSpaceError(`enqueue: param "${name}" exists only when "${parent}" is ${wanted}; give "${parent}" too`);
    }
    if (chosen !== option) {
      throw new SearchSpaceError(`enqueue: param "${name}" exists only when "${parent}" is ${wanted}, but "${parent}" is given as ${optionText(spec.distribution, chosen)}`);
    }
  }
}

function optionText(d: Distribution & { kind: 'choice' }, index: number): string {
  const constant = d.constants?.[index];
  if (d.constants !== undefined) return JSON.stringify(constant);
  const label = d.labels[index];
  return label === undefined || label === String(index) ? `option ${index}` : `option ${index} (${JSON.stringify(label)})`;
}

function describeDistribution(d: Distribution): string {
  switch (d.kind) {
    case 'uniform':
    case 'loguniform':
    case 'randint':
      return `${d.kind}(${d.low}, ${d.high})`;
    case 'quniform':
    case 'qloguniform':
      return `${d.kind}(${d.low}, ${d.high}, ${d.q})`;
    case 'normal':
    case 'lognormal':
      return `${d.kind}(${d.mu}, ${d.sigma})`;
    case 'qnormal':
      return `qnormal(${d.mu}, ${d.sigma}, ${d.q})`;
    case 'choice':
      return d.constants !== undefined
        ? `choice(${d.constants.map((c) => JSON.stringify(c)).join(', ')})${d.constants.some((c) => typeof c === 'number') ? '' : ` or an index 0..${d.n - 1}`}`
        : `choice(${d.labels.map((l, i) => (l === String(i) ? `<option ${i}>` : JSON.stringify(l))).join(', ')}) or an index 0..${d.n - 1}`;
  }
}

function listNames(space: CompiledSpace): string {
  const names = [...space.params.keys()];
  return names.length <= 8 ? names.join(', ') : `${names.slice(0, 8).join(', ')}, … ${names.length - 8} more`;
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  return JSON.stringify(value);
}
