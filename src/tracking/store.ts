// TrackingStore: the persistence port. One contract for every backend (memory, SQLite, the HTTP
// client of a sweep server); test/contracts/store.contract.ts checks it against each implementation.
//
// Invariants every implementation keeps:
// - Returned objects are snapshots: later writes never change them.
// - Params are immutable: logging another value for a logged key throws ImmutableValueError.
// - A trial and its child run are written in the same transaction; so are a trial's outcome and the
//   parent run's best value.
// - Trial numbers are claimed atomically: two processes never get the same number, and a claim key
//   (a grid cell, say) is held by at most one trial of a study.
// - Finished trials are immutable; finishTrial is a compare-and-set from RUNNING or WAITING.
// - Unknown ids throw NotFoundError. Ids are never reused.
import type {
  Direction,
  Experiment,
  LifecycleStage,
  Metric,
  Run,
  RunBatch,
  RunStatus,
  SamplerConfig,
  StudyRecord,
  StudySummary,
  TrialParamInput,
  TrialRecord,
} from './entities.js';
import type { TrialState } from './trial-state.js';
import type { DatasetInput } from './registry/entities.js';
import type { ModelRegistry } from './registry/registry.js';
import type { SearchRunsPage, SearchRunsQuery } from './search/query.js';

export interface NewRun {
  readonly experimentId: string;
  readonly runName?: string;
  readonly startTime?: number;
  readonly tags?: Readonly<Record<string, string>>;
  readonly parentRunId?: string;
  readonly userId?: string;
}

export interface RunUpdate {
  readonly status?: RunStatus;
  readonly endTime?: number | null;
  readonly runName?: string;
}


export interface NewStudy {
  readonly name: string;
  /** Experiment that holds the study's runs; created when missing. Defaults to the study name. */
  readonly experimentName?: string;
  readonly directions: readonly Direction[];
  readonly metric: string;
  /** One metric name per direction when there are several objectives (then `metric` is the first). */
  readonly metrics?: readonly string[];
  readonly space: string | null;
  readonly sampler: SamplerConfig;
  readonly pruner?: SamplerConfig | null;
  readonly seed: number;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface NewTrial {
  readonly state?: 'RUNNING' | 'WAITING';
  readonly startTime?: number;
  readonly workerId?: string;
  /** Held by at most one trial of the study (e.g. `grid:17`); DuplicateError when taken. */
  readonly claimKey?: string;
  readonly systemAttrs?: Readonly<Record<string, unknown>>;
  /**
   * Params sampled for the number the caller expects the trial to get. Stored with the trial in the
   * same transaction when the claimed number equals `expectedNumber` (or no number is expected, as
   * for enqueued trials); ignored otherwise (another process took that number), and the caller
   * samples again for the number it got.
   */
  readonly expectedNumber?: number;
  readonly params?: readonly TrialParamInput[];
  /** Refuse (BudgetExhaustedError) when the study already holds this many trials, in any state. */
  readonly maxTrials?: number;
}

export interface IntermediateValue {
  readonly step: number;
  readonly value: number;
  readonly timestamp: number;
}

/** What changed since a sync cursor (TrackingStore.syncTrials). */
export interface TrialSync {
  readonly trials: TrialRecord[];
  /** Where the next sync starts: pass it back as is. */
  readonly cursor: number;
}

export interface TrialProgress {
  /** Reported values: stored on the trial and as the study metric's history on the run. */
  readonly intermediate?: readonly IntermediateValue[];
  /** Other metrics the objective logged. */
  readonly metrics?: readonly Metric[];
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * The writer's Date.now() when it sent the progress; a store with a clock() keeps it on that clock.
   * Through a sweep server, the server's Date.now() when the progress arrives replaces it.
   */
  readonly heartbeat?: number;
}

export interface TrialFinish {
  readonly state: Exclude<TrialState, 'WAITING' | 'RUNNING'>;
  /** Required for COMPLETE; logged as the study metric at the last reported step. */
  readonly value?: number;
  /**
   * Every objective's value (studies with several objectives; `value` is then values[0]). Stored with
   * the trial and each logged as its objective's metric, like `value`.
   */
  readonly values?: readonly number[];
  readonly endTime?: number;
  readonly metrics?: readonly Metric[];
  readonly tags?: Readonly<Record<string, string>>;
  readonly systemAttrs?: Readonly<Record<string, unknown>>;
  /** Reports, params and tags still buffered by the trial, written in the same transaction. */
  readonly intermediate?: readonly IntermediateValue[];
  readonly params?: readonly TrialParamInput[];
  /** Only finish if the trial's heartbeat is older than this (ms): failing a stale trial must not race its owner's heartbeat. */
  readonly onlyIfHeartbeatBefore?: number;
}

export interface TrackingStore {
  /** The URI the store was opened with (`sqlite:./sweep.db`, `memory:`). */
  readonly uri: string;
  /** Directory under which runs keep their artifacts. */
  readonly artifactRoot: string;

  // --- experiments ---
  /** @throws DuplicateError when the name is taken. */
  createExperiment(name: string, tags?: Readonly<Record<string, string>>): Promise<Experiment>;
  /** @throws NotFoundError */
  getExperiment(experimentId: string): Promise<Experiment>;
  getExperimentByName(name: string): Promise<Experiment | undefined>;
  /** MLflow's experiment "0" named "Default", created if missing (a tracking server needs it). */
  ensureDefaultExperiment(): Promise<Experiment>;
  /** Every experiment, active and deleted, by id. */
  listExperiments(): Promise<Experiment[]>;
  /** @throws NotFoundError; DuplicateError when the new name is taken. */
  renameExperiment(experimentId: string, name: string): Promise<Experiment>;
  /** Marks it and all its runs deleted (or active again), as MLflow does. @throws NotFoundError */
  setExperimentLifecycle(experimentId: string, stage: LifecycleStage): Promise<Experiment>;
  /** @throws NotFoundError */
  setExperimentTag(experimentId: string, key: string, value: string): Promise<void>;

