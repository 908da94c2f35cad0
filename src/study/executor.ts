// The Executor seam: where an objective runs (this thread, a worker thread, a subprocess).
// Objective failures resolve as `failed` outcomes; run() rejects only for infrastructure faults.
import type { TrialOutcome } from './outcome.js';
import type { Trial } from './trial.js';
import type { TrialSession } from './trial-session.js';

export type ObjectiveFn<P = Record<string, any>> = (trial: Trial<P>) => unknown;

/** Where the objective comes from: a function in this thread, or a study module to import. */
export type ObjectiveSource =
  | { readonly kind: 'function'; readonly fn: ObjectiveFn }
  | { readonly kind: 'module'; readonly path: string; readonly exportName?: string };

export interface Executor {
  readonly name: string;
  /** How many trials it runs at once. */
  readonly concurrency: number;
  run(session: TrialSession, objective: ObjectiveSource, signal: AbortSignal): Promise<TrialOutcome>;
  close(): Promise<void>;
}
