// Comparing 2-10 runs: params and latest metrics side by side with differences marked, and the
// histories of their metrics (downsampled) for overlaid charts.
import { ConfigError } from '../errors.js';
import type { TrackingStore } from '../tracking/store.js';
import { downsampleMetric } from './downsample.js';
import { finite, type Json, type JsonObject } from './json.js';

export const MAX_COMPARE = 10;

/**
 * Route: `GET /api/ui/compare?run_ids=A,B,C[&max_points=N]` (N default 500 per series).
 * `params` and `metrics` are rows `{key, values (one per run, null when absent), differs}`,
 * differing rows first. `histories[key]` has one series per run (null when the run lacks it), for
 * at most 20 metric keys.
 * @throws ConfigError unless 2-10 distinct ids are given; NotFoundError for an unknown run
 */
export async function compareRuns(store: TrackingStore, runIds: readonly string[], maxPoints = 500): Promise<JsonObject> {
  const ids = [...new Set(runIds.map((id) => id.trim()).filter((id) => id !== ''))];
  if (ids.length < 2 || ids.length > MAX_COMPARE) {
    throw new ConfigError(`run_ids: compare needs 2 to ${MAX_COMPARE} distinct runs, got ${ids.length}`, { hint: 'pick 2 to 10 runs' });
  }
  const runs = await Promise.all(ids.map((id) => store.getRun(id)));
  const rows = <T extends Json>(keysOf: (i: number) => string[], valueOf: (i: number, k: string) => T | null): JsonObject[] => {
    const keys = [...new Set(runs.flatMap((_, i) => keysOf(i)))].sort();
    const out = keys.map((key) => {
      const values = runs.map((_, i) => valueOf(i, key));
      return { key, values, differs: values.some((v) => v !== values[0]) };
    });
    return [...out.filter((r) => r.differs), ...out.filter((r) => !r.differs)];
  };
  const params = rows((i) => Object.keys(runs[i]?.data.params ?? {}), (i, k) => runs[i]?.data.params[k] ?? null);
  const metrics = rows((i) => Object.keys(runs[i]?.data.metrics ?? {}), (i, k) => finite(runs[i]?.data.metrics[k]?.value));
  const metricKeys = metrics.map((m) => m['key'] as string).slice(0, 20);
  const histories: Record<string, Json> = {};
  await Promise.all(metricKeys.map(async (key) => {
    histories[key] = await Promise.all(runs.map(async (r) => {
      if (r.data.metrics[key] === undefined) return null;
      return downsampleMetric(await store.getMetricHistory(r.info.runId, key), maxPoints) as unknown as Json;
    }));
  }));
  return {
    runs: runs.map((r) => ({
      runId: r.info.runId, runName: r.info.runName, status: r.info.status, experimentId: r.info.experimentId,
      startTime: r.info.startTime, endTime: r.info.endTime, studyName: r.data.tags['sweep.study'] ?? null,
    })),
    params,
    metrics,
    histories,
  };
}