  // --- runs ---
  /** @throws NotFoundError for an unknown experiment. */
  createRun(run: NewRun): Promise<Run>;
  /** @throws NotFoundError */
  getRun(runId: string): Promise<Run>;
  /** @throws NotFoundError */
  updateRun(runId: string, update: RunUpdate): Promise<Run>;
  /**
   * Writes params, metrics and tags of one run in one transaction.
   * @throws ImmutableValueError when a param already holds another value; NotFoundError.
   */
  logBatch(runId: string, batch: RunBatch): Promise<void>;
  /** Every logged point of a metric, by step then timestamp. @throws NotFoundError */
  getMetricHistory(runId: string, key: string): Promise<Metric[]>;
  /**
   * Runs matching a filter (MLflow's grammar plus extensions), in order, one page at a time.
   * @throws ConfigError naming the column of a filter or order_by error.
   */
  searchRuns(query: SearchRunsQuery): Promise<SearchRunsPage<Run>>;
  /** Marks a run deleted (or active again). @throws NotFoundError */
  setRunLifecycle(runId: string, stage: LifecycleStage): Promise<Run>;
  /** @throws NotFoundError for an unknown run or tag. */
  deleteTag(runId: string, key: string): Promise<void>;

  // --- what runs used and made: datasets and models ---
  /**
   * Records datasets the run used, in one transaction; a (name, digest) already logged to the run is
   * kept as first logged (MLflow's rule). @throws ConfigError for a bad dataset; NotFoundError
   */
  logInputs(runId: string, inputs: readonly DatasetInput[]): Promise<void>;
  /** The run's dataset inputs, in the order first logged. @throws NotFoundError */
  getRunInputs(runId: string): Promise<DatasetInput[]>;
  /**
   * Appends a logged model (MLflow's model dict: artifact_path, flavors, utc_time_created, run_id,
   * model_uuid ...) to the run's `mlflow.log-model.history` tag, read and written in one transaction.
   * @throws ConfigError when a mandatory key is missing; NotFoundError
   */
  recordLoggedModel(runId: string, model: Readonly<Record<string, unknown>>): Promise<void>;

  // --- the model registry ---
  /** Registered models and their versions, stages and aliases (see registry/registry.ts). */
  readonly registry: ModelRegistry;

  // --- studies and trials ---
  /**
   * Creates the study, its experiment when missing and its parent run, in one transaction.
   * @throws DuplicateError when a study of that name exists.
   */
  createStudy(study: NewStudy): Promise<StudyRecord>;
  getStudy(name: string): Promise<StudyRecord | undefined>;
  listStudies(): Promise<StudySummary[]>;
  /**
   * Claims the next trial number and creates its child run (tagged with the parent), atomically.
   * @throws DuplicateError when the claim key is held; BudgetExhaustedError past maxTrials;
   *   NotFoundError for an unknown study.
   */
  createTrial(studyId: number, trial: NewTrial): Promise<TrialRecord>;
  /**
   * Claims the oldest WAITING (enqueued) trial of the study: it becomes RUNNING, owned by `workerId`.
   * Resolves undefined when none waits. Two processes never claim the same one.
   */
  claimWaitingTrial(studyId: number, workerId: string): Promise<TrialRecord | undefined>;
  /** Stores sampled params on the trial and as MLflow params of its run. @throws ImmutableValueError */
  setTrialParams(trialId: number, params: readonly TrialParamInput[]): Promise<void>;
  /** Intermediate values, metrics, tags and the heartbeat of a running trial, in one transaction. */
  recordTrialProgress(trialId: number, progress: TrialProgress): Promise<void>;
  /**
   * Ends a trial: state, value, the run's status and end time, the parent run's best value.
   * Returns false when the trial was already finished by someone else (a lost race).
   * @throws InvalidTransitionError for a COMPLETE without a finite value.
   */
  finishTrial(trialId: number, finish: TrialFinish): Promise<boolean>;
  /**
   * Marks running trials alive at `at` (ms, on the store's clock: see clock()). Does not count as a
   * change for getTrials. Through a sweep server (HttpStore) the server stamps them itself as they
   * arrive, on its store's clock, and `at` is ignored.
   */
  heartbeat(trialIds: readonly number[], at: number): Promise<void>;
  /** Every trial of the study, by number. */
  getTrials(studyId: number): Promise<TrialRecord[]>;
  /**
   * The trials of the study that changed since `cursor` (every trial without one), by number, and the
   * cursor for the next call. Never misses a change; it may return a trial again that did not change
   * (a store whose writers do not take turns cannot always tell): merge by number, keeping the record
   * with the higher `seq`.
   */
  syncTrials(studyId: number, cursor?: number): Promise<TrialSync>;

  /**
   * The store's clock (ms since the epoch). Stores shared by several hosts return the database's
   * clock (PostgreSQL) or the server's (HttpStore: its store's clock, which it stamps heartbeats
   * with), so heartbeats and staleness mean the same on every host whatever its own clock says.
   * Absent: the local clock (Date.now()) is the store's.
   */
  clock?(): Promise<number>;

  close(): Promise<void>;
}
