// Run rows of the in-memory store: params, tags, metric history and latest values, with MLflow's rules.
import { ImmutableValueError } from '../errors.js';
import type { Metric, Run, RunBatch, RunInfo } from './entities.js';
import type { DatasetInput } from './registry/entities.js';
import { isNewer } from './store-rules.js';

export interface RunRow {
  info: RunInfo;
  params: Map<string, string>;
  tags: Map<string, string>;
  latest: Map<string, Metric>;
  history: Map<string, Metric[]>;
  /** Datasets the run used, in the order first logged (absent: none). */
  inputs?: DatasetInput[];
}

export function checkParams(row: RunRow, params: Readonly<Record<string, string>>): void {
  for (const [key, value] of Object.entries(params)) {
    const old = row.params.get(key);
    if (old !== undefined && old !== value) {
      throw new ImmutableValueError(
        `param "${key}" of run ${row.info.runId} is already "${old}" and cannot change to "${value}"`,
        { hint: 'params are immutable once logged; log a metric or a tag for values that change' },
      );
    }
  }
}

/** Writes a batch; params are checked first, so a refused batch changes nothing. */
export function logBatchToRow(row: RunRow, batch: RunBatch): void {
  checkParams(row, batch.params ?? {});
  for (const [key, value] of Object.entries(batch.params ?? {})) row.params.set(key, value);
  for (const [key, value] of Object.entries(batch.tags ?? {})) row.tags.set(key, value);
  for (const metric of batch.metrics ?? []) {
    const point = Object.freeze({ ...metric });
    const list = row.history.get(metric.key) ?? [];
    // A point identical to one already logged is not kept twice (a retried batch), as MLflow's log_batch.
    const seen = pointsOf(list);
    const id = `${point.step} ${point.timestamp} ${point.value}`;
    if (seen.has(id)) continue;
    seen.add(id);
    list.push(point);
    row.history.set(metric.key, list);
    if (isNewer(point, row.latest.get(metric.key))) row.latest.set(metric.key, point);
  }
}

export function snapshotRow(row: RunRow): Run {
  return Object.freeze({
    info: Object.freeze({ ...row.info }),
    data: Object.freeze({
      params: Object.freeze(Object.fromEntries(row.params)),
      metrics: Object.freeze(Object.fromEntries(row.latest)),
      tags: Object.freeze(Object.fromEntries(row.tags)),
    }),
  });
}

export function lastTimestamp(row: RunRow, key: string): number {
  let last = 0;
  for (const m of row.history.get(key) ?? []) last = Math.max(last, m.timestamp);
  return last;
}

/** The points of one metric's history as `step timestamp value`, built once per list. */
function pointsOf(list: readonly Metric[]): Set<string> {
  let seen = POINTS.get(list);
  if (seen === undefined) {
    seen = new Set(list.map((m) => `${m.step} ${m.timestamp} ${m.value}`));
    POINTS.set(list, seen);
  }
  return seen;
}

const POINTS = new WeakMap<readonly Metric[], Set<string>>();
