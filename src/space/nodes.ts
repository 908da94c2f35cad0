// The search-space tree a user writes with hp.*: distribution nodes, nested objects, arrays, constants.
// Nodes are plain JSON (a string key `$dist` marks them) so spaces can be stored, compared and cloned.

export type NumericKind =
  | 'uniform'
  | 'loguniform'
  | 'quniform'
  | 'qloguniform'
  | 'randint'
  | 'normal'
  | 'qnormal'
  | 'lognormal';

/** A distribution node. `V` is a phantom type: the value a trial receives for it. */
export type DistNode<V = unknown> = NumericNode<V> | ChoiceNode<V>;

export interface NumericNode<V = number> {
  readonly $dist: NumericKind;
  readonly low?: number;
  readonly high?: number;
  readonly q?: number;
  readonly mu?: number;
  readonly sigma?: number;
  /** @internal phantom field for type inference; never set. */
  readonly __value?: V;
}

export interface ChoiceNode<V = unknown> {
  readonly $dist: 'choice';
  readonly options: readonly unknown[];
  /** Present for pchoice: the probability of each option. */
  readonly probs?: readonly number[];
  /** @internal phantom field for type inference; never set. */
  readonly __value?: V;
}

/** The value type a space (or any part of it) resolves to in `trial.params`. */
export type InferParams<S> =
  S extends DistNode<infer V>
    ? V
    : S extends readonly unknown[]
      ? { -readonly [K in keyof S]: InferParams<S[K]> }
      : S extends Record<string, unknown>
        ? { -readonly [K in keyof S]: InferParams<S[K]> }
        : S;

/** A search space: an object whose leaves are distributions or constants. */
export type SpaceDefinition = Record<string, unknown>;

export function isDistNode(value: unknown): value is DistNode {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { $dist?: unknown }).$dist === 'string'
  );
}
