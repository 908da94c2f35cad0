// Sweep's entities in MLflow's JSON shapes (snake_case, `info`/`data`, lists of {key, value}); int64
// fields as JSON numbers, NaN and infinities as strings, end_time omitted while unset.
import type { Experiment, Metric, Run, RunInfo } from '../tracking/entities.js';
import { doubleJson } from './request.js';

/** Maps a stored artifact location to the URI clients see (`mlflow-artifacts:/...` when proxied). */
export type PresentUri = (stored: string) => string;

export interface KeyValueJson {
  key: string;
  value: string;
}

export function experimentJson(e: Experiment, present: PresentUri): Record<string, unknown> {
  return {
    experiment_id: e.experimentId,
    name: e.name,
    artifact_location: present(e.artifactLocation),
    lifecycle_stage: e.lifecycleStage,
    last_update_time: e.lastUpdateTime,
    creation_time: e.creationTime,
    tags: keyValues(e.tags),
  };
}

export function runInfoJson(info: RunInfo, present: PresentUri): Record<string, unknown> {
  return {
    run_id: info.runId,
    run_uuid: info.runId,
    run_name: info.runName,
    experiment_id: info.experimentId,
    user_id: info.userId,
    status: info.status,
    start_time: info.startTime,
    ...(info.endTime !== null && { end_time: info.endTime }),
    artifact_uri: present(info.artifactUri),
    lifecycle_stage: info.lifecycleStage,
  };
}

export function runJson(run: Run, present: PresentUri): Record<string, unknown> {
  return {
    info: runInfoJson(run.info, present),
    data: {
      metrics: Object.values(run.data.metrics).map(metricJson),
      params: keyValues(run.data.params),
      tags: keyValues(run.data.tags),
    },
    inputs: {},
  };
}

export function metricJson(m: Metric): Record<string, unknown> {
  return { key: m.key, value: doubleJson(m.value), timestamp: m.timestamp, step: m.step };
}

export function keyValues(record: Readonly<Record<string, string>>): KeyValueJson[] {
  return Object.entries(record).map(([key, value]) => ({ key, value }));
}
