// Compiling a space tree: validation with source paths, flattening to stable parameter names, and
// resolving a trial's flat values back into the nested object the objective receives.
//
// Flat names (what tracking shows): object keys joined by '.', choice options and array items by
// their index: { booster: hp.choice(['gbtree', { drop: hp.uniform(0, 1) }]) } gives `booster`
// (the option index) and `booster.1.drop`. Error paths point into the source: `space.booster[1].drop`.
import { SearchSpaceError } from '../errors.js';
import type { Distribution } from './distributions.js';
import { validateNumeric, validateProbs } from './validate.js';
import { isDistNode, type DistNode, type SpaceDefinition } from './nodes.js';

export interface ParamSpec {
  /** Flat, stable name: `booster.1.drop`. */
  readonly name: string;
  /** Where the node sits in the user's source: `space.booster[1].drop`. */
  readonly sourcePath: string;
  readonly distribution: Distribution;
}

export interface ResolvedParams {
  /** Flat name -> value (option index for choices), only for parameters active in this trial. */
  readonly flat: Record<string, number>;
  /** The nested object with every distribution replaced by its value. */
  readonly value: unknown;
}

/** Picks the value of one parameter; called in tree order, only for active parameters. */
export type PickValue = (spec: ParamSpec) => number;

export interface CompiledSpace {
  /** Every parameter any branch can hold, in tree order. */
  readonly params: ReadonlyMap<string, ParamSpec>;
  /** Canonical JSON of the definition: equal spaces have equal fingerprints. */
  readonly fingerprint: string;
  resolve(pick: PickValue): ResolvedParams;
}

/** Key characters MLflow accepts in param names, less '.', which joins path segments. */
const KEY_PATTERN = /^[A-Za-z0-9_\- /]+$/;

/** Validates and flattens a declared space. @throws SearchSpaceError naming the path at fault. */
export function compileSpace(definition: SpaceDefinition, rootPath = 'space'): CompiledSpace {
  if (typeof definition !== 'object' || definition === null || Array.isArray(definition)) {
    throw new SearchSpaceError(`${rootPath}: must be an object of named distributions, got ${describe(definition)}`);
  }
  return compileTree(definition, '', rootPath);
}

/** Compiles a sub-tree mounted at a flat name (define-by-run `trial.suggest(name, node)`). */
export function compileTree(node: unknown, flatName: string, sourcePath: string): CompiledSpace {
  const plan = planNode(node, flatName, sourcePath);
  const params = new Map<string, ParamSpec>();
  collect(plan, params);
  return {
    params,
    fingerprint: canonicalJson(node),
    resolve(pick) {
      const flat: Record<string, number> = {};
      const value = resolvePlan(plan, pick, flat);
      return { flat, value };
    },
  };
}

