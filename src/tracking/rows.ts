// Rows of the tracking tables as entities, shared by the SQL stores (SQLite, PostgreSQL): the same
// columns read back the same way, so both hand out equal, frozen records.
import type { Direction, Experiment, Metric, RunInfo, RunStatus, StudyRecord, TrialRecord } from './entities.js';
import type { TrialState } from './trial-state.js';

export interface ExperimentRowDb {
  experiment_id: number;
  name: string;
  artifact_location: string;
  lifecycle_stage: string;
  creation_time: number;
  last_update_time: number;
}

export function toExperiment(row: ExperimentRowDb, tags: Record<string, string>): Experiment {
  return Object.freeze({
    experimentId: String(row.experiment_id),
    name: row.name,
    artifactLocation: row.artifact_location,
    lifecycleStage: row.lifecycle_stage as Experiment['lifecycleStage'],
    creationTime: row.creation_time,
    lastUpdateTime: row.last_update_time,
    tags: Object.freeze(tags),
  });
}

export interface RunRowDb {
  run_id: string;
  experiment_id: number;
  name: string;
  status: string;
  start_time: number;
  end_time: number | null;
  lifecycle_stage: string;
  artifact_uri: string;
  user_id: string;
  parent_run_id: string | null;
}

export interface MetricRowDb {
  key: string;
  step: number;
  timestamp: number;
  value: number | null;
  is_nan: number;
}

export interface StudyRowDb {
  study_id: number;
  name: string;
  experiment_id: number;
  parent_run_id: string;
  directions: string;
  metric: string;
  /** Several objectives: the metric names as JSON (null or absent: one objective, `metric`). */
  metrics?: string | null;
  space: string | null;
  sampler: string;
  pruner: string | null;
  seed: number;
  created_time: number;
}

export interface TrialRowDb {
  trial_id: number;
  study_id: number;
  number: number;
  run_id: string;
  state: string;
  value: number | null;
  /** Several objectives: every value as JSON (null or absent: one objective, `value`). */
  objective_values?: string | null;
  params: string;
  distributions: string;
  intermediate: string;
  system_attrs: string;
  start_time: number;
  end_time: number | null;
  heartbeat: number | null;
  worker_id: string | null;
  seq: number;
}

export function toRunInfo(row: RunRowDb): RunInfo {
  return Object.freeze({
    runId: row.run_id,
    experimentId: String(row.experiment_id),
    runName: row.name,
    status: row.status as RunStatus,
    startTime: row.start_time,
    endTime: row.end_time,
    lifecycleStage: row.lifecycle_stage as RunInfo['lifecycleStage'],
    artifactUri: row.artifact_uri,
    userId: row.user_id,
    parentRunId: row.parent_run_id,
  });
}

export function toMetric(row: MetricRowDb): Metric {
  return Object.freeze({
    key: row.key,
    value: row.is_nan ? Number.NaN : (row.value ?? Number.NaN),
    timestamp: row.timestamp,
    step: row.step,
  });
}



export function toStudy(row: StudyRowDb): StudyRecord {
  return Object.freeze({
    studyId: row.study_id,
    name: row.name,
    experimentId: String(row.experiment_id),
    parentRunId: row.parent_run_id,
    directions: JSON.parse(row.directions) as Direction[],
    metric: row.metric,
    ...(row.metrics != null && { metrics: Object.freeze(JSON.parse(row.metrics) as string[]) }),
    space: row.space,
    sampler: JSON.parse(row.sampler) as StudyRecord['sampler'],
    pruner: row.pruner === null ? null : (JSON.parse(row.pruner) as StudyRecord['pruner']),
    seed: row.seed,
    createdTime: row.created_time,
  });
}

export function toTrial(row: TrialRowDb): TrialRecord {
  return Object.freeze({
    trialId: row.trial_id,
    studyId: row.study_id,
    number: row.number,
    runId: row.run_id,
    state: row.state as TrialState,
    value: row.value,
    ...(row.objective_values != null && { values: Object.freeze(JSON.parse(row.objective_values) as number[]) }),
    params: Object.freeze(JSON.parse(row.params) as Record<string, number>),
    distributions: sharedDistributions(row.distributions),
    intermediate: Object.freeze(parseIntermediate(row.intermediate)),
    systemAttrs: Object.freeze(JSON.parse(row.system_attrs) as Record<string, unknown>),
    startTime: row.start_time,
    endTime: row.end_time,
    heartbeat: row.heartbeat,
    workerId: row.worker_id,
    seq: row.seq,
  });
}

/**
 * The trials of a study mostly carry the same distributions text: each distinct text is parsed once and
 * its (deeply frozen) object shared by every trial that has it. Reading 5,000 trials parsed 5,000 copies.
 */
const distributionsByText = new Map<string, TrialRecord['distributions']>();
const MAX_SHARED_DISTRIBUTIONS = 1024;

function sharedDistributions(text: string): TrialRecord['distributions'] {
  const known = distributionsByText.get(text);
  if (known !== undefined) return known;
  const parsed = JSON.parse(text) as Record<string, Record<string, unknown>>;
  for (const d of Object.values(parsed)) {
    for (const v of Object.values(d)) if (Array.isArray(v)) Object.freeze(v);
    Object.freeze(d);
  }
  const frozen = Object.freeze(parsed) as unknown as TrialRecord['distributions'];
  // Define-by-run studies may have many distinct texts: keep the table bounded.
  if (distributionsByText.size >= MAX_SHARED_DISTRIBUTIONS) distributionsByText.clear();
  distributionsByText.set(text, frozen);
  return frozen;
}

/** Intermediate values; the reviver (several times slower) only when the text holds a non-finite value. */
function parseIntermediate(text: string): Record<number, number> {
  return (text.includes('NaN') || text.includes('Infinity') ? JSON.parse(text, nanReviver) : JSON.parse(text)) as Record<number, number>;
}

/** JSON has no NaN or Infinity; intermediate values may be either. */
export function nanReplacer(_key: string, v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  return v;
}

function nanReviver(_key: string, v: unknown): unknown {
  if (v === 'NaN') return Number.NaN;
  if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  return v;
}
