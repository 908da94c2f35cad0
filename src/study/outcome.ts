// What a trial ends as: the union executors resolve with, and how an objective's return or throw maps to it.
import { serializeError, type SerializedError } from '../errors.js';

export type TrialOutcome =
  /** One value per objective of the study (a single-objective study: one). */
  | { readonly kind: 'complete'; readonly values: readonly number[] }
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

/** Maps what an objective returned to an outcome: a finite number completes; anything else fails. */
export function outcomeOfReturn(value: unknown): TrialOutcome {
  if (isPrunedResult(value)) return { kind: 'pruned' };
  if (typeof value === 'number' && Number.isFinite(value)) return { kind: 'complete', values: [value] };
  const got = typeof value === 'number' ? String(value) : value === undefined ? 'undefined' : `a ${typeof value}`;
  return {
    kind: 'failed',
    reason: 'invalid-value',
    error: { name: 'InvalidObjectiveValue', message: `objective must return a finite number, got ${got}` },
  };
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