/** JSON with sorted object keys, so that key order does not make two spaces differ. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
      return sorted;
    }
    return v;
  });
}

// --- internal ---

type Plan =
  | { readonly type: 'const'; readonly value: unknown }
  | { readonly type: 'numeric'; readonly spec: ParamSpec }
  | { readonly type: 'choice'; readonly spec: ParamSpec; readonly options: readonly Plan[] }
  | { readonly type: 'object'; readonly entries: readonly (readonly [string, Plan])[] }
  | { readonly type: 'array'; readonly items: readonly Plan[] };

function join(prefix: string, segment: string | number): string {
  return prefix === '' ? String(segment) : `${prefix}.${segment}`;
}

function planNode(node: unknown, flat: string, path: string): Plan {
  if (isDistNode(node)) return planDist(node, flat, path);
  if (Array.isArray(node)) {
    return { type: 'array', items: node.map((item, i) => planNode(item, join(flat, i), `${path}[${i}]`)) };
  }
  if (typeof node === 'object' && node !== null) {
    const proto = Object.getPrototypeOf(node) as unknown;
    if (proto !== Object.prototype && proto !== null) {
      throw new SearchSpaceError(`${path}: only plain objects, arrays, constants and hp.* nodes may appear in a space, got ${describe(node)}`);
    }
    const entries: (readonly [string, Plan])[] = [];
    for (const [key, child] of Object.entries(node)) {
      if (!KEY_PATTERN.test(key)) {
        throw new SearchSpaceError(
          `${path}: key ${JSON.stringify(key)} may only contain letters, digits, '_', '-', '/' and spaces`,
          { hint: "'.' is reserved: flat parameter names join nested keys with '.'" },
        );
      }
      entries.push([key, planNode(child, join(flat, key), `${path}.${key}`)]);
    }
    return { type: 'object', entries };
  }
  if (node === null || typeof node === 'string' || typeof node === 'boolean') return { type: 'const', value: node };
  if (typeof node === 'number' && Number.isFinite(node)) return { type: 'const', value: node };
  throw new SearchSpaceError(`${path}: a space may hold JSON constants and hp.* nodes only, got ${describe(node)}`);
}

function planDist(node: DistNode, flat: string, path: string): Plan {
  if (flat === '') throw new SearchSpaceError(`${path}: a distribution needs a name`);
  if (node.$dist !== 'choice') {
    return { type: 'numeric', spec: { name: flat, sourcePath: path, distribution: validateNumeric(node, path) } };
  }
  const options = node.options as unknown;
  if (!Array.isArray(options) || options.length === 0) {
    throw new SearchSpaceError(`${path}: choice needs a non-empty array of options, got ${describe(options)}`);
  }
  const probs = node.probs === undefined ? undefined : validateProbs(node.probs, options.length, path);
  const plans = options.map((option, i) => planNode(option, join(flat, i), `${path}[${i}]`));
  const labels = options.map((option, i) =>
    option === null || ['string', 'number', 'boolean'].includes(typeof option) ? String(option) : String(i),
  );
  const allConstant = options.every((o) => o === null || ['string', 'number', 'boolean'].includes(typeof o));
  const distribution: Distribution = {
    kind: 'choice',
    n: options.length,
    ...(probs !== undefined && { probs }),
    labels,
    ...(allConstant && { constants: options as (string | number | boolean | null)[] }),
  };
  return { type: 'choice', spec: { name: flat, sourcePath: path, distribution }, options: plans };
}

function collect(plan: Plan, out: Map<string, ParamSpec>): void {
  switch (plan.type) {
    case 'numeric':
      out.set(plan.spec.name, plan.spec);
      return;
    case 'choice':
      out.set(plan.spec.name, plan.spec);
      for (const option of plan.options) collect(option, out);
      return;
    case 'object':
      for (const [, child] of plan.entries) collect(child, out);
      return;
    case 'array':
      for (const item of plan.items) collect(item, out);
      return;
    case 'const':
      return;
  }
}

function resolvePlan(plan: Plan, pick: PickValue, flat: Record<string, number>): unknown {
  switch (plan.type) {
    case 'const':
      return plan.value;
    case 'numeric': {
      const v = pick(plan.spec);
      flat[plan.spec.name] = v;
      return v;
    }
    case 'choice': {
      const index = pick(plan.spec);
      flat[plan.spec.name] = index;
      const option = plan.options[index];
      if (option === undefined) throw new RangeError(`${plan.spec.name}: option index ${index} out of range`);
      return resolvePlan(option, pick, flat);
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, child] of plan.entries) out[key] = resolvePlan(child, pick, flat);
      return out;
    }
    case 'array':
      return plan.items.map((item) => resolvePlan(item, pick, flat));
  }
}

function describe(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object' && value !== null) {
    const name = (value as object).constructor?.name;
    return Array.isArray(value) ? 'an array' : name && name !== 'Object' ? `an instance of ${name}` : 'an object';
  }
  return JSON.stringify(value) ?? String(value);
}
