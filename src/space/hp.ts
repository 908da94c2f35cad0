// hp.*: constructors of distribution nodes. Arguments are checked when the space is compiled,
// so that errors can name the parameter's path (space.model[1].depth).
import type { ChoiceNode, DistNode, InferParams, NumericNode } from './nodes.js';

type Int = number & { readonly __int?: never };

/** Float in [low, high]. */
function uniform(low: number, high: number): NumericNode<number> {
  return { $dist: 'uniform', low, high };
}
/** Float in [low, high], log-uniform; bounds on the natural scale, low > 0. */
function loguniform(low: number, high: number): NumericNode<number> {
  return { $dist: 'loguniform', low, high };
}
/** low + k*q for k = 0, 1, ... up to high; integers when low and q are integers. */
function quniform(low: number, high: number, q: number): NumericNode<number> {
  return { $dist: 'quniform', low, high, q };
}
/** Like quniform, but drawn log-uniformly; low > 0. */
function qloguniform(low: number, high: number, q: number): NumericNode<number> {
  return { $dist: 'qloguniform', low, high, q };
}
/** Integer in [low, high), as Python's range and hyperopt's randint. */
function randint(low: number, high: number): NumericNode<Int> {
  return { $dist: 'randint', low, high };
}
/** Unbounded float, normally distributed. */
function normal(mu: number, sigma: number): NumericNode<number> {
  return { $dist: 'normal', mu, sigma };
}
/** round(x / q) * q with x ~ normal(mu, sigma). */
function qnormal(mu: number, sigma: number, q: number): NumericNode<number> {
  return { $dist: 'qnormal', mu, sigma, q };
}
/** exp(x) with x ~ normal(mu, sigma): positive, unbounded. */
function lognormal(mu: number, sigma: number): NumericNode<number> {
  return { $dist: 'lognormal', mu, sigma };
}
/**
 * One of the options, each equally likely a priori. Options may be constants or nested spaces
 * (objects holding further distributions): a nested space's parameters exist only when it is chosen.
 * The trial receives the option's value, never its index.
 */
function choice<const T extends readonly unknown[]>(options: T): ChoiceNode<InferParams<T[number]>> {
  return { $dist: 'choice', options };
}
/** Like choice, with a prior probability for each option: `hp.pchoice([[0.7, 'adam'], [0.3, 'sgd']])`. */
function pchoice<const T extends readonly (readonly [number, unknown])[]>(
  weighted: T,
): ChoiceNode<InferParams<T[number][1]>> {
  const list = Array.isArray(weighted) ? weighted : [];
  return {
    $dist: 'choice',
    options: list.map((pair) => (Array.isArray(pair) ? pair[1] : pair)),
    probs: list.map((pair) => (Array.isArray(pair) ? pair[0] : Number.NaN)),
  };
}

export const hp = {
  uniform,
  loguniform,
  quniform,
  qloguniform,
  randint,
  normal,
  qnormal,
  lognormal,
  choice,
  pchoice,
} as const;

export type { DistNode };
