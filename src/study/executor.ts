// The Executor seam: where an objective runs (this thread, a worker thread, a subprocess). The study's
// trial runner hands an executor a TrialTask (what to run) and a TrialIO (where the trial's reports,
// logs and questions go); the executor never sees the study or the store.
// Objective failures resolve as `failed` outcomes; run() rejects only for infrastructure faults.
import type { PrunedResult, TrialOutcome } from './outcome.js';
import type { Trial } from './trial.js';
import type { Direction } from '../tracking/entities.js';
import type { DatasetSpec, LogModelOptions } from '../tracking/registry/model-files.js';
import type { PendingModel } from './trial-artifacts.js';

/**
 * What an objective may return (outcome.ts outcomeOfReturn): a number (one objective), one number per
 * objective (an array in the study's order, or an object keyed by metric name), or `trial.pruned()`.
 * The count and the names are checked against the study's objectives when the trial ends.
 */
export type ObjectiveResult = number | readonly number[] | Readonly<Record<string, number>> | PrunedResult;

/**
 * What the objective of a study with directions `D` and metric names `M` (as written in its
 * definition) may return: for one objective a number, `[number]` or an object keyed by metric name;
 * for several, an array of numbers (not a tuple: computed arrays are number[]; the count is checked
 * when the trial ends) or an object keyed by the metric names. ObjectiveResult when the count is not
 * known from the types (a `Direction[]` variable).
 */
export type ResultOf<D, M> = PrunedResult | ([D] extends [readonly [Direction, Direction, ...Direction[]]]
  ? readonly number[] | MetricsObject<M>
  : [D] extends [readonly [Direction] | undefined]
    ? [M] extends [readonly [string, string, ...string[]]] ? Exclude<ObjectiveResult, PrunedResult> : number | readonly [number] | MetricsObject<M>
    : Exclude<ObjectiveResult, PrunedResult>);

/** An objective: returns an ObjectiveResult (or, for a typed study, its ResultOf), or a promise of one. */
export type ObjectiveFn<P = Record<string, any>, R = ObjectiveResult> = (trial: Trial<P>) => R | PromiseLike<R>;

type MetricsObject<M> = [M] extends [readonly [string, ...string[]]] ? { readonly [K in M[number]]: number } : Readonly<Record<string, number>>;

/** Where the objective comes from: a function in this thread, or a study module to import. */
export type ObjectiveSource =
  | { readonly kind: 'function'; readonly fn: ObjectiveFn }
  | { readonly kind: 'module'; readonly path: string; readonly exportName?: string };

/** One trial to run: plain data, safe to copy to another thread. */
export interface TrialTask {
  readonly number: number;
  readonly runId: string;
  readonly studyName: string;
  /** The declared space's values, nested as declared (choices give their option). */
  readonly params: Readonly<Record<string, unknown>>;
  /** Flat parameter name -> the value as tracked (text), for command templates and environments. */
  readonly labels: Readonly<Record<string, string>>;
  /** Where the trial's artifacts go: a directory, or a server's artifact proxy URL (artifact-sink.ts). */
  readonly artifactUri: string;
  /** Whether asking shouldPrune() can ever return true (executors skip the question otherwise). */
  readonly prunes: boolean;
  readonly objective: ObjectiveSource;
}

/**
 * The main-thread side of a running trial, as an executor sees it. Writes are buffered by the study;
 * after the trial has ended they are ignored. Checks (names, steps, finite numbers) throw SweepErrors.
 */
export interface TrialIO {
  report(value: number, step: number): void;
  log(key: string, value: number, step?: number): void;
  setTag(key: string, value: string): void;
  /** Define-by-run: samples `node` under `name` (the same name gives the same value). */
  suggest(name: string, node: unknown): unknown;
  /** Stores what was reported so far, then asks the study's pruner. */
  shouldPrune(): Promise<boolean>;
  /** Copies or uploads a file or directory (Trial.logArtifact); the promise settles when it is stored. */
  logArtifact(path: string, artifactPath?: string): Promise<void>;
  /** Writes the model's files and MLmodel, and records it on the trial's run. */
  logModel(pathOrDir: string, options?: LogModelOptions): PendingModel;
  logInput(dataset: DatasetSpec): void;
}

export interface Executor {
  readonly name: string;
  /** How many trials it runs at once. */
  readonly concurrency: number;
  /** Runs one trial. An abort of `signal` ends it as FAIL (interrupted). */
  run(task: TrialTask, io: TrialIO, signal: AbortSignal): Promise<TrialOutcome>;
  close(): Promise<void>;
}
