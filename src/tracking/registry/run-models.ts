// Rules for what a run records about models and data, the same in every store: dataset inputs
// (MLflow's limits, one input per (name, digest) per run) and the `mlflow.log-model.history` tag.
import { ConfigError } from '../../errors.js';
import { TAG_DATA_CONTEXT, type DatasetInput } from './entities.js';

/** MLflow's limits on datasets and input tags (mlflow-rest.md §4). */
export const DATASET_LIMITS = {
  perRequest: 1000, name: 500, digest: 36, sourceType: 36, source: 65_535, schema: 1_048_575, profile: 16_777_215,
  tagKey: 255, tagValue: 500,
} as const;

/** @throws ConfigError naming the field at fault, e.g. `datasets[0].dataset.digest` */
export function checkDatasetInputs(inputs: readonly DatasetInput[]): void {
  if (inputs.length > DATASET_LIMITS.perRequest) {
    throw new ConfigError(`datasets: ${inputs.length} dataset inputs is more than the limit of ${DATASET_LIMITS.perRequest} per request`);
  }
  inputs.forEach((input, i) => {
    const d = input.dataset;
    const field = (name: string, value: unknown, limit: number, required: boolean): void => {
      const label = `datasets[${i}].dataset.${name}`;
      if (value === undefined || value === null) {
        if (required) throw new ConfigError(`Missing value for required parameter '${label}'`);
        return;
      }
      if (typeof value !== 'string') throw new ConfigError(`${label} must be a string, got ${JSON.stringify(value)}`);
      if (required && value === '') throw new ConfigError(`${label} cannot be empty`);
      if (value.length > limit) throw new ConfigError(`${label} had length ${value.length}, which exceeded length limit of ${limit}`);
    };
    field('name', d?.name, DATASET_LIMITS.name, true);
    field('digest', d?.digest, DATASET_LIMITS.digest, true);
    field('source_type', d?.sourceType, DATASET_LIMITS.source, true);
    field('source', d?.source, DATASET_LIMITS.source, true);
    field('schema', d?.schema, DATASET_LIMITS.schema, false);
    field('profile', d?.profile, DATASET_LIMITS.profile, false);
    for (const [key, value] of Object.entries(input.tags ?? {})) {
      if (key === '' || key.length > DATASET_LIMITS.tagKey) throw new ConfigError(`datasets[${i}].tags: key '${key.slice(0, 40)}' must have 1 to ${DATASET_LIMITS.tagKey} characters`);
      if (typeof value !== 'string' || value.length > DATASET_LIMITS.tagValue) {
        throw new ConfigError(`datasets[${i}].tags["${key}"]: the value must be a string of at most ${DATASET_LIMITS.tagValue} characters`);
      }
    }
  });
}

/** The value of the `mlflow.data.context` input tag, searched as `datasets.context`. */
export function contextOf(input: DatasetInput): string | null {
  return input.tags[TAG_DATA_CONTEXT] ?? null;
}

/** The inputs not yet logged to the run (first logged wins, as MLflow), without repeats. */
export function newInputs(existing: readonly DatasetInput[], inputs: readonly DatasetInput[]): DatasetInput[] {
  const seen = new Set(existing.map((i) => `${i.dataset.name}\u0000${i.dataset.digest}`));
  const out: DatasetInput[] = [];
  for (const input of inputs) {
    const key = `${input.dataset.name}\u0000${input.dataset.digest}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(freezeInput(input));
  }
  return out;
}

export function freezeInput(input: DatasetInput): DatasetInput {
  const d = input.dataset;
  return Object.freeze({
    dataset: Object.freeze({
      name: d.name, digest: d.digest, sourceType: d.sourceType, source: d.source,
      ...(d.schema !== undefined && { schema: d.schema }), ...(d.profile !== undefined && { profile: d.profile }),
    }),
    tags: Object.freeze({ ...input.tags }),
  });
}

/** The keys MLflow requires in a logged model's dict (runs/log-model's model_json). */
export const LOGGED_MODEL_KEYS = ['artifact_path', 'flavors', 'utc_time_created', 'run_id'] as const;

/** @throws ConfigError when a key MLflow requires is missing */
export function checkLoggedModel(model: Readonly<Record<string, unknown>>): void {
  if (model === null || typeof model !== 'object' || Array.isArray(model)) throw new ConfigError('model_json must be a JSON object');
  const missing = LOGGED_MODEL_KEYS.filter((k) => !(k in model));
  if (missing.length > 0) throw new ConfigError(`Model json is missing mandatory fields: ${missing.join(', ')}`);
}

/** The new value of the history tag: the old JSON list (or none) with `model` appended. */
export function appendModelHistory(current: string | undefined, model: Readonly<Record<string, unknown>>): string {
  let list: unknown[] = [];
  if (current !== undefined) {
    try {
      const parsed: unknown = JSON.parse(current);
      if (Array.isArray(parsed)) list = parsed;
    } catch {
      list = [];
    }
  }
  return JSON.stringify([...list, model]);
}
