// MLflow's limits and name rules (mlflow-rest.md §4), checked at the boundary: by the server for every
// request and by CLI commands that write. Every failure is a ConfigError (INVALID_PARAMETER_VALUE, 400).
import { posix } from 'node:path';
import { ConfigError } from '../errors.js';
import type { Metric } from '../tracking/entities.js';

export const LIMITS = {
  keyLength: 250,
  paramValueLength: 6000,
  tagValueLength: 8000,
  experimentTagValueLength: 5000,
  experimentNameLength: 500,
  batchMetrics: 1000,
  batchParams: 100,
  batchTags: 100,
  batchTotal: 1000,
} as const;

export type KeyKind = 'metric' | 'param' | 'tag' | 'experiment tag';

/** Metric, param and tag keys: MLflow's character set, a normalized relative path, at most 250 chars. */
export function validateKey(kind: KeyKind, key: string, field = 'key'): void {
  if (key.length > LIMITS.keyLength) {
    throw new ConfigError(`${kind} key '${field}' exceeds the maximum length of ${LIMITS.keyLength} characters, got ${key.length}`);
  }
  if (!KEY_CHARS.test(key)) {
    throw new ConfigError(
      `Invalid value ${JSON.stringify(key)} for parameter '${field}' supplied: Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).`,
    );
  }
  if (key === '' || key === '.' || key.startsWith('..') || key.startsWith('/') || key.endsWith('/') || posix.normalize(key) !== key) {
    throw new ConfigError(
      `Invalid value ${JSON.stringify(key)} for parameter '${field}' supplied: Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to ${JSON.stringify(posix.normalize(key))}`,
    );
  }
}

export function validateParam(key: string, value: string, field = 'params'): void {
  validateKey('param', key, `${field}.key`);
  checkLength(`param "${key}"`, value, LIMITS.paramValueLength);
}

export function validateTag(key: string, value: string, field = 'tags'): void {
  validateKey('tag', key, `${field}.key`);
  checkLength(`tag "${key}"`, value, LIMITS.tagValueLength);
}

export function validateExperimentTag(key: string, value: string): void {
  validateKey('experiment tag', key);
  checkLength(`experiment tag "${key}"`, value, LIMITS.experimentTagValueLength);
}

/** Value a finite number or NaN/±Infinity; timestamp an integer >= 0; step an integer. */
export function validateMetric(metric: Metric, field = 'metric'): void {
  validateKey('metric', metric.key, `${field}.key`);
  if (typeof metric.value !== 'number') {
    throw new ConfigError(`Got invalid value ${String(metric.value)} for metric '${metric.key}'. Please specify value as a valid double (64-bit floating point)`);
  }
  if (!Number.isSafeInteger(metric.timestamp) || metric.timestamp < 0) {
    throw new ConfigError(`Got invalid timestamp ${String(metric.timestamp)} for metric '${metric.key}': timestamp must be an integer >= 0 (ms since the epoch)`);
  }
  if (!Number.isSafeInteger(metric.step)) {
    throw new ConfigError(`Got invalid step ${String(metric.step)} for metric '${metric.key}': step must be an integer`);
  }
}

export function validateExperimentName(name: string): void {
  if (name.trim() === '') throw new ConfigError(`Invalid experiment name: ${JSON.stringify(name)}`, { hint: 'give the experiment a non-empty name' });
  if (name.length > LIMITS.experimentNameLength) {
    throw new ConfigError(`Invalid experiment name: it exceeds the maximum length of ${LIMITS.experimentNameLength} characters, got ${name.length}`);
  }
}

export function validateRunId(runId: string): void {
  if (!RUN_ID.test(runId)) throw new ConfigError(`Invalid value ${JSON.stringify(runId)} for parameter 'run_id' supplied: expected letters, digits, _ and -`);
}

export interface BatchInput {
  readonly metrics: readonly Metric[];
  readonly params: readonly { key: string; value: string }[];
  readonly tags: readonly { key: string; value: string }[];
}

/** log-batch: MLflow's count limits, every key and value, and no param key twice with two values. */
export function validateBatch(batch: BatchInput): void {
  const { metrics, params, tags } = batch;
  const counts: [string, number, number][] = [
    ['metrics', metrics.length, LIMITS.batchMetrics],
    ['params', params.length, LIMITS.batchParams],
    ['tags', tags.length, LIMITS.batchTags],
  ];
  for (const [what, count, max] of counts) {
    if (count > max) {
      throw new ConfigError(`A batch logging request can contain at most ${max} ${what}. Got ${count} ${what}. Please split up ${what} across multiple requests and try again.`);
    }
  }
  const total = metrics.length + params.length + tags.length;
  if (total > LIMITS.batchTotal) {
    throw new ConfigError(`A batch logging request can contain at most ${LIMITS.batchTotal} total metrics, params and tags. Got ${total}. Please split up the data across multiple requests and try again.`);
  }
  metrics.forEach((m, i) => validateMetric(m, `metrics[${i}]`));
  params.forEach((p, i) => validateParam(p.key, p.value, `params[${i}]`));
  tags.forEach((t, i) => validateTag(t.key, t.value, `tags[${i}]`));
  const seen = new Map<string, string>();
  const clashes = new Set<string>();
  for (const p of params) {
    const before = seen.get(p.key);
    if (before !== undefined && before !== p.value) clashes.add(p.key);
    seen.set(p.key, p.value);
  }
  if (clashes.size > 0) {
    throw new ConfigError(`Duplicate parameter keys have been submitted: ${JSON.stringify([...clashes])}. Please ensure the request contains only one param value per param key.`);
  }
}

// --- internal ---

// Python's Unicode \w: letters, marks, digits and underscore; plus / . - space and colon.
const KEY_CHARS = /^[\p{L}\p{M}\p{N}_/.\- :]*$/u;
const RUN_ID = /^[a-zA-Z0-9][\w-]{0,255}$/;

function checkLength(what: string, value: string, max: number): void {
  if (value.length > max) {
    throw new ConfigError(`${what}: value exceeds the maximum length of ${max} characters, got ${value.length}`, {
      hint: 'store long text as an artifact instead',
    });
  }
}
