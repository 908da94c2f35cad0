// The arguments of schema.ts's plpgsql functions, built from the store's inputs: params, metrics,
// tags and intermediate values as parallel arrays and JSON texts.
import type { Metric, RunBatch, TrialParamInput } from '../entities.js';
import { nanReplacer } from '../rows.js';

/** A run batch as the arrays sweep_write_batch takes (params, tags, metrics). */
export function batchArgs(batch: RunBatch): unknown[] {
  const params = Object.entries(batch.params ?? {});
  const tags = Object.entries(batch.tags ?? {});
  const metrics = batch.metrics ?? [];
  return [
    params.map(([k]) => k), params.map(([, v]) => v), tags.map(([k]) => k), tags.map(([, v]) => v),
    ...metricArrays(metrics),
  ];
}

/** Metrics as four parallel arrays: keys, values, steps, timestamps. */
export function metricArrays(metrics: readonly Metric[]): [string[], number[], number[], number[]] {
  return [metrics.map((m) => m.key), metrics.map((m) => m.value), metrics.map((m) => m.step), metrics.map((m) => m.timestamp)];
}

/** Params as sweep_*'s arguments: values JSON, distributions JSON, label keys, labels. */
export function paramArgs(params: readonly TrialParamInput[]): [string, string, string[], string[]] {
  const values: Record<string, number> = {};
  const dists: Record<string, unknown> = {};
  for (const p of params) {
    values[p.name] = p.value;
    dists[p.name] = p.distribution;
  }
  return [JSON.stringify(values), JSON.stringify(dists), params.map((p) => p.name), params.map((p) => p.label)];
}

/** Intermediate values as steps, values, timestamps and the JSON merged into the trial. */
export function intermediateArgs(points: readonly { step: number; value: number; timestamp: number }[]): [number[], number[], number[], string] {
  const merged: Record<number, number> = {};
  for (const p of points) merged[p.step] = p.value;
  return [points.map((p) => p.step), points.map((p) => p.value), points.map((p) => p.timestamp), JSON.stringify(merged, nanReplacer)];
}

export function tagArrays(tags: Readonly<Record<string, string>>): [string[], string[]] {
  const entries = Object.entries(tags);
  return [entries.map(([k]) => k), entries.map(([, v]) => v)];
}

