// The run page: params, latest metrics, tags, artifacts, parent and study links, and metric
// histories downsampled on the server (LTTB) to a bounded number of points.
import type { Run } from '../tracking/entities.js';
import type { TrackingStore } from '../tracking/store.js';
import { listArtifacts, localArtifacts, type LocateArtifacts } from './artifacts.js';
import { downsampleMetric } from './downsample.js';
import { finite, type Json, type JsonObject } from './json.js';

export interface RunPageOptions {
  /** Points per metric history (default 1000, at least 2). */
  maxPoints?: number;
  /** Histories of at most this many metrics (by name; default 50); fetch others with metricHistory. */
  maxMetrics?: number;
  /** Where the run's artifacts are on disk (default: the artifact URI when it is an absolute path). */
  locate?: LocateArtifacts;
}

/**
 * Route: `GET /api/ui/run?run_id=ID[&max_points=N]`.
 * `histories[key]` is `{steps, values, timestamps, total}` with at most maxPoints points.
 * `parent` links the parent run; `study` names the study the run is the parent run or a trial of.
 * @throws NotFoundError for an unknown run
 */
export async function runPage(store: TrackingStore, runId: string, opts: RunPageOptions = {}): Promise<JsonObject> {
  const run = await store.getRun(runId);
  const maxPoints = opts.maxPoints ?? 1000;
  const keys = Object.keys(run.data.metrics).sort();
  const shown = keys.slice(0, opts.maxMetrics ?? 50);
  const [parent, histories, artifacts] = await Promise.all([
    run.info.parentRunId === null ? undefined : store.getRun(run.info.parentRunId).catch(() => undefined),
    Promise.all(shown.map(async (key) => [key, downsampleMetric(await store.getMetricHistory(runId, key), maxPoints)] as const)),
    listArtifacts((opts.locate ?? localArtifacts)(run.info.artifactUri)),
  ]);
  const tags = run.data.tags;
  return {
    info: { ...run.info },
    params: { ...run.data.params },
    metrics: Object.fromEntries(keys.map((k) => {
      const m = run.data.metrics[k] as Run['data']['metrics'][string];
      return [k, { value: finite(m.value), step: m.step, timestamp: m.timestamp }];
    })),
    tags: { ...tags },
    parent: parent ? { runId: parent.info.runId, runName: parent.info.runName, experimentId: parent.info.experimentId } : null,
    study: tags['sweep.study'] === undefined ? null : {
      name: tags['sweep.study'],
      role: tags['sweep.role'] ?? null,
      trial: tags['sweep.trial'] === undefined ? null : Number(tags['sweep.trial']),
    },
    histories: Object.fromEntries(histories.map(([k, s]) => [k, s as unknown as Json])),
    historiesOmitted: keys.length - shown.length,
    artifacts: artifacts as unknown as JsonObject,
  };
}

/**
 * Route: `GET /api/ui/metric-history?run_id=ID&key=K[&max_points=N]` (N default 1000).
 * @throws NotFoundError for an unknown run
 */
export async function metricHistory(store: TrackingStore, runId: string, key: string, maxPoints = 1000): Promise<JsonObject> {
  return { key, ...downsampleMetric(await store.getMetricHistory(runId, key), maxPoints) };
}
