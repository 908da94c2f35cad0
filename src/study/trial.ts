// The trial context an objective receives, and the read-only view of a finished or running trial.
import type { InferParams } from '../space/nodes.js';
import type { TrialState } from '../tracking/trial-state.js';
import type { PrunedResult } from './outcome.js';
import type { DatasetSpec, LogModelOptions } from '../tracking/registry/model-files.js';
import type { PendingModel } from './trial-artifacts.js';

export type ParamPrimitive = string | number | boolean | null;

/** What an objective receives. `P` is the type of `params`, inferred from the declared space. */
export interface Trial<P = Record<string, any>> {
  /** 0, 1, 2 ... within the study. */
  readonly number: number;
  /** The trial's child run in tracking. */
  readonly runId: string;
  readonly studyName: string;
  /** Values of the declared space, nested as declared; choices give the option, never its index. */
  readonly params: P;
  /** Define-by-run: samples `node` (any hp.* node or nested space) under `name`; the same name returns the same value. */
  suggest<N>(name: string, node: N): InferParams<N>;
  /** An intermediate objective value at `step`: metric history and pruning input. */
  report(value: number, step: number): void;
  /** Any other metric; `step` defaults to 0. */
  log(key: string, value: number, step?: number): void;
  setTag(key: string, value: string): void;
  /**
   * Copies a file or directory into the run's artifacts, under `artifactPath` (default: its base name).
   * Into a directory it is copied before this returns; to a server's artifact proxy it is uploaded, and
   * the promise settles when it is stored (it rejects, after a few retries, when it cannot be; await it
   * before removing the file). A bad path or an unreadable file throws at once.
   */
  logArtifact(path: string, artifactPath?: string): Promise<void>;
  /**
   * Logs a model as MLflow does: copies the file or directory's contents under `<name>/` (default
   * `model`) in the run's artifacts with an `MLmodel` file, and adds it to the run's
   * `mlflow.log-model.history` tag. Register it with `sweep best --register` or `sweep models register`.
   * The model's description is returned at once; awaiting it waits until its files are stored (as
   * for logArtifact).
   */
  logModel(pathOrDir: string, options?: LogModelOptions): PendingModel;
  /** Records a dataset the trial used (MLflow's dataset inputs, searchable as `datasets.name` ...). */
  logInput(dataset: DatasetSpec): void;
  /** Whether the pruner wants this trial stopped, given what was reported so far. */
  shouldPrune(): Promise<boolean>;
  /** `return trial.pruned()` ends the trial as PRUNED. */
  pruned(): PrunedResult;
}

/** What a study's constraints function receives: a trial that just completed. */
export interface ConstraintInput {
  readonly number: number;
  /** Nested as the declared space (choices give their option). */
  readonly params: Readonly<Record<string, unknown>>;
  /** Every objective's value, in the study's order. */
  readonly values: readonly number[];
  /** Every objective's value by metric name. */
  readonly objectives: Readonly<Record<string, number>>;
  /** The latest value of each metric the objective logged with trial.log. */
  readonly metrics: Readonly<Record<string, number>>;
}

/** A study's constraints: one number per constraint, each satisfied when ≤ 0. */
export type ConstraintsFn = (trial: ConstraintInput) => readonly number[];

/** A trial as the study's API shows it. */
export interface TrialView {
  readonly number: number;
  readonly state: TrialState;
  /** The first objective's value (COMPLETE trials only). */
  readonly value: number | null;
  /** Every objective's value in the study's order (COMPLETE trials only). */
  readonly values: readonly number[] | null;
  /** The constraint values stored with the trial (absent without constraints). */
  readonly constraints?: readonly number[];
  /** False for a trial that violates a constraint. */
  readonly feasible: boolean;
  /** Nested as the declared space (flat names for define-by-run studies). */
  readonly params: Record<string, unknown>;
  /** Flat name -> value as tracked (choices give their option when it is a constant). */
  readonly flatParams: Record<string, ParamPrimitive>;
  readonly runId: string;
  readonly intermediate: Readonly<Record<number, number>>;
  readonly startTime: number;
  readonly endTime: number | null;
  /** For FAIL trials: why. */
  readonly error: string | null;
}
