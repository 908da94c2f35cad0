// Tracking entities (MLflow's model) plus studies and trials: readonly plain data, safe to clone
// across threads and to serialize as JSON.
import type { Distribution } from '../space/distributions.js';
import type { TrialState } from './trial-state.js';

export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';
export type LifecycleStage = 'active' | 'deleted';
export type Direction = 'minimize' | 'maximize';

export interface Experiment {
  readonly experimentId: string;
  readonly name: string;
  readonly artifactLocation: string;
  readonly lifecycleStage: LifecycleStage;
  readonly creationTime: number;
  readonly lastUpdateTime: number;
  readonly tags: Readonly<Record<string, string>>;
}

export interface RunInfo {
  readonly runId: string;
  readonly experimentId: string;
  readonly runName: string;
  readonly status: RunStatus;
  readonly startTime: number;
  readonly endTime: number | null;
  readonly lifecycleStage: LifecycleStage;
  readonly artifactUri: string;
  readonly userId: string;
  /** Denormalized `mlflow.parentRunId` tag. */
  readonly parentRunId: string | null;
}

export interface Metric {
  readonly key: string;
  readonly value: number;
  /** ms since the epoch. */
  readonly timestamp: number;
  readonly step: number;
}

export interface Run {
  readonly info: RunInfo;
  readonly data: {
    readonly params: Readonly<Record<string, string>>;
    /** The latest value of each metric (MLflow order: highest step, then timestamp, then value). */
    readonly metrics: Readonly<Record<string, Metric>>;
    readonly tags: Readonly<Record<string, string>>;
  };
}

/** One write of run data; the single write primitive of the store. */
export interface RunBatch {
  readonly params?: Readonly<Record<string, string>>;
  readonly metrics?: readonly Metric[];
  readonly tags?: Readonly<Record<string, string>>;
}

export interface SamplerConfig {
  readonly name: string;
  readonly options?: Readonly<Record<string, unknown>>;
}

export interface StudyRecord {
  readonly studyId: number;
  readonly name: string;
  readonly experimentId: string;
  readonly parentRunId: string;
  readonly directions: readonly Direction[];
  /** Metric name the objective is logged under (the first objective's with several). */
  readonly metric: string;
  /**
   * Every objective's metric name, in the order of `directions`, for studies with several objectives.
   * Absent for single-objective studies. Read through objectiveMetrics().
   */
  readonly metrics?: readonly string[];
  /** Canonical JSON of the declared space, or null for define-by-run studies. */
  readonly space: string | null;
  readonly sampler: SamplerConfig;
  readonly pruner: SamplerConfig | null;
  readonly seed: number;
  readonly createdTime: number;
}

export interface StudySummary {
  readonly study: StudyRecord;
  readonly counts: Readonly<Record<TrialState, number>>;
  readonly bestValue: number | null;
  readonly lastActivity: number | null;
}

export interface TrialRecord {
  readonly trialId: number;
  readonly studyId: number;
  /** 0, 1, 2 ... unique within the study. */
  readonly number: number;
  readonly runId: string;
  readonly state: TrialState;
  /** The objective value (COMPLETE trials only); the first objective's with several objectives. */
  readonly value: number | null;
  /**
   * Every objective's value, in the study's order (COMPLETE trials of studies with several objectives).
   * Absent for single-objective trials, whose one value is `value`. Read through trialValues().
   */
  readonly values?: readonly number[] | null;
  /** Flat name -> value in the sampler's form (option index for choices). */
  readonly params: Readonly<Record<string, number>>;
  readonly distributions: Readonly<Record<string, Distribution>>;
  /** Reported intermediate values, step -> value. */
  readonly intermediate: Readonly<Record<number, number>>;
  readonly systemAttrs: Readonly<Record<string, unknown>>;
  readonly startTime: number;
  readonly endTime: number | null;
  readonly heartbeat: number | null;
  readonly workerId: string | null;
  /** Update sequence of the trial's last change: larger for each later change of the trial. */
  readonly seq: number;
}

export interface TrialParamInput {
  readonly name: string;
  readonly value: number;
  readonly distribution: Distribution;
  /** How the value is logged as an MLflow param. */
  readonly label: string;
}
