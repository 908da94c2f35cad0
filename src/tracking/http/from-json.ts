// MLflow's JSON (snake_case, lists of {key, value}, "NaN" for NaN) back into sweep's entities.
import type { Experiment, LifecycleStage, Metric, Run, RunStatus } from '../entities.js';
import { putEntry } from '../own-entries.js';

export type Json = Record<string, unknown>;

export function experimentFromJson(e: Json): Experiment {
  return {
    experimentId: String(e['experiment_id']),
    name: String(e['name']),
    artifactLocation: String(e['artifact_location'] ?? ''),
    lifecycleStage: (e['lifecycle_stage'] ?? 'active') as LifecycleStage,
    creationTime: Number(e['creation_time'] ?? 0),
    lastUpdateTime: Number(e['last_update_time'] ?? 0),
    tags: record(e['tags']),
  };
}

export function runFromJson(r: Json): Run {
  const info = (r['info'] ?? {}) as Json;
  const data = (r['data'] ?? {}) as Json;
  const tags = record(data['tags']);
  const metrics: Record<string, Metric> = {};
  for (const m of (data['metrics'] as Json[] | undefined) ?? []) {
    const key = String(m['key']);
    putEntry(metrics, key, { key, value: Number(m['value']), timestamp: Number(m['timestamp'] ?? 0), step: Number(m['step'] ?? 0) });
  }
  return {
    info: {
      runId: String(info['run_id'] ?? info['run_uuid']),
      experimentId: String(info['experiment_id']),
      runName: String(info['run_name'] ?? tags['mlflow.runName'] ?? ''),
      status: (info['status'] ?? 'RUNNING') as RunStatus,
      startTime: Number(info['start_time'] ?? 0),
      endTime: info['end_time'] === undefined || info['end_time'] === null ? null : Number(info['end_time']),
      lifecycleStage: (info['lifecycle_stage'] ?? 'active') as LifecycleStage,
      artifactUri: String(info['artifact_uri'] ?? ''),
      userId: String(info['user_id'] ?? ''),
      parentRunId: tags['mlflow.parentRunId'] ?? null,
    },
    data: { params: record(data['params']), metrics, tags },
  };
}

// --- internal ---

function record(list: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of (list as Json[] | undefined) ?? []) putEntry(out, String(item['key']), String(item['value'] ?? ''));
  return out;
}
