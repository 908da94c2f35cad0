// What a trial ends as: the union executors resolve with, and how an objective's return or throw maps to it.
import { serializeError, type SerializedError } from '../errors.js';
import type { ReturnedValues } from './objectives.js';

export type TrialOutcome =
  /**
   * What the objective returned: one value per objective in the study's order (a single-objective
   * study: one), or one per metric name. The trial runner checks it against the study's objectives.
   */
  | { readonly kind: 'complete'; readonly values: ReturnedValues }
  | { readonly kind: 'pruned' }
  | { readonly kind: 'failed'; readonly error: SerializedError; readonly reason: FailReason };

export type FailReason = 'error' | 'invalid-value' | 'interrupted' | 'timeout' | 'stale' | 'crashed';

const PRUNED = Symbol.for('sweep.pruned');

/** Returned by `trial.pruned()`: the objective ends its trial as PRUNED. */
export interface PrunedResult {
  readonly [PRUNED]: true;
}

export const prunedResult: PrunedResult = Object.freeze({ [PRUNED]: true as const });

/** Thrown inside an objective to end the trial as PRUNED (the same as returning trial.pruned()). */
export class TrialPruned extends Error {
  constructor(message = 'trial pruned') {
    super(message);
    this.name = 'TrialPruned';
  }
}

export function isPrunedResult(value: unknown): value is PrunedResult {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[PRUNED] === true;
}

/**
 * Maps what an objective returned to an outcome: a finite number, an array of numbers (one per
 * objective) or an object of numbers keyed by metric name completes (the trial runner then checks
 * the count, the names and that each is finite); anything else fails.
 */
export function outcomeOfReturn(value: unknown): TrialOutcome {
  if (isPrunedResult(value)) return { kind: 'pruned' };
  if (typeof value === 'number') return { kind: 'complete', values: [value] };
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'number')) return { kind: 'complete', values: [...(value as number[])] };
  if (isPlainObject(value) && Object.keys(value).length > 0 && Object.values(value).every((v) => typeof v === 'number')) {
    return { kind: 'complete', values: { ...(value as Record<string, number>) } };
  }
  const got = typeof value === 'number' ? String(value) : value === undefined ? 'undefined' : Array.isArray(value) ? 'an array that is not all numbers' : `a ${typeof value}`;
  return {
    kind: 'failed',
    reason: 'invalid-value',
    error: { name: 'InvalidObjectiveValue', message: `objective must return a finite number, got ${got} (several objectives: an array or an object of numbers)` },
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A FAIL outcome. */
export function failedOutcome(reason: FailReason, name: string, message: string): TrialOutcome {
  return { kind: 'failed', reason, error: { name, message } };
}

/** Maps what an objective threw to an outcome. */
export function outcomeOfThrow(error: unknown): TrialOutcome {
  if (error instanceof TrialPruned || (error instanceof Error && error.name === 'TrialPruned')) return { kind: 'pruned' };
  return { kind: 'failed', reason: 'error', error: serializeError(error) };
}

/** The FAIL outcome of a fault (an Error from sampling, a store or an executor). */
export function faultOutcome(reason: FailReason, error: unknown): TrialOutcome {
  return { kind: 'failed', reason, error: serializeError(error) };
}
