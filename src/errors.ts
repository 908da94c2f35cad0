// SweepError and its few subclasses: the only error types library code throws on purpose.
// Messages say what failed, the rule, the value received and the fix.

export type SweepErrorCode =
  | 'E_CONFIG'
  | 'E_SEARCH_SPACE'
  | 'E_NOT_FOUND'
  | 'E_DUPLICATE'
  | 'E_INVALID_TRANSITION'
  | 'E_RUN_FINISHED'
  | 'E_IMMUTABLE'
  | 'E_EXECUTOR'
  | 'E_OBJECTIVE_LOAD'
  | 'E_STORAGE'
  | 'E_ABORTED'
  | 'E_BUDGET'
  | 'E_STUDY_MISMATCH';

const SWEEP_ERROR = Symbol.for('sweep.error');

export class SweepError extends Error {
  readonly code: SweepErrorCode;
  /** A short suggestion shown by the CLI after the message. */
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: SweepErrorCode,
    message: string,
    options: { cause?: unknown; hint?: string; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
    Object.defineProperty(this, 'name', { value: new.target.name, enumerable: false, configurable: true });
    Object.defineProperty(this, SWEEP_ERROR, { value: true, enumerable: false });
  }
}

type Opts = ConstructorParameters<typeof SweepError>[2];

export class ConfigError extends SweepError {
  constructor(message: string, options?: Opts) { super('E_CONFIG', message, options); }
}
export class SearchSpaceError extends SweepError {
  constructor(message: string, options?: Opts) { super('E_SEARCH_SPACE', message, options); }
}
export class NotFoundError extends SweepError {
  constructor(message: string, options?: Opts) { super('E_NOT_FOUND', message, options); }
}
/**
 * A running trial the store no longer has: a database crash rolled back its creation (PostgreSQL
 * commits a creation without waiting for the disk). Its outcome cannot be stored; optimize drops it
 * with a warning and goes on.
 */
export class TrialLostError extends NotFoundError {}
export class DuplicateError extends SweepError {
  constructor(message: string, options?: Opts) { super('E_DUPLICATE', message, options); }
}
export class InvalidTransitionError extends SweepError {
  constructor(message: string, options?: Opts) { super('E_INVALID_TRANSITION', message, options); }
}
export class ImmutableValueError extends SweepError {
  constructor(message: string, options?: Opts) { super('E_IMMUTABLE', message, options); }
}
export class StorageError extends SweepError {
  constructor(message: string, options?: Opts) { super('E_STORAGE', message, options); }
}
export class ExecutorError extends SweepError {
  constructor(message: string, options?: Opts) { super('E_EXECUTOR', message, options); }
}
export class ObjectiveLoadError extends SweepError {
  constructor(message: string, options?: Opts) { super('E_OBJECTIVE_LOAD', message, options); }
}
export class StudyMismatchError extends SweepError {
  constructor(message: string, options?: Opts) { super('E_STUDY_MISMATCH', message, options); }
}
/** The study's total trial budget (max trials across every process) is used up. */
export class BudgetExhaustedError extends SweepError {
  constructor(message: string, options?: Opts) { super('E_BUDGET', message, options); }
}
export class SweepAbortedError extends SweepError {
  constructor(message: string, options?: Opts) { super('E_ABORTED', message, options); }
}

/** True for any SweepError, also one from another realm (worker thread, other copy of the package). */
export function isSweepError(error: unknown): error is SweepError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[SWEEP_ERROR] === true;
}

/** The plain form of an error that crosses a thread or process boundary, or is stored on a run. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const out: SerializedError = { name: error.name, message: error.message };
    if (error.stack !== undefined) out.stack = error.stack;
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') out.code = code;
    return out;
  }
  return { name: 'NonError', message: `objective threw a non-Error value: ${safeString(error)}` };
}

/**
 * An error from another thread, rebuilt: a SweepError keeps its code, class name and hint (a
 * sampler's E_CONFIG stays E_CONFIG); any other error becomes an E_EXECUTOR naming the original.
 */
export function rebuildError(error: SerializedError, hint?: string): SweepError {
  const sweepCode = error.code !== undefined && /^E_[A-Z_]+$/.test(error.code);
  const rebuilt = sweepCode
    ? new SweepError(error.code as SweepErrorCode, error.message, hint === undefined ? {} : { hint })
    : new SweepError('E_EXECUTOR', `${error.name}: ${error.message}`);
  if (sweepCode) Object.defineProperty(rebuilt, 'name', { value: error.name, enumerable: false, configurable: true });
  return rebuilt;
}

function safeString(value: unknown): string {
  try {
    return typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
